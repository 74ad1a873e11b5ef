// Goals against a real store: pacing of totals through a 31-day month (half elapsed, an empty
// start, a late source, weighted by last year, a finished month, a cap), and ratio goals over the
// summary's period or the last complete month. Expected numbers are worked out by hand here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod, todayIn } from '../../src/kpi/periods.ts';
import type { Period } from '../../src/kpi/types.ts';
import type { Goal, GoalReport } from '../../src/reports/goal.ts';
import { reportGoals } from '../../src/reports/goal-report.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { daily, makeDeps, seed } from './deps.ts';

function goal(g: Partial<Goal> & Pick<Goal, 'kpi' | 'target'>): Goal {
  return {
    id: `${g.kpi}-goal`,
    comparator: '>=',
    createdBy: 'U1',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...g,
  };
}

describe.each(storeKinds())('$name store: goal reports', (kind) => {
  let db: Db;

  beforeAll(async () => {
    db = await kind.create();
    await seed(db, [
      // October 2026 (31 days): 10 000 kr a day through the 15th, nothing after yet.
      ...daily('revenue', '2026-10-01', '2026-10-15', 10_000),
      // Last October: slow first half (5 000 a day), strong second half (15 000 a day).
      ...daily('revenue', '2025-10-01', '2025-10-31', (d) => (d <= '2025-10-15' ? 5_000 : 15_000)),
      ...daily('ad_spend', '2026-10-01', '2026-10-15', 5_000),
      // A finished month: September 2026, 30 days of 10 000.
      ...daily('revenue', '2026-09-01', '2026-09-30', 10_000),
      // A source that stopped on 12 November while the month goes on.
      ...daily('gross_profit', '2026-11-01', '2026-11-12', 10_000),
      // CAC's inputs over October and week 47.
      ...daily('marketing_cost', '2026-10-01', '2026-10-31', 6_000),
      ...daily('sales_cost', '2026-10-01', '2026-10-31', 2_000),
      ...daily('new_customers', '2026-10-01', '2026-10-31', 10),
      ...daily('ad_spend', '2026-11-16', '2026-11-22', 1_000),
      ...daily('revenue', '2026-11-16', '2026-11-22', 4_500),
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });

  async function report(g: Goal, phrase: string, now: string): Promise<GoalReport> {
    const deps = makeDeps(db, { now: new Date(now) });
    const ctx = deps.periodContext();
    const parsed = parsePeriod(phrase, ctx);
    if (!parsed.ok) throw new Error(parsed.error);
    const [r] = await reportGoals(deps, [g], {
      period: parsed.period as Period,
      answers: [],
      today: todayIn(ctx),
    });
    if (!r) throw new Error('no report');
    return r;
  }
  const fmt = makeDeps({} as Db, { now: new Date() }).format;
  const kr = (n: number) => fmt.value(n, 'currency');
  const pct = (n: number) => fmt.value(n, 'percent');

  it('half of a 31-day month elapsed, paced like last October: at risk, what each day needs', async () => {
    const r = await report(
      goal({ kpi: 'revenue', target: 660_000, per: 'month' }),
      'mtd',
      '2026-10-16T10:00:00+02:00',
    );
    // 15 of 31 days, 150 000 so far; last October paced 75 000 of 315 000 by the same point,
    // so the projection is 150 000 / (75 000 / 315 000) = 630 000: 95.5 % of 660 000 → at risk.
    expect(r.status).toBe('at_risk');
    expect(r.text).toBe(
      `at this pace revenue ends the month at ${kr(630_000)}, ${pct(30 / 660)} short; ${kr(31_875)} a day needed from here (October 2026, paced like last year)`,
    );
  });

  it('without last year’s data the expected share is linear in days', async () => {
    // September 2025 has no data, so September 2026 paces by days: half-elapsed on the 16th.
    const r = await report(
      goal({ kpi: 'revenue', target: 320_000, per: 'month' }),
      '2026-09-01..2026-09-15',
      '2026-09-16T10:00:00+02:00',
    );
    // 15 of 30 days, 150 000 → 300 000 at this pace: 93.75 % of 320 000, at risk;
    // (320 000 − 150 000) / 15 remaining days = 11 333 a day.
    expect(r.status).toBe('at_risk');
    expect(r.text).toBe(
      `at this pace revenue ends the month at ${kr(300_000)}, ${pct(20 / 320)} short; ${kr(11_333.333)} a day needed from here (September 2026)`,
    );
  });

  it('an empty start: nothing complete yet is too early, never off track', async () => {
    const r = await report(
      goal({ kpi: 'revenue', target: 320_000, per: 'month' }),
      'mtd',
      '2026-10-01T10:00:00+02:00',
    );
    expect(r.status).toBe('too_early');
    expect(r.text).toMatch(/^too early to tell: 0 of 31 days in, revenue /);
  });

  it('the first days are too early to judge even when behind', async () => {
    // 2 of 31 days complete (max(3, 10 %) needed), 20 000 against 1 000 000.
    const r = await report(
      goal({ kpi: 'revenue', target: 1_000_000, per: 'month' }),
      'mtd',
      '2026-10-03T10:00:00+02:00',
    );
    expect(r.status).toBe('too_early');
  });

  it('no data in the goal’s period so far is "no data", not a collapse', async () => {
    const r = await report(
      goal({ kpi: 'orders', target: 1_000, per: 'month' }),
      'mtd',
      '2026-10-16T10:00:00+02:00',
    );
    expect(r.status).toBe('no_data');
    expect(r.text).toMatch(/no data for orders in October 2026 yet/);
  });

  it('a late source stops the count at its last day instead of looking like a drop', async () => {
    // Today is the 20th but revenue stops on the 12th: 12 of 30 days, 120 000 → 300 000.
    const r = await report(
      goal({ kpi: 'gross_profit', target: 300_000, per: 'month' }),
      'mtd',
      '2026-11-20T10:00:00+01:00',
    );
    expect(r.status).toBe('on_track');
    expect(r.text).toContain(`gross profit ends the month at ${kr(300_000)}`);
  });

  it('a finished month is met or missed, with the final number', async () => {
    const r = await report(
      goal({ kpi: 'revenue', target: 320_000, per: 'month' }),
      '2026-09',
      '2026-10-05T10:00:00+02:00',
    );
    expect(r.status).toBe('missed');
    expect(r.text).toBe(
      `revenue ended the month at ${kr(300_000)}, ${pct(20 / 320)} short of the ${kr(320_000)} goal (September 2026)`,
    );
  });

  it('a cap on spend is off track when its projection runs over by more than 10 %', async () => {
    const r = await report(
      goal({ kpi: 'ad_spend', comparator: '<=', target: 100_000, per: 'month' }),
      'mtd',
      '2026-10-16T10:00:00+02:00',
    );
    // 75 000 in 15 of 31 days → 155 000 at this pace.
    expect(r.status).toBe('off_track');
    expect(r.text).toBe(
      `at this pace ad spend ends the month at ${kr(155_000)}, ${pct(0.55)} over the ${kr(100_000)} cap; at most ${kr(25_000 / 16)} a day from here to stay within it (October 2026)`,
    );
  });

  it('a ratio goal compares the summary period’s value', async () => {
    const r = await report(
      goal({ kpi: 'roas', target: 4 }),
      '2026-W47',
      '2026-11-23T08:00:00+01:00',
    );
    // 31 500 / 7 000 = 4.5×
    expect(r.status).toBe('met');
    expect(r.text).toBe(
      `goal ≥ ${fmt.value(4, 'multiple')}: met (${fmt.value(4.5, 'multiple')}, ${pct(0.125)} above)`,
    );
  });

  it('a ratio goal with `per month` is judged over the last complete month', async () => {
    const r = await report(
      goal({ kpi: 'cac', comparator: '<=', target: 700, per: 'month' }),
      '2026-W47',
      '2026-11-23T08:00:00+01:00',
    );
    // October: (186 000 + 62 000) / 310 = 800 kr, over the 700 kr ceiling.
    expect(r.status).toBe('missed');
    expect(r.text).toBe(
      `goal ≤ ${kr(700)}: missed (${kr(800)}, ${pct(100 / 700)} above) in October 2026`,
    );
  });
});
