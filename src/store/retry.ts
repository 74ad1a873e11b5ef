// Transactions run again when the server aborted them for a conflict that a second attempt
// resolves: a deadlock (40P01: the server chose this transaction to break a cycle of waits) or
// a serialization failure (40001). The whole transaction runs again, after a jittered backoff so
// that the writers that collided do not collide again in step.
import type { Db } from './db.ts';

/** SQLSTATEs worth a new attempt of the whole transaction. */
const RETRYABLE = new Set(['40P01', '40001']);

export const DEFAULT_ATTEMPTS = 5;
const BASE_DELAY_MS = 20;
const MAX_DELAY_MS = 1_000;

export function isRetryableConflict(err: unknown): boolean {
  const code =
    typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/** Full jitter: a random wait below an exponentially growing ceiling (attempt 1, 2, …). */
export function conflictBackoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
}

export interface RetryOptions {
  /** Attempts in all (default DEFAULT_ATTEMPTS); the last conflict is thrown as it came. */
  attempts?: number;
  /** Told of each conflict that is retried (for a log line). */
  onRetry?: (err: unknown, attempt: number) => void;
}

/**
 * `db.transaction(fn)`, run again on a deadlock or serialization failure. `fn` must be safe to
 * run again (it is: a rolled-back attempt left nothing behind) and `db` must not already be in a
 * transaction (an aborted outer transaction cannot be retried from inside).
 */
export async function retryTransaction<T>(
  db: Db,
  fn: (tx: Db) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, opts.attempts ?? DEFAULT_ATTEMPTS);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
      opts.onRetry?.(err, attempt);
      await new Promise((resolve) => setTimeout(resolve, conflictBackoffMs(attempt)));
    }
  }
}
