// Block Kit limits with a large catalog: 500 custom business KPIs and 300 custom context metrics
// with long names, goals on some, through the real summary and thread breakdown. Both messages
// stay within Slack's limits, cut context first, and never show a context metric above a
// business KPI; the message holds the goal KPIs and the pinned ones, the thread the other 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomKpi } from '../../src/kpi/catalog.ts';
import { blockKitViolations, LIMITS } from '../../src/reply/limits.ts';
import { buildSummaryReport } from '../../src/reports/build.ts';
import { renderBreakdownBlocks, renderSummaryBlocks } from '../../src/reports/summary.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { daily, makeDeps, seed } from './deps.ts';

const NOW = new Date('2026-11-23T08:00:00+01:00');
const LONG = 'a very long KPI name that a team typed into its configuration file '.repeat(2);

function custom(tier: 'business' | 'context', i: number): CustomKpi {
  return {
    id: `${tier}_kpi_${i}`,
    name: { en: `${LONG}${tier} ${i}` },
    formula: i % 2 === 0 ? `revenue * ${i + 1}` : `revenue / ad_spend + ${i}`,
    unit: i % 2 === 0 ? 'currency' : 'multiple',
    good: 'up',
    tier,
    aliases: [],
  };
}

describe.each(storeKinds())('$name store: a large catalog', (kind) => {
  let db: Db;

  beforeAll(async () => {
    db = await kind.create();
    const channels = Array.from({ length: 30 }, (_, i) => `channel-with-a-long-name-${i}`);
    await seed(
      db,
      channels.flatMap((channel, c) => [
        ...daily('revenue', '2026-09-01', '2026-11-22', (_, d) => 1_000 + c * 10 + d, { channel }),
        ...daily('ad_spend', '2026-09-01', '2026-11-22', 300 + c, { channel }),
      ]),
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  it('keeps the summary and its thread within Block Kit limits', async () => {
    const deps = makeDeps(db, {
      now: NOW,
      customKpis: [
        ...Array.from({ length: 500 }, (_, i) => custom('business', i)),
        ...Array.from({ length: 300 }, (_, i) => custom('context', i)),
      ],
      goals: [
        { id: 'late-one', kpi: 'business_kpi_499', targetText: '1x' },
        { id: 'rev', kpi: 'revenue', targetText: '1000000 kr', per: 'month' },
      ],
    });
    const report = await buildSummaryReport(deps, { breakdown: true });
    // the goal KPIs, then the default pins; the other business KPIs go to the thread
    expect(report.summary.business.map((k) => k.id)).toEqual([
      'business_kpi_499',
      'revenue',
      'cac',
      'conversion_rate',
      'ltv_cac',
      'roas',
    ]);
    expect(report.summary.more.kpis.length).toBeGreaterThan(500);
    expect(report.summary.context.length).toBeGreaterThan(300);

    const message = renderSummaryBlocks(report.summary);
    expect(blockKitViolations(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    const json = message.blocks.map((b) => JSON.stringify(b));
    // The goal KPIs lead, even the last custom one; the cut is said, not silent.
    const businessFields = json.filter((b) => b.includes('"fields"'));
    expect(businessFields[0]).toContain('business 499');
    // No context metric above a business KPI.
    const firstContext = json.findIndex(
      (b) => b.includes('context 0') || b.includes('Context metrics'),
    );
    const lastBusiness = json.reduce((at, b, i) => (b.includes('"fields"') ? i : at), -1);
    if (firstContext >= 0) expect(firstContext).toBeGreaterThan(lastBusiness);

    const thread = renderBreakdownBlocks(report.summary, report.breakdown);
    expect(blockKitViolations(thread)).toEqual([]);
    expect(JSON.stringify(thread.blocks.at(-1))).toMatch(/…and \d+ more KPIs/);
  });
});
