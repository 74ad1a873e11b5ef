// Cron tasks that run once across replicas. node-cron (timezone-aware) arms the timers; every
// firing is claimed in Postgres through node-cron's RunCoordinator seam (see coordinator.ts), so
// of several replicas sharing one database exactly one runs it. On start, each task's latest
// firing that nobody ran (every replica was down) is run once, late — never a backlog.
//
// Handlers must be idempotent on `fire.key` (= task and fire time): the claim makes a second run
// of the same firing very unlikely, not impossible (an abandoned claim is taken over after
// `staleClaimMs`, and the first runner may merely have been slow).
//
// Each run has a time limit (job-timeout.ts): a handler still running after it is cut off and
// logged, its claim released and the firing run again at once (up to `jobAttempts` runs), so a
// hung handler holds a firing for its limit, not until the stale-claim takeover.
import {
  type Logger as CronLogger,
  createTask,
  type RunCoordinator,
  type ScheduledTask,
} from 'node-cron';
import type { Logger } from '../logger.ts';
import type { SchedulerMetrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import {
  claimRun,
  createRunCoordinator,
  finishRun,
  reclaimStaleRun,
  releaseRun,
} from './coordinator.ts';
import { normaliseFireTime, previousFireTime } from './cron-time.ts';
import { JobTimeoutError, tryJobOrTimeout } from './job-timeout.ts';

export interface Fire {
  /** The task's name. */
  task: string;
  /** The scheduled instant (the cron's minute), or the click time of a manual run. */
  fireTime: Date;
  /** Caught up on start: the firing was missed while no replica was running. */
  late: boolean;
  /** Started by `runNow` (a "run now" button), not by the schedule. */
  manual: boolean;
  /** Idempotency key of this firing, e.g. for outbox messages it produces. */
  key: string;
}

export interface CatchUpPolicy {
  /** Do not catch up a firing older than this (ms before start). Default: no limit. */
  maxLateMs?: number;
  /** Do not catch up a firing before this instant (e.g. when the rule was created). */
  notBefore?: Date;
}

export interface TaskDefinition {
  /** Unique within the scheduler; part of the claim key shared by all replicas. */
  name: string;
  cron: string;
  /** Default: the scheduler's timezone. */
  timeZone?: string;
  /** `signal` is aborted when the run is cut off at its time limit: stop then. */
  run: (fire: Fire, signal: AbortSignal) => Promise<void>;
  /** This task's time limit per run (default: the scheduler's `jobTimeoutMs`). */
  timeoutMs?: number;
  /** Catch up the latest missed firing on start (default true). */
  catchUp?: boolean | CatchUpPolicy;
}

export interface SchedulerOptions {
  db: Db;
  logger: Logger;
  /** IANA timezone the crons are read in, e.g. Europe/Stockholm. */
  timeZone: string;
  /** This process's name in `task_runs.claimed_by`. */
  replicaId: string;
  /** Clock for catch-up, claims and manual runs (node-cron's timers use the real clock). */
  now?: () => Date;
  /** A claim older than this that never finished counts as abandoned (default 15 min). */
  staleClaimMs?: number;
  /** A run still going after this is cut off (default 10 min: below `staleClaimMs`). */
  jobTimeoutMs?: number;
  /** Runs of one firing at most, when runs are cut off at the time limit (default 2). */
  jobAttempts?: number;
  /** Counts runs and their lateness (GET /metrics). */
  metrics?: SchedulerMetrics;
}

export interface Scheduler {
  /** Adds a task; after `start()` its timer is armed at once (without catch-up). */
  add(task: TaskDefinition): void;
  /** Stops a task's timer and forgets it (a run in flight still finishes). */
  remove(name: string): void;
  /** Arms every timer, then claims and starts catch-up runs (which continue in the background). */
  start(): Promise<void>;
  /** Stops the timers and waits for every run in flight. */
  stop(): Promise<void>;
  /**
   * Runs a task now, under its own key (`<name>#manual` at the click time), so it never takes
   * the place of a scheduled firing. Resolves when it finished (rejects with the handler's
   * error); undefined if the same manual firing was already claimed.
   */
  runNow(name: string): Promise<Fire | undefined>;
  /** Resolves once no run (scheduled, caught up or manual) is in flight. */
  idle(): Promise<void>;
  /** The task's next scheduled fire time, while started. */
  nextRun(name: string): Date | undefined;
  /** The names of the tasks added and not removed. */
  names(): string[];
}

const DEFAULT_STALE_CLAIM_MS = 15 * 60_000;
const DEFAULT_JOB_TIMEOUT_MS = 10 * 60_000;
const DEFAULT_JOB_ATTEMPTS = 2;
/** A timer this late still runs its firing (node-cron's default, 1 s, drops it under load). */
const MISSED_EXECUTION_TOLERANCE_MS = 60_000;

export const MANUAL_SUFFIX = '#manual';

export function fireKey(task: string, fireTime: Date): string {
  return `${task}@${fireTime.toISOString()}`;
}

interface Entry {
  def: TaskDefinition;
  timeZone: string;
  cronTask?: ScheduledTask;
}

/** What the stages of a scheduler share: its store, clock, limits and in-flight runs. */
interface Context {
  db: Db;
  log: Logger;
  replicaId: string;
  now: () => Date;
  staleClaimMs: number;
  jobTimeoutMs: number;
  jobAttempts: number;
  metrics: SchedulerMetrics | undefined;
  /** Counts `work` as in flight until it settles (for `idle()` and `stop()`). */
  track: <T>(work: Promise<T>) => Promise<T>;
}

function createContext(opts: SchedulerOptions, running: Set<Promise<unknown>>): Context {
  return {
    db: opts.db,
    log: opts.logger.child({ component: 'scheduler', replica: opts.replicaId }),
    replicaId: opts.replicaId,
    now: opts.now ?? (() => new Date()),
    staleClaimMs: opts.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS,
    jobTimeoutMs: opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS,
    jobAttempts: opts.jobAttempts ?? DEFAULT_JOB_ATTEMPTS,
    metrics: opts.metrics,
    track: (work) => {
      running.add(work);
      const forget = () => running.delete(work);
      work.then(forget, forget);
      return work;
    },
  };
}

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const entries = new Map<string, Entry>();
  const running = new Set<Promise<unknown>>();
  const ctx = createContext(opts, running);
  const { log } = ctx;
  let started = false;

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running]);
  }

  return {
    add(def) {
      if (entries.has(def.name)) throw new Error(`scheduler: task "${def.name}" exists already`);
      if (def.name.endsWith(MANUAL_SUFFIX)) {
        throw new Error(`scheduler: a task name may not end with ${MANUAL_SUFFIX}`);
      }
      const entry: Entry = { def, timeZone: def.timeZone ?? opts.timeZone };
      normaliseFireTime(def.cron, new Date()); // validates the cron now, not at the first firing
      entries.set(def.name, entry);
      if (started) arm(ctx, entry);
    },

    remove(name) {
      const entry = entries.get(name);
      if (!entry) return;
      void entry.cronTask?.destroy();
      entries.delete(name);
    },

    async start() {
      if (started) return;
      started = true;
      for (const entry of entries.values()) arm(ctx, entry);
      for (const entry of entries.values()) {
        try {
          await catchUp(ctx, entry);
        } catch (err) {
          log.error({ err, task: entry.def.name }, 'task: catch-up failed');
        }
      }
    },

    async stop() {
      started = false;
      for (const entry of entries.values()) {
        void entry.cronTask?.destroy();
        entry.cronTask = undefined;
      }
      await idle();
    },

    async runNow(name) {
      const entry = entries.get(name);
      if (!entry) throw new Error(`scheduler: no task "${name}"`);
      return runManually(ctx, entry.def);
    },

    idle,

    nextRun(name) {
      return entries.get(name)?.cronTask?.getNextRun() ?? undefined;
    },
    names() {
      return [...entries.keys()];
    },
  };
}

