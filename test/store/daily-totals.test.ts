// daily_totals, the per-channel daily sums that questions without campaigns read: kept equal to
// what facts say through inserts, upserts, deletes and truncates, and read only when it can
// answer (no campaign breakdown or filter, no snapshot measure).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FactInput } from '../../src/kpi/types.ts';
import type { Db } from '../../src/store/db.ts';
import { createFactWriter } from '../../src/store/fact-writer.ts';
import { aggregateMeasures, upsertFacts } from '../../src/store/facts.ts';
import { storeKinds } from '../helpers/test-db.ts';

const f = (
  measure: string,
  day: string,
  value: number,
  channel: string,
  campaign: string,
): FactInput => ({
  measure,
  day,
  value,
  channel,
  campaign,
});

/** The totals a list of facts gives by hand (the last occurrence of a key wins, as in an upsert). */
function byHand(facts: readonly FactInput[]): Record<string, [number, number]> {
  const latest = new Map<string, FactInput>();
  for (const x of facts) latest.set(`${x.measure}|${x.day}|${x.channel}|${x.campaign}`, x);
  const out: Record<string, [number, number]> = {};
  for (const x of latest.values()) {
    const key = `${x.measure}|${x.day}|${x.channel}`;
    const [total, n] = out[key] ?? [0, 0];
    out[key] = [total + x.value, n + 1];
  }
  return out;
}

/** Writes `facts` through a bulk writer in batches of `batchSize`, then runs `after` in the same transaction. */
async function writeBulk(
  db: Db,
  facts: readonly FactInput[],
  batchSize: number,
  after?: (tx: Db) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    const writer = createFactWriter(tx, { bulk: true, batchSize, source: 'test' });
    for (const x of facts) {
      writer.add(x.measure, x.day, x.channel, x.campaign, x.value);
      if (writer.full) await writer.flush();
    }
    await writer.finish();
    await after?.(tx);
  });
}

/** daily_totals as `measure|day|channel` → [total, n]. */
async function totals(db: Db): Promise<Record<string, [number, number]>> {
  const rows = await db.query<{
    measure: string;
    day: string;
    channel: string;
    total: number;
    n: number;
  }>('select measure, day, channel, total, n from daily_totals order by 1, 2, 3');
  return Object.fromEntries(
    rows.map((r) => [`${r.measure}|${r.day}|${r.channel}`, [r.total, r.n]]),
  );
}

