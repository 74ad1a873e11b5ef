// Delivery decisions as tables: what a thrown Web API error means, and what the deliverer does
// after it (pure, clock and randomness injected).
import { describe, expect, it } from 'vitest';
import { classifySlackError, SlackCallError, type SlackFailure } from '../../src/outbox/errors.ts';
import { afterFailure, backoffMs, type RetryPolicy } from '../../src/outbox/policy.ts';

const platform = (error: string) =>
  new SlackCallError('slack_webapi_platform_error', error, { data: { ok: false, error } });
const network = (code: string) =>
  new SlackCallError('slack_webapi_request_error', code, {
    original: Object.assign(new Error(code), { code }),
  });
// @slack/web-api's own error shapes (Bolt's app.client), not our class.
const webClient = (fields: Record<string, unknown>) =>
  Object.assign(new Error('web-api error'), fields);

describe('classifySlackError', () => {
  it.each<[string, unknown, Partial<SlackFailure>]>([
    // 429 with Retry-After: wait exactly that long
    [
      '429',
      new SlackCallError('slack_webapi_rate_limited_error', 'x', { retryAfter: 30 }),
      { kind: 'rate_limited', retryAfterMs: 30_000 },
    ],
    // Bolt's WebClient with rejectRateLimitedCalls reads the same
    [
      'web-api 429',
      webClient({ code: 'slack_webapi_rate_limited_error', retryAfter: 5 }),
      { kind: 'rate_limited', retryAfterMs: 5000 },
    ],
    // 429 without Retry-After (or Slack's `ratelimited`): not said, so not "now"
    [
      '429 without Retry-After',
      new SlackCallError('slack_webapi_rate_limited_error', 'x'),
      { kind: 'rate_limited', retryAfterMs: undefined },
    ],
    ['ratelimited', platform('ratelimited'), { kind: 'rate_limited', retryAfterMs: undefined }],
    // a 5xx may have been processed: look before posting again
    [
      'HTTP 503',
      new SlackCallError('slack_webapi_http_error', 'x', { statusCode: 503 }),
      { kind: 'retryable', maybeSent: true, limited: false },
    ],
    // Slack says internal_error: maybe posted
    ['internal_error', platform('internal_error'), { kind: 'retryable', maybeSent: true }],
    // a connection reset after sending: maybe posted
    ['ECONNRESET', network('ECONNRESET'), { kind: 'retryable', maybeSent: true }],
    // a timeout: maybe posted
    [
      'timeout',
      new SlackCallError('slack_webapi_request_error', 'x', {
        original: new DOMException('timed out', 'TimeoutError'),
      }),
      { kind: 'retryable', maybeSent: true, unanswered: true },
    ],
    // refused before anything was sent: certainly not posted
    ['ECONNREFUSED', network('ECONNREFUSED'), { kind: 'retryable', maybeSent: false }],
    // this message can never be delivered
    ['channel_not_found', platform('channel_not_found'), { kind: 'terminal' }],
    ['invalid_blocks', platform('invalid_blocks'), { kind: 'terminal' }],
    // a bad token holds up every message: retried without limit, never dropped
    [
      'invalid_auth',
      platform('invalid_auth'),
      { kind: 'retryable', maybeSent: false, limited: false },
    ],
    ['missing_scope', platform('missing_scope'), { kind: 'retryable', limited: false }],
    // an error we do not know: retried up to the limit
    ['unknown', platform('something_new'), { kind: 'retryable', maybeSent: false, limited: true }],
    // anything else thrown: assume it may have been posted
    ['plain Error', new Error('boom'), { kind: 'retryable', maybeSent: true }],
  ])('%s', (_name, err, expected) => {
    expect(classifySlackError(err)).toMatchObject(expected);
  });
});

describe('afterFailure', () => {
  const now = new Date('2026-11-23T08:00:00Z');
  const policy: RetryPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 4, settleMs: 5000 };
  const middle = () => 0.5; // no jitter
  const at = (ms: number) => new Date(now.getTime() + ms);

  it.each<[string, SlackFailure, number, object]>([
    // 429: exactly Retry-After, and the attempt does not count
    [
      '429 waits Retry-After',
      { kind: 'rate_limited', retryAfterMs: 30_000, detail: '' },
      3,
      { action: 'retry', at: at(30_000), countAttempt: false, maybeSent: false },
    ],
    // 429 without Retry-After: back off like a 5xx (never at once), and the attempt counts
    [
      '429 without Retry-After backs off',
      { kind: 'rate_limited', retryAfterMs: undefined, detail: '' },
      3,
      { action: 'retry', at: at(4000), countAttempt: true, maybeSent: false },
    ],
    // exponential: 1 s, 2 s, 4 s…
    [
      'first failure: base',
      { kind: 'retryable', maybeSent: true, limited: false, detail: '' },
      1,
      { action: 'retry', at: at(1000), maybeSent: true, countAttempt: true },
    ],
    [
      'third failure: 4x base',
      { kind: 'retryable', maybeSent: false, limited: false, detail: '' },
      3,
      { action: 'retry', at: at(4000) },
    ],
    // no answer at all (timeout): give the post time to land before looking for it
    [
      'unanswered waits settleMs',
      { kind: 'retryable', maybeSent: true, limited: false, unanswered: true, detail: '' },
      1,
      { action: 'retry', at: at(5000), maybeSent: true },
    ],
    // … unless the backoff is longer already
    [
      'unanswered, long backoff',
      { kind: 'retryable', maybeSent: true, limited: false, unanswered: true, detail: '' },
      5,
      { action: 'retry', at: at(16_000) },
    ],
    // capped at maxMs, and never given up (Slack down for an hour)
    [
      'capped, never dead',
      { kind: 'retryable', maybeSent: true, limited: false, detail: '' },
      500,
      { action: 'retry', at: at(60_000) },
    ],
    // unknown errors: dead after maxAttempts
    [
      'unknown error below the limit',
      { kind: 'retryable', maybeSent: false, limited: true, detail: '' },
      3,
      { action: 'retry' },
    ],
    [
      'unknown error at the limit',
      { kind: 'retryable', maybeSent: false, limited: true, detail: 'x' },
      4,
      { action: 'dead' },
    ],
    // terminal: dead at once
    ['terminal', { kind: 'terminal', detail: 'channel_not_found' }, 1, { action: 'dead' }],
  ])('%s', (_name, failure, attempts, expected) => {
    expect(afterFailure(failure, attempts, now, policy, middle)).toMatchObject(expected);
  });

  it('jitter spreads the backoff by ±20 %', () => {
    const f: SlackFailure = { kind: 'retryable', maybeSent: false, limited: false, detail: '' };
    const low = afterFailure(f, 2, now, policy, () => 0);
    const high = afterFailure(f, 2, now, policy, () => 0.999_999);
    expect(low.action === 'retry' && low.at.getTime() - now.getTime()).toBe(1600);
    expect(high.action === 'retry' && high.at.getTime() - now.getTime()).toBe(2400);
  });

  it('backoffMs doubles and caps', () => {
    expect([1, 2, 3, 4, 10, 100].map((n) => backoffMs(n, policy))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000,
    ]);
  });
});
