// The words of a refused KPI question in both languages (see lang.ts): periods that cannot be
// read, the command grammar, the free-form reader, unknown KPIs, channels and campaigns, and the
// lines around them ("Did you mean", "Try"). Words in backticks arrive quoted. Pure.
import { type Dimension, EN_PLURAL, SV_DIMENSION, SV_PLURAL } from './dimensions.ts';
import type { Words } from './lang.ts';

export interface ErrorWords {
  // Periods (src/kpi/periods.ts)
  tryPeriods(examples: string): string;
  inFuture(raw: string, today: string): string;
  noPeriod: string;
  numberRange(raw: string, max: number): string;
  notValidDate(day: string): string;
  startsAfterEnd(raw: string): string;
  notValid(raw: string, what: 'month' | 'week' | 'year'): string;
  noSuchWeek(week: string, year: number, weeks: number): string;
  quarters(raw: string): string;
  unknownPeriod(raw: string, hint: string): string;
  didYouMean(options: string): string;
  // The command grammar (src/query/grammar.ts)
  whichKpiExplain: string;
  unknownFilter(name: string): string;
  needsValue(token: string, example: string): string;
  needsDimension(token: string): string;
  needsComparison(token: string): string;
  // The reader and the question (src/query/reader.ts, command.ts, unknown.ts)
  notPlaced(list: string): string;
  needsValueShort(word: string): string;
  comparisonNeedsTarget: string;
  twoPeriods(a: string, b: string): string;
  oneComparison: string;
  oneBreakdown: string;
  whichKpi: string;
  whichKpiShort: string;
  withoutIt(message: string, partial: string): string;
  unknownKpi(word: string): string;
  readAs(corrections: string): string;
  /** `` `raos` as `roas` `` */
  correction(from: string, to: string): string;
  noSuchValue(dimension: Dimension, value: string, hint: string): string;
  unknownWord(word: string, hint: string): string;
  known(dimension: Dimension, values: string): string;
  noneYet(dimension: Dimension): string;
  or: string;
  // The error's views (src/commands/views, src/query/views)
  didYouMeanLine(options: string): string;
  runIt(command: string): string;
  runButton(command: string): string;
  tryHeading: string;
  helpHint(help: string): string;
}

const SV_WHAT: Record<'month' | 'week' | 'year', string> = {
  month: 'en giltig månad',
  week: 'en giltig vecka',
  year: 'ett giltigt år',
};

