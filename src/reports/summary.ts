// The weekly/monthly summary: composed from plain inputs into a plain `Summary`, then rendered to
// the terminal (`renderSummaryText`) and to Block Kit (`renderSummaryBlocks`, and the thread
// reply `renderBreakdownBlocks`). Pure: numbers arrive formatted in the answers and goal reports.
//
// Decisions:
// - The tier of a KPI is `tiers(id)` (the catalog with the team's overrides), never the tier in
//   the answer. Business KPIs fill `business` and `more`, context metrics fill `context`, and
//   every renderer draws all of `business` before any of `context`: no context metric ever
//   appears above a business KPI.
// - `business` (the message): the KPIs with goals (in the order of the goals list), then the
//   pinned KPIs (pins.ts) in their order. A goal on a KPI without an answer still gets a row
//   ("—"). Every other business KPI goes to `more` (the thread reply, with the breakdown), in
//   the order of the answers, those without data last.
// - The headline's biggest movers are picked from every business KPI (the headline sits above
//   them all) except those `moverExclusions` names (movers.ts: no change of a change, enough
//   volume), and say how they moved: `ROAS 4.2× → 3.6× (−0.6×, −14%)`.
// - Headline: "4 of 6 goals on track" counts on_track and met; at risk, off track (and missed),
//   too early and no data are named after it when present.
// - Footer: per source the last day with data (the latest of its measures), flagged when it is
//   before the period's end; missing days are listed per measure as date ranges, never averaged.
// - Block Kit: header, headline, business KPIs as section fields (10 per section), a divider,
//   context metrics as context blocks (10 elements each, visibly secondary), the footer. When a
//   catalog would break Slack's limits (50 blocks), context metrics are cut first, then business
//   ones, each with "…and N more".
import type { KnownBlock, SectionBlock } from '@slack/types';
import { localName } from '../kpi/names.ts';
import { addDays } from '../kpi/periods.ts';
import type { IsoDate, Period, Tier, Unit } from '../kpi/types.ts';
import { wordsFor } from '../messages/lang.ts';
import { localLabel } from '../messages/periods.ts';
import { SUMMARY_WORDS, type SummaryWords } from '../messages/summary.ts';
import { SUMMARY_PIN_WORDS } from '../messages/summary-pins.ts';
import type { ComparisonAnswer, KpiAnswer } from '../query/answer.ts';
import { breakdownText } from '../query/views/slack-answer.ts';
import { capBlocks, FALLBACK_TEXT_MAX, LIMITS, length, truncate } from '../reply/limits.ts';
import { context, divider, escapeMrkdwn, header, section } from '../reply/mrkdwn.ts';
import { sparkline } from '../reply/sparkline.ts';
import { type GoalReport, type GoalStatus, isGoalOnTrack } from './goal.ts';
import type { MoverExclusion } from './movers.ts';

/** Points in a KPI's sparkline: the last 8 periods. */
export const SPARK_POINTS = 8;

export type Verdict = ComparisonAnswer['verdict'];

export interface FreshnessEntry {
  source: string;
  measure: string;
  lastDay: IsoDate | null;
}

export interface MissingDaysEntry {
  measure: string;
  days: IsoDate[];
}

export interface SummaryInput {
  period: Period;
  previousPeriod: Period;
  timeZone: string;
  /** One answer per KPI, with comparison (against the previous period) and history. */
  answers: readonly KpiAnswer[];
  goals: readonly GoalReport[];
  /** A KPI's tier with the team's overrides applied. */
  tiers: (id: string) => Tier;
  /** Driver lines by KPI id, for the KPIs that moved notably (drivers.ts). */
  drivers: ReadonlyMap<string, string>;
  freshness: readonly FreshnessEntry[];
  missingDays: readonly MissingDaysEntry[];
  /** Posted after its scheduled time (caught up after downtime). */
  late?: boolean;
  /** Picks the KPI names (`sv…` → Swedish); default English. */
  locale?: string;
  /** Default from the period: "Weekly summary — week 47 2026". */
  title?: string;
  /** The pinned KPIs' ids, in order (pins.ts); other business KPIs without goals go to `more`. */
  pinned: readonly string[];
  /** Business KPIs that may not be headline movers, and why (movers.ts). */
  moverExclusions?: ReadonlyMap<string, MoverExclusion>;
}

