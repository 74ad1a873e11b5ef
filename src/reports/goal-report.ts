// Where each goal stands for a summary's period: pacing for totals, the period's value against
// the target for ratios. Reads the store; the arithmetic is pacing.ts's.
//
// - A goal on a total (`revenue 500000 kr per month`) is judged over the `per` unit containing the
//   summary's last day (a weekly summary of week 47 judges November so far), as of the day after
//   the summary's period (or today, for a running one). The total to date is summed over the
//   complete days; the last day with data stops the count (a late source is not a drop). When
//   every day of last year's same unit has data, the expected share is weighted by it.
//   No data at all in the unit so far → `no_data` (not "off track").
// - A goal on a ratio without `per` (`roas >= 4x`) compares the summary period's value. With
//   `per` (`churn_rate <= 5% per month`) it compares the last complete `per` unit ending on or
//   before the summary's last day, and says which one.

import { isAdditiveTotal } from '../kpi/evaluate.ts';
import { mergeFilters } from '../kpi/filters.ts';
import { localName } from '../kpi/names.ts';
import { addDays, daysInRange, sameLastYear, todayIn } from '../kpi/periods.ts';
import type { KpiDefinition, Period } from '../kpi/types.ts';
import { GOAL_WORDS } from '../messages/goals.ts';
import { wordsFor } from '../messages/lang.ts';
import { localLabel } from '../messages/periods.ts';
import type { KpiAnswer } from '../query/answer.ts';
import { ask } from '../query/ask.ts';
import { aggregateMeasures } from '../store/facts.ts';
import type { ReportDeps } from './deps.ts';
import type { Goal, GoalReport } from './goal.ts';
import { asOfDay, earlier, lastCompleteUnit, unitContaining } from './goal-periods.ts';
import { pace, pacingGoalReport, ratioGoalReport } from './pacing.ts';

export interface GoalReportOptions {
  /** The summary's period. */
  period: Period;
  /** Answers for the summary's period (one per KPI), reused for ratio goals without `per`. */
  answers: readonly KpiAnswer[];
  /** Today in the summary's timezone. */
  today: string;
}

/** How a KPI is named inside a sentence: `revenue`, `new customers`, but `ROAS`. */
export function sentenceName(name: string): string {
  const first = name.slice(0, 2);
  return first === first.toUpperCase() ? name : name.charAt(0).toLowerCase() + name.slice(1);
}

function subjectOf(deps: ReportDeps, kpi: KpiDefinition) {
  return {
    name: sentenceName(localName(kpi.name, deps.config.locale)),
    unit: kpi.unit,
    locale: deps.config.locale,
  };
}

/** The goals' reports, in the goals' order. */
export async function reportGoals(
  deps: ReportDeps,
  goals: readonly Goal[],
  opts: GoalReportOptions,
): Promise<GoalReport[]> {
  return Promise.all(goals.map((goal) => reportGoal(deps, goal, opts)));
}

async function reportGoal(
  deps: ReportDeps,
  goal: Goal,
  opts: GoalReportOptions,
): Promise<GoalReport> {
  const kpi = deps.catalog.get(goal.kpi);
  if (!kpi) {
    return {
      goal,
      status: 'no_data',
      text: wordsFor(GOAL_WORDS, deps.config.locale).notInCatalog(goal.kpi),
    };
  }
  if (goal.per !== undefined && isAdditiveTotal(deps.catalog, kpi.id)) {
    return paceGoal(deps, goal, kpi, opts);
  }
  return valueGoal(deps, goal, kpi, opts);
}

