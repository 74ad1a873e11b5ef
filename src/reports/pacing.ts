// Pacing of a goal on an additive KPI (a total: revenue, new_customers, ad_spend…) over a
// calendar period, and the status of a goal on a ratio KPI. Pure: dates and numbers in, a
// verdict with its reason out; "today" is passed in (injected clock).
//
// Decisions:
// - Elapsed days are COMPLETE days: the period's days up to and including yesterday (data is
//   daily, and today's is partial). `dataThrough` (the last day with data, optional) lowers that
//   further, so a source that is a day late does not look like a revenue drop.
// - Expected share of the target by the end of the elapsed days: linear (elapsed / total days),
//   or weighted by last year's same period when its daily values are given: the share of last
//   year's total that fell in the first k days. When last year's period has another length
//   (February in a leap year), its cumulative share is read at the same fraction of the period,
//   interpolating between days. Unusable weights (empty, negative, all zero, or a zero share for
//   the elapsed days) fall back to linear, and `method` says which was used.
// - Projection = actual / expected share (linear: actual / elapsed × total).
// - Status for `>=` goals: on track when the projection reaches the target (the same as actual ≥
//   expected to date), at risk from 90 % of it, off track below. For `<=` goals (caps) it is
//   inverted: on track while the projection stays within the cap, at risk up to 110 % of it,
//   off track above.
// - Early guard against false alarms: `too_early` while fewer than max(3 days, 10 % of the
//   period) are complete (a month: its first 3 days; a year: its first 36). Facts beat the
//   guard: a `>=` goal already reached is on track, a cap already exceeded is off track.
// - `neededPerDay` = (target − actual) / remaining days: for a `>=` goal what each remaining day
//   must bring (0 once met), for a `<=` goal the daily budget left (negative once exceeded).
//   Null when no day remains.

import { addDays, daysInRange } from '../kpi/periods.ts';
import type { IsoDate, Unit } from '../kpi/types.ts';
import { GOAL_WORDS } from '../messages/goals.ts';
import { wordsFor } from '../messages/lang.ts';
import type { Goal, GoalComparator, GoalPer, GoalReport } from './goal.ts';

/** At risk down to this share of the target (`>=`), or up to its inverse share over a cap (`<=`). */
export const AT_RISK_SHARE = 0.9;
export const AT_RISK_CAP_SHARE = 1.1;
/** Early guard: too early while fewer complete days than max(MIN_DAYS, MIN_SHARE × period). */
export const EARLY_MIN_DAYS = 3;
export const EARLY_MIN_SHARE = 0.1;

export type PacingStatus = 'on_track' | 'at_risk' | 'off_track' | 'too_early';

export interface PacingInput {
  /** The goal's total for the whole period, in the KPI's base unit. */
  target: number;
  /** Default `>=`. */
  comparator?: GoalComparator;
  /** Inclusive first and last day of the goal's calendar period. */
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** Today in the configured timezone (injected clock). Only days before it count as complete. */
  today: IsoDate;
  /** Last day with data, when it is before yesterday: elapsed days stop there. */
  dataThrough?: IsoDate | null;
  /** The KPI's total over the complete days (periodStart .. the last elapsed day). */
  actualToDate: number;
  /** Last year's same-period daily values, oldest first, to weight the expected share. */
  lastYearDaily?: readonly number[];
}

export interface Pacing {
  comparator: GoalComparator;
  target: number;
  actualToDate: number;
  /** Complete days counted, 0 … totalDays. */
  elapsedDays: number;
  totalDays: number;
  remainingDays: number;
  /** The period is over: the status is final. */
  ended: boolean;
  /** Share of the target expected by now, 0 … 1. */
  expectedShare: number;
  expectedToDate: number;
  /** Where the total ends at this pace; null before the first complete day. */
  projection: number | null;
  /**
   * How far the projection misses the goal, positive when it misses: target − projection for
   * `>=`, projection − target for `<=` (negative = beating the goal). Null with no projection.
   */
  shortfall: number | null;
  /** `shortfall / target`. */
  shortfallPct: number | null;
  /** (target − actual) / remaining days; 0 once a `>=` goal is met; null when no day remains. */
  neededPerDay: number | null;
  status: PacingStatus;
  method: 'linear' | 'last_year';
  /** Why this status, for logs and "why did it say that?". */
  reason: string;
}

/** Complete days of [start, end] before `today` (and through `dataThrough`), clamped to the period. */
function completeDays(input: PacingInput, totalDays: number): number {
  let through = addDays(input.today, -1);
  if (input.dataThrough != null && input.dataThrough < through) through = input.dataThrough;
  if (through < input.periodStart) return 0;
  if (through >= input.periodEnd) return totalDays;
  return daysInRange({ start: input.periodStart, end: through });
}

