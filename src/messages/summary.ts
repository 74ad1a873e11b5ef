// The words of the weekly/monthly summary in both languages (see lang.ts): title, headline,
// sections, the change beside each KPI, goals, footer and Slack's cut lines. Numbers and period
// labels arrive ready (formatted, in the language); nothing here formats a number. Pure.
import { svDimension } from './dimensions.ts';
import type { Words } from './lang.ts';

type GoalWord = 'on_track' | 'met' | 'at_risk' | 'off_track' | 'missed' | 'too_early' | 'no_data';

export interface SummaryWords {
  title(grain: string, label: string): string;
  noGoals: string;
  goalsOnTrack(onTrack: number, total: number, rest: readonly string[]): string;
  atRisk(n: number): string;
  offTrack(n: number): string;
  tooEarly(n: number): string;
  withoutData(n: number): string;
  best: string;
  worst: string;
  /** After a KPI's name when it is over all channels (ROAS: all revenue over all ad spend). */
  blended: string;
  business: string;
  none: string;
  context: string;
  contextMetrics: string;
  noComparison: string;
  verdict: Record<'better' | 'worse' | 'neutral', string>;
  goal: Record<GoalWord, string>;
  drivers: string;
  note: string;
  noDataFor(measures: readonly string[]): string;
  notInAnswers: string;
  period(period: string, previous: string, timeZone: string): string;
  vs: string;
  data: string;
  sourceNoData(source: string): string;
  sourceThrough(source: string, day: string, behind: boolean): string;
  missingDays(measure: string, ranges: string): string;
  missingDaysSlack: string;
  late: string;
  lateTag: string;
  lateTitle: string;
  lateNote: string;
  moreBusiness(n: number): string;
  moreContext(n: number): string;
  noBusiness: string;
  cut: string;
  byDimension(dimension: string, label: string): string;
  byDimensionLine(dimension: string, label: string, names: readonly string[]): string;
  noBreakdown(dimension: string): string;
  tooManyGroups: string;
  moreKpis(n: number, example: string): string;
}

export const SUMMARY_WORDS: Words<SummaryWords> = {
  en: {
    title: (grain, label) =>
      `${grain === 'week' ? 'Weekly summary' : grain === 'month' ? 'Monthly summary' : 'Summary'} — ${label}`,
    noGoals: 'No goals set',
    goalsOnTrack: (on, total, rest) =>
      `${on} of ${total} ${total === 1 ? 'goal' : 'goals'} on track${rest.length ? ` (${rest.join(', ')})` : ''}`,
    atRisk: (n) => `${n} at risk`,
    offTrack: (n) => `${n} off track`,
    tooEarly: (n) => `${n} too early to tell`,
    withoutData: (n) => `${n} without data`,
    best: 'best',
    worst: 'worst',
    blended: '(blended)',
    business: 'Business KPIs',
    none: '(none)',
    context: 'Context',
    contextMetrics: 'Context metrics',
    noComparison: 'no comparison',
    verdict: { better: 'better', worse: 'worse', neutral: '' },
    goal: {
      on_track: 'on track',
      met: 'met',
      at_risk: 'at risk',
      off_track: 'off track',
      missed: 'missed',
      too_early: 'too early',
      no_data: 'no data',
    },
    drivers: 'drivers',
    note: 'note',
    noDataFor: (m) => `no data for ${m.join(', ')}`,
    notInAnswers: 'not in this summary’s answers',
    period: (p, prev, tz) => `Period: ${p} vs ${prev}, ${tz}`,
    vs: 'vs',
    data: 'Data',
    sourceNoData: (s) => `${s}: no data`,
    sourceThrough: (s, day, behind) => `${s} through ${day}${behind ? ' (behind)' : ''}`,
    missingDays: (m, r) => `Missing days for ${m}: ${r} (not filled in or averaged)`,
    missingDaysSlack: 'Missing days (not filled in or averaged)',
    late: 'posted late: the scheduled time was missed',
    lateTag: '[late]',
    lateTitle: '(late)',
    lateNote: 'Note',
    moreBusiness: (n) => `…and ${n} more business KPIs`,
    moreContext: (n) => `…and ${n} more context metrics`,
    noBusiness: 'No business KPIs in this summary.',
    cut: '…the summary was cut to fit one Slack message',
    byDimension: (d, label) => `By ${d} — ${label}`,
    byDimensionLine: (d, label, names) => `By ${d}, ${label}: ${names.join(', ')}`,
    noBreakdown: (d) => `No breakdown by ${d} for this period.`,
    tooManyGroups: 'too many groups to show here',
    moreKpis: (n, example) => `…and ${n} more KPIs: ask ${example}`,
  },
  sv: {
    title: (grain, label) =>
      `${grain === 'week' ? 'Veckosammanfattning' : grain === 'month' ? 'Månadssammanfattning' : 'Sammanfattning'} — ${label}`,
    noGoals: 'Inga mål satta',
    goalsOnTrack: (on, total, rest) =>
      `${on} av ${total} mål i fas${rest.length ? ` (${rest.join(', ')})` : ''}`,
    atRisk: (n) => `${n} i riskzonen`,
    offTrack: (n) => `${n} ur fas`,
    tooEarly: (n) => `${n} för tidigt att säga`,
    withoutData: (n) => `${n} utan data`,
    best: 'bäst',
    worst: 'sämst',
    blended: '(sammanvägt)',
    business: 'Affärsnyckeltal',
    none: '(inga)',
    context: 'Kontext',
    contextMetrics: 'Kontextmått',
    noComparison: 'ingen jämförelse',
    verdict: { better: 'bättre', worse: 'sämre', neutral: '' },
    goal: {
      on_track: 'i fas',
      met: 'nått',
      at_risk: 'i riskzonen',
      off_track: 'ur fas',
      missed: 'missat',
      too_early: 'för tidigt',
      no_data: 'inga data',
    },
    drivers: 'drivare',
    note: 'obs',
    noDataFor: (m) => `inga data för ${m.join(', ')}`,
    notInAnswers: 'saknas bland sammanfattningens svar',
    period: (p, prev, tz) => `Period: ${p} mot ${prev}, ${tz}`,
    vs: 'mot',
    data: 'Data',
    sourceNoData: (s) => `${s}: inga data`,
    sourceThrough: (s, day, behind) => `${s} till och med ${day}${behind ? ' (efter)' : ''}`,
    missingDays: (m, r) => `Dagar som saknas för ${m}: ${r} (inte ifyllda eller medelvärden)`,
    missingDaysSlack: 'Dagar som saknas (inte ifyllda eller medelvärden)',
    late: 'postad sent: den schemalagda tiden missades',
    lateTag: '[sen]',
    lateTitle: '(sen)',
    lateNote: 'Obs',
    moreBusiness: (n) => `…och ${n} affärsnyckeltal till`,
    moreContext: (n) => `…och ${n} kontextmått till`,
    noBusiness: 'Inga affärsnyckeltal i denna sammanfattning.',
    cut: '…sammanfattningen kortades för att rymmas i ett Slack-meddelande',
    byDimension: (d, label) => `Per ${svDimension(d)} — ${label}`,
    byDimensionLine: (d, label, names) => `Per ${svDimension(d)}, ${label}: ${names.join(', ')}`,
    noBreakdown: (d) => `Ingen uppdelning per ${svDimension(d)} för denna period.`,
    tooManyGroups: 'för många grupper för att visa här',
    moreKpis: (n, example) => `…och ${n} nyckeltal till: fråga ${example}`,
  },
};
