// The summary built from a real store holding the demo data (two days of sessions removed):
// every KPI's number equals what `/kpi <kpi> last-week vs previous` answers; several are also
// computed independently from the facts (plain reduce, no engine, no SQL); business KPIs come
// before context metrics with and without tier overrides; drivers name the groups that explain
// the move; missing days and freshness reach the footer; the thread breakdown by channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/registry.ts';
import { generateDemoFacts } from '../../src/demo/generate.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { resultJson } from '../../src/query/views/json.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { buildSummary, buildSummaryReport } from '../../src/reports/build.ts';
import type { ReportDeps } from '../../src/reports/deps.ts';
import { DRIVER_COVER, MAX_DRIVERS, MIN_DRIVER_SHARE } from '../../src/reports/drivers.ts';
import {
  renderBreakdownBlocks,
  renderSummaryBlocks,
  renderSummaryText,
  type Summary,
  type SummaryKpi,
} from '../../src/reports/summary.ts';
import type { Services } from '../../src/services.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { makeDeps, seed, sumOf } from './deps.ts';

// Monday 23 November 2026, 08:00 in Stockholm: last week is ISO week 47 (16–22 November).
const NOW = new Date('2026-11-23T08:00:00+01:00');
const WEEK = { start: '2026-11-16', end: '2026-11-22' };
const PREVIOUS = { start: '2026-11-09', end: '2026-11-15' };
const GAP = ['2026-11-18', '2026-11-19'];

const facts: FactInput[] = generateDemoFacts({ end: '2026-11-22' }).filter(
  (f) => !(f.measure === 'sessions' && GAP.includes(f.day)),
);

/** Equal, or equal up to floating-point summation order (SQL may add in another order). */
function expectSame(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(actual, what).not.toBeNull();
  expect(Math.abs((actual ?? 0) - expected), what).toBeLessThanOrEqual(
    1e-9 * Math.max(1, Math.abs(expected)),
  );
}

/** The business KPIs of the message and of the thread, in the summary's order. */
const businessRows = (s: Summary) => [...s.business, ...s.more.kpis];

function row(s: Summary, id: string): SummaryKpi {
  const found = [...businessRows(s), ...s.context].find((k) => k.id === id);
  if (!found) throw new Error(`${id} is not in the summary`);
  return found;
}

/** The opening value of a snapshot measure: each series' first value in the range, summed. */
function opening(measure: string, start: string, end: string): number {
  const first = new Map<string, FactInput>();
  for (const f of facts) {
    if (f.measure !== measure || f.day < start || f.day > end) continue;
    const key = `${f.channel}|${f.campaign}`;
    const seen = first.get(key);
    if (!seen || f.day < seen.day) first.set(key, f);
  }
  return [...first.values()].reduce((a, f) => a + f.value, 0);
}

