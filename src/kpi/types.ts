// Shared vocabulary of the KPI domain. Pure types: no I/O, no app imports.

/** A calendar date as `YYYY-MM-DD`, meaningful in the configured timezone. */
export type IsoDate = string;

/** Inclusive calendar dates, as people say them ("1–7 June"). */
export interface DateRange {
  start: IsoDate;
  /** Inclusive last day. Inside SQL this becomes the half-open `[start, end + 1 day)`. */
  end: IsoDate;
}

export type PeriodGrain = 'day' | 'week' | 'month' | 'quarter' | 'year' | 'days' | 'range';

/** A resolved period: what a phrase such as `last-week` or `mtd` means on a given day. */
export interface Period extends DateRange {
  /** The phrase as the user wrote it, normalised (`last-week`). */
  phrase: string;
  /** Human label, e.g. `week 47 2026`, `November 2026`, `2026-11-01 – 2026-11-12`. */
  label: string;
  grain: PeriodGrain;
  /**
   * Present when the period is still running (this-week, mtd, ytd…): it covers
   * `elapsedDays` of the calendar unit's `totalDays`. `start..end` then ends today.
   */
  partial?: { elapsedDays: number; totalDays: number };
}

export type MeasureKind = 'additive' | 'snapshot' | 'average';

export interface MeasureDefinition {
  id: string;
  kind: MeasureKind;
  description: string;
}

export type Unit = 'percent' | 'currency' | 'multiple' | 'ratio' | 'count' | 'days' | 'position';
export type GoodDirection = 'up' | 'down' | 'neutral';
export type Tier = 'business' | 'context';
export type Dimension = 'channel' | 'campaign';

/** Filters by dimension value, e.g. `{ channel: ['organic'] }`. Several values are OR-ed. */
export type Filters = Partial<Record<Dimension, string[]>>;

export interface KpiDefinition {
  id: string;
  name: { sv: string; en: string };
  aliases: string[];
  /** Formula in the expression language of `expression.ts`, over measures and other KPI ids. */
  formula: string;
  unit: Unit;
  good: GoodDirection;
  tier: Tier;
  /** Dimension filter that is part of the definition (organic_* KPIs). */
  filter?: Filters;
  description: string;
  /** A floor or benchmark the reference texts give, e.g. ROAS ≥ 3×. */
  benchmark?: {
    comparator: '>=' | '<=';
    value: number;
    /** A threshold that depends on the business model (ROAS: 3× e-commerce, 5× services). */
    byModel?: { ecommerce: number; services: number };
    note: string;
  };
  /** Worked example from the reference texts, shown by `/kpi explain`. */
  example?: string;
}

/**
 * One measure aggregated over one period (and group): every statistic the
 * engine may need, so that the formula picks the one the measure's kind calls for.
 */
export interface MeasureAggregate {
  /** Sum of all facts (additive measures). */
  sum: number;
  /** Mean over the facts (average measures). */
  avg: number;
  /** Sum over series of each series' first value in the period (snapshot, opening). */
  opening: number;
  /** Sum over series of each series' last value in the period (snapshot, closing). */
  closing: number;
  /** Number of distinct days with at least one fact. */
  days: number;
  firstDay: IsoDate;
  lastDay: IsoDate;
}

/** Aggregates for one period and group, by measure id. A missing key means no facts. */
export type MeasureValues = ReadonlyMap<string, MeasureAggregate>;

/** One daily fact as it enters the store. `channel`/`campaign` are '' when the source has none. */
export interface FactInput {
  day: IsoDate;
  measure: string;
  value: number;
  channel: string;
  campaign: string;
}

/** What the business sells: it decides which benchmarks apply (e.g. CAC payback) and defaults. */
export type BusinessModel = 'ecommerce' | 'services';