/** One run within the task's time limit; resolves with its error, if any. */
async function runOnce(ctx: Context, def: TaskDefinition, fire: Fire): Promise<unknown> {
  const { log } = ctx;
  log.info(
    { task: fire.task, fireTime: fire.fireTime, late: fire.late, manual: fire.manual },
    'task: running',
  );
  const where = { task: fire.task, fireTime: fire.fireTime };
  try {
    await tryJobOrTimeout(
      fire.task,
      def.timeoutMs ?? ctx.jobTimeoutMs,
      (signal) => def.run(fire, signal),
      (err) => log.warn({ ...where, err }, 'task: a run cut off earlier has ended now'),
    );
    return undefined;
  } catch (err) {
    return err;
  }
}

/** After a run was cut off: gives up the claim and claims the firing again to retry it. */
async function reclaimForRetry(ctx: Context, claimTask: string, fireTime: Date): Promise<boolean> {
  const { db, replicaId } = ctx;
  try {
    await releaseRun(db, claimTask, fireTime, replicaId);
    return await claimRun(db, claimTask, fireTime, replicaId, ctx.now());
  } catch (err) {
    ctx.log.error({ err, task: claimTask }, 'task: could not release a cut-off run for a retry');
    return false;
  }
}

/**
 * Runs a claimed firing, again after each cut-off while attempts and the claim last. Resolves
 * with the last run's error (undefined: success), or `'lost'` if another replica took it over.
 */
