// `kpibot summary [period] [--json] [--now]`: text for people, JSON for scripts (the same summary
// `/kpi summary` shows), and a usage error (exit code 2) for a period it cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSummary } from '../../src/reports/build.ts';
import { runSummaryCli } from '../../src/reports/cli.ts';
import type { ReportDeps } from '../../src/reports/deps.ts';
import type { Summary } from '../../src/reports/summary.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { daily, makeDeps, seed } from './deps.ts';

const NOW = new Date('2026-11-23T08:00:00+01:00');

describe.each(storeKinds())('$name store: kpibot summary', (kind) => {
  let db: Db;
  let deps: ReportDeps;

  beforeAll(async () => {
    db = await kind.create();
    await seed(db, [
      ...daily('revenue', '2026-09-01', '2026-11-22', (_, i) => 10_000 + i * 100),
      ...daily('ad_spend', '2026-09-01', '2026-11-22', 2_500),
      ...daily('impressions', '2026-09-01', '2026-11-22', 50_000),
    ]);
    deps = makeDeps(db, { now: NOW });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('prints the summary of last week, business KPIs before context', async () => {
    const { code, stdout } = await runSummaryCli([], deps);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Weekly summary — week 47, 2026\n/);
    expect(stdout.indexOf('Business KPIs')).toBeLessThan(stdout.indexOf('\nContext\n'));
    expect(stdout.indexOf('  Revenue: ')).toBeLessThan(stdout.indexOf('  Impressions: '));
  });

  it('--json gives the same summary as /kpi summary, values in base units', async () => {
    const { code, stdout } = await runSummaryCli(['last', 'month', '--json'], deps);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as Summary;
    const expected = await buildSummary(deps, { period: 'last-month' });
    expect(json).toEqual(JSON.parse(JSON.stringify(expected)));
    const roas = json.business.find((k) => k.id === 'roas');
    // October: Σ revenue / Σ ad_spend; day i of the series is 10 000 + 100·i, October is i = 30…60
    const revenue = Array.from({ length: 31 }, (_, d) => 10_000 + (30 + d) * 100).reduce(
      (a, b) => a + b,
    );
    expect(roas?.value).toBeCloseTo(revenue / (31 * 2_500), 12);
  });

  it('--now resolves the period at another instant', async () => {
    const { stdout } = await runSummaryCli(['--now', '2026-11-02T09:00:00+01:00', '--json'], deps);
    const json = JSON.parse(stdout) as Summary;
    expect(json.period.start).toBe('2026-10-26');
    expect(json.title).toBe('Weekly summary — week 44, 2026');
  });

  it('exits with 2 and says what would work for a period or option it cannot read', async () => {
    const bad = await runSummaryCli(['last', 'wek'], deps);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toMatch(/last-week/);
    expect((await runSummaryCli(['--now', 'yesterday-ish'], deps)).code).toBe(2);
    expect((await runSummaryCli(['--frobnicate'], deps)).code).toBe(2);
    expect((await runSummaryCli(['--help'], deps)).stdout).toContain('Usage: kpibot summary');
  });
});
