// The words of a KPI answer in both languages (see lang.ts): the terminal text, the Slack
// blocks and their fallback, and the notes and benchmark lines the query layer writes into the
// answer. Numbers arrive formatted; nothing here formats a number. Pure.
import { type Dimension, EN_PLURAL, SV_DIMENSION, SV_PLURAL } from './dimensions.ts';
import type { Words } from './lang.ts';

export type VerdictWord = 'better' | 'worse' | 'unchanged' | 'neutral' | 'unknown';
export type BenchmarkSide = 'meets-floor' | 'below-floor' | 'within' | 'above';

export interface AnswerWords {
  /** The verdict in one word for lines and table rows ('' where no word helps). */
  verdict: Record<VerdictWord, string>;
  /** The verdict spelt out, for the Slack comparison line. */
  verdictLong: Record<VerdictWord, string>;
  notJudged: string;
  noDataBefore: string;
  /** `previous` / `last-year` as a reader says it after "vs". */
  against(against: string): string;
  /** `previous` / `last-year` in the terminal's `vs previous (…)`. */
  againstShort(against: string): string;
  vs: string;
  /** `last 8 weeks` under a sparkline. */
  lastPeriods(n: number, grain: string): string;
  blendedOver(formula: string): string;
  tier(tier: 'business' | 'context'): string;
  tierTitle(tier: 'business' | 'context'): string;
  by(dimension: Dimension): string;
  noGroups(dimension: Dimension): string;
  moreGroups(n: number, dimension: Dimension): string;
  /** A group without a key (facts without a campaign). */
  none: string;
  noDataFor(measures: readonly string[]): string;
  /** `roas has no data for week 47 …. Import daily facts with …` (measures already marked up). */
  missingInPeriod(measures: string, count: number, period: string): string;
  /** The terminal's version, with the import commands. */
  missingInPeriodText(measures: readonly string[]): string;
  filtered(filters: string): string;
  reads(written: string, channel: string): string;
  /** The terminal's `channel facebook reads as meta`. */
  channelReads(written: string, channel: string): string;
  inProgress(elapsed: number, total: number): string;
  annualised(pct: string): string;
  note: string;
  days: string;
  // Written into the answer by the query layer (src/query/command.ts, ask.ts).
  comparedOver(main: string, other: string, noDataYet: string): string;
  uneven(
    a: string,
    aDays: number,
    aTotal: number,
    b: string,
    bDays: number,
    bTotal: number,
  ): string;
  periodInProgress(label: string, elapsed: number, total: number): string;
  dataUntil(day: string): string;
  dataFrom(day: string): string;
  daysMissing(n: number): string;
  measureDays(measure: string, days: number, total: number, detail: string): string;
  notCovered(gaps: readonly string[]): string;
  /** The benchmark line: `meets the 3× ROAS floor`. `name`: threshold and KPI name in a sentence. */
  benchmark(side: BenchmarkSide, name: string): string;
  benchmarkShort(side: BenchmarkSide): string;
  blended: string;
  /** `all 5 campaigns meet it` / `… are within it`. */
  allMeet(n: number, dimension: Dimension, within: boolean): string;
  /** `3 of 5 campaigns are below it: retarget 2,2×, …`. */
  offBenchmark(
    off: number,
    of: number,
    dimension: Dimension,
    above: boolean,
    names: string,
  ): string;
  andMore(names: string, n: number): string;
  // The answer message around the KPIs (src/commands/views).
  readAs: string;
  postToChannel: string;
  sharedBy(user: string, command: string): string;
  cut(omitted: number): string;
  // The answer's chart and its alt text (src/charts).
  chartShape(dimension: Dimension | undefined): string;
  change: string;
  /** A floor (a minimum) or a benchmark (a maximum), before its value on the chart. */
  thresholdKind(kind: 'floor' | 'benchmark'): string;
  earlierPeriods: string;
}

const EN_GRAINS: Record<string, string> = {
  day: 'days',
  week: 'weeks',
  month: 'months',
  quarter: 'quarters',
  year: 'years',
};
const SV_GRAINS: Record<string, string> = {
  day: 'dagarna',
  week: 'veckorna',
  month: 'månaderna',
  quarter: 'kvartalen',
  year: 'åren',
};

