// Answers a parsed KPI question: resolves periods, fetches aggregates in as few queries as
// possible (one per distinct filter, every period at once), applies formulas, formats.

import type { Catalog } from '../kpi/catalog.ts';
import { benchmarkStatus, compareValues } from '../kpi/compare.ts';
import { annualiseChurn, evaluateKpi, requiredMeasures } from '../kpi/evaluate.ts';
import { mergeFilters } from '../kpi/filters.ts';
import type { Formatter } from '../kpi/format.ts';
import { daysInRange, precedingPeriods, previousPeriod, sameLastYear } from '../kpi/periods.ts';
import type {
  BusinessModel,
  DateRange,
  Dimension,
  Filters,
  KpiDefinition,
  MeasureAggregate,
  Period,
} from '../kpi/types.ts';
import { ANSWER_WORDS } from '../messages/answer.ts';
import { wordsFor } from '../messages/lang.ts';
import { localLabel } from '../messages/periods.ts';
import type { Db } from '../store/db.ts';
import { type AggregateRow, aggregateMeasures } from '../store/facts.ts';
import type { AskResult, ComparisonAnswer, GroupAnswer, KpiAnswer } from './answer.ts';

export interface AskQuery {
  kpis: KpiDefinition[];
  period: Period;
  /** `note`: how the periods were made comparable (a running period cut to its days with data). */
  compare?: { against: string; period: Period; note?: string };
  groupBy?: Dimension;
  filters: Filters;
  /** Also compute the last 8 periods of the same length (sparklines). */
  withHistory: boolean;
}

export interface AskDeps {
  db: Db;
  catalog: Catalog;
  format: Formatter;
  businessModel: BusinessModel;
}

export const HISTORY_LENGTH = 8;

function rangeKey(r: DateRange): string {
  return `${r.start}..${r.end}`;
}

/** Collects the distinct date ranges one query must cover, remembering each one's index. */
class RangeSet {
  readonly ranges: DateRange[] = [];
  private readonly index = new Map<string, number>();
  add(r: DateRange): number {
    const key = rangeKey(r);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.ranges.length;
      this.ranges.push({ start: r.start, end: r.end });
      this.index.set(key, i);
    }
    return i;
  }
  indexOf(r: DateRange): number {
    return this.index.get(rangeKey(r)) ?? -1;
  }
}

type Values = Map<string, MeasureAggregate>;

/** Aggregates keyed by range index, then group key ('' for the total). */
function collect(rows: AggregateRow[]): Map<number, Map<string, Values>> {
  const out = new Map<number, Map<string, Values>>();
  for (const row of rows) {
    const byGroup = out.get(row.period) ?? new Map<string, Values>();
    out.set(row.period, byGroup);
    const key = row.group ?? '';
    const values = byGroup.get(key) ?? new Map<string, MeasureAggregate>();
    byGroup.set(key, values);
    values.set(row.measure, row.agg);
  }
  return out;
}

const EMPTY: Values = new Map();

interface FilterBatch {
  filters: Filters | null;
  kpis: KpiDefinition[];
}

function batchByFilter(query: AskQuery): FilterBatch[] {
  const batches = new Map<string, FilterBatch>();
  for (const kpi of query.kpis) {
    const filters = mergeFilters(query.filters, kpi.filter);
    const key = JSON.stringify(filters);
    const batch = batches.get(key) ?? { filters, kpis: [] };
    batch.kpis.push(kpi);
    batches.set(key, batch);
  }
  return [...batches.values()];
}

export async function ask(question: string, query: AskQuery, deps: AskDeps): Promise<AskResult> {
  const answers = new Map<string, KpiAnswer>();
  await Promise.all(
    batchByFilter(query).map(async (batch) => {
      for (const answer of await answerBatch(batch, query, deps))
        answers.set(answer.kpi.id, answer);
    }),
  );
  return {
    question,
    filters: query.filters,
    answers: query.kpis.map((k) => answers.get(k.id)!),
  };
}

