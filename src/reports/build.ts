// Builds a summary from the store: every catalog KPI asked at once (against the previous period,
// with history for the sparklines), goals, the pinned KPIs, which KPIs may be headline movers,
// drivers for the business KPIs that moved notably, data freshness and missing days; optionally
// the business KPIs by channel for the thread reply.
// The numbers are ask()'s, so the summary says exactly what `/kpi <kpi> <period> vs previous` says.

import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import { requiredMeasures } from '../kpi/evaluate.ts';
import { addDays, parsePeriod, todayIn } from '../kpi/periods.ts';
import type { Period } from '../kpi/types.ts';
import type { KpiAnswer } from '../query/answer.ts';
import { type AskDeps, ask, resolveCompare } from '../query/ask.ts';
import { freshness } from '../store/facts.ts';
import { periodContextIn, type ReportDeps } from './deps.ts';
import { driverLines, type MovedKpi } from './driver-groups.ts';
import { isNotableMove } from './drivers.ts';
import { missingDays } from './fact-days.ts';
import { reportGoals } from './goal-report.ts';
import { allGoals } from './goals.ts';
import { moverExclusions } from './mover-volume.ts';
import { effectivePins, minVolume } from './pins.ts';
import { composeSummary, type Summary } from './summary.ts';

export type SummaryKind = 'weekly' | 'monthly';

export interface SummaryOptions {
  /** A period phrase (`last-week`, `2026-W47`, `mtd`…); default from `kind`. */
  period?: string;
  /** The instant the period is resolved against; default the clock. */
  now?: Date;
  /** weekly → `last-week`, monthly → `last-month` when no period is given (default weekly). */
  kind?: SummaryKind;
  /** Default: the configured timezone. */
  timeZone?: string;
  /** Posted after its scheduled time (caught up after downtime). */
  late?: boolean;
  /** Also ask the business KPIs by channel, for the thread reply. */
  breakdown?: boolean;
}

export interface SummaryReport {
  summary: Summary;
  /** The business KPIs by channel against the previous period (empty unless asked for). */
  breakdown: KpiAnswer[];
  /** Every catalog KPI's answer the summary was composed from. */
  answers: KpiAnswer[];
}

/** The period phrase cannot be understood: the message says why and what would work. */
export class SummaryPeriodError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.SummaryPeriod, message, opts);
  }
}

export const DEFAULT_SUMMARY_PERIOD: Record<SummaryKind, string> = {
  weekly: 'last-week',
  monthly: 'last-month',
};

function askDeps(deps: ReportDeps): AskDeps {
  return {
    db: deps.db,
    catalog: deps.catalog,
    format: deps.format,
    businessModel: deps.config.businessModel,
  };
}

/** The measures of every catalog KPI that have ever had data (so "missing" means something). */
function measuresWithData(deps: ReportDeps, known: ReadonlySet<string>): string[] {
  const all = deps.catalog.list().flatMap((k) => requiredMeasures(deps.catalog, k.id).measures);
  return [...new Set(all)].filter((m) => known.has(m));
}

export async function buildSummaryReport(
  deps: ReportDeps,
  opts: SummaryOptions = {},
): Promise<SummaryReport> {
  const now = opts.now ?? deps.now();
  const ctx = periodContextIn(deps, now, opts.timeZone);
  const today = todayIn(ctx);
  const phrase = opts.period ?? DEFAULT_SUMMARY_PERIOD[opts.kind ?? 'weekly'];
  const parsed = parsePeriod(phrase, ctx);
  if (!parsed.ok) throw new SummaryPeriodError(parsed.error);
  const period = parsed.period;
  const compare = resolveCompare({ kind: 'previous' }, period);
  const kpis = deps.catalog.list();
  const business = kpis.filter((k) => deps.catalog.tierOf(k.id) === 'business');

  const [result, breakdown, goals, fresh, pins, moverExcluded] = await Promise.all([
    ask(
      `summary ${period.phrase}`,
      { kpis, period, compare, filters: {}, withHistory: true },
      askDeps(deps),
    ),
    opts.breakdown && business.length > 0
      ? ask(
          `summary ${period.phrase} by channel`,
          { kpis: business, period, compare, groupBy: 'channel', filters: {}, withHistory: false },
          askDeps(deps),
        ).then((r) => r.answers)
      : Promise.resolve([]),
    allGoals(deps),
    freshness(deps.db),
    effectivePins(deps),
    moverExclusions(
      deps,
      business,
      { current: period, previous: compare.period },
      minVolume(deps.config.summary),
    ),
  ]);
  const answers = result.answers;

  const moved: MovedKpi[] = answers
    .filter(
      (a) =>
        deps.catalog.tierOf(a.kpi.id) === 'business' &&
        isNotableMove(a.comparison?.changePct ?? null),
    )
    .flatMap((a) => {
      const kpi = deps.catalog.get(a.kpi.id);
      return kpi ? [{ kpi, before: compare.period, now: period }] : [];
    });
  const checkedThrough = period.end < today ? period.end : addDays(today, -1);
  const [goalReports, drivers, missing] = await Promise.all([
    reportGoals(deps, goals, { period, answers, today }),
    driverLines(deps, moved),
    checkedThrough >= period.start
      ? missingDays(deps.db, measuresWithData(deps, new Set(fresh.map((f) => f.measure))), {
          start: period.start,
          end: checkedThrough,
        })
      : Promise.resolve([]),
  ]);

  const summary = composeSummary({
    period,
    previousPeriod: compare.period,
    timeZone: ctx.timeZone,
    answers,
    goals: goalReports,
    tiers: (id) => deps.catalog.tierOf(id),
    drivers,
    freshness: fresh.map((f) => ({ source: f.source, measure: f.measure, lastDay: f.lastDay })),
    missingDays: missing,
    late: opts.late ?? false,
    locale: deps.config.locale,
    pinned: pins.map((p) => p.id),
    moverExclusions: moverExcluded,
  });
  return { summary, breakdown, answers };
}

/** The summary alone (see buildSummaryReport). Throws SummaryPeriodError on a bad period. */
export async function buildSummary(deps: ReportDeps, opts: SummaryOptions = {}): Promise<Summary> {
  return (await buildSummaryReport(deps, opts)).summary;
}

/** For callers that only need to check a phrase before building. */
export function resolveSummaryPeriod(
  deps: ReportDeps,
  phrase: string,
  now: Date,
  timeZone?: string,
): { ok: true; period: Period } | { ok: false; error: string } {
  return parsePeriod(phrase, periodContextIn(deps, now, timeZone));
}
