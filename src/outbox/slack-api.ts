// The one thing the deliverer needs from Slack: `apiCall(method, args)`, the shape of
// @slack/web-api's `WebClient.apiCall` (Bolt's `app.client`). `createSlackWebApi` is a small
// fetch-based implementation of it for the outbox: no retries of its own (the deliverer retries
// durably and in order), 429 surfaced with its Retry-After (if it has one), a timeout per call, and the Web API
// base URL configurable (SLACK_API_URL: GovSlack, or the Slack stand-in in tests).
import { SlackCallError } from './errors.ts';
import { retryAfterMs } from './retry-after.ts';

export interface SlackWebApi {
  /** Resolves with Slack's answer when `ok` is true; rejects (see errors.ts) otherwise. */
  apiCall(method: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export interface SlackWebApiOptions {
  /** The bot token (`xoxb-…`). */
  token: string;
  /** Base URL with or without the trailing slash; default https://slack.com/api/. */
  apiUrl?: string;
  /** Per call; a timed-out post may have gone through (the deliverer then looks for it). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/**
 * The Web API base URL as both clients want it, with the trailing slash (`https://slack.com/api/`);
 * Bolt's WebClient and this one are given the same value (slack/app.ts).
 */
export function normaliseApiUrl(url: string | undefined): string {
  return (url || DEFAULT_SLACK_API_URL).replace(/\/?$/, '/');
}

function formBody(args: Record<string, unknown>): URLSearchParams {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    form.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form;
}

export function createSlackWebApi(opts: SlackWebApiOptions): SlackWebApi {
  const base = normaliseApiUrl(opts.apiUrl);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const doFetch = opts.fetch ?? fetch;
  return {
    async apiCall(method, args = {}) {
      let res: Response;
      let text: string;
      try {
        res = await doFetch(`${base}${method}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${opts.token}`,
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          },
          // Form encoding (nested values as JSON) works for every method, reads included.
          body: formBody(args),
          signal: AbortSignal.timeout(timeoutMs),
        });
        text = await res.text();
      } catch (err) {
        throw new SlackCallError('slack_webapi_request_error', `${method}: request failed`, {
          original: err,
        });
      }
      if (res.status === 429) {
        // No Retry-After: left unsaid (not 0 = "now"), so the deliverer backs off on its own.
        const waitMs = retryAfterMs(res.headers.get('retry-after'));
        throw new SlackCallError(
          'slack_webapi_rate_limited_error',
          `${method}: rate limited`,
          waitMs === undefined ? {} : { retryAfter: waitMs / 1000 },
        );
      }
      if (res.status !== 200) {
        throw new SlackCallError('slack_webapi_http_error', `${method}: HTTP ${res.status}`, {
          statusCode: res.status,
        });
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch (err) {
        throw new SlackCallError('slack_webapi_http_error', `${method}: answer is not JSON`, {
          statusCode: res.status,
          original: err,
        });
      }
      if (body.ok !== true) {
        const error = typeof body.error === 'string' ? body.error : 'unknown_error';
        throw new SlackCallError('slack_webapi_platform_error', `${method}: ${error}`, {
          data: { ...body, ok: false, error },
        });
      }
      return body;
    },
  };
}
