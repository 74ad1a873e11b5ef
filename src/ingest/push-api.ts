// POST /api/v1/facts: facts pushed by a pipeline, authenticated by a bearer token.
//
//   Authorization: Bearer <KPIBOT_INGEST_TOKEN>
//   Content-Type: application/json
//   { "facts": [ { "date": "2026-11-20", "measure": "ad_spend", "value": 1234.5,
//                  "channel": "google-ads", "campaign": "Brand" }, … ] }
//
// Answers (JSON bodies):
//   200 { written, measures, from, to, channels? }   all facts upserted in one transaction;
//       channels: { relabelled: [{from, to}], unknown, notices } when a channel was stored under
//       its canonical name or is not in the vocabulary (kept as given, named once)
//   400 { error, invalid: [{ index, field?, reason }] }   every invalid item (nothing written)
//   401 missing or wrong token              404 no token configured: the endpoint is off
//   405 not POST                            413 body over 5 MB or more than 10,000 facts
//   415 not application/json                500 the store failed (details only in the log)
// A write that meets a deadlock or serialization failure is run again (a few times) first.
//
// The token is compared in constant time: both sides are hashed with SHA-256 first, so
// `timingSafeEqual` always compares 32 bytes and neither a length check nor an early exit can
// leak how much of a guess was right. The body is read only up to the limit: a Content-Length
// over it gets 413 at once, a longer chunked body gets 413 as soon as it crosses the limit
// (answered before the rest is read: early-answer.ts).
import crypto from 'node:crypto'; // the module object (not named imports), so tests can spy on it
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BUILT_IN_CHANNELS, type ChannelVocabulary } from '../kpi/channels.ts';
import type { FactInput } from '../kpi/types.ts';
import type { ImportMetrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import { upsertFacts } from '../store/facts.ts';
import { retryTransaction } from '../store/retry.ts';
import { ChannelLabels, type ChannelReport, newChannelNotice } from './channel-labels.ts';
import { parseDate } from './dates.ts';
import { answerEarly } from './early-answer.ts';
import { readLimited } from './limited-body.ts';
import { dimensionValueSchema, measureIdSchema } from './mapping.ts';

export const PUSH_API_PATH = '/api/v1/facts';
export const MAX_PUSH_BYTES = 5 * 1024 * 1024;
export const MAX_PUSH_FACTS = 10_000;
export interface PushLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PushHandlerDeps {
  db: Db;
  /** KPIBOT_INGEST_TOKEN; undefined turns the endpoint off (404). */
  token: string | undefined;
  logger: PushLogger;
  /** Counts pushes and facts written (GET /metrics). */
  metrics?: ImportMetrics;
  /** The channel vocabulary (default: the built-in one): channels are stored canonical. */
  channels?: ChannelVocabulary;
}

export const pushFactSchema = z.strictObject({
  date: z.string().superRefine((s, ctx) => {
    const r = parseDate(s, 'YYYY-MM-DD');
    if (!r.ok) ctx.addIssue({ code: 'custom', message: `${r.reason} (expected YYYY-MM-DD)` });
  }),
  measure: measureIdSchema,
  value: z.number(),
  channel: dimensionValueSchema.default(''),
  campaign: dimensionValueSchema.default(''),
});

const bodySchema = z.strictObject({ facts: z.array(z.unknown()) });

export interface InvalidItem {
  index: number;
  field?: string;
  reason: string;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();

/** The request handler for POST /api/v1/facts (the caller routes the path to it). */
export function createPushHandler(
  deps: PushHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = deps.token === undefined ? undefined : sha256(deps.token);
  return (req, res) => {
    handle(req, res, deps, expected).catch((err: unknown) => {
      deps.logger.error({ err }, 'push API: request failed');
      if (!res.headersSent) reply(res, 500, { error: 'internal_error' });
      else res.destroy();
    });
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PushHandlerDeps,
  expected: Buffer | undefined,
): Promise<void> {
  if (expected === undefined) return answerEarly(req, res, 404, { error: 'not_found' });

  const header = req.headers.authorization ?? '';
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  // Always one comparison of two 32-byte digests, token or not.
  const same = crypto.timingSafeEqual(sha256(match?.[1] ?? ''), expected);
  if (!match || !same) {
    deps.logger.warn({ remoteAddress: req.socket.remoteAddress }, 'push API: bad or missing token');
    res.setHeader('WWW-Authenticate', 'Bearer realm="kpibot"');
    return answerEarly(req, res, 401, {
      error: 'unauthorized',
      message: 'Authorization: Bearer <token> required',
    });
  }

  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    return answerEarly(req, res, 405, { error: 'method_not_allowed' });
  }
  if (!isJson(req.headers['content-type'])) {
    return answerEarly(req, res, 415, {
      error: 'unsupported_media_type',
      message: 'send Content-Type: application/json',
    });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_PUSH_BYTES) {
    return answerEarly(req, res, 413, tooLarge());
  }

  const body = await readLimited(req, MAX_PUSH_BYTES);
  if (body === 'too_large') return answerEarly(req, res, 413, tooLarge());

  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (err) {
    return reply(res, 400, { error: 'invalid_json', message: (err as Error).message });
  }
  const shape = bodySchema.safeParse(json);
  if (!shape.success) {
    return reply(res, 400, {
      error: 'invalid_body',
      message: 'expected {"facts": [{"date", "measure", "value", "channel"?, "campaign"?}, …]}',
      invalid: shape.error.issues.map((i) => ({
        field: i.path.join('.') || undefined,
        reason: i.message,
      })),
    });
  }
  const items = shape.data.facts;
  if (items.length > MAX_PUSH_FACTS) {
    return reply(res, 413, {
      error: 'too_many_facts',
      message: `at most ${MAX_PUSH_FACTS.toLocaleString('en-US')} facts per request (got ${items.length.toLocaleString('en-US')})`,
    });
  }

  const { facts, invalid, channels } = validateFacts(items, deps.channels);
  if (invalid.length > 0) {
    deps.metrics?.imported('api', 'rejected', 0);
    return reply(res, 400, { error: 'invalid_facts', invalid });
  }

  // Concurrent pushes of the same measures and years wait for each other (fact-locks.ts); a
  // deadlock left (with an import) costs this request a new attempt, never a 500.
  const { written } = await retryTransaction(
    deps.db,
    (tx) => upsertFacts(tx, facts, { source: 'api' }),
    {
      onRetry: (err, attempt) =>
        deps.logger.warn(
          { code: (err as { code?: string }).code, attempt },
          'push API: write conflict, trying again',
        ),
    },
  );
  deps.metrics?.imported('api', 'ok', written);
  const summary = { ...summarise(facts, written), ...channelSummary(channels) };
  deps.logger.info(summary, 'push API: facts written');
  reply(res, 200, summary);
}

/**
 * Every item checked; the valid ones as facts (channels under their canonical names), the rest
 * with index and reason; and what happened to the channels.
 */
export function validateFacts(
  items: readonly unknown[],
  vocabulary: ChannelVocabulary = BUILT_IN_CHANNELS,
): {
  facts: FactInput[];
  invalid: InvalidItem[];
  channels: ChannelReport;
} {
  const labels = new ChannelLabels(vocabulary);
  const facts: FactInput[] = [];
  const invalid: InvalidItem[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const r = pushFactSchema.safeParse(item);
    if (!r.success) {
      for (const issue of r.error.issues) {
        const field = issue.path.map(String).join('.');
        invalid.push(
          field ? { index, field, reason: issue.message } : { index, reason: issue.message },
        );
      }
      return;
    }
    const f = r.data;
    const channel = f.channel === '' ? '' : labels.label(f.channel);
    const key = `${f.measure}\u0000${f.date}\u0000${channel}\u0000${f.campaign}`;
    const first = seen.get(key);
    if (first !== undefined) {
      invalid.push({
        index,
        reason: `repeats the date, measure, channel and campaign of item ${first}`,
      });
      return;
    }
    seen.set(key, index);
    facts.push({
      day: f.date,
      measure: f.measure,
      value: f.value,
      channel,
      campaign: f.campaign,
    });
  });
  return { facts, invalid, channels: labels.report };
}

/**
 * The answer's `channels` (only when there is something to say): names stored under another
 * (`facebook` → `meta`) and a notice per channel the vocabulary does not know.
 */
function channelSummary(c: ChannelReport) {
  if (c.relabelled.length === 0 && c.unknown.length === 0) return {};
  return {
    channels: {
      relabelled: c.relabelled,
      unknown: c.unknown,
      notices: c.unknown.map(newChannelNotice),
      ...(c.more > 0 ? { more: c.more } : {}),
    },
  };
}

function summarise(facts: readonly FactInput[], written: number) {
  let from: string | null = null;
  let to: string | null = null;
  const measures = new Set<string>();
  for (const f of facts) {
    measures.add(f.measure);
    if (from === null || f.day < from) from = f.day;
    if (to === null || f.day > to) to = f.day;
  }
  return { written, measures: [...measures].sort(), from, to };
}

const tooLarge = () => ({
  error: 'payload_too_large',
  message: `the body must be at most ${MAX_PUSH_BYTES / 1024 / 1024} MB; send at most ${MAX_PUSH_FACTS.toLocaleString('en-US')} facts per request`,
});

/** `application/json` or `application/…+json`, in UTF-8 if a charset is given. */
function isJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type ?? '')) {
    return false;
  }
  const charset = params.find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}
