// The `kpibot ask --json` contract: per KPI `{ kpi, period, value, formatted, comparison?, groups? }`,
// an array when several KPIs are asked. Ratios and percentages are fractions (2 % is 0.02).
import type { AskResult, KpiAnswer } from '../answer.ts';

export interface KpiJson {
  kpi: string;
  period: { start: string; end: string };
  value: number | null;
  formatted: string;
  comparison?: {
    period: { start: string; end: string };
    value: number | null;
    change: number | null;
    changePct: number | null;
  };
  groups?: Array<Record<string, string | number | null>>;
  /** How a free-form question was read, as the canonical command. */
  reading?: string;
}

export function answerJson(a: KpiAnswer): KpiJson {
  const out: KpiJson = {
    kpi: a.kpi.id,
    period: { start: a.period.start, end: a.period.end },
    value: a.value,
    formatted: a.formatted,
  };
  if (a.comparison) {
    out.comparison = {
      period: { start: a.comparison.period.start, end: a.comparison.period.end },
      value: a.comparison.value,
      change: a.comparison.change,
      changePct: a.comparison.changePct,
    };
  }
  if (a.breakdown) {
    const dim = a.breakdown.dimension;
    out.groups = a.breakdown.groups.map((g) => ({ [dim]: g.key, value: g.value }));
  }
  return out;
}

export function resultJson(result: AskResult, reading?: string): KpiJson | KpiJson[] {
  const all = result.answers.map((a) => ({ ...answerJson(a), ...(reading ? { reading } : {}) }));
  return all.length === 1 ? all[0]! : all;
}