describe.each(storeKinds())('$name store: daily_totals', ({ create }) => {
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

  it('follows inserts, upserts and deletes, per measure, day and channel', async () => {
    await upsertFacts(db, [
      f('revenue', '2026-11-02', 100, 'meta', 'a'),
      f('revenue', '2026-11-02', 50, 'meta', 'b'),
      f('revenue', '2026-11-02', 30, 'google', 'x'),
      f('revenue', '2026-11-03', 10, 'meta', 'a'),
    ]);
    expect(await totals(db)).toEqual({
      'revenue|2026-11-02|google': [30, 1],
      'revenue|2026-11-02|meta': [150, 2], // 100 + 50
      'revenue|2026-11-03|meta': [10, 1],
    });
    // Re-importing a fact replaces it: meta on the 2nd becomes 100 + 70.
    await upsertFacts(db, [f('revenue', '2026-11-02', 70, 'meta', 'b')]);
    expect((await totals(db))['revenue|2026-11-02|meta']).toEqual([170, 2]);
    await db.query(`delete from facts where campaign = 'a'`);
    expect(await totals(db)).toEqual({
      'revenue|2026-11-02|google': [30, 1],
      'revenue|2026-11-02|meta': [70, 1],
    });
    await db.exec('truncate facts');
    expect(await totals(db)).toEqual({});
  });

  it('gives the same aggregates as the facts, with and without a channel breakdown', async () => {
    const facts: FactInput[] = [];
    for (let d = 1; d <= 20; d++) {
      const day = `2026-10-${String(d).padStart(2, '0')}`;
      for (const [channel, campaigns] of [
        ['meta', ['a', 'b', 'c']],
        ['google', ['x']],
      ] as const) {
        for (const campaign of campaigns) {
          if ((d + campaign.charCodeAt(0)) % 7 === 0) continue; // some days without a campaign
          facts.push(f('ad_spend', day, d * 1.25 + campaign.charCodeAt(0), channel, campaign));
          facts.push(f('avg_position', day, 3 + (d % 4) * 0.5, channel, campaign));
        }
      }
    }
    await upsertFacts(db, facts);
    const periods = [
      { start: '2026-10-01', end: '2026-10-07' },
      { start: '2026-10-05', end: '2026-10-20' },
    ];
    const measures = ['ad_spend', 'avg_position'];
    for (const groupBy of [undefined, 'channel'] as const) {
      const fast = await aggregateMeasures(db, { measures, periods, groupBy });
      // A campaign filter that keeps every fact makes the same question read facts instead.
      const slow = await aggregateMeasures(db, {
        measures,
        periods,
        groupBy,
        filters: { campaign: ['a', 'b', 'c', 'x'] },
      });
      expect(fast.length).toBe(slow.length);
      fast.forEach((row, i) => {
        const other = slow[i];
        expect(other).toMatchObject({ period: row.period, group: row.group, measure: row.measure });
        expect(row.agg.sum).toBeCloseTo(other?.agg.sum ?? Number.NaN, 9);
        expect(row.agg.avg).toBeCloseTo(other?.agg.avg ?? Number.NaN, 9);
        expect([row.agg.days, row.agg.firstDay, row.agg.lastDay]).toEqual([
          other?.agg.days,
          other?.agg.firstDay,
          other?.agg.lastDay,
        ]);
      });
      // By hand, one figure: ad_spend in the first week over all channels, straight from the list.
      const first = fast.find(
        (r) => r.period === 0 && r.measure === 'ad_spend' && (r.group ?? '') === '',
      );
      if (groupBy === undefined) {
        const expected = facts
          .filter((x) => x.measure === 'ad_spend' && x.day <= '2026-10-07')
          .reduce((s, x) => s + x.value, 0);
        expect(first?.agg.sum).toBeCloseTo(expected, 9);
      }
    }
  });

  describe('a bulk write (imports, the demo): the triggers stand aside, the writer recomputes', () => {
    const existing = [
      f('revenue', '2026-09-01', 10, 'meta', 'a'),
      f('revenue', '2026-09-15', 20, 'meta', 'b'),
      f('revenue', '2026-10-01', 5, 'google', 'x'),
      f('ad_spend', '2026-09-15', 7, 'meta', 'a'), // a measure the bulk write does not touch
    ];

    it('leaves daily_totals equal to the facts, over existing facts and across batches', async () => {
      await upsertFacts(db, existing);
      const bulk = [
        f('revenue', '2026-09-15', 25, 'meta', 'b'), // replaces 20
        f('revenue', '2026-09-15', 3, 'meta', 'c'), // joins the same day and channel
        f('revenue', '2026-09-20', 1.5, 'google', 'x'),
        f('revenue', '2026-09-20', 2.25, 'google', 'y'),
        f('revenue', '2026-09-20', 4, 'email', 'n'),
        f('revenue', '2026-09-15', 30, 'meta', 'b'), // the same key again, in a later batch
      ];
      await writeBulk(db, bulk, 2);
      const want = byHand([...existing, ...bulk]);
      expect(await totals(db)).toEqual(want);
      // By hand: meta on 15 September is b 30 (the last write) + c 3; ad_spend is untouched.
      expect(want['revenue|2026-09-15|meta']).toEqual([33, 2]);
      expect(want['ad_spend|2026-09-15|meta']).toEqual([7, 1]);
    });

    it('hands the work back to the triggers for the rest of the transaction', async () => {
      await upsertFacts(db, existing);
      await writeBulk(db, [f('revenue', '2026-09-01', 11, 'meta', 'a')], 10, async (tx) => {
        await tx.query(`delete from facts where campaign = 'x'`);
        await upsertFacts(tx, [f('ad_spend', '2026-09-15', 9, 'meta', 'b')]);
      });
      expect(await totals(db)).toEqual({
        'revenue|2026-09-01|meta': [11, 1],
        'revenue|2026-09-15|meta': [20, 1],
        'ad_spend|2026-09-15|meta': [16, 2], // 7 + 9
      });
    });

    it('changes nothing when the transaction fails', async () => {
      await upsertFacts(db, existing);
      const before = await totals(db);
      await expect(
        writeBulk(db, [f('revenue', '2026-09-01', 99, 'meta', 'a')], 10, async () => {
          throw new Error('the import failed after writing');
        }),
      ).rejects.toThrow('the import failed after writing');
      expect(await totals(db)).toEqual(before);
      // And the next plain write is followed by the triggers again.
      await upsertFacts(db, [f('revenue', '2026-10-01', 6, 'google', 'z')]);
      expect((await totals(db))['revenue|2026-10-01|google']).toEqual([11, 2]);
    });

    it('gives the same totals for a large upsertFacts (written in bulk)', async () => {
      const many: FactInput[] = [];
      for (let i = 0; i < 12_000; i++) {
        const day = `2026-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`;
        many.push(f('revenue', day, (i % 97) + 0.5, i % 3 === 0 ? 'meta' : 'google', `c${i % 50}`));
      }
      await upsertFacts(db, existing);
      await upsertFacts(db, many);
      expect(await totals(db)).toEqual(byHand([...existing, ...many]));
    });
  });
});
