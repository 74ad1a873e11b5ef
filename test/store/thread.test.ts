// The embedded store on its own thread: the same Db behaviour as on the main thread
// (queries, transactions that nest and roll back, Postgres error codes), while the main
// thread's event loop stays free during a long query — the reason it exists.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { countFacts, upsertFacts } from '../../src/store/facts.ts';
import type { StoreThreadDb } from '../../src/store/thread.ts';
import { openStoreThread } from '../../src/store/thread.ts';
import { createPgliteFolder } from '../helpers/test-db.ts';

let dir: string;
let db: StoreThreadDb;
const logs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpibot-store-thread-'));
  // From the migrated template: a store's first initdb is what `npm start` tests (start.test.ts).
  await createPgliteFolder(join(dir, 'data'));
  db = await openStoreThread({
    dataDir: join(dir, 'data'),
    logger: { info: (_obj, msg) => void logs.push(msg) },
  });
});

afterAll(async () => {
  await db?.close().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

const fact = (day: string, value: number) => ({
  day,
  measure: 'ad_spend',
  value,
  channel: 'meta',
  campaign: '',
});

describe('openStoreThread', () => {
  it('opens and migrates the store on the other thread', async () => {
    expect(db.dialect).toBe('pglite');
    expect(await countFacts(db)).toBe(0);
  });

  it('remembers when a query last succeeded (for /healthz)', async () => {
    const before = Date.now();
    await db.query('select 1');
    expect(db.lastSuccessAt()).toBeGreaterThanOrEqual(before);
  });

  it('writes through transactions that nest (upsertFacts inside a transaction)', async () => {
    await db.transaction((tx) => upsertFacts(tx, [fact('2026-11-01', 10), fact('2026-11-02', 20)]));
    expect(await countFacts(db)).toBe(2);
    const rows = await db.query<{ total: number }>(
      'select sum(value)::float8 as total from facts where measure = $1',
      ['ad_spend'],
    );
    expect(rows).toEqual([{ total: 30 }]);
  });

  it('rolls back everything when the callback throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await upsertFacts(tx, [fact('2026-11-03', 5)]);
        throw new Error('half-way');
      }),
    ).rejects.toThrow('half-way');
    expect(await countFacts(db)).toBe(2);
  });

  it('lets the outer db join a running transaction instead of waiting for itself', async () => {
    const seen = await db.transaction(async (tx) => {
      await tx.exec(
        "insert into facts (measure, day, channel, campaign, value, source) values ('ad_spend', '2026-11-04', 'meta', '', 1, 't')",
      );
      // the outer db, inside the callback: must see the uncommitted row
      return countFacts(db);
    });
    expect(seen).toBe(3);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    let leaked: Db | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked?.query('select 1')).rejects.toThrow('already ended');
  });

  it('keeps the Postgres error code', async () => {
    await expect(db.query('select * from no_such_table')).rejects.toMatchObject({
      code: '42P01',
      message: expect.stringContaining('no_such_table'),
    });
  });

  it('keeps the main event loop free during a long query', async () => {
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    await db.query('select count(*) from generate_series(1, 10000000)');
    const took = performance.now() - started;
    clearInterval(ticker);
    // The query runs for a long while; on the main thread the ticker would stall for all of it
    // (gap ≈ took). Here it keeps ticking (a busy test machine may still delay it a little).
    expect(took).toBeGreaterThan(300);
    expect(worstGap).toBeLessThan(took / 4);
  });
});

describe('after close', () => {
  it('rejects queries instead of hanging', async () => {
    await createPgliteFolder(join(dir, 'other'));
    const other = await openStoreThread({ dataDir: join(dir, 'other') });
    await other.query('select 1');
    await other.close();
    await expect(other.query('select 1')).rejects.toThrow(/store thread stopped/);
    // a stopped store is never "recently healthy"
    expect(other.lastSuccessAt()).toBeUndefined();
  });

  it('reports a store that cannot be opened, with the reason', async () => {
    // a regular file where the data folder should be
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expect(openStoreThread({ dataDir: file })).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});