async function answerBatch(
  batch: FilterBatch,
  query: AskQuery,
  deps: AskDeps,
): Promise<KpiAnswer[]> {
  const needs = batch.kpis.map((k) => requiredMeasures(deps.catalog, k.id));
  const measures = [...new Set(needs.flatMap((n) => n.measures))];
  const needsPrevious = needs.some((n) => n.needsPrevious);

  const main = [query.period, ...(query.compare ? [query.compare.period] : [])];
  const history = query.withHistory ? precedingPeriods(query.period, HISTORY_LENGTH) : [];
  const ranges = new RangeSet();
  for (const p of [...main, ...history]) {
    ranges.add(p);
    if (needsPrevious) ranges.add(previousPeriod(p));
  }
  const groupRanges = new RangeSet();
  if (query.groupBy) {
    for (const p of main) {
      groupRanges.add(p);
      if (needsPrevious) groupRanges.add(previousPeriod(p));
    }
  }

  const [totals, groups] =
    batch.filters === null
      ? [new Map<number, Map<string, Values>>(), new Map<number, Map<string, Values>>()]
      : await Promise.all([
          aggregateMeasures(deps.db, {
            measures,
            periods: ranges.ranges,
            filters: batch.filters,
          }).then(collect),
          query.groupBy
            ? aggregateMeasures(deps.db, {
                measures,
                periods: groupRanges.ranges,
                filters: batch.filters,
                groupBy: query.groupBy,
              }).then(collect)
            : Promise.resolve(new Map<number, Map<string, Values>>()),
        ]);

  const valueIn = (
    data: Map<number, Map<string, Values>>,
    set: RangeSet,
    kpi: KpiDefinition,
    p: Period,
    group = '',
  ): number | null => {
    const current = data.get(set.indexOf(p))?.get(group) ?? EMPTY;
    const prevIndex = set.indexOf(previousPeriod(p));
    const previous = prevIndex >= 0 ? (data.get(prevIndex)?.get(group) ?? EMPTY) : undefined;
    return evaluateKpi(deps.catalog, kpi.id, current, previous);
  };

  return batch.kpis.map((kpi, i) => {
    const kpiMeasures = needs[i]!.measures;
    const value = valueIn(totals, ranges, kpi, query.period);
    const periodValues = totals.get(ranges.indexOf(query.period))?.get('') ?? EMPTY;
    const benchmark = benchmarkStatus(kpi, value, deps.businessModel, deps.format.locale);
    const answer: KpiAnswer = {
      kpi: {
        id: kpi.id,
        name: kpi.name,
        formula: kpi.formula,
        unit: kpi.unit,
        good: kpi.good,
        tier: deps.catalog.tierOf(kpi.id),
      },
      period: query.period,
      value,
      formatted: deps.format.value(value, kpi.unit, benchmark?.threshold),
      missingMeasures: kpiMeasures.filter((m) => !periodValues.has(m)),
    };
    const note = coverageNote(query.period, kpiMeasures, periodValues, deps.format.locale);
    if (note) answer.coverageNote = note;
    const annualised =
      kpi.id === 'churn_rate' && query.period.grain === 'month' ? annualiseChurn(value) : null;
    if (annualised !== null)
      answer.annualised = {
        value: annualised,
        formatted: deps.format.value(annualised, 'percent'),
      };
    if (benchmark) answer.benchmark = benchmark;
    if (isBlended(kpi, kpiMeasures, batch.filters)) answer.blended = true;
    if (query.compare) {
      const compareValue = valueIn(totals, ranges, kpi, query.compare.period);
      answer.comparison = comparison(kpi, value, query.compare, compareValue, deps.format);
      const compared = totals.get(ranges.indexOf(query.compare.period))?.get('') ?? EMPTY;
      const uneven = unevenCoverage(
        kpiMeasures,
        { period: query.period, values: periodValues },
        { period: query.compare.period, values: compared },
        deps.format.locale,
      );
      if (uneven && value !== null && compareValue !== null) {
        answer.comparison.verdict = 'unknown';
        answer.comparison.unevenCoverage = uneven;
      }
    }
    if (query.groupBy) {
      answer.breakdown = {
        dimension: query.groupBy,
        groups: breakdown(kpi, query, groups, groupRanges, valueIn, deps),
      };
      if (answer.benchmark) {
        answer.benchmark = {
          ...answer.benchmark,
          text: benchmarkHeadline(answer, deps.format.locale),
        };
      }
    }
    if (query.withHistory) {
      answer.history = history.map((p) => ({
        period: { start: p.start, end: p.end },
        value: valueIn(totals, ranges, kpi, p),
      }));
    }
    return answer;
  });
}

