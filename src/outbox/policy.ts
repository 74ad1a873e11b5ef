// What the deliverer does after a failed attempt. Pure: the clock and the randomness are
// injected, and every decision says why.
//
// - 429: wait exactly Retry-After (never earlier); the attempt does not count (Slack refused it).
//   A 429 without Retry-After backs off like a 5xx (below): retrying at once only earns the
//   next 429. That attempt counts, so the backoff grows; a 429 is never given up.
// - Retryable (5xx, timeout, network, Slack-side errors, a bad token): exponential backoff from
//   `baseMs`, doubling per attempt, capped at `maxMs`, with ±20 % jitter so replicas and
//   channels do not retry in lockstep. Never given up on: Slack down for an hour means every
//   message arrives afterwards, in order. A bad token or scope stalls delivery until fixed.
//   A call that got no answer at all (timeout, dropped connection) waits at least `settleMs`:
//   Slack may still be posting it, and the next attempt's look-up must not run ahead of it.
// - An error we do not know: retried the same way, but only up to `maxAttempts`, then dead.
// - Terminal (unknown channel, invalid blocks…): dead at once; the channel moves on.
import type { SlackFailure } from './errors.ts';

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** Attempts allowed for errors we do not know before the message is given up. */
  maxAttempts: number;
  /** Least wait after a call that got no answer, before looking for its post (see above). */
  settleMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseMs: 2_000,
  maxMs: 5 * 60_000,
  maxAttempts: 10,
  settleMs: 10_000,
};

export type Decision =
  | { action: 'retry'; at: Date; maybeSent: boolean; countAttempt: boolean; reason: string }
  | { action: 'dead'; reason: string };

/**
 * Backoff before attempt `attempts + 1`, without jitter: `baseMs` doubled per attempt, capped.
 * The one backoff rule of the app: the outbox's durable retries and response_url posts
 * (slack/respond.ts) both use it.
 */
export function backoffMs(attempts: number, policy: Pick<RetryPolicy, 'baseMs' | 'maxMs'>): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30));
}

/** `backoffMs` spread by ±20 % (`random` in [0, 1)), so replicas do not retry in lockstep. */
function jittered(attempts: number, policy: RetryPolicy, random: () => number): number {
  return Math.round(backoffMs(attempts, policy) * (0.8 + 0.4 * random()));
}

/**
 * After attempt number `attempts` (1 = the first) failed with `failure`: when to try again, or
 * give up. `random` in [0, 1) spreads the backoff by ±20 %.
 */
export function afterFailure(
  failure: SlackFailure,
  attempts: number,
  now: Date,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): Decision {
  switch (failure.kind) {
    case 'rate_limited': {
      if (failure.retryAfterMs !== undefined) {
        return {
          action: 'retry',
          at: new Date(now.getTime() + failure.retryAfterMs),
          maybeSent: false,
          countAttempt: false,
          reason: `${failure.detail}: retry after ${failure.retryAfterMs} ms as Slack asked`,
        };
      }
      const delay = jittered(attempts, policy, random);
      return {
        action: 'retry',
        at: new Date(now.getTime() + delay),
        maybeSent: false,
        countAttempt: true,
        reason: `${failure.detail}: attempt ${attempts} refused, retry in ${delay} ms`,
      };
    }
    case 'terminal':
      return { action: 'dead', reason: `${failure.detail}: cannot be delivered` };
    case 'retryable': {
      if (failure.limited && attempts >= policy.maxAttempts) {
        return {
          action: 'dead',
          reason: `${failure.detail}: still failing after ${attempts} attempts`,
        };
      }
      const backoff = jittered(attempts, policy, random);
      const delay = failure.unanswered ? Math.max(backoff, policy.settleMs) : backoff;
      return {
        action: 'retry',
        at: new Date(now.getTime() + delay),
        maybeSent: failure.maybeSent,
        countAttempt: true,
        reason: `${failure.detail}: attempt ${attempts} failed, retry in ${delay} ms${failure.maybeSent ? ' (may have been posted: look for it first)' : ''}`,
      };
    }
  }
}
