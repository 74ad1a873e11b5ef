// Slack Web API failures, in one place: the error our own client throws (shaped like
// @slack/web-api's, so Bolt's `app.client` errors read the same), and `classifySlackError`,
// which turns any thrown value into what the deliverer needs to decide: wait for Retry-After,
// retry with backoff (and whether the message may already have been posted), or give up.

/** Codes as @slack/web-api uses them, so errors from either client classify the same way. */
export type SlackErrorCode =
  | 'slack_webapi_platform_error'
  | 'slack_webapi_rate_limited_error'
  | 'slack_webapi_http_error'
  | 'slack_webapi_request_error';

/** A failed Web API call from `createSlackWebApi` (src/outbox/slack-api.ts). */
export class SlackCallError extends Error {
  override name = 'SlackCallError';
  constructor(
    readonly code: SlackErrorCode,
    message: string,
    readonly details: {
      /** platform error: Slack's answer (`{ ok: false, error: 'channel_not_found' }`). */
      data?: { ok: false; error: string; [key: string]: unknown };
      /** rate limited: seconds from the Retry-After header. */
      retryAfter?: number;
      /** http error: the status code. */
      statusCode?: number;
      /** request error: the underlying error (network, timeout). */
      original?: unknown;
    } = {},
  ) {
    super(message, details.original ? { cause: details.original } : undefined);
  }
  get data() {
    return this.details.data;
  }
  get retryAfter() {
    return this.details.retryAfter;
  }
  get statusCode() {
    return this.details.statusCode;
  }
  get original() {
    return this.details.original;
  }
}

export type SlackFailure =
  /**
   * 429: Slack refused the call; nothing was posted. Wait `retryAfterMs`, then try again; when
   * Slack did not say how long (no Retry-After), back off as after a 5xx.
   */
  | { kind: 'rate_limited'; retryAfterMs: number | undefined; detail: string }
  /**
   * Worth retrying with backoff. `maybeSent`: the call may have reached Slack and been acted on
   * (5xx, timeout, connection reset), so the next attempt must first look for the post.
   * `limited`: an error we do not know; retried, but only up to the attempt limit.
   * `unanswered`: no answer came at all (timeout, connection dropped): Slack may still be
   * working on the request, so the look-up for it waits until it has had time to land.
   */
  | {
      kind: 'retryable';
      maybeSent: boolean;
      limited: boolean;
      unanswered?: boolean;
      detail: string;
    }
  /** This message can never be delivered as it is (unknown channel, invalid blocks…). */
  | { kind: 'terminal'; detail: string };

/** Slack errors about this message or its channel: retrying cannot help. */
const TERMINAL = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'cannot_reply_to_message',
  'too_many_attachments',
  'duplicate_channel_not_found',
]);

/** Slack hiccups: the request may have been acted on before it failed. */
const SERVER_SIDE = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * Problems with the app's token or scopes. They hold up every message, not this one: retried
 * (with the longest backoff) until someone fixes the configuration, never dropped.
 */
const CONFIGURATION = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
  'ekm_access_denied',
  'team_access_not_granted',
]);

/** Network errors that happen before a request is sent: it cannot have been posted. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function isConfigurationError(error: string): boolean {
  return CONFIGURATION.has(error);
}

function networkCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('slack_')) return code;
    e = (e as { cause?: unknown; original?: unknown }).original ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A 429 without Retry-After (or Slack's `ratelimited` answer): back off, do not retry at once. */
const UNSAID_RATE_LIMIT: SlackFailure = {
  kind: 'rate_limited',
  retryAfterMs: undefined,
  detail: 'rate limited (no Retry-After)',
};

/** What a thrown Web API error means for delivery. Unknown errors count as "maybe sent". */
export function classifySlackError(err: unknown): SlackFailure {
  const e = err as {
    code?: unknown;
    data?: { error?: unknown };
    retryAfter?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  switch (e?.code) {
    case 'slack_webapi_rate_limited_error': {
      if (typeof e.retryAfter !== 'number' || !(e.retryAfter >= 0)) return UNSAID_RATE_LIMIT;
      return {
        kind: 'rate_limited',
        retryAfterMs: e.retryAfter * 1000,
        detail: `rate limited (${e.retryAfter} s)`,
      };
    }
    case 'slack_webapi_platform_error': {
      const error = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      if (error === 'ratelimited') return { ...UNSAID_RATE_LIMIT, detail: error };
      if (TERMINAL.has(error)) return { kind: 'terminal', detail: error };
      if (SERVER_SIDE.has(error))
        return { kind: 'retryable', maybeSent: true, limited: false, detail: error };
      if (CONFIGURATION.has(error)) {
        return { kind: 'retryable', maybeSent: false, limited: false, detail: error };
      }
      return { kind: 'retryable', maybeSent: false, limited: true, detail: error };
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      if (status === 429) return { ...UNSAID_RATE_LIMIT, detail: 'HTTP 429' };
      // A 5xx from a proxy or from Slack: the request may have been processed.
      if (status >= 500 || status === 0) {
        return { kind: 'retryable', maybeSent: true, limited: false, detail: `HTTP ${status}` };
      }
      return { kind: 'retryable', maybeSent: false, limited: true, detail: `HTTP ${status}` };
    }
    case 'slack_webapi_request_error': {
      const code = networkCode(err);
      const maybeSent = !(code && NOT_SENT_CODES.has(code));
      return {
        kind: 'retryable',
        maybeSent,
        limited: false,
        unanswered: maybeSent,
        detail: `request failed: ${code ?? message}`,
      };
    }
    default: {
      const code = networkCode(err);
      const maybeSent = !(code && NOT_SENT_CODES.has(code));
      return {
        kind: 'retryable',
        maybeSent,
        limited: false,
        unanswered: maybeSent,
        detail: message,
      };
    }
  }
}