async function paceGoal(
  deps: ReportDeps,
  goal: Goal,
  kpi: KpiDefinition,
  opts: GoalReportOptions,
): Promise<GoalReport> {
  const per = goal.per ?? 'month';
  const unit = unitContaining(per, opts.period.end);
  const asOf = asOfDay(opts.period, opts.today);
  const through = earlier(addDays(asOf, -1), unit.end);
  const subject = subjectOf(deps, kpi);
  const filters = mergeFilters({}, kpi.filter);
  const expr = deps.catalog.formulaOf(kpi.id);
  const measure = expr.type === 'ref' ? expr.name : kpi.id;

  let actual = 0;
  let dataThrough: string | null = null;
  if (through >= unit.start && filters !== null) {
    const [row] = await aggregateMeasures(deps.db, {
      measures: [measure],
      periods: [{ start: unit.start, end: through }],
      filters,
    });
    if (row) {
      actual = row.agg.sum;
      dataThrough = row.agg.lastDay;
    } else {
      return {
        goal,
        status: 'no_data',
        text: wordsFor(GOAL_WORDS, subject.locale).noDataYet(
          subject.name,
          localLabel(unit.label, subject.locale),
          deps.format.value(goal.target, kpi.unit),
        ),
      };
    }
  }
  const lastYearDaily =
    filters === null ? undefined : await lastYearDays(deps, measure, unit, filters);
  const pacing = pace({
    target: goal.target,
    comparator: goal.comparator,
    periodStart: unit.start,
    periodEnd: unit.end,
    today: asOf,
    dataThrough,
    actualToDate: actual,
    ...(lastYearDaily ? { lastYearDaily } : {}),
  });
  const report = pacingGoalReport(goal, pacing, deps.format, subject);
  const w = wordsFor(GOAL_WORDS, subject.locale);
  const label = localLabel(unit.label, subject.locale);
  const weighted = pacing.method === 'last_year' ? `, ${w.pacedLikeLastYear}` : '';
  return { ...report, text: `${report.text} (${label}${weighted})` };
}

/** Daily totals of last year's same unit, oldest first; undefined unless every day has data. */
async function lastYearDays(
  deps: ReportDeps,
  measure: string,
  unit: Period,
  filters: NonNullable<ReturnType<typeof mergeFilters>>,
): Promise<number[] | undefined> {
  const last = sameLastYear(unit);
  const days = daysInRange(last);
  const ranges = Array.from({ length: days }, (_, i) => {
    const day = addDays(last.start, i);
    return { start: day, end: day };
  });
  const rows = await aggregateMeasures(deps.db, { measures: [measure], periods: ranges, filters });
  if (rows.length < days) return undefined;
  const daily = new Array<number>(days).fill(0);
  for (const r of rows) daily[r.period] = r.agg.sum;
  return daily;
}

async function valueGoal(
  deps: ReportDeps,
  goal: Goal,
  kpi: KpiDefinition,
  opts: GoalReportOptions,
): Promise<GoalReport> {
  const subject = subjectOf(deps, kpi);
  let over: Period = opts.period;
  if (goal.per !== undefined) over = lastCompleteUnit(goal.per, opts.period.end);
  const same = over.start === opts.period.start && over.end === opts.period.end;
  let value: number | null;
  const known = same ? opts.answers.find((a) => a.kpi.id === kpi.id) : undefined;
  if (known) value = known.value;
  else {
    const result = await ask(
      `goal ${goal.id}`,
      { kpis: [kpi], period: over, filters: {}, withHistory: false },
      {
        db: deps.db,
        catalog: deps.catalog,
        format: deps.format,
        businessModel: deps.config.businessModel,
      },
    );
    value = result.answers[0]?.value ?? null;
  }
  const report = ratioGoalReport(goal, value, deps.format, subject);
  const label = localLabel(over.label, subject.locale);
  return same
    ? report
    : { ...report, text: wordsFor(GOAL_WORDS, subject.locale).inPeriod(report.text, label) };
}

/** Today in `timeZone` at `now` (re-exported for callers that build the options). */
export function todayFor(deps: ReportDeps, now: Date, timeZone?: string): string {
  const ctx = deps.periodContext(now);
  return todayIn(timeZone ? { ...ctx, timeZone } : ctx);
}
