// The query module of `/kpi`: KPI questions (whatever no other module claims), the catalog
// (`list`, `explain <kpi>`) and `status` (data freshness), each a module of the command registry.

import type { Catalog } from '../kpi/catalog.ts';
import { type ChannelVocabulary, canonicalFilters, namesOfChannels } from '../kpi/channels.ts';
import { requiredMeasures } from '../kpi/evaluate.ts';
import type { Formatter } from '../kpi/format.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import { findMeasure } from '../kpi/measures.ts';
import {
  addDays,
  cutPartial,
  PERIOD_EXAMPLES,
  type PeriodContext,
  parsePeriod,
  todayIn,
} from '../kpi/periods.ts';
import type {
  BusinessModel,
  DateRange,
  IsoDate,
  KpiDefinition,
  MeasureKind,
} from '../kpi/types.ts';
import { ANSWER_WORDS } from '../messages/answer.ts';
import { ERROR_WORDS } from '../messages/errors.ts';
import { wordsFor } from '../messages/lang.ts';
import { type CommandContext, type CommandModule, error } from '../reply/command.ts';
import type { ArrivalConfig } from '../sources/arrival.ts';
import { arrivalsFor } from '../sources/arrivals.ts';
import type { Db } from '../store/db.ts';
import { freshness, lastDaysByMeasure, listDimensionValues } from '../store/facts.ts';
import { listSourceSyncs } from '../store/source-syncs.ts';
import { type AskQuery, ask, resolveCompare } from './ask.ts';
import { type KpiQueryText, parseCommand } from './grammar.ts';
import type { CatalogEntry, ExplainOutcome, QueryOutcome, StatusOutcome } from './outcome.ts';
import { type KnownValues, readQuestion } from './reader.ts';
import { buildStatus } from './status.ts';
import { typoOutcome, unknownValueOutcome, unknownWordsOutcome } from './unknown.ts';

/** What the query modules need from the app (Services satisfies it). */
export interface QueryDeps {
  db: Db;
  catalog: Catalog;
  /** Channels in `channel=…` are read through it (`facebook` → meta). */
  channels: ChannelVocabulary;
  format: Formatter;
  now(): Date;
  periodContext(now?: Date): PeriodContext;
  config: {
    defaultPeriod: string;
    businessModel: BusinessModel;
    /** How sources' data arrives, by facts.source (the others' cadence is learned). */
    arrivals?: Readonly<Record<string, ArrivalConfig>>;
  };
}

export const QUERY_EXAMPLES = [
  '/kpi roas last-week',
  '/kpi roas last-week vs previous by channel',
  '/kpi cac,conversion_rate,ltv_cac last-month vs last-year',
  '/kpi ctr last-7-days channel=meta',
  '/kpi konverteringsgrad förra-veckan per kanal',
  '/kpi vad var roas för google ads i oktober?',
  '/kpi explain churn_rate',
];

/** KPI questions and the catalog: the registry's fall-through (no words of its own). */
export const queryCommands: CommandModule<QueryDeps, QueryOutcome> = {
  name: 'query',
  words: [],
  examples: QUERY_EXAMPLES,
  run: (text, ctx, deps) => runQuestion(text, ctx, deps),
};

export const statusCommands: CommandModule<QueryDeps, StatusOutcome> = {
  name: 'status',
  words: ['status', 'freshness', 'färskhet'],
  examples: ['/kpi status'],
  run: async (_text, ctx, deps) => {
    const rows = await freshness(deps.db);
    const period = deps.periodContext(ctx.now);
    const arrivals = await arrivalsFor(
      deps.db,
      [...new Set(rows.map((r) => r.measure))],
      period.now,
      period.timeZone,
      deps.config.arrivals ?? {},
    );
    return buildStatus(
      rows,
      todayIn(period),
      await listSourceSyncs(deps.db),
      [...arrivals.bySource.values()].sort((a, b) => a.source.localeCompare(b.source)),
      deps.format.locale,
    );
  },
};

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

/**
 * A question in the strict grammar is answered as typed; anything else goes through the reader
 * (reader.ts), and the answer says how it was read.
 */
