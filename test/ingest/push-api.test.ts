import crypto from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createPushHandler,
  MAX_PUSH_BYTES,
  MAX_PUSH_FACTS,
  type PushLogger,
} from '../../src/ingest/push-api.ts';
import { createLogger } from '../../src/logger.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { clearFacts, snapshot } from './helpers.ts';

const TOKEN = 'test-ingest-token-0123456789abcdef';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

let db: Db;
const logs: Array<{ level: string; obj: object; msg?: string }> = [];
const logger: PushLogger = {
  info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
  warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
  error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
};

async function listen(token: string | undefined): Promise<{ server: Server; url: string }> {
  const server = createServer(createPushHandler({ db, token, logger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/api/v1/facts` };
}

let on: { server: Server; url: string };
let off: { server: Server; url: string };

beforeAll(async () => {
  db = await createTestDb();
  on = await listen(TOKEN);
  off = await listen(undefined);
});
afterAll(async () => {
  for (const s of [on.server, off.server]) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
  await db.close();
});
beforeEach(async () => {
  await clearFacts(db);
  logs.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** One request over real HTTP; `body` is sent as is (a string or Buffer) or as JSON. */
function send(
  url: string,
  opts: {
    method?: string;
    headers?: Record<string, string>;
    body?: unknown;
    /** Send the body in chunks without Content-Length (chunked transfer encoding). */
    chunked?: boolean;
  } = {},
): Promise<Reply> {
  const raw =
    opts.body === undefined
      ? undefined
      : typeof opts.body === 'string' || Buffer.isBuffer(opts.body)
        ? Buffer.from(opts.body)
        : Buffer.from(JSON.stringify(opts.body));
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
      ...opts.headers,
    };
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    if (raw && !opts.chunked) headers['content-length'] = String(raw.length);
    let responded = false;
    // A fresh connection each time: a connection the server cut after a 413 is never reused.
    const req = request(url, { method: opts.method ?? 'POST', headers, agent: false }, (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: text ? JSON.parse(text) : {},
        });
      });
      res.on('error', reject);
    });
    // The server may answer (413) and stop reading before the whole body is sent: a write
    // error then is expected, as long as the answer arrived.
    req.on('error', (err) => {
      if (!responded && !(err as NodeJS.ErrnoException).code?.match(/EPIPE|ECONNRESET/))
        reject(err);
    });
    req.on('close', () => {
      if (!responded) reject(new Error('connection closed without an answer'));
    });
    if (raw && opts.chunked) {
      for (let i = 0; i < raw.length; i += 256 * 1024) req.write(raw.subarray(i, i + 256 * 1024));
      req.end();
    } else {
      req.end(raw);
    }
  });
}

const fact = (over: Record<string, unknown> = {}) => ({
  date: '2026-11-20',
  measure: 'ad_spend',
  value: 1234.5,
  channel: 'google-ads',
  campaign: 'Brand',
  ...over,
});

describe('POST /api/v1/facts', () => {
  it('200: writes the facts in one go and answers with counts', async () => {
    const facts = [
      fact(),
      fact({ measure: 'revenue', value: 5000 }),
      fact({ date: '2026-11-18', measure: 'clicks', value: 300, campaign: undefined }),
      { date: '2026-11-21', measure: 'sessions', value: 80 },
    ];
    const reply = await send(on.url, { body: { facts } });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.body).toEqual({
      written: 4,
      measures: ['ad_spend', 'clicks', 'revenue', 'sessions'],
      from: '2026-11-18',
      to: '2026-11-21',
    });
    expect(await snapshot(db)).toEqual([
      {
        measure: 'ad_spend',
        day: '2026-11-20',
        channel: 'google-ads',
        campaign: 'Brand',
        value: 1234.5,
      },
      { measure: 'clicks', day: '2026-11-18', channel: 'google-ads', campaign: '', value: 300 },
      {
        measure: 'revenue',
        day: '2026-11-20',
        channel: 'google-ads',
        campaign: 'Brand',
        value: 5000,
      },
      { measure: 'sessions', day: '2026-11-21', channel: '', campaign: '', value: 80 },
    ]);
    const sources = await db.query<{ source: string }>('select distinct source from facts');
    expect(sources).toEqual([{ source: 'api' }]);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'push API: facts written' }),
    );
  });

  it('200: pushing again replaces values (upsert), never adds them up', async () => {
    await send(on.url, { body: { facts: [fact({ value: 100 })] } });
    const again = await send(on.url, { body: { facts: [fact({ value: 120 })] } });
    expect(again.status).toBe(200);
    expect((await snapshot(db)).map((f) => f.value)).toEqual([120]);
  });

  it('400: lists every invalid item with index and reason, and writes nothing', async () => {
    const reply = await send(on.url, {
      body: {
        facts: [
          fact(),
          fact({ measure: 'spend' }),
          fact({ date: '2026-02-30' }),
          fact({ value: '12' }),
          { date: '20261120', measure: 'orders' },
          fact({ chanel: 'x' }),
          fact(),
          'nope',
        ],
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_facts');
    const invalid = reply.body.invalid as Array<{ index: number; field?: string; reason: string }>;
    expect(invalid.map((i) => [i.index, i.field])).toEqual([
      [1, 'measure'],
      [2, 'date'],
      [3, 'value'],
      [4, 'date'],
      [4, 'value'],
      [5, undefined],
      [6, undefined],
      [7, undefined],
    ]);
    expect(invalid[0]?.reason).toMatch(/unknown measure "spend" \(did you mean "ad_spend"\?\)/);
    expect(invalid[1]?.reason).toBe('"2026-02-30": day 30 is not in month 2 (expected YYYY-MM-DD)');
    expect(invalid[3]?.reason).toBe(
      '"20261120" does not match the date format YYYY-MM-DD (expected YYYY-MM-DD)',
    );
    expect(invalid[5]?.reason).toMatch(/chanel/);
    expect(invalid[6]?.reason).toBe('repeats the date, measure, channel and campaign of item 0');
    expect(await snapshot(db)).toEqual([]);
  });

  it('400: bad JSON or a body without a facts array', async () => {
    const bad = await send(on.url, { body: '{"facts": [' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_json');
    const shape = await send(on.url, { body: { rows: [] } });
    expect(shape.status).toBe(400);
    expect(shape.body.error).toBe('invalid_body');
    const notArray = await send(on.url, { body: { facts: {} } });
    expect(notArray.status).toBe(400);
  });

  it('401: no token, a wrong token of any length, or another scheme', async () => {
    for (const authorization of [
      '',
      'Bearer wrong',
      `Bearer ${TOKEN.slice(0, -1)}x`,
      `Bearer ${TOKEN}${TOKEN}`,
      `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`,
      `Bearer ${TOKEN} extra`,
    ]) {
      const reply = await send(on.url, { headers: { authorization }, body: { facts: [fact()] } });
      expect(reply.status, authorization).toBe(401);
      expect(reply.headers['www-authenticate']).toBe('Bearer realm="kpibot"');
    }
    expect(await snapshot(db)).toEqual([]);
    // The log says who, never the token.
    expect(JSON.stringify(logs)).not.toContain(TOKEN.slice(0, 10));
  });

  it('compares tokens with timingSafeEqual on SHA-256 digests: same work whatever the length', async () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    const guesses = ['', 'Bearer x', `Bearer ${'y'.repeat(500)}`, `Bearer ${TOKEN}`];
    const statuses: number[] = [];
    for (const authorization of guesses) {
      statuses.push(
        (await send(on.url, { headers: { authorization }, body: { facts: [] } })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 200]);
    // One comparison per request, always two 32-byte buffers: no early exit on a length
    // mismatch (a missing header included), and timingSafeEqual never throws on lengths.
    expect(spy).toHaveBeenCalledTimes(guesses.length);
    for (const [a, b] of spy.mock.calls) {
      expect((a as Buffer).length).toBe(32);
      expect((b as Buffer).length).toBe(32);
    }
    expect(spy.mock.results.map((r) => r.value)).toEqual([false, false, false, true]);
  });

  it('404: the endpoint is off when no token is configured', async () => {
    const reply = await send(off.url, { body: { facts: [fact()] } });
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ error: 'not_found' });
    expect(await snapshot(db)).toEqual([]);
  });

  it('405: only POST', async () => {
    const reply = await send(on.url, { method: 'GET' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
  });

  it('413: a declared Content-Length over 5 MB, answered before the body is read', async () => {
    const big = Buffer.alloc(MAX_PUSH_BYTES + 1, 0x20);
    const reply = await send(on.url, { body: big });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toBe('payload_too_large');
  });

  it('413: a chunked body that crosses 5 MB (reading stops at the limit)', async () => {
    const facts = Array.from({ length: 9_000 }, (_, i) =>
      fact({ campaign: `c${i}-${'x'.repeat(600)}`.slice(0, 200) }),
    );
    const body = Buffer.from(JSON.stringify({ facts, padding: 'p'.repeat(MAX_PUSH_BYTES) }));
    expect(body.length).toBeGreaterThan(MAX_PUSH_BYTES);
    const reply = await send(on.url, { body, chunked: true });
    expect(reply.status).toBe(413);
    expect(await snapshot(db)).toEqual([]);
  });

  it(`413: more than ${MAX_PUSH_FACTS} facts`, async () => {
    const facts = Array.from({ length: MAX_PUSH_FACTS + 1 }, (_, i) => fact({ campaign: `c${i}` }));
    const reply = await send(on.url, { body: { facts } });
    expect(reply.status).toBe(413);
    expect(reply.body.error).toBe('too_many_facts');
    expect(await snapshot(db)).toEqual([]);
  });

  it('200: exactly 10,000 facts are fine', async () => {
    const facts = Array.from({ length: MAX_PUSH_FACTS }, (_, i) => fact({ campaign: `c${i}` }));
    const reply = await send(on.url, { body: { facts } });
    expect(reply.status).toBe(200);
    expect(reply.body.written).toBe(MAX_PUSH_FACTS);
  });

  it('415: anything but JSON', async () => {
    for (const contentType of ['text/plain', 'text/csv', '', 'application/json; charset=latin1']) {
      const reply = await send(on.url, {
        headers: { 'content-type': contentType },
        body: { facts: [fact()] },
      });
      expect(reply.status, contentType).toBe(415);
    }
    const vendor = await send(on.url, {
      headers: { 'content-type': 'application/vnd.kpibot+json; charset=UTF-8' },
      body: { facts: [fact()] },
    });
    expect(vendor.status).toBe(200);
  });

  it('accepts the app’s pino logger as its logger', () => {
    const lines: string[] = [];
    const pinoLogger: PushLogger = createLogger('info', { write: (l: string) => lines.push(l) });
    pinoLogger.warn({ remoteAddress: '127.0.0.1' }, 'push API: bad or missing token');
    expect(lines).toHaveLength(1);
  });
});
