// What a chart needs besides the answer: the locale's formatter and the KPI's floor or benchmark
// as a number (the answer carries only its status text). Pure.
import type { Formatter } from '../kpi/format.ts';
import type { BusinessModel, KpiDefinition } from '../kpi/types.ts';

export interface Threshold {
  value: number;
  comparator: '>=' | '<=';
  /** `floor` for a minimum (ROAS ≥ 3×), `benchmark` for a maximum (CPA ≤ …). */
  kind: 'floor' | 'benchmark';
}

export interface ChartContext {
  /** BCP 47 tag for dates on the axis (numbers go through `format`, built for the same locale). */
  locale: string;
  format: Formatter;
  threshold?: Threshold;
}

/** The KPI's floor or benchmark for the business model, as `benchmarkStatus` judges it. */
export function thresholdOf(
  kpi: Pick<KpiDefinition, 'benchmark'> | undefined,
  model: BusinessModel,
): Threshold | undefined {
  const benchmark = kpi?.benchmark;
  if (!benchmark) return undefined;
  const value = benchmark.byModel ? benchmark.byModel[model] : benchmark.value;
  return {
    value,
    comparator: benchmark.comparator,
    kind: benchmark.comparator === '>=' ? 'floor' : 'benchmark',
  };
}

/** The finished chart: an SVG document and its size in CSS pixels. */
export interface Chart {
  kind: 'trend' | 'breakdown';
  svg: string;
  width: number;
  height: number;
}
