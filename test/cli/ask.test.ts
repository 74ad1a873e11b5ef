// `kpibot ask --json` on the demo data `kpibot demo` loads, in-process
// (test/helpers/cli-in-process.ts), checked against an independent computation over the same
// demo facts (a plain reduce, not the engine or SQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoFacts } from '../../src/demo/generate.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { demoCli, type InProcessCli } from '../helpers/cli-in-process.ts';

const NOW = '2026-11-23T08:00:00+01:00'; // a Monday morning in Stockholm
const YESTERDAY = '2026-11-22';
let cli: InProcessCli;
let facts: FactInput[];

async function askJson(question: string): Promise<unknown> {
  const { stdout, code } = await cli.run('ask', question, '--json');
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

function sum(
  measure: string,
  start: string,
  end: string,
  where: (f: FactInput) => boolean = () => true,
): number {
  return facts
    .filter((f) => f.measure === measure && f.day >= start && f.day <= end && where(f))
    .reduce((acc, f) => acc + f.value, 0);
}

beforeAll(async () => {
  facts = generateDemoFacts({ end: YESTERDAY });
  cli = await demoCli({ KPIBOT_NOW: NOW, KPIBOT_TIMEZONE: 'Europe/Stockholm' });
});

afterAll(() => cli.close());

describe('kpibot ask --json on the demo data', () => {
  it('ROAS last week vs previous by channel: ratio of sums, per channel too', async () => {
    const out = (await askJson('roas last-week vs previous by channel')) as {
      kpi: string;
      period: { start: string; end: string };
      value: number;
      formatted: string;
      comparison: {
        period: { start: string; end: string };
        value: number;
        change: number;
        changePct: number;
      };
      groups: Array<{ channel: string; value: number | null }>;
    };
    // ISO week 47 of 2026 is 16–22 November; the previous week is 9–15 November.
    expect(out.kpi).toBe('roas');
    expect(out.period).toEqual({ start: '2026-11-16', end: '2026-11-22' });
    expect(out.comparison.period).toEqual({ start: '2026-11-09', end: '2026-11-15' });
    const expectedNow =
      sum('revenue', '2026-11-16', '2026-11-22') / sum('ad_spend', '2026-11-16', '2026-11-22');
    const before =
      sum('revenue', '2026-11-09', '2026-11-15') / sum('ad_spend', '2026-11-09', '2026-11-15');
    expect(out.value).toBeCloseTo(expectedNow, 9);
    expect(out.comparison.value).toBeCloseTo(before, 9);
    expect(out.comparison.change).toBeCloseTo(expectedNow - before, 9);
    expect(out.comparison.changePct).toBeCloseTo((expectedNow - before) / before, 9);
    // Channels without ad spend (organic, email, direct) have no ROAS: null, never 0 or Infinity.
    const byChannel = Object.fromEntries(out.groups.map((g) => [g.channel, g.value]));
    for (const channel of ['google-ads', 'meta']) {
      const inChannel = (f: FactInput) => f.channel === channel;
      expect(byChannel[channel]).toBeCloseTo(
        sum('revenue', '2026-11-16', '2026-11-22', inChannel) /
          sum('ad_spend', '2026-11-16', '2026-11-22', inChannel),
        9,
      );
    }
    expect(byChannel.organic).toBeNull();
  });

  it('the average of daily ROAS is not what the engine reports', async () => {
    const out = (await askJson('roas last-week')) as { value: number };
    const days = [
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
    ];
    const meanOfDaily =
      days.reduce((acc, d) => acc + sum('revenue', d, d) / sum('ad_spend', d, d), 0) / days.length;
    expect(out.value).not.toBeCloseTo(meanOfDaily, 6);
  });

  it('churn uses the opening snapshot of active customers', async () => {
    const out = (await askJson('churn_rate last-month')) as {
      value: number;
      period: { start: string };
    };
    expect(out.period).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    const opening = sum('active_customers', '2026-10-01', '2026-10-01');
    expect(out.value).toBeCloseTo(
      sum('churned_customers', '2026-10-01', '2026-10-31') / opening,
      9,
    );
  });

  it('prints the same answer for people: value, comparison judged by direction, annual churn', async () => {
    const { stdout } = await cli.run('ask', 'churn_rate last-month vs previous');
    const month = (start: string, end: string) =>
      sum('churned_customers', start, end) / sum('active_customers', start, start);
    const october = month('2026-10-01', '2026-10-31');
    const september = month('2026-09-01', '2026-09-30');
    // The precision rule: 2 decimals below 10 % (a trailing 0 dropped), 1 below 100 %.
    const pct = (v: number) => {
      const p = Math.abs(v * 100);
      const fixed = p < 10 ? p.toFixed(2).replace(/(\.\d)0$/, '$1') : p.toFixed(1);
      return `${v < 0 ? '−' : ''}${fixed.replace('.', ',')}\u00a0%`;
    };
    expect(stdout).toContain('Churn (churn_rate) — oktober 2026 (2026-10-01 – 2026-10-31)'); // sv-SE: Swedish words
    expect(stdout).toContain(`  ${pct(october)}`);
    expect(stdout).toContain(
      `mot föregående (september 2026 (2026-09-01 – 2026-09-30)): ${pct(september)}`,
    );
    // Churn is better when it falls.
    expect(stdout).toContain(october < september ? ', bättre' : ', sämre');
    // 1 − (1 − monthly)¹², worked out here without the engine.
    expect(stdout).toContain(`≈ ${pct(1 - (1 - october) ** 12)} per år`);
  });

  it('several KPIs at once give an array, fractions for percentages', async () => {
    const out = (await askJson('conversion_rate,cpc last-7-days channel=meta')) as Array<{
      kpi: string;
      value: number;
    }>;
    expect(out.map((o) => o.kpi)).toEqual(['conversion_rate', 'cpc']);
    const meta = (f: FactInput) => f.channel === 'meta';
    expect(out[0]!.value).toBeCloseTo(
      sum('conversions', '2026-11-16', '2026-11-22', meta) /
        sum('sessions', '2026-11-16', '2026-11-22', meta),
      9,
    );
    expect(out[0]!.value).toBeLessThan(1);
    expect(out[1]!.value).toBeCloseTo(
      sum('ad_spend', '2026-11-16', '2026-11-22', meta) /
        sum('clicks', '2026-11-16', '2026-11-22', meta),
      9,
    );
  });

  it('a period in progress is compared over the days both sides have data', async () => {
    const out = (await askJson('aov mtd vs previous')) as {
      period: { start: string; end: string };
      value: number;
      comparison: { period: { start: string; end: string }; value: number };
    };
    // On Monday 23 November, mtd is 1–23 November, but the demo data ends yesterday: today is
    // left out of both sides, so 1–22 November is compared with 1–22 October.
    expect(out.period).toEqual({ start: '2026-11-01', end: '2026-11-22' });
    expect(out.comparison.period).toEqual({ start: '2026-10-01', end: '2026-10-22' });
    expect(out.value).toBeCloseTo(
      sum('revenue', '2026-11-01', '2026-11-22') / sum('orders', '2026-11-01', '2026-11-22'),
      9,
    );
    expect(out.comparison.value).toBeCloseTo(
      sum('revenue', '2026-10-01', '2026-10-22') / sum('orders', '2026-10-01', '2026-10-22'),
      9,
    );
  });

  it('a period before the data has no value: null, and the reply says which measures are missing', async () => {
    const out = (await askJson('roas 2020-01')) as { value: null; formatted: string };
    expect(out.value).toBeNull();
    const { stdout } = await cli.run('ask', 'roas 2020-01');
    expect(stdout).toMatch(/inga data för .*ad_spend/); // sv-SE
  });

  it('a typo is answered with a suggestion and exit code 2', async () => {
    const { code, stdout } = await cli.run('ask', 'roaas last-week');
    expect(code).toBe(2);
    expect(stdout).toMatch(/Menade du: roas/); // sv-SE
  });
});