async function runQuestion(
  text: string,
  ctx: CommandContext,
  deps: QueryDeps,
): Promise<QueryOutcome> {
  const locale = deps.format.locale;
  const parsed = parseCommand(text, locale);
  switch (parsed.kind) {
    case 'list':
      return listOutcome(deps.catalog);
    case 'explain': {
      const found = resolveKpi(deps.catalog, parsed.kpiWords);
      if (!found.ok) return unknownKpi(parsed.kpiWords, found.suggestions, locale);
      return explain(found.kpi, deps);
    }
    default:
  }
  const periodContext = { ...deps.periodContext(ctx.now ?? deps.now()), locale };
  if (parsed.kind === 'query' && isStrict(parsed, deps.catalog, periodContext)) {
    return answerQuery(parsed, text.trim(), ctx, deps);
  }
  const known = await knownValues(deps.db);
  // A channel may be named by an alias too (`för facebook`): answerQuery says how it reads.
  const named = {
    ...known,
    channel: [...known.channel, ...namesOfChannels(deps.channels, known.channel)],
  };
  const read = readQuestion(text, { catalog: deps.catalog, periodContext, known: named });
  if (read.kind === 'refused') {
    if (parsed.kind === 'syntax-error') return error(parsed.message, QUERY_EXAMPLES);
    // Known KPIs and a period nothing reads (`roas last-fortnight-ish`): the period's own error.
    const kpisOnly = read.partial !== undefined && !read.partial.includes(' ');
    if (
      kpisOnly &&
      parsed.kind === 'query' &&
      parsed.kpiWords.every((w) => resolveKpi(deps.catalog, w).ok)
    ) {
      return answerQuery(parsed, text.trim(), ctx, deps);
    }
    const firstWord = parsed.kind === 'query' ? parsed.kpiWords[0] : undefined;
    if (firstWord && !read.partial) {
      const found = resolveKpi(deps.catalog, firstWord);
      if (!found.ok && read.unplaced.length > 0) {
        return unknownKpi(firstWord, found.suggestions, locale);
      }
    }
    if (!read.partial) return error(read.message, QUERY_EXAMPLES);
    return {
      ...error(wordsFor(ERROR_WORDS, locale).withoutIt(read.message, read.partial), QUERY_EXAMPLES),
      retry: read.partial,
    };
  }
  if (read.corrections.length > 0) return typoOutcome(read.corrections, read.command, locale);
  if (read.unknownValues.length > 0) {
    return unknownWordsOutcome(read.unknownValues, known, read.command, locale);
  }
  const canonical = parseCommand(read.command, locale);
  if (canonical.kind !== 'query') {
    return error(wordsFor(ERROR_WORDS, locale).whichKpiShort, QUERY_EXAMPLES);
  }
  return answerQuery(canonical, read.command, ctx, deps, known, read.command);
}

/** Whether the strict grammar understood every part: the KPIs, the period and the comparison. */
function isStrict(parsed: KpiQueryText, catalog: Catalog, ctx: PeriodContext): boolean {
  if (parsed.kpiWords.length === 0) return false;
  if (!parsed.kpiWords.every((w) => resolveKpi(catalog, w).ok)) return false;
  if (parsed.period !== undefined && !parsePeriod(parsed.period, ctx).ok) return false;
  return parsed.compare?.kind !== 'period' || parsePeriod(parsed.compare.phrase, ctx).ok;
}

