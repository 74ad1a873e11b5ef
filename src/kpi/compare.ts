// Judging KPI values: a period against another (change and verdict by the KPI's good
// direction) and a value against the benchmark the reference texts give. Pure.
import type { BusinessModel, GoodDirection, KpiDefinition, Unit } from './types.ts';

export type Verdict = 'better' | 'worse' | 'unchanged' | 'neutral' | 'unknown';

export interface Delta {
  change: number | null;
  changePct: number | null;
  verdict: Verdict;
}

/** Changes smaller than this share of the larger value are float noise: `unchanged`. */
const TOLERANCE = 1e-9;

const usable = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** current vs previous for a KPI whose good direction is `good`. */
export function compareValues(
  current: number | null,
  previous: number | null,
  good: GoodDirection,
): Delta {
  if (!usable(current) || !usable(previous)) {
    return { change: null, changePct: null, verdict: 'unknown' };
  }
  const change = current - previous;
  const changePct = previous === 0 ? null : change / Math.abs(previous);
  const scale = Math.max(Math.abs(current), Math.abs(previous));
  let verdict: Verdict;
  if (Math.abs(change) <= TOLERANCE * scale) verdict = 'unchanged';
  else if (good === 'neutral') verdict = 'neutral';
  else verdict = change > 0 === (good === 'up') ? 'better' : 'worse';
  return { change, changePct, verdict };
}

export interface BenchmarkStatus {
  status: 'meets' | 'below' | 'above';
  text: string;
  /** The status in two words, for table rows: `meets floor`, `below floor`, `within benchmark`… */
  short: string;
}

/** Drops float noise (0.07 × 100 = 7.000000000000001) from a round threshold. */
const tidy = (n: number): string => String(Number.parseFloat(n.toPrecision(12)));

/** A threshold in its unit, the same in every locale: `3×`, `3:1`, `5 %`, `200`. */
function thresholdText(value: number, unit: Unit): string {
  switch (unit) {
    case 'multiple':
      return `${tidy(value)}×`;
    case 'ratio':
      return `${tidy(value)}:1`;
    case 'percent':
      return `${tidy(value * 100)} %`;
    case 'days':
      return `${tidy(value)} days`;
    default:
      return tidy(value);
  }
}

/** `Churn rate` → `churn rate` inside a sentence; acronyms (`ROAS`, `LTV/CAC`) stay. */
function inSentence(name: string): string {
  const [first = '', second = ''] = name;
  return second === second.toLowerCase() ? first.toLowerCase() + name.slice(1) : name;
}

/**
 * How `value` stands against the KPI's benchmark: a `>=` floor is met or `below`, a `<=`
 * benchmark is met (`within`) or `above`. Null without a value or a benchmark.
 */
export function benchmarkStatus(
  kpi: Pick<KpiDefinition, 'id' | 'name' | 'unit' | 'benchmark'>,
  value: number | null,
  model: BusinessModel,
): BenchmarkStatus | null {
  const { benchmark } = kpi;
  if (benchmark === undefined || !usable(value)) return null;
  const threshold = benchmark.byModel ? benchmark.byModel[model] : benchmark.value;
  const name = `${thresholdText(threshold, kpi.unit)} ${inSentence(kpi.name.en)}`;
  if (benchmark.comparator === '>=') {
    return value >= threshold
      ? { status: 'meets', text: `meets the ${name} floor`, short: 'meets floor' }
      : { status: 'below', text: `below the ${name} floor`, short: 'below floor' };
  }
  return value <= threshold
    ? { status: 'meets', text: `within the ${name} benchmark`, short: 'within benchmark' }
    : { status: 'above', text: `above the ${name} benchmark`, short: 'above benchmark' };
}