export const ANSWER_WORDS: Words<AnswerWords> = {
  en: {
    verdict: { better: 'better', worse: 'worse', unchanged: 'unchanged', neutral: '', unknown: '' },
    verdictLong: {
      better: 'better',
      worse: 'worse',
      unchanged: 'unchanged',
      neutral: 'changed (neither good nor bad for this KPI)',
      unknown: 'no comparison (missing data)',
    },
    notJudged: 'not judged (uneven data)',
    noDataBefore: 'no data before',
    against: (a) =>
      a === 'previous' ? 'the previous period' : a === 'last-year' ? 'last year' : a,
    againstShort: (a) => (a === 'last-year' ? 'last year' : a),
    vs: 'vs',
    lastPeriods: (n, grain) => `last ${n} ${EN_GRAINS[grain] ?? 'periods of the same length'}`,
    blendedOver: (formula) => `blended: ${formula} over all channels`,
    tier: (t) => (t === 'business' ? 'business KPI' : 'context metric'),
    tierTitle: (t) => (t === 'business' ? 'Business KPI' : 'Context metric'),
    by: (d) => `By ${d}`,
    noGroups: (d) => `no ${EN_PLURAL[d]} with data`,
    moreGroups: (n, d) => `…and ${n} more ${EN_PLURAL[d]}`,
    none: '(none)',
    noDataFor: (m) => `no data for ${m.join(', ')}`,
    missingInPeriod: (m, count, period) =>
      `${m} ${count === 1 ? 'has' : 'have'} no data for ${period}. Import daily facts with \`npx kpibot import FILE.csv\` or \`POST /api/v1/facts\`.`,
    missingInPeriodText: (m) =>
      `no data for ${m.join(', ')} in this period — import with \`npx kpibot import FILE.csv\` or \`POST /api/v1/facts\``,
    filtered: (f) => `filtered: ${f}`,
    reads: (written, channel) => `${written} reads as ${channel}`,
    channelReads: (written, channel) => `channel ${written} reads as ${channel}`,
    inProgress: (e, t) => `in progress: ${e} of ${t} days`,
    annualised: (pct) => `≈ ${pct} a year (compounded: 1 − (1 − monthly)¹²)`,
    note: 'note',
    days: 'days',
    comparedOver: (main, other, later) =>
      `Compared over the days both periods have data: ${main} against ${other} (${later} has no data yet).`,
    uneven: (a, ad, at, b, bd, bt) =>
      `not judged better or worse: ${a} has data for ${ad} of ${at} days, ${b} for ${bd} of ${bt}`,
    periodInProgress: (label, e, t) => `${label} is in progress: ${e} of ${t} days`,
    dataUntil: (d) => `data until ${d}`,
    dataFrom: (d) => `data from ${d}`,
    daysMissing: (n) => `${n} days missing`,
    measureDays: (m, d, t, detail) => `${m}: ${d} of ${t} days (${detail})`,
    notCovered: (gaps) => `not fully covered by data — ${gaps.join('; ')}`,
    benchmark: (side, name) =>
      side === 'meets-floor'
        ? `meets the ${name} floor`
        : side === 'below-floor'
          ? `below the ${name} floor`
          : side === 'within'
            ? `within the ${name} benchmark`
            : `above the ${name} benchmark`,
    benchmarkShort: (side) =>
      side === 'meets-floor'
        ? 'meets floor'
        : side === 'below-floor'
          ? 'below floor'
          : side === 'within'
            ? 'within benchmark'
            : 'above benchmark',
    blended: 'blended',
    allMeet: (n, d, within) => `all ${n} ${EN_PLURAL[d]} ${within ? 'are within it' : 'meet it'}`,
    offBenchmark: (off, of, d, above, names) =>
      `${off} of ${of} ${EN_PLURAL[d]} ${off === 1 ? 'is' : 'are'} ${above ? 'above' : 'below'} it: ${names}`,
    andMore: (names, n) => `${names} and ${n} more`,
    readAs: 'Read as',
    postToChannel: 'Post to channel',
    sharedBy: (user, command) => `Shared by ${user} · ${command}`,
    chartShape: (d) => (d ? `bar chart by ${d}` : 'trend chart'),
    change: 'change',
    thresholdKind: (k) => k,
    earlierPeriods: 'Earlier periods, oldest first',
    cut: (n) =>
      `${n} more blocks left out to stay within Slack's limits — ask for fewer KPIs at a time.`,
  },
  sv: {
    verdict: {
      better: 'bättre',
      worse: 'sämre',
      unchanged: 'oförändrat',
      neutral: '',
      unknown: '',
    },
    verdictLong: {
      better: 'bättre',
      worse: 'sämre',
      unchanged: 'oförändrat',
      neutral: 'ändrat (varken bra eller dåligt för detta nyckeltal)',
      unknown: 'ingen jämförelse (data saknas)',
    },
    notJudged: 'inte bedömt (ojämna data)',
    noDataBefore: 'inga data före',
    against: (a) =>
      a === 'previous' ? 'föregående period' : a === 'last-year' ? 'samma period i fjol' : a,
    againstShort: (a) => (a === 'previous' ? 'föregående' : a === 'last-year' ? 'i fjol' : a),
    vs: 'mot',
    lastPeriods: (n, grain) => `senaste ${n} ${SV_GRAINS[grain] ?? 'perioderna av samma längd'}`,
    blendedOver: (formula) => `sammanvägt: ${formula} över alla kanaler`,
    tier: (t) => (t === 'business' ? 'affärsnyckeltal' : 'kontextmått'),
    tierTitle: (t) => (t === 'business' ? 'Affärsnyckeltal' : 'Kontextmått'),
    by: (d) => `Per ${SV_DIMENSION[d]}`,
    noGroups: (d) => `inga ${SV_PLURAL[d]} med data`,
    moreGroups: (n, d) => `…och ${n} ${SV_PLURAL[d]} till`,
    none: '(ingen)',
    noDataFor: (m) => `inga data för ${m.join(', ')}`,
    missingInPeriod: (m, _count, period) =>
      `${m} saknar data för ${period}. Importera dagliga fakta med \`npx kpibot import FILE.csv\` eller \`POST /api/v1/facts\`.`,
    missingInPeriodText: (m) =>
      `inga data för ${m.join(', ')} i denna period — importera med \`npx kpibot import FILE.csv\` eller \`POST /api/v1/facts\``,
    filtered: (f) => `filtrerat: ${f}`,
    reads: (written, channel) => `${written} läses som ${channel}`,
    channelReads: (written, channel) => `kanalen ${written} läses som ${channel}`,
    inProgress: (e, t) => `pågår: ${e} av ${t} dagar`,
    annualised: (pct) => `≈ ${pct} per år (sammansatt: 1 − (1 − per månad)¹²)`,
    note: 'obs',
    days: 'dagar',
    comparedOver: (main, other, later) =>
      `Jämfört över dagarna båda perioderna har data: ${main} mot ${other} (${later} har inga data ännu).`,
    uneven: (a, ad, at, b, bd, bt) =>
      `inte bedömt som bättre eller sämre: ${a} har data för ${ad} av ${at} dagar, ${b} för ${bd} av ${bt}`,
    periodInProgress: (label, e, t) => `${label} pågår: ${e} av ${t} dagar`,
    dataUntil: (d) => `data till ${d}`,
    dataFrom: (d) => `data från ${d}`,
    daysMissing: (n) => `${n} dagar saknas`,
    measureDays: (m, d, t, detail) => `${m}: ${d} av ${t} dagar (${detail})`,
    notCovered: (gaps) => `inte helt täckt av data — ${gaps.join('; ')}`,
    benchmark: (side, name) =>
      side === 'meets-floor'
        ? `når lägstanivån ${name}`
        : side === 'below-floor'
          ? `under lägstanivån ${name}`
          : side === 'within'
            ? `inom riktvärdet ${name}`
            : `över riktvärdet ${name}`,
    benchmarkShort: (side) =>
      side === 'meets-floor'
        ? 'når lägstanivån'
        : side === 'below-floor'
          ? 'under lägstanivån'
          : side === 'within'
            ? 'inom riktvärdet'
            : 'över riktvärdet',
    blended: 'sammanvägt',
    allMeet: (n, d, within) =>
      `alla ${n} ${SV_PLURAL[d]} ${within ? 'ligger inom det' : 'når den'}`,
    offBenchmark: (off, of, d, above, names) =>
      `${off} av ${of} ${SV_PLURAL[d]} ligger ${above ? 'över' : 'under'}: ${names}`,
    andMore: (names, n) => `${names} och ${n} till`,
    readAs: 'Tolkat som',
    postToChannel: 'Posta i kanalen',
    sharedBy: (user, command) => `Delat av ${user} · ${command}`,
    chartShape: (d) => (d ? `stapeldiagram per ${SV_DIMENSION[d]}` : 'trenddiagram'),
    change: 'förändring',
    thresholdKind: (k) => (k === 'floor' ? 'lägstanivå' : 'riktvärde'),
    earlierPeriods: 'Tidigare perioder, äldst först',
    cut: (n) =>
      `${n} block till utelämnades för att hålla Slacks gränser — fråga efter färre nyckeltal åt gången.`,
  },
};
