// In front of Bolt's /slack/events: a signed Slack request runs once, whichever replica it
// reaches and however often it is sent.
//   - The signature and its timestamp are checked here, the timestamp both ways: more than five
//     minutes old or ahead is refused (Bolt checks only the past).
//   - Each request is claimed in the store (slack-requests.ts) under its signature, or an
//     Events API event under its event_id (Slack's retries of an event are signed anew). A
//     request seen before is refused (a replay), unless Slack says it is a retry
//     (X-Slack-Retry-Num): that is acknowledged without running it again.
//   - A request that was not answered 2xx is forgotten again, so Slack's retry of it does run.
// The body is read here (within the body limit) and handed to Bolt as its `rawBody`, which
// Bolt then parses and verifies as usual.
import type {
  IncomingHttpHeaders,
  IncomingMessage,
  RequestListener,
  ServerResponse,
} from 'node:http';
import { verifySlackRequest } from '@slack/bolt';
import { z } from 'zod';
import { answerEarly } from '../ingest/early-answer.ts';
import { readLimited } from '../ingest/limited-body.ts';
import type { Logger } from '../logger.ts';
import type { SlackRequestLedger } from '../store/slack-requests.ts';

/** How far a request's timestamp may be from our clock, either way (Slack's own rule: 5 min). */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

const signedHeaders = z.object({
  'x-slack-signature': z.string().regex(/^v0=[0-9a-f]{64}$/),
  'x-slack-request-timestamp': z.string().regex(/^\d{1,12}$/),
});

const eventCallback = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().min(1).max(200),
});

export type Verdict = { ok: true; signature: string } | { ok: false; reason: string };

/** Whether `body` with these headers was signed with `signingSecret` within the clock window. */
export function checkSlackRequest(
  signingSecret: string,
  headers: IncomingHttpHeaders,
  body: string,
  nowMs: number,
): Verdict {
  const h = signedHeaders.safeParse(headers);
  if (!h.success) return { ok: false, reason: 'missing or malformed signature headers' };
  const timestamp = Number(h.data['x-slack-request-timestamp']);
  if (Math.abs(Math.floor(nowMs / 1000) - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    return { ok: false, reason: 'timestamp more than 5 minutes from now' };
  }
  try {
    verifySlackRequest({
      signingSecret,
      body,
      headers: {
        'x-slack-signature': h.data['x-slack-signature'],
        'x-slack-request-timestamp': timestamp,
      },
      nowMilliseconds: nowMs,
    });
  } catch {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true, signature: h.data['x-slack-signature'] };
}

/** What a request is remembered by: an event's id (kept across retries), else its signature. */
export function requestKey(
  contentType: string | undefined,
  body: string,
  signature: string,
): string {
  if (contentType?.startsWith('application/json')) {
    try {
      const event = eventCallback.safeParse(JSON.parse(body));
      if (event.success) return `event:${event.data.event_id}`;
    } catch {
      // not JSON: Bolt answers it 400; remembered by its signature meanwhile
    }
  }
  return `sig:${signature}`;
}

/** Slack's unsigned connectivity check (`ssl_check=1`), which Bolt answers itself. */
function isSslCheck(contentType: string | undefined, body: string): boolean {
  return (
    contentType === 'application/x-www-form-urlencoded' &&
    new URLSearchParams(body).get('ssl_check') === '1'
  );
}

export interface SlackGuardOptions {
  signingSecret: string;
  ledger: SlackRequestLedger;
  logger: Logger;
  bodyLimit: number;
  /** Bolt's receiver: gets the request with its body read (`rawBody`). */
  next: RequestListener;
  /** Milliseconds since the epoch; tests may move the clock. */
  now?: () => number;
}

export function guardSlackRequests(opts: SlackGuardOptions): RequestListener {
  return (req, res) => {
    guard(req, res, opts).catch((err: unknown) => {
      opts.logger.error({ err }, 'slack: could not check a request');
      if (!res.headersSent) res.writeHead(503).end();
    });
  };
}

async function guard(req: IncomingMessage, res: ServerResponse, opts: SlackGuardOptions) {
  const { logger, ledger } = opts;
  const body = await readLimited(req, opts.bodyLimit);
  if (body === 'too_large') {
    answerEarly(req, res, 413, { error: `request body larger than ${opts.bodyLimit} bytes` });
    return;
  }
  const text = body.toString('utf8');
  const contentType = req.headers['content-type'];
  const pass = () => opts.next(Object.assign(req, { rawBody: body }), res);
  if (isSslCheck(contentType, text)) return pass();

  const verdict = checkSlackRequest(
    opts.signingSecret,
    req.headers,
    text,
    (opts.now ?? Date.now)(),
  );
  if (!verdict.ok) {
    logger.warn({ reason: verdict.reason }, 'slack: request refused');
    res.writeHead(401).end();
    return;
  }
  const key = requestKey(contentType, text, verdict.signature);
  const retry = req.headers['x-slack-retry-num'] !== undefined;
  if ((await ledger.claim(key, { retry })) === 'seen') {
    if (retry) {
      logger.info(
        { retry: req.headers['x-slack-retry-num'] },
        'slack: retry of a request already handled',
      );
      res.writeHead(200).end();
    } else {
      logger.warn({ reason: 'replayed' }, 'slack: request refused');
      res.writeHead(401).end();
    }
    return;
  }
  res.once('close', () => {
    const handled = res.writableFinished && res.statusCode >= 200 && res.statusCode < 300;
    ledger.settle(key, handled).catch((err: unknown) => {
      logger.error({ err }, 'slack: could not record a request as settled');
    });
  });
  pass();
}