function comparison(
  kpi: KpiDefinition,
  value: number | null,
  compare: NonNullable<AskQuery['compare']>,
  compareValue: number | null,
  format: Formatter,
): ComparisonAnswer {
  const delta = compareValues(value, compareValue, kpi.good, kpi.unit);
  return {
    ...(compare.note ? { note: compare.note } : {}),
    against: compare.against,
    period: compare.period,
    value: compareValue,
    formatted: format.value(compareValue, kpi.unit),
    change: delta.change,
    changePct: delta.changePct,
    verdict: delta.verdict,
    changeFormatted: format.change(delta.change, kpi.unit, value),
    changePctFormatted: format.pct(delta.changePct),
  };
}

function breakdown(
  kpi: KpiDefinition,
  query: AskQuery,
  groups: Map<number, Map<string, Values>>,
  set: RangeSet,
  valueIn: (
    data: Map<number, Map<string, Values>>,
    set: RangeSet,
    kpi: KpiDefinition,
    p: Period,
    group?: string,
  ) => number | null,
  deps: AskDeps,
): GroupAnswer[] {
  const keys = new Set<string>();
  for (const byGroup of groups.values()) for (const key of byGroup.keys()) keys.add(key);
  const rows: GroupAnswer[] = [...keys].map((key) => {
    const value = valueIn(groups, set, kpi, query.period, key);
    const benchmark = benchmarkStatus(kpi, value, deps.businessModel, deps.format.locale);
    const formatted = deps.format.value(value, kpi.unit, benchmark?.threshold);
    const row: GroupAnswer = { key, value, formatted };
    if (benchmark) row.benchmark = benchmark;
    if (query.compare) {
      const previous = valueIn(groups, set, kpi, query.compare.period, key);
      const delta = compareValues(value, previous, kpi.good, kpi.unit);
      row.comparison = { value: previous, ...delta };
    }
    return row;
  });
  // Largest first; groups without a value last, then by name so the order is stable.
  return rows.sort(
    (a, b) =>
      (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY) ||
      a.key.localeCompare(b.key),
  );
}

interface Side {
  period: Period;
  values: ReadonlyMap<string, MeasureAggregate>;
}

/** The smallest share of the period's days that a measure has data for (0 without data). */
function share(side: Side, measures: string[]): number {
  const total = daysInRange(side.period);
  return Math.min(...measures.map((m) => (side.values.get(m)?.days ?? 0) / total));
}

/**
 * Why two periods cannot be judged better or worse: their data covers different shares of
 * their days (`December 2026 to date has data for 2 of 3 days, November 2026 for 30 of 30`).
 */
export function unevenCoverage(
  measures: string[],
  a: Side,
  b: Side,
  locale = 'en',
): string | undefined {
  if (measures.length === 0 || Math.abs(share(a, measures) - share(b, measures)) < 1e-9) {
    return undefined;
  }
  const days = (side: Side) => Math.min(...measures.map((m) => side.values.get(m)?.days ?? 0));
  return wordsFor(ANSWER_WORDS, locale).uneven(
    localLabel(a.period.label, locale),
    days(a),
    daysInRange(a.period),
    localLabel(b.period.label, locale),
    days(b),
    daysInRange(b.period),
  );
}

