// The run coordinator: a scheduled firing runs on exactly one replica because running it starts
// with inserting its permanent `(task, fire_time)` row into `task_runs`; the replica whose
// insert returns the row runs it, every other replica's insert conflicts and it skips.
//
// node-cron 4.6 has a seam for exactly this (`TaskOptions.runCoordinator` with
// `distributed: true`): before each scheduled execution it awaits
// `shouldRun(\`${name}:${slot.toISOString()}\`, ttlMs)`, skips when it resolves false or throws
// (fail-closed, `execution:skipped`), and calls `onComplete(key)` after the run.
// `createRunCoordinator` adapts the claim below to that seam.
import type { RunCoordinator } from 'node-cron';
import type { Db } from '../store/db.ts';

type Queries = Pick<Db, 'query'>;

export interface TaskRun {
  task: string;
  fireTime: Date;
  claimedBy: string;
  claimedAt: Date;
  finishedAt: Date | null;
  error: string | null;
}

interface TaskRunRow {
  task: string;
  fire_time: Date;
  claimed_by: string;
  claimed_at: Date;
  finished_at: Date | null;
  error: string | null;
}

const iso = (d: Date): string => d.toISOString();

/**
 * Claims one firing for this replica. True: this replica runs it. False: another replica (or an
 * earlier start of this one) already did or is doing it. Permanent: a claimed firing never runs
 * twice, however many replicas start or restart later.
 */
export async function claimRun(
  db: Queries,
  task: string,
  fireTime: Date,
  replicaId: string,
  now: Date = new Date(),
): Promise<boolean> {
  const rows = await db.query<{ task: string }>(
    `insert into task_runs (task, fire_time, claimed_by, claimed_at)
     values ($1, $2::timestamptz, $3, $4::timestamptz)
     on conflict (task, fire_time) do nothing
     returning task`,
    [task, iso(fireTime), replicaId, iso(now)],
  );
  return rows.length === 1;
}

/**
 * Takes over a firing whose claim was abandoned: claimed before `staleBefore` and never
 * finished (the replica running it died). True: this replica now owns it and should run it.
 */
export async function reclaimStaleRun(
  db: Queries,
  task: string,
  fireTime: Date,
  replicaId: string,
  staleBefore: Date,
  now: Date = new Date(),
): Promise<boolean> {
  const rows = await db.query<{ task: string }>(
    `update task_runs
     set claimed_by = $3, claimed_at = $5::timestamptz, error = null
     where task = $1 and fire_time = $2::timestamptz
       and finished_at is null and claimed_at < $4::timestamptz
     returning task`,
    [task, iso(fireTime), replicaId, iso(staleBefore), iso(now)],
  );
  return rows.length === 1;
}

/**
 * Gives up this replica's claim of a run that did not finish (cut off at its time limit), so
 * the firing can be claimed and run again at once instead of after the stale-claim takeover.
 */
export async function releaseRun(
  db: Queries,
  task: string,
  fireTime: Date,
  replicaId: string,
): Promise<boolean> {
  const rows = await db.query<{ task: string }>(
    `delete from task_runs
     where task = $1 and fire_time = $2::timestamptz and claimed_by = $3 and finished_at is null
     returning task`,
    [task, iso(fireTime), replicaId],
  );
  return rows.length === 1;
}

/** Records the end of a run (with the error message when it failed). */
export async function finishRun(
  db: Queries,
  task: string,
  fireTime: Date,
  opts: { error?: string; now?: Date } = {},
): Promise<void> {
  await db.query(
    `update task_runs set finished_at = $3::timestamptz, error = $4
     where task = $1 and fire_time = $2::timestamptz`,
    [task, iso(fireTime), iso(opts.now ?? new Date()), opts.error ?? null],
  );
}

export async function getRun(
  db: Queries,
  task: string,
  fireTime: Date,
): Promise<TaskRun | undefined> {
  const [row] = await db.query<TaskRunRow>(
    'select * from task_runs where task = $1 and fire_time = $2::timestamptz',
    [task, iso(fireTime)],
  );
  return row && toTaskRun(row);
}

/** The runs of a task, latest fire first. */
export async function listRuns(db: Queries, task: string, limit = 50): Promise<TaskRun[]> {
  const rows = await db.query<TaskRunRow>(
    'select * from task_runs where task = $1 order by fire_time desc limit $2',
    [task, limit],
  );
  return rows.map(toTaskRun);
}

function toTaskRun(row: TaskRunRow): TaskRun {
  return {
    task: row.task,
    fireTime: row.fire_time,
    claimedBy: row.claimed_by,
    claimedAt: row.claimed_at,
    finishedAt: row.finished_at,
    error: row.error,
  };
}

/**
 * The fire time in a node-cron coordination key (`<name>:<ISO slot>`). Throws on a key of
 * another task or without a valid time, which node-cron treats as "do not run" (fail-closed).
 */
export function parseRunKey(task: string, key: string): Date {
  const prefix = `${task}:`;
  if (!key.startsWith(prefix)) {
    throw new Error(`coordination key "${key}" does not belong to task "${task}"`);
  }
  const fireTime = new Date(key.slice(prefix.length));
  if (Number.isNaN(fireTime.getTime())) throw new Error(`coordination key "${key}" has no time`);
  return fireTime;
}

export interface RunCoordinatorOptions {
  db: Queries;
  task: string;
  replicaId: string;
  /** The claim key's fire time: node-cron's slot normalised (see `normaliseFireTime`). */
  normalise: (slot: Date) => Date;
  now?: () => Date;
  /** Told about every decision, e.g. to track in-flight runs or log skips. */
  onDecision?: (fireTime: Date, claimed: boolean) => void;
}

/** node-cron's `RunCoordinator` seam backed by `claimRun`, for one task. */
export function createRunCoordinator(opts: RunCoordinatorOptions): RunCoordinator {
  const now = opts.now ?? (() => new Date());
  return {
    shouldRun: async (key) => {
      const fireTime = opts.normalise(parseRunKey(opts.task, key));
      const claimed = await claimRun(opts.db, opts.task, fireTime, opts.replicaId, now());
      opts.onDecision?.(fireTime, claimed);
      return claimed;
    },
  };
}