export const ERROR_WORDS: Words<ErrorWords> = {
  en: {
    tryPeriods: (ex) => `Try e.g. ${ex}.`,
    inFuture: (raw, today) => `${raw} is in the future (today is ${today}).`,
    noPeriod: 'No period given.',
    numberRange: (raw, max) => `In ${raw}, the number must be 1–${max}.`,
    notValidDate: (d) => `${d} is not a valid date.`,
    startsAfterEnd: (raw) => `${raw} starts after it ends.`,
    notValid: (raw, what) => `${raw} is not a valid ${what}.`,
    noSuchWeek: (week, year, weeks) => `${week} does not exist: ${year} has ISO weeks 1–${weeks}.`,
    quarters: (raw) => `${raw}: quarters are Q1–Q4.`,
    unknownPeriod: (raw, hint) => `I don't understand the period ${raw}.${hint}`,
    didYouMean: (options) => ` Did you mean ${options}?`,
    whichKpiExplain: 'Which KPI? e.g. `/kpi explain roas`',
    unknownFilter: (name) =>
      `Unknown filter \`${name}\`: filter with \`channel=…\` or \`campaign=…\`.`,
    needsValue: (token, example) => `\`${token}\` needs a value, e.g. \`${example}\`.`,
    needsDimension: (token) => `\`${token}\` needs \`channel\` or \`campaign\` after it.`,
    needsComparison: (token) =>
      `\`${token}\` needs something to compare with: \`vs previous\`, \`vs last-year\` or a period such as \`vs 2026-10\`.`,
    notPlaced: (list) => `I could not place ${list} in the question.`,
    needsValueShort: (word) => `\`${word}\` needs a value.`,
    comparisonNeedsTarget:
      'A comparison needs something to compare with: `vs previous`, `vs last-year` or a period such as `vs 2026-10`.',
    twoPeriods: (a, b) =>
      `Two periods: \`${a}\` and \`${b}\`. Ask for one, and compare with \`vs\`: \`${a} vs ${b}\`.`,
    oneComparison: 'Only one comparison at a time.',
    oneBreakdown: 'One breakdown at a time: `by channel` or `by campaign`.',
    whichKpi: 'Which KPI? Name one, e.g. `roas`, `revenue`, `konverteringsgrad`.',
    whichKpiShort: 'Which KPI?',
    withoutIt: (message, partial) => `${message} Without it I read \`${partial}\`.`,
    unknownKpi: (word) => `I don't know the KPI \`${word}\`.`,
    readAs: (corrections) => `I read ${corrections}.`,
    correction: (from, to) => `${from} as ${to}`,
    noSuchValue: (d, value, hint) => `There is no ${d} ${value}.${hint}`,
    unknownWord: (word, hint) =>
      `I don't know ${word}: no channel or campaign is called that.${hint}`,
    known: (d, values) => `Known ${EN_PLURAL[d]}: ${values}.`,
    noneYet: (d) => `There are no ${EN_PLURAL[d]} in the data yet.`,
    or: 'or',
    didYouMeanLine: (options) => `Did you mean: ${options}?`,
    runIt: (command) => `Run it: kpibot ask "${command}"`,
    runButton: (command) => `Run /kpi ${command}`,
    tryHeading: 'Try',
    helpHint: (help) => `${help} shows everything you can ask.`,
  },
  sv: {
    tryPeriods: (ex) => `Prova t.ex. ${ex}.`,
    inFuture: (raw, today) => `${raw} ligger i framtiden (i dag är ${today}).`,
    noPeriod: 'Ingen period angiven.',
    numberRange: (raw, max) => `I ${raw} måste talet vara 1–${max}.`,
    notValidDate: (d) => `${d} är inget giltigt datum.`,
    startsAfterEnd: (raw) => `${raw} börjar efter att den slutar.`,
    notValid: (raw, what) => `${raw} är inte ${SV_WHAT[what]}.`,
    noSuchWeek: (week, year, weeks) => `${week} finns inte: ${year} har ISO-veckorna 1–${weeks}.`,
    quarters: (raw) => `${raw}: kvartalen är Q1–Q4.`,
    unknownPeriod: (raw, hint) => `Jag förstår inte perioden ${raw}.${hint}`,
    didYouMean: (options) => ` Menade du ${options}?`,
    whichKpiExplain: 'Vilket nyckeltal? T.ex. `/kpi explain roas`',
    unknownFilter: (name) =>
      `Okänt filter \`${name}\`: filtrera med \`channel=…\` eller \`campaign=…\`.`,
    needsValue: (token, example) => `\`${token}\` behöver ett värde, t.ex. \`${example}\`.`,
    needsDimension: (token) => `\`${token}\` behöver \`channel\` eller \`campaign\` efter sig.`,
    needsComparison: (token) =>
      `\`${token}\` behöver något att jämföra med: \`vs previous\`, \`vs last-year\` eller en period som \`vs 2026-10\`.`,
    notPlaced: (list) => `Jag kunde inte placera ${list} i frågan.`,
    needsValueShort: (word) => `\`${word}\` behöver ett värde.`,
    comparisonNeedsTarget:
      'En jämförelse behöver något att jämföra med: `vs previous`, `vs last-year` eller en period som `vs 2026-10`.',
    twoPeriods: (a, b) =>
      `Två perioder: \`${a}\` och \`${b}\`. Fråga efter en och jämför med \`vs\`: \`${a} vs ${b}\`.`,
    oneComparison: 'En jämförelse i taget.',
    oneBreakdown: 'En uppdelning i taget: `by channel` eller `by campaign`.',
    whichKpi: 'Vilket nyckeltal? Nämn ett, t.ex. `roas`, `revenue`, `konverteringsgrad`.',
    whichKpiShort: 'Vilket nyckeltal?',
    withoutIt: (message, partial) => `${message} Utan det läser jag \`${partial}\`.`,
    unknownKpi: (word) => `Jag känner inte till nyckeltalet \`${word}\`.`,
    readAs: (corrections) => `Jag läste ${corrections}.`,
    correction: (from, to) => `${from} som ${to}`,
    noSuchValue: (d, value, hint) => `Det finns ingen ${SV_DIMENSION[d]} ${value}.${hint}`,
    unknownWord: (word, hint) =>
      `Jag känner inte till ${word}: ingen kanal eller kampanj heter så.${hint}`,
    known: (d, values) => `Kända ${SV_PLURAL[d]}: ${values}.`,
    noneYet: (d) => `Det finns inga ${SV_PLURAL[d]} i datan ännu.`,
    or: 'eller',
    didYouMeanLine: (options) => `Menade du: ${options}?`,
    runIt: (command) => `Kör: kpibot ask "${command}"`,
    runButton: (command) => `Kör /kpi ${command}`,
    tryHeading: 'Prova',
    helpHint: (help) => `${help} visar allt du kan fråga.`,
  },
};