async function runAttempts(
  ctx: Context,
  def: TaskDefinition,
  fire: Fire,
  claimTask: string,
): Promise<{ error: unknown } | 'lost'> {
  for (let attempt = 1; ; attempt++) {
    const error = await runOnce(ctx, def, fire);
    if (!(error instanceof JobTimeoutError) || attempt >= ctx.jobAttempts) return { error };
    const where = { task: fire.task, fireTime: fire.fireTime, limitMs: error.limitMs, attempt };
    ctx.log.error(where, 'task: cut off at its time limit; released for a retry');
    if (!(await reclaimForRetry(ctx, claimTask, fire.fireTime))) {
      ctx.log.warn(where, 'task: the cut-off firing was claimed by another replica');
      return 'lost';
    }
  }
}

/** Records the end of a run in the claim; never throws. */
async function recordEnd(ctx: Context, fire: Fire, claimTask: string, error: unknown) {
  try {
    await finishRun(ctx.db, claimTask, fire.fireTime, {
      ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
      now: ctx.now(),
    });
  } catch (err) {
    ctx.log.error({ err, task: fire.task }, 'task: could not record the end of a run');
  }
}

/** Runs a claimed firing and records its end; never throws unless `rethrow`. */
async function execute(
  ctx: Context,
  def: TaskDefinition,
  fire: Fire,
  claimTask: string,
  rethrow = false,
) {
  const { log } = ctx;
  const t0 = Date.now();
  // Lateness is measured when the run starts: how long after its firing time it began.
  const lateSeconds = fire.manual
    ? undefined
    : (ctx.now().getTime() - fire.fireTime.getTime()) / 1000;
  const outcome = await runAttempts(ctx, def, fire, claimTask);
  if (outcome === 'lost') return;
  const { error } = outcome;
  if (error) log.error({ err: error, task: fire.task, fireTime: fire.fireTime }, 'task: failed');
  await recordEnd(ctx, fire, claimTask, error);
  if (!error) log.info({ task: fire.task, ms: Date.now() - t0 }, 'task: done');
  ctx.metrics?.taskRun(fire.task, error ? 'failed' : 'ok', lateSeconds);
  if (error && rethrow) throw error;
}

/**
 * node-cron's RunCoordinator over our claims, counting each claimed firing as in flight until
 * node-cron calls onComplete, so stop() waits for the whole run.
 */
function trackedCoordinator(ctx: Context, def: TaskDefinition): RunCoordinator {
  const normalise = (slot: Date) => normaliseFireTime(def.cron, slot);
  const claim = createRunCoordinator({
    db: ctx.db,
    task: def.name,
    replicaId: ctx.replicaId,
    normalise,
    now: ctx.now,
  });
  const releases = new Map<string, () => void>();
  return {
    shouldRun: async (key, ttlMs) => {
      let release = () => {};
      void ctx.track(new Promise<void>((resolve) => (release = resolve)));
      try {
        const claimed = await claim.shouldRun(key, ttlMs);
        if (claimed) releases.set(key, release);
        else {
          release();
          ctx.log.debug({ task: def.name, key }, 'task: firing claimed by another replica');
        }
        return claimed;
      } catch (err) {
        release();
        ctx.log.error({ err, task: def.name, key }, 'task: could not claim a firing; skipped');
        throw err;
      }
    },
    onComplete: (key) => {
      releases.get(key)?.();
      releases.delete(key);
    },
  };
}

