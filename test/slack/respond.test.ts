// The response_url retry decision, as a table: what happens after each kind of attempt.
import { describe, expect, it } from 'vitest';
import { afterAttempt, retryAfterMs } from '../../src/slack/respond.ts';

const opts = { attempts: 4, maxRetryAfterMs: 30_000, backoffMs: 250, timeoutMs: 10_000 };

describe('afterAttempt', () => {
  it.each([
    // delivered
    [200, undefined, 1, { kind: 'done' }],
    [204, undefined, 3, { kind: 'done' }],
    // Slack asks us to wait: we wait exactly as long as it says
    [429, 2000, 1, { kind: 'retry', waitMs: 2000, reason: '429' }],
    // 429 without Retry-After: back off like a 5xx
    [429, undefined, 2, { kind: 'retry', waitMs: 500, reason: '429' }],
    // asked to wait longer than anyone would: give up rather than answer a minute late
    [429, 60_000, 1, { kind: 'give-up', reason: 'rate limited (429) for 60 s' }],
    [429, 1000, 4, { kind: 'give-up', reason: 'rate limited (429) on every attempt' }],
    // Slack's side failed: exponential backoff
    [500, undefined, 1, { kind: 'retry', waitMs: 250, reason: '500' }],
    [503, undefined, 3, { kind: 'retry', waitMs: 1000, reason: '503' }],
    [502, undefined, 4, { kind: 'give-up', reason: 'HTTP 502 on every attempt' }],
    // no response at all (connection reset, timeout)
    [undefined, undefined, 1, { kind: 'retry', waitMs: 250, reason: 'no response' }],
    [undefined, undefined, 4, { kind: 'give-up', reason: 'no response' }],
    // our fault or an expired URL: retrying cannot help
    [400, undefined, 1, { kind: 'give-up', reason: 'HTTP 400' }],
    [404, undefined, 1, { kind: 'give-up', reason: 'HTTP 404' }],
  ] as const)(
    'status %s, Retry-After %s ms, attempt %s → %j',
    (status, retryAfter, attempt, expected) => {
      expect(afterAttempt(status, retryAfter, attempt, opts)).toEqual(expected);
    },
  );
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-18T10:00:00Z');
  it.each([
    ['3', 3000],
    ['0', 0],
    ['Wed, 18 Nov 2026 10:00:05 GMT', 5000],
    // a date in the past: no wait
    ['Wed, 18 Nov 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ] as const)('%j → %s', (header, expected) => {
    expect(retryAfterMs(header, now)).toBe(expected);
  });
});
