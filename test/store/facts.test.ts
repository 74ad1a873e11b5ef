// Facts: upserts, freshness, and aggregation per period/group. Every expected number below is
// worked out by hand from the facts listed in the test.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FactInput, MeasureAggregate } from '../../src/kpi/types.ts';
import type { Db } from '../../src/store/db.ts';
import {
  ConcurrentWriteError,
  createFactWriter,
  type FactWriter,
  outside,
  widen,
} from '../../src/store/fact-writer.ts';
import {
  type AggregateRow,
  aggregateMeasures,
  countFacts,
  freshness,
  lastDaysByMeasure,
  listDimensionValues,
  measureCoverage,
  UPSERT_BATCH_SIZE,
  upsertFacts,
  vacuumFacts,
} from '../../src/store/facts.ts';
import { storeKinds } from '../helpers/test-db.ts';

function fact(measure: string, day: string, value: number, channel = '', campaign = ''): FactInput {
  return { measure, day, value, channel, campaign };
}

/** The rows as `period|group|measure` → aggregate, for order-independent assertions. */
function byKey(rows: AggregateRow[]): Record<string, MeasureAggregate> {
  const out: Record<string, MeasureAggregate> = {};
  for (const r of rows) out[`${r.period}|${r.group ?? '*'}|${r.measure}`] = r.agg;
  return out;
}

async function storedFact(db: Db, measure: string, day: string, channel = '', campaign = '') {
  return db.query<{ value: number; source: string }>(
    `select value, source from facts
     where measure = $1 and day = $2 and channel = $3 and campaign = $4`,
    [measure, day, channel, campaign],
  );
}

