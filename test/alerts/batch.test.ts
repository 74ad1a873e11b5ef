// Measures for many rules in batches: the daily-totals route gives exactly what the store's
// aggregateMeasures gives (the one rule of numbers, for additive and average measures), for
// any period, filter and breakdown, and snapshot measures go the store's way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Aggregates, DailyBatches, MeasureBatches } from '../../src/alerts/batch.ts';
import { seededRandom } from '../../src/demo/generate.ts';
import { mergeFilters } from '../../src/kpi/filters.ts';
import { findMeasure } from '../../src/kpi/measures.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { DateRange, Dimension, FactInput, Filters } from '../../src/kpi/types.ts';
import type { Db } from '../../src/store/db.ts';
import { aggregateMeasures, upsertFacts } from '../../src/store/facts.ts';
import { storeKinds } from '../helpers/test-db.ts';

const kindOf = (m: string) => findMeasure(m)?.kind;

describe.each(storeKinds())('$name store: batched aggregates', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await kind.create();
    // Gappy data: series start and stop, some days missing, three channels, four campaigns.
    const rand = seededRandom(11);
    const facts: FactInput[] = [];
    for (let i = 0; i < 120; i++) {
      const day = addDays('2026-07-01', i);
      for (const channel of ['meta', 'google', '']) {
        for (const campaign of ['a', 'b', 'c', '']) {
          if (rand() < 0.2) continue;
          for (const measure of ['revenue', 'ad_spend', 'avg_position', 'active_customers']) {
            if (rand() < 0.1) continue;
            facts.push({ day, measure, value: Math.round(rand() * 1000) / 10, channel, campaign });
          }
        }
      }
    }
    await upsertFacts(db, facts);
  });
  afterAll(async () => {
    await db?.close();
  });

  const ranges: DateRange[] = [
    { start: '2026-07-01', end: '2026-07-07' },
    { start: '2026-07-05', end: '2026-08-04' },
    { start: '2026-08-01', end: '2026-08-31' },
    { start: '2026-10-20', end: '2026-11-05' }, // runs past the data
    { start: '2026-12-01', end: '2026-12-07' }, // no data at all
  ];
  const shapes: Array<{ filters: Filters; groupBy?: Dimension }> = [
    { filters: {} },
    { filters: {}, groupBy: 'channel' },
    { filters: {}, groupBy: 'campaign' },
    { filters: { channel: ['meta', ''] }, groupBy: 'campaign' },
    { filters: { campaign: ['a'] } },
  ];

  it.each(shapes)('daily totals equal aggregateMeasures: %o', async (shape) => {
    const measures = ['revenue', 'ad_spend', 'avg_position'];
    const daily = new DailyBatches();
    const ref = daily.add({ ...shape, measures, ranges });
    await daily.run(db);
    const expected = await aggregateMeasures(db, { measures, periods: ranges, ...shape });
    for (const [i, range] of ranges.entries()) {
      const groups = [...new Set(expected.filter((r) => r.period === i).map((r) => r.group ?? ''))];
      expect(daily.groups(ref, range)).toEqual(groups.sort());
      for (const group of groups) {
        const got = daily.values(ref, range, group);
        for (const row of expected.filter((r) => r.period === i && (r.group ?? '') === group)) {
          const agg = got.get(row.measure)!;
          expect(agg.sum).toBeCloseTo(row.agg.sum, 9);
          expect(agg.avg).toBeCloseTo(row.agg.avg, 9);
          expect([agg.days, agg.firstDay, agg.lastDay]).toEqual([
            row.agg.days,
            row.agg.firstDay,
            row.agg.lastDay,
          ]);
        }
        expect(got.size).toBe(
          expected.filter((r) => r.period === i && (r.group ?? '') === group).length,
        );
      }
    }
  });

  it('snapshot measures go through aggregateMeasures (opening and closing per series)', async () => {
    const agg = new Aggregates(kindOf);
    const ref = agg.add({
      filters: {},
      groupBy: 'channel',
      measures: ['active_customers', 'revenue'],
      ranges,
    });
    await agg.run(db);
    const expected = await aggregateMeasures(db, {
      measures: ['active_customers', 'revenue'],
      periods: ranges,
      groupBy: 'channel',
    });
    const row = expected.find(
      (r) => r.period === 1 && r.group === 'meta' && r.measure === 'active_customers',
    )!;
    expect(agg.values(ref, ranges[1]!, 'meta').get('active_customers')).toEqual(row.agg);
  });

  it('requests with the same filters and breakdown share one query', async () => {
    const agg = new Aggregates(kindOf);
    for (const window of ranges) {
      agg.add({ filters: { channel: ['meta'] }, measures: ['revenue'], ranges: [window] });
      agg.add({ filters: { channel: ['meta'] }, measures: ['ad_spend'], ranges: [window] });
    }
    agg.add({ filters: {}, groupBy: 'channel', measures: ['revenue'], ranges });
    expect(agg.size).toBe(2);
    const full = new MeasureBatches();
    full.add({ filters: { channel: ['b', 'a'] }, measures: ['revenue'], ranges });
    full.add({ filters: { channel: ['a', 'b'] }, measures: ['ad_spend'], ranges });
    expect(full.size).toBe(1);
  });

  it('filters that cannot both hold give no data, without a query', async () => {
    expect(mergeFilters({ channel: ['meta'] }, { channel: ['organic'] })).toBeNull();
    expect(mergeFilters({ channel: ['meta', 'organic'] }, { channel: ['organic'] })).toEqual({
      channel: ['organic'],
    });
    const agg = new Aggregates(kindOf);
    const ref = agg.add({ filters: null, measures: ['revenue'], ranges });
    expect(agg.size).toBe(0);
    await agg.run(db);
    expect(agg.values(ref, ranges[0]!).size).toBe(0);
  });
});