/** Paid spend: it comes from the paid channels only. */
const SPEND_MEASURES = new Set(['ad_spend', 'marketing_cost']);

/**
 * A ratio of spend and a measure every channel adds to (ROAS: all revenue, organic and email
 * included, over all ad spend), over all channels: blended, not any channel's own figure.
 */
function isBlended(kpi: KpiDefinition, measures: string[], filters: Filters | null): boolean {
  const filtered = filters === null || Object.values(filters).some((v) => v && v.length > 0);
  return !filtered && kpi.formula.includes('/') && measures.some((m) => SPEND_MEASURES.has(m));
}

/** Groups off the floor named in the headline, the worst first; the rest are counted. */
const HEADLINE_GROUPS = 5;

/**
 * The headline's benchmark with the groups off it named, worst first:
 * `blended 10,5× meets the 3× ROAS floor; 3 of 5 campaigns are below it: retarget 2,2×, …`.
 */
function benchmarkHeadline(a: KpiAnswer, locale: string): string {
  const { benchmark, breakdown } = a;
  if (!benchmark || !breakdown) return benchmark?.text ?? '';
  const words = wordsFor(ANSWER_WORDS, locale);
  const judged = breakdown.groups.filter((g) => g.benchmark);
  const off = judged.filter((g) => g.benchmark?.status !== 'meets');
  const head = `${a.blended ? `${words.blended} ` : ''}${a.formatted} ${benchmark.text}`;
  const dimension = breakdown.dimension;
  if (judged.length === 0) return head;
  if (off.length === 0) {
    // A `<=` benchmark is met from below: its groups are within it.
    const within = benchmark.short === words.benchmarkShort('within');
    return `${head}; ${words.allMeet(judged.length, dimension, within)}`;
  }
  const side = off[0]!.benchmark!.status;
  const worst = [...off].sort((x, y) =>
    side === 'below' ? (x.value ?? 0) - (y.value ?? 0) : (y.value ?? 0) - (x.value ?? 0),
  );
  const named = worst
    .slice(0, HEADLINE_GROUPS)
    .map((g) => `${g.key || words.none} ${g.formatted}`)
    .join(', ');
  const more = off.length - HEADLINE_GROUPS;
  const names = more > 0 ? words.andMore(named, more) : named;
  return `${head}; ${words.offBenchmark(off.length, judged.length, dimension, side === 'above', names)}`;
}

/** Says when the data does not cover the whole period, so a low number is not mistaken for a drop. */
export function coverageNote(
  period: Period,
  measures: string[],
  values: ReadonlyMap<string, MeasureAggregate>,
  locale = 'en',
): string | undefined {
  const words = wordsFor(ANSWER_WORDS, locale);
  const total = daysInRange(period);
  const gaps: string[] = [];
  for (const m of measures) {
    const agg = values.get(m);
    if (!agg || agg.days >= total) continue;
    const detail =
      agg.lastDay < period.end
        ? words.dataUntil(agg.lastDay)
        : agg.firstDay > period.start
          ? words.dataFrom(agg.firstDay)
          : words.daysMissing(total - agg.days);
    gaps.push(words.measureDays(m, agg.days, total, detail));
  }
  const partial = period.partial
    ? words.periodInProgress(
        localLabel(period.label, locale),
        period.partial.elapsedDays,
        period.partial.totalDays,
      )
    : undefined;
  const parts = [partial, gaps.length > 0 ? words.notCovered(gaps) : undefined];
  const text = parts.filter(Boolean).join('. ');
  return text || undefined;
}

export function resolveCompare(
  target: { kind: 'previous' } | { kind: 'last-year' },
  period: Period,
): NonNullable<AskQuery['compare']> {
  return target.kind === 'previous'
    ? { against: 'previous', period: previousPeriod(period) }
    : { against: 'last-year', period: sameLastYear(period) };
}