export interface SummaryChange {
  /** The previous period's value. */
  previousFormatted: string;
  formatted: string;
  pctFormatted: string;
  changePct: number | null;
  verdict: Verdict;
}

export interface SummaryKpi {
  id: string;
  name: string;
  tier: Tier;
  unit: Unit | null;
  value: number | null;
  formatted: string;
  change?: SummaryChange;
  goals: Array<{ status: GoalStatus; text: string }>;
  /** Sparkline values, oldest first (at most SPARK_POINTS). */
  spark: Array<number | null>;
  driver?: string;
  /** Why the value is missing or partial. */
  note?: string;
}

export interface Mover {
  id: string;
  name: string;
  /** The previous period's value and this one's. */
  from: string;
  to: string;
  changeFormatted: string;
  changePct: number;
  pctFormatted: string;
  verdict: Verdict;
}

export interface GoalCounts {
  total: number;
  onTrack: number;
  atRisk: number;
  offTrack: number;
  tooEarly: number;
  noData: number;
}

export interface Summary {
  /** The locale its words are in (src/messages/summary.ts). */
  locale: string;
  title: string;
  period: Period;
  previousPeriod: Period;
  timeZone: string;
  headline: { text: string; goals: GoalCounts; best?: Mover; worst?: Mover };
  business: SummaryKpi[];
  /** The business KPIs for the thread reply: neither with a goal nor pinned. */
  more: { title: string; heading: string; line: string; kpis: SummaryKpi[] };
  context: SummaryKpi[];
  footer: {
    period: string;
    previous: string;
    timeZone: string;
    freshness: Array<{ source: string; lastDay: IsoDate | null; behind: boolean }>;
    missing: Array<{ measure: string; days: IsoDate[]; ranges: string }>;
    late: boolean;
  };
}

// ---------------------------------------------------------------------------------------------
// Composition

function dates(p: { start: string; end: string }): string {
  return p.start === p.end ? p.start : `${p.start} – ${p.end}`;
}

function defaultTitle(p: Period, locale: string): string {
  return wordsFor(SUMMARY_WORDS, locale).title(p.grain, localLabel(p.label, locale));
}

function countGoals(goals: readonly GoalReport[]): GoalCounts {
  const counts: GoalCounts = {
    total: goals.length,
    onTrack: 0,
    atRisk: 0,
    offTrack: 0,
    tooEarly: 0,
    noData: 0,
  };
  for (const { status } of goals) {
    if (isGoalOnTrack(status)) counts.onTrack++;
    else if (status === 'at_risk') counts.atRisk++;
    else if (status === 'off_track' || status === 'missed') counts.offTrack++;
    else if (status === 'too_early') counts.tooEarly++;
    else counts.noData++;
  }
  return counts;
}

function kpiRow(
  a: KpiAnswer,
  tier: Tier,
  goals: readonly GoalReport[],
  input: SummaryInput,
): SummaryKpi {
  const locale = input.locale ?? 'en';
  const w = wordsFor(SUMMARY_WORDS, locale);
  const row: SummaryKpi = {
    id: a.kpi.id,
    // ROAS over all channels is all revenue over all ad spend: said, so it is not read as paid's.
    name: `${localName(a.kpi.name, locale)}${a.blended ? ` ${w.blended}` : ''}`,
    tier,
    unit: a.kpi.unit,
    value: a.value,
    formatted: a.formatted,
    goals: goals.map((g) => ({ status: g.status, text: g.text })),
    spark: (a.history ?? []).slice(-SPARK_POINTS).map((h) => h.value),
  };
  const c = a.comparison;
  if (c) {
    row.change = {
      previousFormatted: c.formatted,
      formatted: c.changeFormatted,
      pctFormatted: c.changePctFormatted,
      changePct: c.changePct,
      verdict: c.verdict,
    };
  }
  const driver = input.drivers.get(a.kpi.id);
  if (driver) row.driver = driver;
  if (a.missingMeasures.length > 0) row.note = w.noDataFor(a.missingMeasures);
  else if (a.coverageNote) row.note = a.coverageNote;
  return row;
}

