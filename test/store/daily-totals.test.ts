// daily_totals, the per-channel daily sums that questions without campaigns read: kept equal to
// what facts say through inserts, upserts, deletes and truncates, and read only when it can
// answer (no campaign breakdown or filter, no snapshot measure).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FactInput } from '../../src/kpi/types.ts';
import type { Db } from '../../src/store/db.ts';
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
});
