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
import { type Logger as CronLogger, createTask, type ScheduledTask } from 'node-cron';
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

export function createScheduler(opts: SchedulerOptions): Scheduler {
  const { db, timeZone, replicaId } = opts;
  const log = opts.logger.child({ component: 'scheduler', replica: replicaId });
  const now = opts.now ?? (() => new Date());
  const staleClaimMs = opts.staleClaimMs ?? DEFAULT_STALE_CLAIM_MS;
  const jobTimeoutMs = opts.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const jobAttempts = opts.jobAttempts ?? DEFAULT_JOB_ATTEMPTS;
  const entries = new Map<string, Entry>();
  const running = new Set<Promise<unknown>>();
  let started = false;

  const track = <T>(work: Promise<T>): Promise<T> => {
    running.add(work);
    const forget = () => running.delete(work);
    work.then(forget, forget);
    return work;
  };

  /** One run within the task's time limit; resolves with its error, if any. */
  async function runOnce(def: TaskDefinition, fire: Fire): Promise<unknown> {
    log.info(
      { task: fire.task, fireTime: fire.fireTime, late: fire.late, manual: fire.manual },
      'task: running',
    );
    const where = { task: fire.task, fireTime: fire.fireTime };
    try {
      await tryJobOrTimeout(
        fire.task,
        def.timeoutMs ?? jobTimeoutMs,
        (signal) => def.run(fire, signal),
        (err) => log.warn({ ...where, err }, 'task: a run cut off earlier has ended now'),
      );
      return undefined;
    } catch (err) {
      return err;
    }
  }

  /** After a run was cut off: gives up the claim and claims the firing again to retry it. */
  async function reclaimForRetry(claimTask: string, fireTime: Date): Promise<boolean> {
    try {
      await releaseRun(db, claimTask, fireTime, replicaId);
      return await claimRun(db, claimTask, fireTime, replicaId, now());
    } catch (err) {
      log.error({ err, task: claimTask }, 'task: could not release a cut-off run for a retry');
      return false;
    }
  }

  /** Runs a claimed firing and records its end; never throws unless `rethrow`. */
  async function execute(def: TaskDefinition, fire: Fire, claimTask: string, rethrow = false) {
    const t0 = Date.now();
    const lateSeconds = fire.manual
      ? undefined
      : (now().getTime() - fire.fireTime.getTime()) / 1000;
    let error: unknown;
    for (let attempt = 1; ; attempt++) {
      error = await runOnce(def, fire);
      if (!(error instanceof JobTimeoutError) || attempt >= jobAttempts) break;
      const where = { task: fire.task, fireTime: fire.fireTime, limitMs: error.limitMs, attempt };
      log.error(where, 'task: cut off at its time limit; released for a retry');
      if (!(await reclaimForRetry(claimTask, fire.fireTime))) {
        log.warn(where, 'task: the cut-off firing was claimed by another replica');
        return;
      }
    }
    if (error) log.error({ err: error, task: fire.task, fireTime: fire.fireTime }, 'task: failed');
    try {
      await finishRun(db, claimTask, fire.fireTime, {
        ...(error ? { error: error instanceof Error ? error.message : String(error) } : {}),
        now: now(),
      });
    } catch (err) {
      log.error({ err, task: fire.task }, 'task: could not record the end of a run');
    }
    if (!error) log.info({ task: fire.task, ms: Date.now() - t0 }, 'task: done');
    opts.metrics?.taskRun(fire.task, error ? 'failed' : 'ok', lateSeconds);
    if (error && rethrow) throw error;
  }

  function arm(entry: Entry): void {
    const { def } = entry;
    const normalise = (slot: Date) => normaliseFireTime(def.cron, slot);
    const claim = createRunCoordinator({ db, task: def.name, replicaId, normalise, now });
    // Held from the claim until node-cron calls onComplete, so stop() waits for the whole run.
    const releases = new Map<string, () => void>();
    entry.cronTask = createTask(
      def.cron,
      async (ctx) => {
        const fireTime = normalise(ctx.date);
        const fire = { task: def.name, fireTime, late: false, manual: false };
        await execute(def, { ...fire, key: fireKey(def.name, fireTime) }, def.name);
      },
      {
        name: def.name,
        timezone: entry.timeZone,
        distributed: true,
        runCoordinator: {
          shouldRun: async (key, ttlMs) => {
            let release = () => {};
            void track(new Promise<void>((resolve) => (release = resolve)));
            try {
              const claimed = await claim.shouldRun(key, ttlMs);
              if (claimed) releases.set(key, release);
              else {
                release();
                log.debug({ task: def.name, key }, 'task: firing claimed by another replica');
              }
              return claimed;
            } catch (err) {
              release();
              log.error({ err, task: def.name, key }, 'task: could not claim a firing; skipped');
              throw err;
            }
          },
          onComplete: (key) => {
            releases.get(key)?.();
            releases.delete(key);
          },
        },
        missedExecutionTolerance: MISSED_EXECUTION_TOLERANCE_MS,
        logger: cronLogger(log),
      },
    );
    void entry.cronTask.start();
  }

  async function catchUp(entry: Entry): Promise<void> {
    const { def } = entry;
    const policy = def.catchUp ?? true;
    if (policy === false) return;
    const at = now();
    const limits = policy === true ? {} : policy;
    const horizon = Math.max(
      limits.notBefore?.getTime() ?? Number.NEGATIVE_INFINITY,
      limits.maxLateMs !== undefined ? at.getTime() - limits.maxLateMs : Number.NEGATIVE_INFINITY,
    );
    const latest = previousFireTime(def.cron, entry.timeZone, at, {
      ...(Number.isFinite(horizon) ? { notBefore: new Date(horizon) } : {}),
    });
    if (!latest) return;
    let claimed = await claimRun(db, def.name, latest, replicaId, at);
    if (!claimed) {
      const staleBefore = new Date(at.getTime() - staleClaimMs);
      claimed = await reclaimStaleRun(db, def.name, latest, replicaId, staleBefore, at);
      if (claimed)
        log.warn({ task: def.name, fireTime: latest }, 'task: taking over an abandoned run');
    }
    if (!claimed) return;
    log.info({ task: def.name, fireTime: latest }, 'task: catching up a missed firing');
    const fire: Fire = {
      task: def.name,
      fireTime: latest,
      late: true,
      manual: false,
      key: fireKey(def.name, latest),
    };
    void track(execute(def, fire, def.name));
  }

  return {
    add(def) {
      if (entries.has(def.name)) throw new Error(`scheduler: task "${def.name}" exists already`);
      if (def.name.endsWith(MANUAL_SUFFIX)) {
        throw new Error(`scheduler: a task name may not end with ${MANUAL_SUFFIX}`);
      }
      const entry: Entry = { def, timeZone: def.timeZone ?? timeZone };
      normaliseFireTime(def.cron, new Date()); // validates the cron now, not at the first firing
      entries.set(def.name, entry);
      if (started) arm(entry);
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
      for (const entry of entries.values()) arm(entry);
      for (const entry of entries.values()) {
        try {
          await catchUp(entry);
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
      const fireTime = now();
      const claimTask = `${name}${MANUAL_SUFFIX}`;
      if (!(await claimRun(db, claimTask, fireTime, replicaId, fireTime))) return undefined;
      const fire: Fire = {
        task: name,
        fireTime,
        late: false,
        manual: true,
        key: fireKey(claimTask, fireTime),
      };
      await track(execute(entry.def, fire, claimTask, true));
      return fire;
    },

    idle,

    nextRun(name) {
      return entries.get(name)?.cronTask?.getNextRun() ?? undefined;
    },
    names() {
      return [...entries.keys()];
    },
  };

  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.allSettled([...running]);
  }
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
