// Two replicas on one PostgreSQL server, pushed to at once: 20 concurrent POST /api/v1/facts of
// the same 2,000 facts (half of them in reverse order, each push with its own values), and CSV
// imports overlapping each other and a push. Every write must succeed (no deadlock, no
// serialization failure reaching a client), each transaction must land whole, and daily_totals
// must stay equal to a GROUP BY over facts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/ingest/import.ts';
import { createPushHandler, PUSH_API_PATH } from '../../src/ingest/push-api.ts';
import { createLogger } from '../../src/logger.ts';
import { type AppHttpServer, createAppHttpServer } from '../../src/slack/http-server.ts';
import type { Db } from '../../src/store/db.ts';
import { createPostgresReplicas, serverUrlOrWarn } from '../helpers/test-db.ts';
import { clearFacts } from './helpers.ts';

const TOKEN = 'concurrency-ingest-token-0123456789';
const url = serverUrlOrWarn('concurrent push/import tests');

interface PushFact {
  date: string;
  measure: string;
  value: number;
  channel: string;
  campaign: string;
}

/** 2 measures × 50 days × 2 channels × 10 campaigns = 2,000 facts, valued for push `i`. */
function facts(i: number): PushFact[] {
  const out: PushFact[] = [];
  for (const measure of ['ad_spend', 'revenue']) {
    for (let d = 0; d < 50; d++) {
      const date = new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10);
      for (const channel of ['google-ads', 'meta']) {
        for (let c = 0; c < 10; c++) {
          out.push({ date, measure, value: 1000 * i + d + c, channel, campaign: `c${c}` });
        }
      }
    }
  }
  return out;
}

const sumOfPush = (i: number) => facts(i).reduce((s, f) => s + f.value, 0);

interface TotalRow {
  measure: string;
  day: string;
  channel: string;
  total: number;
  n: number;
}

/** daily_totals and the same GROUP BY over facts, both in key order. */
async function totalsAndGroupBy(db: Db) {
  const totals = await db.query<TotalRow>(
    'select measure, day, channel, total, n from daily_totals order by 1, 2, 3',
  );
  const groupBy = await db.query<TotalRow>(
    `select measure, day, channel, sum(value) as total, count(*)::int as n
     from facts group by 1, 2, 3 order by 1, 2, 3`,
  );
  return { totals, groupBy };
}

describe.skipIf(!url)('two replicas on one server (TEST_DATABASE_URL)', () => {
  let replicas: { dbs: Db[]; close(): Promise<void> };
  let servers: AppHttpServer[];
  let bases: string[];
  let tmp: string;
  const logger = createLogger('silent');

  beforeAll(async () => {
    replicas = await createPostgresReplicas(url ?? '', 2);
    servers = replicas.dbs.map((db) =>
      createAppHttpServer({
        logger,
        routes: [
          {
            method: 'POST',
            path: PUSH_API_PATH,
            handler: createPushHandler({ db, token: TOKEN, logger }),
          },
        ],
      }),
    );
    bases = [];
    for (const s of servers) bases.push(`http://127.0.0.1:${await s.listen(0, '127.0.0.1')}`);
    tmp = mkdtempSync(join(tmpdir(), 'kpibot-concurrency-'));
  });
  afterAll(async () => {
    await Promise.all((servers ?? []).map((s) => s.close(0)));
    await replicas?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await clearFacts(replicas.dbs[0] as Db);
  });

  const push = (replica: number, body: PushFact[]) =>
    fetch(`${bases[replica]}${PUSH_API_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ facts: body }),
    }).then(async (res) => ({ status: res.status, body: await res.text() }));

  it('20 concurrent overlapping pushes all succeed; each lands whole; daily_totals equals facts', async () => {
    const db = replicas.dbs[0] as Db;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const body = facts(i);
        return push(i % 2, i % 4 < 2 ? body : body.reverse());
      }),
    );
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);

    // The last push to commit wrote every fact: the sum is one push's sum, not a mixture.
    const [row] = await db.query<{ n: number; sum: number }>(
      'select count(*)::int as n, sum(value) as sum from facts',
    );
    expect(row?.n).toBe(2000);
    const sums = Array.from({ length: 20 }, (_, i) => sumOfPush(i));
    expect(sums).toContain(row?.sum);
    const { totals, groupBy } = await totalsAndGroupBy(db);
    expect(totals).toHaveLength(2 * 50 * 2);
    expect(totals).toEqual(groupBy);
  });

  it('20 concurrent pushes of other campaigns on the same days and channels lose no total', async () => {
    // No two pushes share a fact, so no row lock orders them: only the (measure, year) locks keep
    // each push's daily_totals refresh from summing without the others' facts.
    const db = replicas.dbs[0] as Db;
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        push(
          i % 2,
          facts(1).map((f) => ({ ...f, campaign: `${f.campaign}-p${i}` })),
        ),
      ),
    );
    expect(replies.filter((r) => r.status !== 200)).toEqual([]);
    const { totals, groupBy } = await totalsAndGroupBy(db);
    expect(totals).toEqual(groupBy);
    expect(totals.reduce((s, r) => s + r.n, 0)).toBe(20 * 2000);
  });

  it('overlapping CSV imports and a push during them all succeed; daily_totals equals facts', async () => {
    const db = replicas.dbs[0] as Db;
    const files = Array.from({ length: 4 }, (_, i) => {
      const rows = facts(100 + i);
      if (i % 2 === 1) rows.reverse();
      const path = join(tmp, `import-${i}.csv`);
      writeFileSync(
        path,
        `date,measure,value,channel,campaign\n${rows
          .map((f) => `${f.date},${f.measure},${f.value},${f.channel},${f.campaign}`)
          .join('\n')}\n`,
      );
      return path;
    });
    const imports = files.map((path, i) =>
      importCsv(replicas.dbs[i % 2] as Db, { path }, { batchSize: 300 }),
    );
    const pushes = [push(0, facts(200)), push(1, facts(201).reverse())];
    const [reports, pushed] = await Promise.all([Promise.all(imports), Promise.all(pushes)]);
    expect(reports.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(pushed.map((r) => r.status)).toEqual([200, 200]);

    const { totals, groupBy } = await totalsAndGroupBy(db);
    expect(totals).toHaveLength(2 * 50 * 2);
    expect(totals).toEqual(groupBy);
  });
});