describe.each(storeKinds())('$name store: facts', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('truncate facts, measure_freshness, dimension_values');
  });

  describe('upsertFacts', () => {
    it('writes facts and counts them', async () => {
      const r = await upsertFacts(db, [
        fact('revenue', '2026-01-01', 100, 'google', 'brand'),
        fact('revenue', '2026-01-02', 200, 'google', 'brand'),
        fact('ad_spend', '2026-01-01', 40, 'google', 'brand'),
      ]);
      expect(r).toEqual({ written: 3 });
      expect(await countFacts(db)).toBe(3);
      expect(await upsertFacts(db, [])).toEqual({ written: 0 });
    });

    it('replaces the value when the same key is imported again (count unchanged)', async () => {
      await upsertFacts(db, [fact('revenue', '2026-01-01', 100, 'google', 'brand')]);
      await upsertFacts(db, [fact('revenue', '2026-01-01', 175.5, 'google', 'brand')], {
        source: 'api',
      });
      expect(await countFacts(db)).toBe(1);
      expect(await storedFact(db, 'revenue', '2026-01-01', 'google', 'brand')).toEqual([
        { value: 175.5, source: 'api' },
      ]);
    });

    it('leaves an unchanged fact alone on re-import (no new row version)', async () => {
      const version = async () =>
        db.query<{ v: string }>(`select xmin::text as v from facts where measure = 'orders'`);
      await upsertFacts(db, [fact('orders', '2026-01-01', 5)]);
      const first = await version();
      await upsertFacts(db, [fact('orders', '2026-01-01', 5)]);
      expect(await version()).toEqual(first);
      await upsertFacts(db, [fact('orders', '2026-01-01', 6)]);
      expect(await version()).not.toEqual(first);
      await vacuumFacts(db); // outside any transaction: VACUUM cannot run inside one
      expect(await countFacts(db)).toBe(1);
    });

    it('keeps the last value of a key repeated within one batch, without an error', async () => {
      const r = await upsertFacts(db, [
        fact('revenue', '2026-01-01', 1, 'meta', 'x'),
        fact('revenue', '2026-01-01', 2, 'meta', 'x'),
        fact('revenue', '2026-01-02', 5, 'meta', 'x'),
        fact('revenue', '2026-01-01', 3, 'meta', 'x'),
      ]);
      expect(r.written).toBe(2);
      expect(await countFacts(db)).toBe(2);
      expect(await storedFact(db, 'revenue', '2026-01-01', 'meta', 'x')).toEqual([
        { value: 3, source: 'import' },
      ]);
    });

    it('writes more than one batch, the last occurrence winning across batches', async () => {
      const facts: FactInput[] = [];
      const n = UPSERT_BATCH_SIZE + 10;
      for (let i = 0; i < n; i++) {
        facts.push(fact('sessions', '2026-01-01', i, `ch${i % 7}`, `c${i}`));
      }
      facts.push(fact('sessions', '2026-01-01', -1, 'ch0', 'c0')); // same key as facts[0]
      const r = await upsertFacts(db, facts);
      expect(r.written).toBe(n + 1); // the repeat sits in another batch: sent twice
      expect(await countFacts(db)).toBe(n);
      expect(await storedFact(db, 'sessions', '2026-01-01', 'ch0', 'c0')).toEqual([
        { value: -1, source: 'import' },
      ]);
      // 0 + 1 + … + (n − 1), with facts[0] (0) replaced by −1
      const [row] = await db.query<{ s: number }>('select sum(value) as s from facts');
      expect(row?.s).toBe(((n - 1) * n) / 2 - 1);
    });

    it('rejects a value that is not a finite number and writes nothing', async () => {
      await expect(
        upsertFacts(db, [
          fact('revenue', '2026-01-01', 1),
          fact('revenue', '2026-01-02', Number.NaN),
        ]),
      ).rejects.toThrow(RangeError);
      await expect(upsertFacts(db, [fact('revenue', '2026-01-01', Infinity)])).rejects.toThrow(
        /not a number/,
      );
      expect(await countFacts(db)).toBe(0);
    });

    it('rejects a day that is not YYYY-MM-DD, and an impossible date', async () => {
      await expect(upsertFacts(db, [fact('revenue', '1/2/2026', 1)])).rejects.toThrow(/YYYY-MM-DD/);
      await expect(upsertFacts(db, [fact('revenue', '2026-02-30', 1)])).rejects.toThrow();
      expect(await countFacts(db)).toBe(0);
    });

    it('runs in the caller’s transaction: a rollback leaves nothing behind', async () => {
      await expect(
        db.transaction(async (tx) => {
          await upsertFacts(tx, [fact('revenue', '2026-01-01', 100, 'google', 'brand')]);
          await upsertFacts(tx, [fact('orders', '2026-01-01', 3, 'meta', 'x')], { source: 'api' });
          expect(await countFacts(tx)).toBe(2);
          throw new Error('import failed half-way');
        }),
      ).rejects.toThrow('import failed half-way');
      expect(await countFacts(db)).toBe(0);
      expect(await freshness(db)).toEqual([]);
      expect(await listDimensionValues(db, 'channel')).toEqual([]);
    });

    it('keeps freshness per measure and source: newest day, last write time', async () => {
      const before = Date.now() - 60_000; // clocks of the server and this process may differ
      await upsertFacts(db, [
        fact('revenue', '2026-01-03', 1),
        fact('revenue', '2026-01-05', 1, 'meta'),
        fact('ad_spend', '2026-01-04', 1),
      ]);
      // An older day from the same source does not move last_day back.
      await upsertFacts(db, [fact('revenue', '2026-01-01', 1)]);
      await upsertFacts(db, [fact('revenue', '2026-01-02', 1)], { source: 'api' });
      const rows = await freshness(db);
      expect(rows.map(({ lastWrittenAt: _, ...r }) => r)).toEqual([
        { measure: 'ad_spend', source: 'import', lastDay: '2026-01-04' },
        { measure: 'revenue', source: 'api', lastDay: '2026-01-02' },
        { measure: 'revenue', source: 'import', lastDay: '2026-01-05' },
      ]);
      for (const r of rows) {
        expect(r.lastWrittenAt).toBeInstanceOf(Date);
        expect(r.lastWrittenAt.getTime()).toBeGreaterThan(before);
      }
    });

    it('lists the dimension values used, without the empty one', async () => {
      await upsertFacts(db, [
        fact('revenue', '2026-01-01', 1, 'meta', 'retarget'),
        fact('revenue', '2026-01-01', 1, 'google-ads', 'brand'),
        fact('revenue', '2026-01-01', 1, '', ''),
      ]);
      await upsertFacts(db, [fact('revenue', '2026-01-02', 1, 'meta', 'prospecting')]);
      expect(await listDimensionValues(db, 'channel')).toEqual(['google-ads', 'meta']);
      expect(await listDimensionValues(db, 'campaign')).toEqual([
        'brand',
        'prospecting',
        'retarget',
      ]);
    });
    it('stores texts that hold the batch separator U+001F, and one-fact batches of empty texts', async () => {
      await upsertFacts(db, [
        fact('revenue', '2026-01-01', 1, 'a\u001fb', 'c'),
        fact('revenue', '2026-01-02', 2, '', ''),
      ]);
      await upsertFacts(db, [fact('orders', '2026-01-01', 3)]);
      await upsertFacts(db, [fact('orders', '2026-01-02', 4), fact('orders', '2026-01-03', 5)]);
      const rows = await db.query<{ measure: string; channel: string; campaign: string }>(
        'select measure, channel, campaign from facts order by measure, day',
      );
      expect(rows).toEqual([
        { measure: 'orders', channel: '', campaign: '' },
        { measure: 'orders', channel: '', campaign: '' },
        { measure: 'orders', channel: '', campaign: '' },
        { measure: 'revenue', channel: 'a\u001fb', campaign: 'c' },
        { measure: 'revenue', channel: '', campaign: '' },
      ]);
    });

    it('upserts a batch that overlaps existing facts, inserts one that does not', async () => {
      await upsertFacts(db, [fact('sessions', '2026-01-02', 1, 'web')]);
      // 01-01..01-03 holds a fact: the whole batch is upserted (replacing 01-02).
      await upsertFacts(db, [
        fact('sessions', '2026-01-01', 10, 'web'),
        fact('sessions', '2026-01-02', 20, 'web'),
        fact('sessions', '2026-01-03', 30, 'web'),
      ]);
      // 01-04..01-05 is empty: a plain insert.
      await upsertFacts(db, [
        fact('sessions', '2026-01-04', 40, 'web'),
        fact('sessions', '2026-01-05', 50, 'web'),
      ]);
      const [row] = await db.query<{ n: number; s: number }>(
        'select count(*)::int as n, sum(value) as s from facts',
      );
      expect(row).toEqual({ n: 5, s: 150 });
    });
  });

  describe('createFactWriter', () => {
    const fill = (w: FactWriter, days: string[], measures: string[], value = 1) => {
      for (const day of days) for (const m of measures) w.add(m, day, 'web', 'brand', value);
    };
    const days = (from: number, to: number) =>
      Array.from(
        { length: to - from + 1 },
        (_, i) => `2026-03-${String(from + i).padStart(2, '0')}`,
      );

    it('streams batches across day boundaries into empty ranges, one statement at a time', async () => {
      const result = await db.transaction(async (tx) => {
        const w = createFactWriter(tx, { batchSize: 7, uniqueKeys: true, insertNew: true });
        // 3 measures × 20 days = 60 facts in batches of 7: batches start and end mid-day.
        for (const day of days(1, 20)) {
          for (const m of ['clicks', 'impressions', 'ad_spend']) {
            w.add(m, day, 'web', 'brand', 2);
            if (w.full) await w.flush();
          }
        }
        return w.finish();
      });
      expect(result).toEqual({ written: 60 });
      expect(await countFacts(db)).toBe(60);
      const [row] = await db.query<{ s: number }>('select sum(value) as s from facts');
      expect(row?.s).toBe(120);
      expect((await freshness(db)).map((f) => [f.measure, f.source, f.lastDay])).toEqual([
        ['ad_spend', 'import', '2026-03-20'],
        ['clicks', 'import', '2026-03-20'],
        ['impressions', 'import', '2026-03-20'],
      ]);
      expect(await listDimensionValues(db, 'campaign')).toEqual(['brand']);
    });

    it('upserts the batches that meet facts already stored (a re-import replaces)', async () => {
      await upsertFacts(db, [fact('clicks', '2026-03-05', 99, 'web', 'brand')], { source: 'api' });
      await db.transaction(async (tx) => {
        const w = createFactWriter(tx, { batchSize: 4, uniqueKeys: true, insertNew: true });
        for (const day of days(1, 10)) {
          w.add('clicks', day, 'web', 'brand', 1);
          if (w.full) await w.flush();
        }
        await w.finish();
      });
      expect(await countFacts(db)).toBe(10);
      expect(await storedFact(db, 'clicks', '2026-03-05', 'web', 'brand')).toEqual([
        { value: 1, source: 'import' },
      ]);
      // The same file again, new values: every batch meets facts and replaces them.
      await db.transaction(async (tx) => {
        const w = createFactWriter(tx, { batchSize: 4, uniqueKeys: true, insertNew: true });
        fill(w, days(1, 10), ['clicks'], 5);
        await w.finish();
      });
      const [row] = await db.query<{ n: number; s: number }>(
        'select count(*)::int as n, sum(value) as s from facts',
      );
      expect(row).toEqual({ n: 10, s: 50 });
    });

    it('turns a primary-key clash of a plain insert into ConcurrentWriteError', async () => {
      // A writer told keys are unique, given one twice: what a concurrent session's insert
      // looks like from here (the range was filled by this writer, so it is not checked again).
      const failed = db.transaction(async (tx) => {
        const w = createFactWriter(tx, { batchSize: 2, uniqueKeys: true, insertNew: true });
        fill(w, ['2026-03-01', '2026-03-02'], ['orders']);
        await w.flush();
        fill(w, ['2026-03-02'], ['orders']);
        await w.finish();
      });
      await expect(failed).rejects.toThrow(ConcurrentWriteError);
      expect(await countFacts(db)).toBe(0);
    });

    it('abandon() waits for the write in progress and sends nothing more', async () => {
      await expect(
        db.transaction(async (tx) => {
          const w = createFactWriter(tx, { batchSize: 3, insertNew: true });
          fill(w, days(1, 3), ['orders']);
          await w.flush();
          fill(w, days(4, 5), ['orders']);
          await w.abandon();
          expect(await countFacts(tx)).toBe(3);
          await expect(w.flush()).rejects.toThrow(/already finished/);
          throw new Error('rejected file');
        }),
      ).rejects.toThrow('rejected file');
      expect(await countFacts(db)).toBe(0);
      expect(await freshness(db)).toEqual([]);
    });

    it('rejects a bad value or day in add(), before anything is sent', async () => {
      await db.transaction(async (tx) => {
        const w = createFactWriter(tx);
        w.add('orders', '2026-03-01', '', '', 1);
        expect(() => w.add('orders', '2026-03-02', '', '', Number.NaN)).toThrow(
          'Fact 1 (orders 2026-03-02): value NaN is not a number',
        );
        expect(() => w.add('orders', '3/2/2026', '', '', 1)).toThrow(/not YYYY-MM-DD/);
        await w.abandon();
      });
      expect(await countFacts(db)).toBe(0);
    });
  });

  describe('day ranges filled by a writer', () => {
    const r = (lo: string, hi: string) => ({ lo, hi });
    it('outside(): the parts of a range not yet filled', () => {
      expect(outside(r('2026-01-05', '2026-01-09'), undefined)).toEqual([
        r('2026-01-05', '2026-01-09'),
      ]);
      expect(outside(r('2026-01-05', '2026-01-09'), r('2026-01-01', '2026-01-31'))).toEqual([]);
      expect(outside(r('2026-01-05', '2026-01-09'), r('2026-01-01', '2026-01-05'))).toEqual([
        r('2026-01-06', '2026-01-09'),
      ]);
      expect(outside(r('2026-02-27', '2026-03-02'), r('2026-03-01', '2026-03-01'))).toEqual([
        r('2026-02-27', '2026-02-28'),
        r('2026-03-02', '2026-03-02'),
      ]);
      expect(outside(r('2026-01-05', '2026-01-09'), r('2026-02-01', '2026-02-05'))).toEqual([
        r('2026-01-05', '2026-01-09'),
      ]);
    });

    it('widen(): grown when touching, replaced when apart', () => {
      expect(widen(undefined, r('2026-01-05', '2026-01-09'))).toEqual(
        r('2026-01-05', '2026-01-09'),
      );
      expect(widen(r('2026-01-01', '2026-01-04'), r('2026-01-05', '2026-01-09'))).toEqual(
        r('2026-01-01', '2026-01-09'),
      );
      expect(widen(r('2026-01-01', '2026-01-06'), r('2026-01-05', '2026-01-09'))).toEqual(
        r('2026-01-01', '2026-01-09'),
      );
      expect(widen(r('2026-01-01', '2026-01-03'), r('2026-01-05', '2026-01-09'))).toEqual(
        r('2026-01-05', '2026-01-09'),
      );
    });
  });

  describe('aggregateMeasures', () => {
    // revenue:  01-01 google/brand 100, 01-02 google/brand 200, 01-02 meta/retarget 50,
    //           01-03 meta/retarget 70, 01-05 (no channel) 10
    // ad_spend: 01-01 google/brand 40, 01-03 meta/retarget 30
    const additive = [
      fact('revenue', '2026-01-01', 100, 'google', 'brand'),
      fact('revenue', '2026-01-02', 200, 'google', 'brand'),
      fact('revenue', '2026-01-02', 50, 'meta', 'retarget'),
      fact('revenue', '2026-01-03', 70, 'meta', 'retarget'),
      fact('revenue', '2026-01-05', 10),
      fact('ad_spend', '2026-01-01', 40, 'google', 'brand'),
      fact('ad_spend', '2026-01-03', 30, 'meta', 'retarget'),
    ];
    const P0 = { start: '2026-01-01', end: '2026-01-03' };
    const P1 = { start: '2026-01-02', end: '2026-01-05' }; // overlaps P0 on 01-02..01-03
    const EMPTY = { start: '2026-01-10', end: '2026-01-12' };
    const P3 = { start: '2026-01-01', end: '2026-01-01' }; // one day: end is inclusive

    it('sums each measure over several overlapping periods in one call', async () => {
      await upsertFacts(db, additive);
      const rows = await aggregateMeasures(db, {
        measures: ['revenue', 'ad_spend'],
        periods: [P0, P1, EMPTY, P3],
      });
      const got = byKey(rows);
      expect(Object.keys(got).sort()).toEqual([
        '0|*|ad_spend',
        '0|*|revenue',
        '1|*|ad_spend',
        '1|*|revenue',
        '3|*|ad_spend',
        '3|*|revenue',
      ]);
      // P0: 100 + 200 + 50 + 70 = 420 over 4 facts on 3 days
      expect(got['0|*|revenue']).toMatchObject({
        sum: 420,
        avg: 105,
        days: 3,
        firstDay: '2026-01-01',
        lastDay: '2026-01-03',
      });
      // P1: 200 + 50 + 70 + 10 = 330 over 4 facts on 3 days (02, 03, 05)
      expect(got['1|*|revenue']).toMatchObject({
        sum: 330,
        avg: 82.5,
        days: 3,
        firstDay: '2026-01-02',
        lastDay: '2026-01-05',
      });
      expect(got['0|*|ad_spend']).toMatchObject({ sum: 70, avg: 35, days: 2 });
      expect(got['1|*|ad_spend']).toMatchObject({
        sum: 30,
        days: 1,
        firstDay: '2026-01-03',
        lastDay: '2026-01-03',
      });
      expect(got['3|*|revenue']).toMatchObject({ sum: 100, days: 1, firstDay: '2026-01-01' });
      expect(got['3|*|ad_spend']).toMatchObject({ sum: 40, days: 1 });
      // Additive measures get no opening/closing (not computed): NaN, never a made-up 0.
      expect(got['0|*|revenue']?.opening).toBeNaN();
      expect(got['0|*|revenue']?.closing).toBeNaN();
      expect(rows.every((r) => r.group === null)).toBe(true);
    });

    it('returns no rows for a period without facts, or an unknown measure', async () => {
      await upsertFacts(db, additive);
      expect(await aggregateMeasures(db, { measures: ['revenue'], periods: [EMPTY] })).toEqual([]);
      expect(await aggregateMeasures(db, { measures: ['nope'], periods: [P0] })).toEqual([]);
      expect(await aggregateMeasures(db, { measures: [], periods: [P0] })).toEqual([]);
      expect(await aggregateMeasures(db, { measures: ['revenue'], periods: [] })).toEqual([]);
    });

    it('groups by channel and by campaign (facts without one form the "" group)', async () => {
      await upsertFacts(db, additive);
      const byChannel = byKey(
        await aggregateMeasures(db, {
          measures: ['revenue', 'ad_spend'],
          periods: [P0, P1],
          groupBy: 'channel',
        }),
      );
      expect(Object.keys(byChannel).sort()).toEqual([
        '0|google|ad_spend',
        '0|google|revenue',
        '0|meta|ad_spend',
        '0|meta|revenue',
        '1|google|revenue',
        '1|meta|ad_spend',
        '1|meta|revenue',
        '1||revenue',
      ]);
      expect(byChannel['0|google|revenue']).toMatchObject({ sum: 300, days: 2 }); // 100 + 200
      expect(byChannel['0|meta|revenue']).toMatchObject({ sum: 120, days: 2 }); // 50 + 70
      expect(byChannel['0|google|ad_spend']).toMatchObject({ sum: 40, days: 1 });
      expect(byChannel['0|meta|ad_spend']).toMatchObject({ sum: 30, days: 1 });
      expect(byChannel['1|google|revenue']).toMatchObject({ sum: 200, days: 1 });
      expect(byChannel['1|meta|revenue']).toMatchObject({ sum: 120, days: 2 });
      expect(byChannel['1||revenue']).toMatchObject({ sum: 10, days: 1 });

      const byCampaign = byKey(
        await aggregateMeasures(db, { measures: ['revenue'], periods: [P1], groupBy: 'campaign' }),
      );
      expect(byCampaign).toMatchObject({
        '0|brand|revenue': { sum: 200 },
        '0|retarget|revenue': { sum: 120 },
        '0||revenue': { sum: 10 },
      });
      expect(Object.keys(byCampaign)).toHaveLength(3);
    });

    it('filters: values OR-ed within a dimension, dimensions AND-ed', async () => {
      await upsertFacts(db, additive);
      const sum = async (filters: Record<string, string[]>) => {
        const rows = await aggregateMeasures(db, { measures: ['revenue'], periods: [P0], filters });
        return rows.map((r) => r.agg.sum);
      };
      expect(await sum({ channel: ['meta'] })).toEqual([120]); // 50 + 70
      expect(await sum({ channel: ['meta', 'google'] })).toEqual([420]);
      expect(await sum({ channel: ['google'], campaign: ['brand'] })).toEqual([300]);
      expect(await sum({ channel: ['meta'], campaign: ['brand'] })).toEqual([]);
      expect(await sum({ channel: [] })).toEqual([]); // an empty list matches nothing
      expect(await sum({ campaign: ["brand' or '1'='1"] })).toEqual([]);

      const grouped = await aggregateMeasures(db, {
        measures: ['revenue'],
        periods: [P1],
        filters: { channel: ['meta', ''] },
        groupBy: 'channel',
      });
      expect(byKey(grouped)).toMatchObject({
        '0|meta|revenue': { sum: 120 },
        '0||revenue': { sum: 10 },
      });
      expect(grouped).toHaveLength(2);
    });

    it('refuses an unknown dimension instead of building SQL from it', async () => {
      await expect(
        aggregateMeasures(db, {
          measures: ['revenue'],
          periods: [P0],
          groupBy: 'channel; drop table facts' as 'channel',
        }),
      ).rejects.toThrow(/Unknown dimension/);
      await expect(
        aggregateMeasures(db, {
          measures: ['revenue'],
          periods: [P0],
          filters: { region: ['x'] } as Record<string, string[]>,
        }),
      ).rejects.toThrow(/Unknown dimension/);
    });

    // active_customers, three series:
    //   google/brand   01-01 1000, 01-02 1010, 01-03 1020, 01-04 1030
    //   meta/retarget  01-03 500, 01-04 520            (starts mid-period)
    //   (none)         01-02 7                          (a single day)
    const snapshot = [
      fact('active_customers', '2026-01-01', 1000, 'google', 'brand'),
      fact('active_customers', '2026-01-02', 1010, 'google', 'brand'),
      fact('active_customers', '2026-01-03', 1020, 'google', 'brand'),
      fact('active_customers', '2026-01-04', 1030, 'google', 'brand'),
      fact('active_customers', '2026-01-03', 500, 'meta', 'retarget'),
      fact('active_customers', '2026-01-04', 520, 'meta', 'retarget'),
      fact('active_customers', '2026-01-02', 7),
    ];
    const Q = { start: '2026-01-01', end: '2026-01-04' };
    const R = { start: '2026-01-02', end: '2026-01-03' };

    it('opening/closing: each series’ first/last value in the period, summed over series', async () => {
      await upsertFacts(db, [...snapshot, ...additive]);
      const got = byKey(
        await aggregateMeasures(db, { measures: ['active_customers', 'revenue'], periods: [Q, R] }),
      );
      expect(got['0|*|active_customers']).toEqual({
        sum: 5087, // 1000 + 1010 + 1020 + 1030 + 500 + 520 + 7
        avg: 5087 / 7,
        opening: 1507, // 1000 + 500 (first day 01-03) + 7
        closing: 1557, // 1030 + 520 + 7
        days: 4,
        firstDay: '2026-01-01',
        lastDay: '2026-01-04',
      });
      expect(got['1|*|active_customers']).toMatchObject({
        opening: 1517, // 1010 + 500 + 7
        closing: 1527, // 1020 + 500 + 7
        days: 2,
      });
      expect(got['0|*|revenue']?.sum).toBe(420); // 100 + 200 + 50 + 70 (01-05 is outside Q)
      expect(got['0|*|revenue']?.opening).toBeNaN();
    });

    it('opening/closing per group', async () => {
      await upsertFacts(db, snapshot);
      const got = byKey(
        await aggregateMeasures(db, {
          measures: ['active_customers'],
          periods: [Q],
          groupBy: 'channel',
        }),
      );
      expect(got['0|google|active_customers']).toMatchObject({ opening: 1000, closing: 1030 });
      expect(got['0|meta|active_customers']).toMatchObject({ opening: 500, closing: 520 });
      expect(got['0||active_customers']).toMatchObject({ opening: 7, closing: 7 });
    });

    it('computes opening/closing for the measures asked in snapshotMeasures, and unknown ones', async () => {
      await upsertFacts(db, [...additive, fact('custom_stock', '2026-01-02', 9, 'x')]);
      const got = byKey(
        await aggregateMeasures(db, {
          measures: ['revenue', 'ad_spend', 'custom_stock'],
          periods: [P0],
          snapshotMeasures: ['revenue'],
        }),
      );
      // revenue series in P0: google/brand 100 (01-01) … 200 (01-02); meta/retarget 50 … 70
      expect(got['0|*|revenue']).toMatchObject({ opening: 150, closing: 270 });
      expect(got['0|*|ad_spend']?.opening).toBeNaN();
      expect(got['0|*|custom_stock']?.opening).toBeNaN(); // not asked for explicitly

      const defaults = byKey(
        await aggregateMeasures(db, { measures: ['custom_stock'], periods: [P0] }),
      );
      expect(defaults['0|*|custom_stock']).toMatchObject({ opening: 9, closing: 9 });
    });

    it('average measures: the mean over the facts, with the days that have data', async () => {
      await upsertFacts(db, [
        fact('avg_position', '2026-01-01', 2, 'google', 'kw1'),
        fact('avg_position', '2026-01-01', 4, 'google', 'kw2'),
        fact('avg_position', '2026-01-03', 3, 'google', 'kw1'),
      ]);
      const [row, ...rest] = await aggregateMeasures(db, {
        measures: ['avg_position'],
        periods: [{ start: '2026-01-01', end: '2026-01-07' }],
      });
      expect(rest).toEqual([]);
      expect(row?.agg).toMatchObject({ avg: 3, sum: 9, days: 2 }); // (2 + 4 + 3) / 3
    });
  });

  describe('coverage', () => {
    it('says per measure which days of a range have data', async () => {
      await upsertFacts(db, [
        fact('revenue', '2026-01-01', 1, 'a'),
        fact('revenue', '2026-01-01', 1, 'b'),
        fact('revenue', '2026-01-04', 1),
        fact('revenue', '2026-02-01', 1), // outside the range
        fact('ad_spend', '2026-01-02', 1),
      ]);
      expect(
        await measureCoverage(db, ['revenue', 'nope', 'ad_spend', 'revenue'], {
          start: '2026-01-01',
          end: '2026-01-31',
        }),
      ).toEqual([
        { measure: 'revenue', firstDay: '2026-01-01', lastDay: '2026-01-04', days: 2 },
        { measure: 'nope', firstDay: null, lastDay: null, days: 0 },
        { measure: 'ad_spend', firstDay: '2026-01-02', lastDay: '2026-01-02', days: 1 },
      ]);
      const last = await lastDaysByMeasure(db, ['revenue', 'ad_spend', 'nope']);
      expect(Object.fromEntries(last)).toEqual({ revenue: '2026-02-01', ad_spend: '2026-01-02' });
    });
  });
});