async function knownValues(db: Db): Promise<KnownValues> {
  const [channel, campaign] = await Promise.all([
    listDimensionValues(db, 'channel'),
    listDimensionValues(db, 'campaign'),
  ]);
  return { channel, campaign };
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

function listOutcome(catalog: Catalog): QueryOutcome {
  const all = catalog.list().map((k) => entry(catalog, k));
  return {
    kind: 'list',
    business: all.filter((k) => k.tier === 'business'),
    context: all.filter((k) => k.tier === 'context'),
  };
}

function unknownKpi(word: string, suggestions: string[], locale: string): QueryOutcome {
  return error(
    wordsFor(ERROR_WORDS, locale).unknownKpi(word),
    ['/kpi list', ...QUERY_EXAMPLES.slice(0, 2)],
    suggestions,
  );
}

async function explain(kpi: KpiDefinition, deps: QueryDeps): Promise<ExplainOutcome> {
  const { measures } = requiredMeasures(deps.catalog, kpi.id);
  const lastDays = await lastDaysByMeasure(deps.db, measures);
  const outcome: ExplainOutcome = {
    kind: 'explain',
    kpi: entry(deps.catalog, kpi),
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
  parsed: KpiQueryText,
  text: string,
  ctx: CommandContext,
  deps: QueryDeps,
  knownAlready?: KnownValues,
  reading?: string,
): Promise<QueryOutcome> {
  const kpis: KpiDefinition[] = [];
  for (const word of parsed.kpiWords) {
    const found = resolveKpi(deps.catalog, word);
    if (!found.ok) return unknownKpi(word, found.suggestions, deps.format.locale);
    if (!kpis.some((k) => k.id === found.kpi.id)) kpis.push(found.kpi);
  }
  if (kpis.length === 0) {
    return error(wordsFor(ERROR_WORDS, deps.format.locale).whichKpiShort, QUERY_EXAMPLES);
  }
  // Aliases first (`facebook` reads as meta), then what is left must exist in the store.
  const { filters, readings } = canonicalFilters(deps.channels, parsed.filters);
  if (Object.values(filters).some((v) => v && v.length > 0)) {
    const known = knownAlready ?? (await knownValues(deps.db));
    const unknown = unknownValueOutcome({ ...parsed, filters }, known, deps.format.locale);
    if (unknown) return unknown;
  }
  const now = ctx.now ?? deps.now();
  const periodCtx = { ...deps.periodContext(now), locale: deps.format.locale };
  const phrase = parsed.period ?? deps.config.defaultPeriod;
  const period = parsePeriod(phrase, periodCtx);
  if (!period.ok) return periodError(period.error);

  let main = period.period;
  let compare: AskQuery['compare'];
  if (parsed.compare?.kind === 'period') {
    const other = parsePeriod(parsed.compare.phrase, periodCtx);
    if (!other.ok) return periodError(other.error);
    compare = { against: other.period.phrase, period: other.period };
  } else if (parsed.compare) {
    const lastDay = await lastDayWithData(kpis, deps);
    main = lastDay ? cutPartial(main, lastDay) : main;
    compare = resolveCompare(parsed.compare, main);
    if (main !== period.period) {
      compare.note = wordsFor(ANSWER_WORDS, deps.format.locale).comparedOver(
        dates(main),
        dates(compare.period),
        dates({ start: addDays(main.end, 1), end: period.period.end }),
      );
    }
  }

  const result = await ask(
    text,
    {
      kpis,
      period: main,
      compare,
      groupBy: parsed.groupBy,
      filters,
      withHistory: true,
    },
    {
      db: deps.db,
      catalog: deps.catalog,
      format: deps.format,
      businessModel: deps.config.businessModel,
    },
  );
  if (readings.length > 0) result.channelReadings = readings;
  return {
    kind: 'answer',
    result,
    query: text,
    now: now.toISOString(),
    ...(reading ? { reading } : {}),
  };
}

/**
 * The last day every measure of `kpis` has data for (measures with no data at all aside), so
 * a running period is compared only over days it has: today, not loaded yet, is left out.
 */
async function lastDayWithData(
  kpis: KpiDefinition[],
  deps: QueryDeps,
): Promise<IsoDate | undefined> {
  const measures = kpis.flatMap((k) => requiredMeasures(deps.catalog, k.id).measures);
  const days = [...(await lastDaysByMeasure(deps.db, measures)).values()];
  return days.sort()[0];
}

function dates(r: DateRange): string {
  return r.start === r.end ? r.start : `${r.start} – ${r.end}`;
}

function periodError(message: string): QueryOutcome {
  return error(
    message,
    PERIOD_EXAMPLES.map((p) => `/kpi roas ${p}`),
  );
}
