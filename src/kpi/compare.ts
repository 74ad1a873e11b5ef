// Judging KPI values: a period against another (change and verdict by the KPI's good
// direction) and a value against the benchmark the reference texts give. Pure.
import { ANSWER_WORDS, type BenchmarkSide } from '../messages/answer.ts';
import { langOf, wordsFor } from '../messages/lang.ts';
import { roundsToZero } from './precision.ts';
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

/**
 * current vs previous for a KPI whose good direction is `good`. With `unit`, a change that
 * rounds to zero at the precision `current` is shown with (src/kpi/precision.ts) is `unchanged`:
 * a verdict must not call a change better or worse that its own figure shows as nothing.
 */
export function compareValues(
  current: number | null,
  previous: number | null,
  good: GoodDirection,
  unit?: Unit,
): Delta {
  if (!usable(current) || !usable(previous)) {
    return { change: null, changePct: null, verdict: 'unknown' };
  }
  const change = current - previous;
  const changePct = previous === 0 ? null : change / Math.abs(previous);
  const scale = Math.max(Math.abs(current), Math.abs(previous));
  let verdict: Verdict;
  if (Math.abs(change) <= TOLERANCE * scale) verdict = 'unchanged';
  else if (unit !== undefined && roundsToZero(change, current, unit)) verdict = 'unchanged';
  else if (good === 'neutral') verdict = 'neutral';
  else verdict = change > 0 === (good === 'up') ? 'better' : 'worse';
  return { change, changePct, verdict };
}

export interface BenchmarkStatus {
  status: 'meets' | 'below' | 'above';
  /** The floor or benchmark the value was judged against, in the KPI's unit. */
  threshold: number;
  text: string;
  /** The status in two words, for table rows: `meets floor`, `below floor`, `within benchmark`… */
  short: string;
}

/** Drops float noise (0.07 × 100 = 7.000000000000001) from a round threshold. */
const tidy = (n: number): string => String(Number.parseFloat(n.toPrecision(12)));

/** A threshold in its unit, the same in every locale: `3×`, `3:1`, `5 %`, `200`. */
function thresholdText(value: number, unit: Unit, days: string): string {
  switch (unit) {
    case 'multiple':
      return `${tidy(value)}×`;
    case 'ratio':
      return `${tidy(value)}:1`;
    case 'percent':
      return `${tidy(value * 100)} %`;
    case 'days':
      return `${tidy(value)} ${days}`;
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
 * benchmark is met (`within`) or `above`. Null without a value or a benchmark. Its words are
 * in the language of `locale` (src/messages/answer.ts).
 */
export function benchmarkStatus(
  kpi: Pick<KpiDefinition, 'id' | 'name' | 'unit' | 'benchmark'>,
  value: number | null,
  model: BusinessModel,
  locale = 'en',
): BenchmarkStatus | null {
  const { benchmark } = kpi;
  if (benchmark === undefined || !usable(value)) return null;
  const threshold = benchmark.byModel ? benchmark.byModel[model] : benchmark.value;
  const words = wordsFor(ANSWER_WORDS, locale);
  // `3× ROAS` in English; `3× för ROAS` in Swedish, where the name follows the threshold.
  const limit = thresholdText(threshold, kpi.unit, words.days);
  const name =
    langOf(locale) === 'sv'
      ? `${limit} för ${inSentence(kpi.name.sv)}`
      : `${limit} ${inSentence(kpi.name.en)}`;
  const floor = benchmark.comparator === '>=';
  const met = floor ? value >= threshold : value <= threshold;
  const side: BenchmarkSide = floor
    ? met
      ? 'meets-floor'
      : 'below-floor'
    : met
      ? 'within'
      : 'above';
  const status = met ? 'meets' : floor ? 'below' : 'above';
  return {
    status,
    threshold,
    text: words.benchmark(side, name),
    short: words.benchmarkShort(side),
  };
}
