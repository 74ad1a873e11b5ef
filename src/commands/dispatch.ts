// Runs one `/kpi …` command (Slack or `kpibot ask`) and returns a plain outcome for the views.

import { isAlertCommand, runAlertCommand } from '../alerts/commands.ts';
import type { Catalog } from '../kpi/catalog.ts';
import { requiredMeasures } from '../kpi/evaluate.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import { findMeasure } from '../kpi/measures.ts';
import { PERIOD_EXAMPLES, parsePeriod, todayIn } from '../kpi/periods.ts';
import type { KpiDefinition, MeasureKind, Period } from '../kpi/types.ts';
import { runReportCommand } from '../reports/commands.ts';
import type { Services } from '../services.ts';
import { freshness, lastDaysByMeasure } from '../store/facts.ts';
import { ask, resolveCompare } from './ask.ts';
import { type ParsedCommand, parseCommand } from './grammar.ts';
import type { CatalogEntry, CommandContext, CommandOutcome, ExplainOutcome } from './outcome.ts';
import { buildStatus } from './status.ts';

export const QUERY_EXAMPLES = [
  'roas last-week',
  'roas last-week vs previous by channel',
  'cac,conversion_rate,ltv_cac last-month vs last-year',
  'ctr last-7-days channel=meta',
  'konverteringsgrad förra-veckan per kanal',
  'explain churn_rate',
];

const AGGREGATION: Record<MeasureKind, string> = {
  additive: 'summed over the period',
  snapshot: 'value at the period’s start (opening) or end (closing), summed across channels',
  average: 'mean over the days with data',
};

const CONVENTIONS: Record<string, string[]> = {
  churn_rate: [
    'Churn window: the calendar period — customers lost during it / customers at its start.',
    'Customers who signed up and left within the same period are counted (daily facts cannot tell them apart).',
    'Annualised churn compounds: 1 − (1 − monthly)¹² (5 % a month ≈ 46 % a year).',
  ],
  ltv: [
    'LTV from churn: ARPU for the period / churn rate for the same period (no smoothing); no data when churn is 0.',
  ],
  ltv_cac: [
    'LTV as above, CAC = (marketing_cost + sales_cost) / new_customers for the same period.',
  ],
};

/** Told when a command changed alert rules or subscriptions, so schedules follow at once. */
export interface CommandHooks {
  onSchedulesChanged?: () => void;
}

export async function runCommand(
  text: string,
  ctx: CommandContext,
  services: Services,
  hooks: CommandHooks = {},
): Promise<CommandOutcome> {
  if (isAlertCommand(text)) {
    return runAlertCommand(text, ctx, { ...services, onRulesChanged: hooks.onSchedulesChanged });
  }
  const report = await runReportCommand(text, ctx, services, {
    onSubscriptionsChanged: hooks.onSchedulesChanged,
  });
  if (report) return report;
  const parsed = parseCommand(text);
  return dispatch(parsed, text.trim(), ctx, services);
}

async function dispatch(
  parsed: ParsedCommand,
  text: string,
  ctx: CommandContext,
  services: Services,
): Promise<CommandOutcome> {
  switch (parsed.kind) {
    case 'help':
      return {
        kind: 'help',
        defaultPeriod: services.config.defaultPeriod,
        examples: QUERY_EXAMPLES,
      };
    case 'list':
      return listOutcome(services.catalog);
    case 'status':
      return buildStatus(await freshness(services.db), todayIn(services.periodContext(ctx.now)));
    case 'syntax-error':
      return { kind: 'error', message: parsed.message, examples: QUERY_EXAMPLES };
    case 'explain': {
      const found = resolveKpi(services.catalog, parsed.kpiWords);
      if (!found.ok) return unknownKpi(parsed.kpiWords, found.suggestions);
      return explain(found.kpi, services);
    }
    case 'query':
      return answerQuery(parsed, text, ctx, services);
  }
}

function entry(catalog: Catalog, kpi: KpiDefinition): CatalogEntry {
  return {
    id: kpi.id,
    name: kpi.name,
    formula: kpi.formula,
    unit: kpi.unit,
    good: kpi.good,
    tier: catalog.tierOf(kpi.id),
    aliases: kpi.aliases,
    description: kpi.description,
  };
}

function listOutcome(catalog: Catalog): CommandOutcome {
  const all = catalog.list().map((k) => entry(catalog, k));
  return {
    kind: 'list',
    business: all.filter((k) => k.tier === 'business'),
    context: all.filter((k) => k.tier === 'context'),
  };
}

function unknownKpi(word: string, suggestions: string[]): CommandOutcome {
  return {
    kind: 'error',
    message: `I don't know the KPI \`${word}\`.`,
    suggestions,
    examples: ['/kpi list', ...QUERY_EXAMPLES.slice(0, 2)],
  };
}

async function explain(kpi: KpiDefinition, services: Services): Promise<ExplainOutcome> {
  const { measures } = requiredMeasures(services.catalog, kpi.id);
  const lastDays = await lastDaysByMeasure(services.db, measures);
  const outcome: ExplainOutcome = {
    kind: 'explain',
    kpi: entry(services.catalog, kpi),
    measures: measures.map((id) => {
      const kind = findMeasure(id)?.kind ?? 'additive';
      return { id, kind, aggregation: AGGREGATION[kind], lastDay: lastDays.get(id) ?? null };
    }),
    conventions: [
      'Each measure is aggregated over the whole period (or group) first, then the formula is applied.',
      ...(CONVENTIONS[kpi.id] ?? []),
    ],
  };
  if (kpi.benchmark) outcome.benchmark = kpi.benchmark.note;
  if (kpi.example) outcome.example = kpi.example;
  return outcome;
}

async function answerQuery(
  parsed: Extract<ParsedCommand, { kind: 'query' }>,
  text: string,
  ctx: CommandContext,
  services: Services,
): Promise<CommandOutcome> {
  const kpis: KpiDefinition[] = [];
  for (const word of parsed.kpiWords) {
    const found = resolveKpi(services.catalog, word);
    if (!found.ok) return unknownKpi(word, found.suggestions);
    if (!kpis.some((k) => k.id === found.kpi.id)) kpis.push(found.kpi);
  }
  if (kpis.length === 0) {
    return { kind: 'error', message: 'Which KPI?', examples: QUERY_EXAMPLES };
  }
  const now = ctx.now ?? services.now();
  const periodCtx = services.periodContext(now);
  const phrase = parsed.period ?? services.config.defaultPeriod;
  const period = parsePeriod(phrase, periodCtx);
  if (!period.ok) return periodError(period.error);

  let compare: { against: string; period: Period } | undefined;
  if (parsed.compare?.kind === 'period') {
    const other = parsePeriod(parsed.compare.phrase, periodCtx);
    if (!other.ok) return periodError(other.error);
    compare = { against: other.period.phrase, period: other.period };
  } else if (parsed.compare) {
    compare = resolveCompare(parsed.compare, period.period);
  }

  const result = await ask(
    text,
    {
      kpis,
      period: period.period,
      compare,
      groupBy: parsed.groupBy,
      filters: parsed.filters,
      withHistory: true,
    },
    {
      db: services.db,
      catalog: services.catalog,
      format: services.format,
      businessModel: services.config.businessModel,
    },
  );
  return { kind: 'answer', result, query: text, now: now.toISOString() };
}

function periodError(error: string): CommandOutcome {
  return { kind: 'error', message: error, examples: PERIOD_EXAMPLES.map((p) => `/kpi roas ${p}`) };
}
