// /healthz decisions: a store that answered recently is healthy without asking again; otherwise
// `SELECT 1` decides, within a time limit; a process shutting down is unhealthy whatever the store.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type HealthDb, healthzHandler, storeIsHealthy } from '../../src/slack/healthz.ts';

const NOW = 1_000_000;

function store(opts: { answer?: 'ok' | 'fail' | 'hang' | 'wrong'; lastSuccessAt?: number }) {
  let queries = 0;
  const db: HealthDb = {
    query: async <R>() => {
      queries++;
      if (opts.answer === 'fail') throw new Error('connection refused');
      if (opts.answer === 'hang') return new Promise<R[]>(() => {});
      return [{ ok: opts.answer === 'wrong' ? 0 : 1 }] as R[];
    },
    ...(opts.lastSuccessAt !== undefined ? { lastSuccessAt: () => opts.lastSuccessAt } : {}),
  };
  return { db, queries: () => queries };
}

describe('storeIsHealthy', () => {
  it.each([
    // answered 1 s ago: busy, not dead — no new query queued behind the work
    [{ answer: 'hang', lastSuccessAt: NOW - 1000 }, true, 0],
    // answered long ago: ask now
    [{ answer: 'ok', lastSuccessAt: NOW - 60_000 }, true, 1],
    [{ answer: 'hang', lastSuccessAt: NOW - 60_000 }, false, 1],
    // no record of success at all (a Postgres server): ask
    [{ answer: 'ok' }, true, 1],
    [{ answer: 'fail' }, false, 1],
    [{ answer: 'wrong' }, false, 1],
    [{ answer: 'hang' }, false, 1],
  ] as const)('%j → %s (%s queries)', async (opts, healthy, queries) => {
    const s = store(opts);
    expect(await storeIsHealthy(s.db, 50, NOW)).toBe(healthy);
    expect(s.queries()).toBe(queries);
  });
});

async function get(handler: ReturnType<typeof healthzHandler>, method = 'GET') {
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`, {
      method,
    });
    return { status: res.status, body: await res.text(), cache: res.headers.get('cache-control') };
  } finally {
    server.close();
  }
}

describe('healthzHandler', () => {
  it('200 ok, never cached', async () => {
    const res = await get(
      healthzHandler(
        async () => true,
        () => false,
      ),
    );
    expect(res).toEqual({ status: 200, body: '{"status":"ok"}', cache: 'no-store' });
  });

  it('503 when the store does not answer', async () => {
    const res = await get(
      healthzHandler(
        async () => false,
        () => false,
      ),
    );
    expect(res.status).toBe(503);
    expect(res.body).toBe('{"status":"store unreachable"}');
  });

  it('503 while shutting down, without asking the store', async () => {
    let asked = false;
    const check = async () => {
      asked = true;
      return true;
    };
    const res = await get(healthzHandler(check, () => true));
    expect(res.status).toBe(503);
    expect(res.body).toBe('{"status":"shutting down"}');
    expect(asked).toBe(false);
  });

  it('HEAD gets the status without a body', async () => {
    const res = await get(
      healthzHandler(
        async () => true,
        () => false,
      ),
      'HEAD',
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
  });
});