/** Creates and starts the entry's node-cron timer. */
function arm(ctx: Context, entry: Entry): void {
  const { def } = entry;
  entry.cronTask = createTask(
    def.cron,
    async (cron) => {
      const fireTime = normaliseFireTime(def.cron, cron.date);
      const fire = { task: def.name, fireTime, late: false, manual: false };
      await execute(ctx, def, { ...fire, key: fireKey(def.name, fireTime) }, def.name);
    },
    {
      name: def.name,
      timezone: entry.timeZone,
      distributed: true,
      runCoordinator: trackedCoordinator(ctx, def),
      missedExecutionTolerance: MISSED_EXECUTION_TOLERANCE_MS,
      logger: cronLogger(ctx.log),
    },
  );
  void entry.cronTask.start();
}

/** The earliest firing a catch-up at `at` may still run, if the policy limits it. */
function catchUpHorizon(policy: true | CatchUpPolicy, at: Date): Date | undefined {
  const limits = policy === true ? {} : policy;
  const horizon = Math.max(
    limits.notBefore?.getTime() ?? Number.NEGATIVE_INFINITY,
    limits.maxLateMs !== undefined ? at.getTime() - limits.maxLateMs : Number.NEGATIVE_INFINITY,
  );
  return Number.isFinite(horizon) ? new Date(horizon) : undefined;
}

/** Claims a missed firing, or takes it over if its claim was abandoned. */
async function claimMissed(ctx: Context, task: string, fireTime: Date, at: Date) {
  const { db, replicaId } = ctx;
  if (await claimRun(db, task, fireTime, replicaId, at)) return true;
  const staleBefore = new Date(at.getTime() - ctx.staleClaimMs);
  const claimed = await reclaimStaleRun(db, task, fireTime, replicaId, staleBefore, at);
  if (claimed) ctx.log.warn({ task, fireTime }, 'task: taking over an abandoned run');
  return claimed;
}

/** Claims and starts (in the background) the entry's latest missed firing, if any. */
async function catchUp(ctx: Context, entry: Entry): Promise<void> {
  const { def } = entry;
  const policy = def.catchUp ?? true;
  if (policy === false) return;
  const at = ctx.now();
  const notBefore = catchUpHorizon(policy, at);
  const latest = previousFireTime(def.cron, entry.timeZone, at, notBefore ? { notBefore } : {});
  if (!latest) return;
  if (!(await claimMissed(ctx, def.name, latest, at))) return;
  ctx.log.info({ task: def.name, fireTime: latest }, 'task: catching up a missed firing');
  const fire: Fire = {
    task: def.name,
    fireTime: latest,
    late: true,
    manual: false,
    key: fireKey(def.name, latest),
  };
  void ctx.track(execute(ctx, def, fire, def.name));
}

/** `runNow`: claims the task's manual firing at the click time and runs it to the end. */
async function runManually(ctx: Context, def: TaskDefinition): Promise<Fire | undefined> {
  const fireTime = ctx.now();
  const claimTask = `${def.name}${MANUAL_SUFFIX}`;
  if (!(await claimRun(ctx.db, claimTask, fireTime, ctx.replicaId, fireTime))) return undefined;
  const fire: Fire = {
    task: def.name,
    fireTime,
    late: false,
    manual: true,
    key: fireKey(claimTask, fireTime),
  };
  await ctx.track(execute(ctx, def, fire, claimTask, true));
  return fire;
}

/** node-cron's own log lines (missed executions, coordinator failures) into our logger. */
function cronLogger(log: Logger): CronLogger {
  const split = (message: string | Error, err?: Error) =>
    message instanceof Error ? { err: message, msg: message.message } : { err, msg: message };
  return {
    info: (message) => log.info(`node-cron: ${message}`),
    warn: (message) => log.warn(`node-cron: ${message}`),
    error: (message, e) => {
      const { err, msg } = split(message, e);
      log.error({ err }, `node-cron: ${msg}`);
    },
    debug: (message, e) => {
      const { err, msg } = split(message, e);
      log.debug({ err }, `node-cron: ${msg}`);
    },
  };
}