/** Goal KPIs first (in the goals' order), then the rest in the answers' order. */
function ordered(input: SummaryInput, tier: Tier): SummaryKpi[] {
  const goalsByKpi = new Map<string, GoalReport[]>();
  for (const g of input.goals)
    goalsByKpi.set(g.goal.kpi, [...(goalsByKpi.get(g.goal.kpi) ?? []), g]);
  const answers = new Map(input.answers.map((a) => [a.kpi.id, a]));
  const withGoals: SummaryKpi[] = [];
  for (const [id, goals] of goalsByKpi) {
    if (input.tiers(id) !== tier) continue;
    const a = answers.get(id);
    withGoals.push(
      a
        ? kpiRow(a, tier, goals, input)
        : {
            id,
            name: id,
            tier,
            unit: null,
            value: null,
            formatted: '—',
            goals: goals.map((g) => ({ status: g.status, text: g.text })),
            spark: [],
            note: wordsFor(SUMMARY_WORDS, input.locale ?? 'en').notInAnswers,
          },
    );
  }
  const rest = input.answers
    .filter((a) => input.tiers(a.kpi.id) === tier && !goalsByKpi.has(a.kpi.id))
    .map((a) => kpiRow(a, tier, [], input));
  // KPIs without data go last: the ones the team feeds lead, whatever the catalog's order.
  return [
    ...withGoals,
    ...rest.filter((k) => k.value !== null),
    ...rest.filter((k) => k.value === null),
  ];
}

function movers(
  rows: readonly SummaryKpi[],
  excluded: ReadonlyMap<string, MoverExclusion>,
): { best?: Mover; worst?: Mover } {
  const pick = (verdict: Verdict): Mover | undefined => {
    let top: Mover | undefined;
    for (const r of rows) {
      const c = r.change;
      if (!c || c.verdict !== verdict || c.changePct === null || !Number.isFinite(c.changePct))
        continue;
      if (excluded.has(r.id)) continue;
      if (top === undefined || Math.abs(c.changePct) > Math.abs(top.changePct)) {
        top = {
          id: r.id,
          name: r.name,
          from: c.previousFormatted,
          to: r.formatted,
          changeFormatted: c.formatted,
          changePct: c.changePct,
          pctFormatted: c.pctFormatted,
          verdict,
        };
      }
    }
    return top;
  };
  const best = pick('better');
  const worst = pick('worse');
  return { ...(best ? { best } : {}), ...(worst ? { worst } : {}) };
}

function headlineText(w: SummaryWords, counts: GoalCounts, best?: Mover, worst?: Mover): string {
  const parts: string[] = [];
  if (counts.total === 0) parts.push(w.noGoals);
  else {
    const rest = [
      counts.atRisk > 0 ? w.atRisk(counts.atRisk) : '',
      counts.offTrack > 0 ? w.offTrack(counts.offTrack) : '',
      counts.tooEarly > 0 ? w.tooEarly(counts.tooEarly) : '',
      counts.noData > 0 ? w.withoutData(counts.noData) : '',
    ].filter(Boolean);
    parts.push(w.goalsOnTrack(counts.onTrack, counts.total, rest));
  }
  if (best) parts.push(`${w.best}: ${moverText(best)}`);
  if (worst) parts.push(`${w.worst}: ${moverText(worst)}`);
  return parts.join(' · ');
}

/** `ROAS 4.2× → 3.6× (−0.6×, −14%)`: from the previous value to this one, absolute and relative. */
function moverText(m: Mover): string {
  return `${m.name} ${m.from} → ${m.to} (${m.changeFormatted}, ${m.pctFormatted})`;
}

/** Consecutive days as ranges: `2026-11-18 – 2026-11-19, 2026-11-21`. */
export function dayRanges(days: readonly IsoDate[]): string {
  const sorted = [...new Set(days)].sort();
  const ranges: Array<{ start: IsoDate; end: IsoDate }> = [];
  for (const d of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && addDays(last.end, 1) === d) last.end = d;
    else ranges.push({ start: d, end: d });
  }
  return ranges.map(dates).join(', ');
}

function freshnessBySource(input: SummaryInput): Summary['footer']['freshness'] {
  const sources = new Map<string, IsoDate | null>();
  for (const f of input.freshness) {
    const seen = sources.get(f.source);
    if (!sources.has(f.source)) sources.set(f.source, f.lastDay);
    else if (f.lastDay !== null && (seen === null || seen === undefined || f.lastDay > seen)) {
      sources.set(f.source, f.lastDay);
    }
  }
  return [...sources].map(([source, lastDay]) => ({
    source,
    lastDay,
    behind: lastDay === null || lastDay < input.period.end,
  }));
}