describe.each(storeKinds())('$name store: the summary', (kind) => {
  let db: Db;
  let deps: ReportDeps;
  let summary: Summary;

  beforeAll(async () => {
    db = await kind.create();
    await seed(db, facts, 'demo');
    deps = makeDeps(db, { now: NOW });
    summary = await buildSummary(deps);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('covers last week against the week before, in the configured timezone', () => {
    expect(summary.title).toBe('Weekly summary — week 47, 2026');
    expect({ start: summary.period.start, end: summary.period.end }).toEqual(WEEK);
    expect({ start: summary.previousPeriod.start, end: summary.previousPeriod.end }).toEqual(
      PREVIOUS,
    );
    expect(summary.timeZone).toBe('Europe/Stockholm');
    expect(businessRows(summary).length + summary.context.length).toBe(deps.catalog.list().length);
  });

  it('says for every KPI exactly what `/kpi <kpi> last-week vs previous` answers', async () => {
    const services = {
      ...deps,
      config: { ...deps.config, defaultPeriod: 'last-7-days' },
    } as unknown as Services;
    for (const k of [...businessRows(summary), ...summary.context]) {
      const outcome = await runCommand(
        `${k.id} last-week vs previous`,
        { userId: 'U', now: NOW },
        services,
      );
      if (outcome.kind !== 'answer') throw new Error(`${k.id}: ${outcome.kind}`);
      const json = resultJson(outcome.result);
      if (Array.isArray(json)) throw new Error('one KPI asked');
      const answer = outcome.result.answers[0];
      expectSame(k.value, json.value, k.id);
      expect(k.formatted, k.id).toBe(json.formatted);
      expectSame(k.change?.changePct ?? null, json.comparison?.changePct ?? null, k.id);
      expect(k.change?.formatted, k.id).toBe(answer?.comparison?.changeFormatted);
      const history = (answer?.history ?? []).slice(-8).map((h) => h.value);
      for (const [i, v] of k.spark.entries())
        expectSame(v, history[i] ?? null, `${k.id} spark ${i}`);
      expect(k.spark.length).toBe(history.length);
    }
  });

  it('gets the numbers right from the facts themselves', () => {
    const sum = (m: string, r = WEEK) => sumOf(facts, m, r.start, r.end);
    // ROAS = Σ revenue / Σ ad_spend over the week, never a mean of daily ROAS.
    expect(row(summary, 'roas').value).toBeCloseTo(sum('revenue') / sum('ad_spend'), 9);
    expect(row(summary, 'revenue').value).toBeCloseTo(sum('revenue'), 6);
    const revenueBefore = sum('revenue', PREVIOUS);
    expect(row(summary, 'revenue').change?.changePct).toBeCloseTo(
      (sum('revenue') - revenueBefore) / revenueBefore,
      9,
    );
    // CAC = (marketing_cost + sales_cost) / new_customers.
    expect(row(summary, 'cac').value).toBeCloseTo(
      (sum('marketing_cost') + sum('sales_cost')) / sum('new_customers'),
      9,
    );
    // Conversion rate over the days that have sessions: the two missing days are not filled in.
    expect(row(summary, 'conversion_rate').value).toBeCloseTo(
      sum('conversions') / sum('sessions'),
      12,
    );
    // Churn: churned during the week / active customers at its start.
    expect(row(summary, 'churn_rate').value).toBeCloseTo(
      sum('churned_customers') / opening('active_customers', WEEK.start, WEEK.end),
      12,
    );
    expect(row(summary, 'impressions').value).toBe(sum('impressions'));
    expect(row(summary, 'ctr').value).toBeCloseTo(sum('clicks') / sum('impressions'), 12);
  });

  it('puts every business KPI before every context metric', () => {
    expect(businessRows(summary).every((k) => k.tier === 'business')).toBe(true);
    expect(summary.context.every((k) => k.tier === 'context')).toBe(true);
    expect(summary.context.map((k) => k.id)).toContain('impressions');
    const text = renderSummaryText(summary);
    const lastBusiness = Math.max(
      ...businessRows(summary).map((k) => text.indexOf(`  ${k.name}: `)),
    );
    for (const k of summary.context)
      expect(text.indexOf(`  ${k.name}: `)).toBeGreaterThan(lastBusiness);
    const blocks = renderSummaryBlocks(summary).blocks.map((b) => JSON.stringify(b));
    const blockOf = (s: string) => blocks.findIndex((b) => b.includes(s));
    const lastBusinessBlock = Math.max(...summary.business.map((k) => blockOf(`*${k.name}*`)));
    for (const k of summary.context) {
      expect(blockOf(`${k.name} `)).toBeGreaterThan(lastBusinessBlock);
    }
  });

  it('respects a team’s tier overrides', async () => {
    const overridden = await buildSummary(
      makeDeps(db, { now: NOW, tiers: { impressions: 'business', roas: 'context' } }),
    );
    expect(businessRows(overridden).map((k) => k.id)).toContain('impressions');
    expect(businessRows(overridden).map((k) => k.id)).not.toContain('roas');
    expect(overridden.context.map((k) => k.id)).toContain('roas');
    const text = renderSummaryText(overridden);
    const roas = overridden.context.find((k) => k.id === 'roas');
    const impressions = businessRows(overridden).find((k) => k.id === 'impressions');
    expect(text.indexOf(`  ${impressions?.name}: `)).toBeLessThan(
      text.indexOf(`  ${roas?.name}: `),
    );
    for (const k of businessRows(overridden)) {
      expect(text.indexOf(`  ${k.name}: `)).toBeLessThan(text.indexOf('\nContext\n'));
    }
  });

  it('names the groups that explain a notable move, as the facts say', () => {
    // Independent attribution for a total: each group's own change; groups are campaigns
    // (`channel/campaign`) and campaign-less channels.
    const key = (f: FactInput) => (f.campaign ? `${f.channel}/${f.campaign}` : f.channel);
    const delta = new Map<string, number>();
    for (const f of facts) {
      if (f.measure !== 'revenue') continue;
      const sign =
        f.day >= WEEK.start && f.day <= WEEK.end
          ? 1
          : f.day >= PREVIOUS.start && f.day <= PREVIOUS.end
            ? -1
            : 0;
      if (sign !== 0) delta.set(key(f), (delta.get(key(f)) ?? 0) + sign * f.value);
    }
    const total = [...delta.values()].reduce((a, b) => a + b, 0);
    const expected: string[] = [];
    let explained = 0;
    for (const [k, d] of [...delta].sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]))) {
      if (expected.length >= MAX_DRIVERS || explained >= DRIVER_COVER) break;
      if (d / total < MIN_DRIVER_SHARE) continue;
      expected.push(k);
      explained += d / total;
    }
    const revenue = row(summary, 'revenue');
    expect(Math.abs(revenue.change?.changePct ?? 0)).toBeGreaterThanOrEqual(0.1);
    const named = (revenue.driver ?? '')
      .replace(/^[^:]*:\s*/, '')
      .split(', ')
      .map((part) => part.replace(/\s[+−-]?[\d.,]+\s?%$/, ''));
    expect(named).toEqual(expected);
    // Context metrics never get a driver line.
    expect(summary.context.every((k) => k.driver === undefined)).toBe(true);
  });

  it('calls out missing days instead of averaging over them, and says how fresh the data is', () => {
    expect(summary.footer.missing).toEqual([
      { measure: 'sessions', days: GAP, ranges: '2026-11-18 – 2026-11-19' },
    ]);
    expect(summary.footer.freshness).toEqual([
      { source: 'demo', lastDay: '2026-11-22', behind: false },
    ]);
    expect(renderSummaryText(summary)).toContain(
      'Missing days for sessions: 2026-11-18 – 2026-11-19 (not filled in or averaged)',
    );
  });

  it('fits one Slack message, and the thread breaks the business KPIs down by channel', async () => {
    const message = renderSummaryBlocks(summary);
    expect(blockKitViolations(message)).toEqual([]);

    const report = await buildSummaryReport(deps, { breakdown: true });
    expect(report.breakdown.map((a) => a.kpi.id)).toEqual(
      deps.catalog
        .list()
        .filter((k) => deps.catalog.tierOf(k.id) === 'business')
        .map((k) => k.id),
    );
    const roas = report.breakdown.find((a) => a.kpi.id === 'roas');
    const meta = roas?.breakdown?.groups.find((g) => g.key === 'meta');
    const isMeta = (f: FactInput) => f.channel === 'meta';
    expect(meta?.value).toBeCloseTo(
      sumOf(facts, 'revenue', WEEK.start, WEEK.end, isMeta) /
        sumOf(facts, 'ad_spend', WEEK.start, WEEK.end, isMeta),
      9,
    );
    const thread = renderBreakdownBlocks(report.summary, report.breakdown);
    expect(blockKitViolations(thread)).toEqual([]);
    const json = JSON.stringify(thread.blocks);
    // In the summary's order: the first business KPI's breakdown comes first.
    const first = report.summary.business[0]?.name ?? '';
    const last = report.summary.business.at(-1)?.name ?? '';
    expect(json.indexOf(`*${first}*`)).toBeGreaterThan(-1);
    expect(json.indexOf(`*${first}*`)).toBeLessThan(json.indexOf(`*${last}*`));
    expect(json).toContain('meta');
    expect(thread.blocks[0]).toMatchObject({ type: 'header' });
  });

  it('marks a late post in the header and the footer', async () => {
    const late = await buildSummary(deps, { late: true });
    const message = renderSummaryBlocks(late);
    expect(JSON.stringify(message.blocks[0])).toContain('(late)');
    expect(renderSummaryText(late)).toContain('posted late');
  });

  it('a monthly summary covers last month', async () => {
    const monthly = await buildSummary(deps, { kind: 'monthly' });
    expect(monthly.title).toBe('Monthly summary — October 2026');
    expect(row(monthly, 'revenue').value).toBeCloseTo(
      sumOf(facts, 'revenue', '2026-10-01', '2026-10-31'),
      6,
    );
  });
});