/** Cumulative share of last year's total after `fraction` of the period, or undefined if unusable. */
function weightedShare(daily: readonly number[], fraction: number): number | undefined {
  if (daily.length === 0 || daily.some((v) => !Number.isFinite(v) || v < 0)) return undefined;
  const total = daily.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const position = fraction * daily.length;
  const whole = Math.floor(position);
  let sum = 0;
  for (let k = 0; k < whole; k++) sum += daily[k] ?? 0;
  sum += (position - whole) * (daily[whole] ?? 0);
  return Math.min(1, sum / total);
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** Pacing of a total against its goal. See the decisions at the top of this file. */
export function pace(input: PacingInput): Pacing {
  const comparator = input.comparator ?? '>=';
  const { target, actualToDate: actual } = input;
  const totalDays = Math.max(1, daysInRange({ start: input.periodStart, end: input.periodEnd }));
  const elapsedDays = completeDays(input, totalDays);
  const remainingDays = totalDays - elapsedDays;
  const ended = remainingDays === 0;

  const linear = elapsedDays / totalDays;
  const weighted =
    input.lastYearDaily === undefined || elapsedDays === 0
      ? undefined
      : weightedShare(input.lastYearDaily, linear);
  const useWeights = weighted !== undefined && weighted > 0;
  const expectedShare = useWeights ? weighted : linear;
  const method = useWeights ? 'last_year' : 'linear';
  const expectedToDate = target * expectedShare;

  const projection = expectedShare > 0 ? actual / expectedShare : null;
  const shortfall =
    projection === null ? null : comparator === '>=' ? target - projection : projection - target;
  const shortfallPct = shortfall === null || target === 0 ? null : shortfall / target;
  const neededPerDay =
    remainingDays === 0
      ? null
      : comparator === '>=' && actual >= target
        ? 0
        : (target - actual) / remainingDays;

  const base = {
    comparator,
    target,
    actualToDate: actual,
    elapsedDays,
    totalDays,
    remainingDays,
    ended,
    expectedShare,
    expectedToDate,
    projection,
    shortfall,
    shortfallPct,
    neededPerDay,
    method,
  } as const;
  const days = `${elapsedDays} of ${totalDays} days`;
  const paceText = `actual ${round(actual)} vs ${round(expectedToDate)} expected after ${days} (${method})`;

  // Facts first: a met minimum or a broken cap is not a projection.
  if (comparator === '>=' && actual >= target) {
    return {
      ...base,
      status: 'on_track',
      reason: `target ${round(target)} already reached: ${paceText}`,
    };
  }
  if (comparator === '<=' && actual > target) {
    return {
      ...base,
      status: 'off_track',
      reason: `cap ${round(target)} already exceeded: ${paceText}`,
    };
  }
  const earlyDays = Math.min(totalDays, Math.max(EARLY_MIN_DAYS, EARLY_MIN_SHARE * totalDays));
  if (projection === null || elapsedDays < earlyDays) {
    return {
      ...base,
      status: 'too_early',
      reason: `only ${days} complete (the first max(${EARLY_MIN_DAYS}, ${EARLY_MIN_SHARE * 100} %) are too early to judge)`,
    };
  }
  const [onTrack, atRisk] =
    comparator === '>='
      ? [projection >= target, projection >= AT_RISK_SHARE * target]
      : [projection <= target, projection <= AT_RISK_CAP_SHARE * target];
  const status: PacingStatus = onTrack ? 'on_track' : atRisk ? 'at_risk' : 'off_track';
  return {
    ...base,
    status,
    reason: `projection ${round(projection)} vs target ${round(target)} (${comparator}): ${paceText}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Goals on ratio KPIs (and any KPI valued over the report's period)

export interface RatioGoalResult {
  status: 'met' | 'missed' | 'no_data';
  /** value − target, in the KPI's unit; null without a value. */
  difference: number | null;
  /** |value − target| / |target|: by how much it is met or missed; null without a value or target. */
  differencePct: number | null;
}

/** Compares a period's value with the goal: met when `value <comparator> target` holds. */
export function ratioGoalStatus(
  value: number | null,
  goal: Pick<Goal, 'comparator' | 'target'>,
): RatioGoalResult {
  if (value === null || !Number.isFinite(value)) {
    return { status: 'no_data', difference: null, differencePct: null };
  }
  const met = goal.comparator === '>=' ? value >= goal.target : value <= goal.target;
  const difference = value - goal.target;
  return {
    status: met ? 'met' : 'missed',
    difference,
    differencePct: goal.target === 0 ? null : Math.abs(difference) / Math.abs(goal.target),
  };
}

// ---------------------------------------------------------------------------------------------
// Messages

/** The number formatting these messages need; `createFormatter` from kpi/format.ts fits. */
export interface GoalFormatter {
  /** A value in the KPI's unit, e.g. `412 000 kr`; with unit `percent` a fraction as `18 %`. */
  value(v: number, unit: Unit, against?: number): string;
}

/** What the messages say about the KPI. */
export interface GoalSubject {
  /** How the KPI is named in the sentence: `revenue`, `ad spend`. */
  name: string;
  unit: Unit;
  /** The goal's period, for "ends the month". */
  per?: GoalPer;
  /** The language of the message (src/messages/goals.ts); English when not given. */
  locale?: string;
}

/**
 * One line about a pacing goal, e.g. "at this pace revenue ends the month at 412 000 kr, 18 %
 * short; 29 000 kr a day needed from here".
 */
export function pacingMessage(p: Pacing, fmt: GoalFormatter, subject: GoalSubject): string {
  /** A value shown next to the target: with the decimals that tell the two apart. */
  const v = (n: number) => fmt.value(n, subject.unit, p.target);
  const pct = (n: number) => fmt.value(Math.abs(n), 'percent');
  const { name } = subject;
  const w = wordsFor(GOAL_WORDS, subject.locale ?? 'en');
  const when = w.when(subject.per);
  const cap = p.comparator === '<=';

  if (p.ended) {
    const gap = p.comparator === '>=' ? p.target - p.actualToDate : p.actualToDate - p.target;
    const gapPct = p.target === 0 ? 0 : gap / p.target;
    if (gap <= 0) return w.endedWithin(name, when, v(p.actualToDate), v(p.target), cap);
    return w.endedOff(name, when, v(p.actualToDate), pct(gapPct), v(p.target), cap);
  }
  if (p.comparator === '>=' && p.actualToDate >= p.target) {
    return w.reached(name, v(p.target), v(p.actualToDate));
  }
  if (p.comparator === '<=' && p.actualToDate > p.target) {
    return w.alreadyOver(name, v(p.actualToDate), v(p.target), when);
  }
  if (p.status === 'too_early' || p.projection === null || p.shortfallPct === null) {
    return w.tooEarly(p.elapsedDays, p.totalDays, name, v(p.actualToDate), v(p.target));
  }
  const ends = w.ends(name, when, v(p.projection));
  const perDay = p.neededPerDay === null ? '' : v(Math.abs(p.neededPerDay));
  if (p.comparator === '>=') {
    if (p.status === 'on_track') return w.aboveGoal(ends, pct(p.shortfallPct), v(p.target));
    return w.short(ends, pct(p.shortfallPct), perDay);
  }
  if (p.status === 'on_track') return w.underCap(ends, pct(p.shortfallPct), v(p.target));
  return w.overCap(ends, pct(p.shortfallPct), v(p.target), perDay);
}

/** One line about a goal on a ratio KPI, e.g. "goal ≥ 4×: met (4.3×, 8 % above)". */
export function ratioGoalMessage(
  r: RatioGoalResult,
  goal: Pick<Goal, 'comparator' | 'target'>,
  value: number | null,
  fmt: GoalFormatter,
  subject: Pick<GoalSubject, 'unit' | 'locale'>,
): string {
  const w = wordsFor(GOAL_WORDS, subject.locale ?? 'en');
  const sign = goal.comparator === '>=' ? '≥' : '≤';
  const head = w.ratioHead(sign, fmt.value(goal.target, subject.unit));
  if (r.status === 'no_data' || value === null) return `${head}: ${w.noData}`;
  const side = (r.difference ?? 0) >= 0 ? w.above : w.below;
  const by =
    r.differencePct === null || r.difference === 0
      ? ''
      : `, ${fmt.value(r.differencePct, 'percent')} ${side}`;
  return `${head}: ${w.ratioStatus[r.status]} (${fmt.value(value, subject.unit, goal.target)}${by})`;
}

/** A pacing goal as the summary shows it. */
export function pacingGoalReport(
  goal: Goal,
  p: Pacing,
  fmt: GoalFormatter,
  subject: Omit<GoalSubject, 'per'>,
): GoalReport {
  const text = pacingMessage(p, fmt, { ...subject, per: goal.per });
  if (!p.ended) return { goal, status: p.status, text };
  const met = goal.comparator === '>=' ? p.actualToDate >= p.target : p.actualToDate <= p.target;
  return { goal, status: met ? 'met' : 'missed', text };
}

/** A ratio goal as the summary shows it. */
export function ratioGoalReport(
  goal: Goal,
  value: number | null,
  fmt: GoalFormatter,
  subject: Pick<GoalSubject, 'unit' | 'locale'>,
): GoalReport {
  const r = ratioGoalStatus(value, goal);
  return { goal, status: r.status, text: ratioGoalMessage(r, goal, value, fmt, subject) };
}
