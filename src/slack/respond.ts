// Posting to a response_url (the slash command's or the button click's): the answer someone is
// waiting for, so a 429 waits for its Retry-After and a 5xx or a dropped connection is retried a
// few times, instead of losing the answer to one hiccup. Bolt's own `respond` tries once.
// The URL is a capability (anyone holding it may post into the conversation): it never goes into
// an error message or a log line.

import { ErrorCode, KpibotError } from '../errors.ts';
import { backoffMs } from '../outbox/policy.ts';
import { retryAfterMs } from '../outbox/retry-after.ts';

export { retryAfterMs };

export interface ResponseUrlOptions {
  /** Attempts in all, the first included. Slack accepts up to five posts to one response_url. */
  attempts?: number;
  /** Longest Retry-After honoured; a longer one gives up at once (the person has moved on). */
  maxRetryAfterMs?: number;
  /** First backoff after a 5xx or a network error; doubled on each further attempt. */
  backoffMs?: number;
  /** Per attempt. */
  timeoutMs?: number;
}

const DEFAULTS: Required<ResponseUrlOptions> = {
  attempts: 4,
  maxRetryAfterMs: 30_000,
  backoffMs: 250,
  timeoutMs: 10_000,
};

/** A post to a response_url that did not get through after every allowed attempt. */
export class ResponseUrlError extends KpibotError {
  constructor(
    message: string,
    /** The last HTTP status, when there was a response. */
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(ErrorCode.ResponseUrl, message, options);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What to do after one attempt: done, wait and try again, or give up. */
export type AttemptOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; waitMs: number; reason: string }
  | { kind: 'give-up'; reason: string };

/**
 * The decision after an attempt, pure: `status` is the HTTP status (undefined: no response at
 * all), `attempt` counts from 1.
 */
export function afterAttempt(
  status: number | undefined,
  retryAfter: number | undefined,
  attempt: number,
  opts: Required<ResponseUrlOptions>,
): AttemptOutcome {
  if (status !== undefined && status >= 200 && status < 300) return { kind: 'done' };
  const last = attempt >= opts.attempts;
  if (status === 429) {
    const wait =
      retryAfter ?? backoffMs(attempt, { baseMs: opts.backoffMs, maxMs: opts.maxRetryAfterMs });
    if (last) return { kind: 'give-up', reason: 'rate limited (429) on every attempt' };
    if (wait > opts.maxRetryAfterMs)
      return { kind: 'give-up', reason: `rate limited (429) for ${Math.ceil(wait / 1000)} s` };
    return { kind: 'retry', waitMs: wait, reason: '429' };
  }
  const transient = status === undefined || status >= 500;
  if (!transient) return { kind: 'give-up', reason: `HTTP ${status}` };
  if (last)
    return {
      kind: 'give-up',
      reason: status === undefined ? 'no response' : `HTTP ${status} on every attempt`,
    };
  return {
    kind: 'retry',
    waitMs: backoffMs(attempt, { baseMs: opts.backoffMs, maxMs: opts.maxRetryAfterMs }),
    reason: status === undefined ? 'no response' : String(status),
  };
}

/** Posts `message` to `url` as JSON, retrying as above. Throws ResponseUrlError (no URL in it). */
export async function postToResponseUrl(
  url: string,
  message: object,
  options: ResponseUrlOptions = {},
): Promise<void> {
  const opts = { ...DEFAULTS, ...options };
  const body = JSON.stringify(message);
  let lastStatus: number | undefined;
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let retryAfter: number | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      status = res.status;
      retryAfter = retryAfterMs(res.headers.get('retry-after'));
      // Read the body so the connection can be reused.
      await res.arrayBuffer().catch(() => undefined);
    } catch (err) {
      lastError = err;
    }
    lastStatus = status ?? lastStatus;
    const next = afterAttempt(status, retryAfter, attempt, opts);
    if (next.kind === 'done') return;
    if (next.kind === 'give-up') {
      throw new ResponseUrlError(
        `posting to the response_url failed: ${next.reason}`,
        lastStatus,
        attempt,
        lastError === undefined ? undefined : { cause: scrubbedCause(lastError) },
      );
    }
    await sleep(next.waitMs);
  }
}

/** A network error's name, code and message, without the URL some runtimes put in it. */
function scrubbedCause(err: unknown): Record<string, unknown> {
  const e = err as {
    name?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: { code?: unknown };
  };
  return {
    name: e.name,
    code: e.code ?? e.cause?.code,
    message: String(e.message ?? err).replace(/https?:\/\/\S+/g, '<url>'),
  };
}

/** A function that posts to one response_url: what the listeners use instead of Bolt's `respond`. */
export type Responder = (message: object) => Promise<void>;

export function responder(url: string, options?: ResponseUrlOptions): Responder {
  return (message) => postToResponseUrl(url, message, options);
}