/** Composes the summary (see the decisions at the top of this file). */
export function composeSummary(input: SummaryInput): Summary {
  const allBusiness = ordered(input, 'business');
  const withGoals = new Set(input.goals.map((g) => g.goal.kpi));
  const pinned = input.pinned.flatMap((id) => {
    const row = withGoals.has(id) ? undefined : allBusiness.find((k) => k.id === id);
    return row ? [row] : [];
  });
  const business = [...allBusiness.filter((k) => withGoals.has(k.id)), ...pinned];
  const more = allBusiness.filter((k) => !business.includes(k));
  const contextRows = ordered(input, 'context');
  const goals = countGoals(input.goals);
  const { best, worst } = movers(allBusiness, input.moverExclusions ?? new Map());
  const locale = input.locale ?? 'en';
  const words = wordsFor(SUMMARY_PIN_WORDS, locale);
  const label = (p: Period) => localLabel(p.label, locale);
  return {
    locale,
    title: input.title ?? defaultTitle(input.period, locale),
    period: input.period,
    previousPeriod: input.previousPeriod,
    timeZone: input.timeZone,
    headline: {
      text: headlineText(wordsFor(SUMMARY_WORDS, locale), goals, best, worst),
      goals,
      ...(best ? { best } : {}),
      ...(worst ? { worst } : {}),
    },
    business,
    more: {
      title: words.moreTitle(label(input.period)),
      heading: words.moreHeading,
      line: words.moreLine(more.map((k) => k.name)),
      kpis: more,
    },
    context: contextRows,
    footer: {
      period: `${label(input.period)} (${dates(input.period)})`,
      previous: `${label(input.previousPeriod)} (${dates(input.previousPeriod)})`,
      timeZone: input.timeZone,
      freshness: freshnessBySource(input),
      missing: input.missingDays
        .filter((m) => m.days.length > 0)
        .map((m) => ({ measure: m.measure, days: [...m.days].sort(), ranges: dayRanges(m.days) })),
      late: input.late ?? false,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Shared wording

const VERDICT_EMOJI: Record<string, string> = {
  better: ':large_green_circle:',
  worse: ':red_circle:',
  unchanged: ':white_circle:',
  neutral: ':large_blue_circle:',
  unknown: ':grey_question:',
};

const GOAL_EMOJI: Record<GoalStatus, string> = {
  on_track: ':white_check_mark:',
  met: ':white_check_mark:',
  at_risk: ':warning:',
  off_track: ':x:',
  missed: ':x:',
  too_early: ':hourglass_flowing_sand:',
  no_data: ':grey_question:',
};

function changeText(c: SummaryChange | undefined, w: SummaryWords): string {
  if (!c) return '';
  if (c.verdict === 'unknown') return w.noComparison;
  // A change that rounds to zero is the one word, with no percent or verdict to contradict it.
  if (c.verdict === 'unchanged') return c.formatted;
  const verdict = w.verdict[c.verdict] ? ` ${w.verdict[c.verdict]}` : '';
  return `${c.formatted} (${c.pctFormatted})${verdict}`;
}

function freshnessText(f: Summary['footer']['freshness'][number], w: SummaryWords): string {
  return f.lastDay === null
    ? w.sourceNoData(f.source)
    : w.sourceThrough(f.source, f.lastDay, f.behind);
}

// ---------------------------------------------------------------------------------------------
// Terminal

function textRow(k: SummaryKpi, w: SummaryWords): string[] {
  const spark = k.spark.length >= 2 ? `  ${sparkline(k.spark)}` : '';
  const change = changeText(k.change, w);
  const lines = [`  ${k.name}: ${k.formatted}${change ? `  ${change}` : ''}${spark}`];
  for (const g of k.goals) lines.push(`      [${w.goal[g.status]}] ${g.text}`);
  if (k.driver) lines.push(`      ${w.drivers}: ${k.driver}`);
  if (k.note) lines.push(`      ${w.note}: ${k.note}`);
  return lines;
}

/** The summary as plain text for the terminal (`kpibot summary`). */
export function renderSummaryText(s: Summary): string {
  const w = wordsFor(SUMMARY_WORDS, s.locale);
  const lines = [`${s.title}${s.footer.late ? `  ${w.lateTag}` : ''}`, s.headline.text, ''];
  lines.push(w.business);
  if (s.business.length === 0) lines.push(`  ${w.none}`);
  for (const k of s.business) lines.push(...textRow(k, w));
  if (s.more.kpis.length > 0) {
    lines.push('', s.more.heading);
    for (const k of s.more.kpis) lines.push(...textRow(k, w));
  }
  if (s.context.length > 0) {
    lines.push('', w.context);
    for (const k of s.context) {
      const change =
        k.change && k.change.verdict !== 'unknown' ? ` (${k.change.pctFormatted})` : '';
      lines.push(`  ${k.name}: ${k.formatted}${change}`);
    }
  }
  lines.push('', w.period(s.footer.period, s.footer.previous, s.footer.timeZone));
  if (s.footer.freshness.length > 0) {
    lines.push(`${w.data}: ${s.footer.freshness.map((f) => freshnessText(f, w)).join('; ')}`);
  }
  for (const m of s.footer.missing) lines.push(w.missingDays(m.measure, m.ranges));
  if (s.footer.late) lines.push(`${w.lateNote}: ${w.late}`);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Block Kit

function businessField(k: SummaryKpi, w: SummaryWords): string {
  const lines = [`*${escapeMrkdwn(k.name)}*  ${escapeMrkdwn(k.formatted)}`];
  if (k.change) {
    lines.push(
      `${VERDICT_EMOJI[k.change.verdict] ?? ':white_circle:'} ${escapeMrkdwn(changeText(k.change, w))}`,
    );
  }
  if (k.spark.length >= 2) lines.push(`\`${sparkline(k.spark)}\``);
  for (const g of k.goals) lines.push(`${GOAL_EMOJI[g.status]} ${escapeMrkdwn(g.text)}`);
  if (k.driver) lines.push(`_${escapeMrkdwn(k.driver)}_`);
  if (k.note) lines.push(`:information_source: ${escapeMrkdwn(k.note)}`);
  return truncate(lines.join('\n'), LIMITS.fieldText);
}

function contextElement(k: SummaryKpi): string {
  const change = k.change && k.change.verdict !== 'unknown' ? ` (${k.change.pctFormatted})` : '';
  return truncate(escapeMrkdwn(`${k.name} ${k.formatted}${change}`), LIMITS.text);
}

function fieldSections(fields: readonly string[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    sections.push({
      type: 'section',
      fields: fields.slice(i, i + LIMITS.fields).map((text) => ({ type: 'mrkdwn' as const, text })),
    });
  }
  return sections;
}

/** Items to show in `capacity` slots: all, or capacity − 1 and a closing "…and N more". */
function fitItems<T>(
  items: readonly T[],
  capacity: number,
  render: (t: T) => string,
  more: (n: number) => string,
): string[] {
  if (items.length <= capacity) return items.map(render);
  const kept = Math.max(0, capacity - 1);
  return [...items.slice(0, kept).map(render), more(items.length - kept)];
}

function footerBlock(s: Summary, w: SummaryWords): KnownBlock {
  const f = s.footer;
  return context(
    `${escapeMrkdwn(f.period)} ${w.vs} ${escapeMrkdwn(f.previous)} · ${escapeMrkdwn(f.timeZone)}`,
    f.freshness.length > 0
      ? `${w.data}: ${escapeMrkdwn(f.freshness.map((x) => freshnessText(x, w)).join('; '))}`
      : '',
    f.missing.length > 0
      ? `:warning: ${w.missingDaysSlack}: ${escapeMrkdwn(f.missing.map((m) => `${m.measure} ${m.ranges}`).join('; '))}`
      : '',
    f.late ? `:hourglass: ${w.late}` : '',
  );
}

function fallbackText(s: Summary, w: SummaryWords): string {
  const lines = [
    s.title,
    s.headline.text,
    ...s.business.map(
      (k) => `${k.name}: ${k.formatted}${k.change ? ` ${changeText(k.change, w)}` : ''}`,
    ),
  ];
  return escapeMrkdwn(truncate(lines.join('\n'), FALLBACK_TEXT_MAX));
}

/** The summary as a Slack message within Block Kit's limits (see the decisions at the top). */
export function renderSummaryBlocks(s: Summary): { text: string; blocks: KnownBlock[] } {
  const w = wordsFor(SUMMARY_WORDS, s.locale);
  const top: KnownBlock[] = [
    header(`${s.title}${s.footer.late ? ` ${w.lateTitle}` : ''}`),
    section(escapeMrkdwn(s.headline.text)),
  ];
  const footer = footerBlock(s, w);
  const hasContext = s.context.length > 0;
  // Context needs a divider and at least one block; what is left goes to business sections.
  const hasMore = s.more.kpis.length > 0;
  const reserved = top.length + 1 + (hasContext ? 2 : 0) + (hasMore ? 1 : 0);
  const businessSections = Math.max(1, LIMITS.blocks - reserved);
  const needed = Math.ceil(s.business.length / LIMITS.fields);
  const businessFields = fitItems(
    s.business,
    Math.min(needed, businessSections) * LIMITS.fields,
    (k) => businessField(k, w),
    (n) => `_${w.moreBusiness(n)}_`,
  );
  const business: KnownBlock[] =
    businessFields.length > 0 ? fieldSections(businessFields) : [section(`_${w.noBusiness}_`)];

  const blocks: KnownBlock[] = [...top, ...business];
  // The business KPIs left out are named in one line (a posted summary's thread has them).
  if (hasMore) blocks.push(context(truncate(escapeMrkdwn(s.more.line), LIMITS.text)));
  if (hasContext) {
    // A label leads the first context block; divider and footer take one block each.
    const contextBlocks = Math.max(1, LIMITS.blocks - blocks.length - 2);
    const elements = [
      `:bar_chart: *${w.contextMetrics}*`,
      ...fitItems(
        s.context,
        contextBlocks * LIMITS.contextElements - 1,
        contextElement,
        (n) => `_${w.moreContext(n)}_`,
      ),
    ];
    blocks.push(divider);
    for (let i = 0; i < elements.length; i += LIMITS.contextElements) {
      blocks.push(context(...elements.slice(i, i + LIMITS.contextElements)));
    }
  }
  blocks.push(footer);
  return {
    text: fallbackText(s, w),
    blocks: capBlocks(blocks, () => context(`_${w.cut}_`)),
  };
}

/**
 * The thread reply: the business KPIs that are not in the message (`more`, as its fields are),
 * then each business KPI of the summary broken down by channel (or whichever dimension the
 * answers were asked by), in the summary's order. `answers` are the business KPIs asked with a
 * breakdown; context metrics and answers without one are left out.
 */
export function renderBreakdownBlocks(
  s: Summary,
  answers: readonly KpiAnswer[],
): { text: string; blocks: KnownBlock[] } {
  const w = wordsFor(SUMMARY_WORDS, s.locale);
  const label = localLabel(s.period.label, s.locale);
  const byId = new Map(answers.map((a) => [a.kpi.id, a]));
  const dimension = answers.find((a) => a.breakdown)?.breakdown?.dimension ?? 'channel';
  const more = s.more.kpis;
  const blocks: KnownBlock[] =
    more.length > 0
      ? [header(s.more.title), ...fieldSections(more.map((k) => businessField(k, w)))]
      : [];
  blocks.push(header(w.byDimension(dimension, label)));
  const names: string[] = [];
  for (const k of [...s.business, ...more]) {
    const breakdown = byId.get(k.id)?.breakdown;
    // A KPI no group has data for adds a block of "no data" lines and says nothing.
    if (!breakdown || breakdown.groups.every((g) => g.value === null)) continue;
    const title = `*${escapeMrkdwn(k.name)}*  ${escapeMrkdwn(k.formatted)}`;
    const body = breakdownText(breakdown, s.locale);
    const text = `${title}\n${body}`;
    blocks.push(
      section(length(text) <= LIMITS.sectionText ? text : `${title}\n_${w.tooManyGroups}_`),
    );
    names.push(k.name);
  }
  if (names.length === 0) blocks.push(section(`_${escapeMrkdwn(w.noBreakdown(dimension))}_`));
  const lines = [
    ...(more.length > 0 ? [`${s.more.title}: ${more.map((k) => k.name).join(', ')}`] : []),
    w.byDimensionLine(dimension, label, names),
  ];
  return {
    text: escapeMrkdwn(truncate(lines.join('\n'), FALLBACK_TEXT_MAX)),
    blocks: capBlocks(blocks, (n) =>
      context(
        `_${w.moreKpis(n, `\`/kpi <kpi> ${escapeMrkdwn(s.period.phrase)} by ${escapeMrkdwn(dimension)}\``)}_`,
      ),
    ),
  };
}
