// The text after `/kpi goal set`, parsed into a draft goal. Pure: text in, a draft or an error out.
//
//   <kpi> [>=|<=|at least|at most|minst|högst] <target> [per|a|/ week|month|quarter|year]
//         [in #channel]
//
//   revenue 500000 kr per month        cac <= 800 kr          roas >= 4x
//   conversion_rate >= 2.5%            new_customers 1200 per quarter
//   intäkter 500 000 kr per månad      ad_spend <= 100 tkr i månaden
//   revenue 500000 kr per month in #marketing
//
// The KPI word and the target stay text: the caller resolves the KPI and parses the target in its
// unit (alerts/threshold.ts, through `buildGoal`). Without a comparator the draft has none, unless
// the caller passes `goodOf` (the KPI's good direction): then up-good KPIs get `>=` and down-good
// ones `<=`. `>` and `<` are read as `>=` and `<=`: a goal is a target, not a strict bound.
// Slack sends `<` and `>` escaped (`&lt;`); both forms are accepted.
//
// `in #channel` (or `to #channel`, `i #kanal`, or the channel alone; Slack's `<#C0123|name>`
// mention too) names where the goal says so when it goes off track (goal-alerts.ts). It is taken
// out of the text before the rest is read, so it may stand anywhere after the KPI.
import type { GoodDirection } from '../kpi/types.ts';
import { defaultComparator, type GoalComparator, type GoalPer } from './goal.ts';
import { channelOf } from './subscription.ts';

export interface GoalDraft {
  /** The KPI as written (hyphen-joined if several words), to resolve with the catalog. */
  kpiWord: string;
  comparator?: GoalComparator;
  /** `500000 kr`, `4x`, `2.5%`: parsed in the KPI's unit by the caller. */
  targetText: string;
  per?: GoalPer;
  /** `in #channel`: a channel id or `#name`. */
  channel?: string;
}

export type GoalTextResult =
  | { ok: true; draft: GoalDraft }
  | { ok: false; error: string; hint: string };

export const GOAL_TEXT_EXAMPLES = [
  'revenue 500000 kr per month',
  'cac <= 800 kr',
  'roas >= 4x',
  'conversion_rate >= 2.5%',
];
/** The shape of a goal, as a code span. */
export const GOAL_TEXT_GRAMMAR =
  '`<kpi> [>= | <=] <target> [per week|month|quarter|year] [in #channel]`';

export const GOAL_TEXT_HINT =
  `Write ${GOAL_TEXT_GRAMMAR}, e.g. ` + GOAL_TEXT_EXAMPLES.map((e) => `\`${e}\``).join(', ');

const COMPARATOR_WORDS: ReadonlyArray<[string[], GoalComparator]> = [
  [['at', 'least'], '>='],
  [['minst'], '>='],
  [['över'], '>='],
  [['above'], '>='],
  [['at', 'most'], '<='],
  [['högst'], '<='],
  [['max'], '<='],
  [['under'], '<='],
  [['below'], '<='],
];

/** Period words after `per`/`a`/`/`/`i`/`om` (English and Swedish, with Swedish definite forms). */
const PER_UNITS: Record<string, GoalPer> = Object.fromEntries(
  (
    [
      ['week', 'week wk w vecka veckan v'],
      ['month', 'month mo mon månad månaden mån'],
      ['quarter', 'quarter q kvartal kvartalet kv'],
      ['year', 'year yr år året'],
    ] as const
  ).flatMap(([per, words]) => words.split(' ').map((w) => [w, per])),
);
/** Adverbs that name the period alone: `monthly`, `kvartalsvis`. */
const PER_ADVERBS: Record<string, GoalPer> = {
  weekly: 'week',
  veckovis: 'week',
  monthly: 'month',
  månadsvis: 'month',
  quarterly: 'quarter',
  kvartalsvis: 'quarter',
  yearly: 'year',
  annually: 'year',
  årligen: 'year',
};
const PER_WORDS = new Set(['per', 'a', 'an', 'each', 'every', 'varje', 'i', 'om', '/']);

/** Words that belong to a target written with spaces: `800 kr`, `5 %`, `10 k`. */
const TARGET_UNITS = new Set(
  '% x × k kr kr. kronor :- tkr mkr sek nok dkk eur usd gbp $ € £ procent percent pct days day dagar dag d'.split(
    ' ',
  ),
);

type Failure = { ok: false; error: string; hint: string };
const fail = (error: string): Failure => ({ ok: false, error, hint: GOAL_TEXT_HINT });

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Words that may stand before the channel: `in #marketing`. */
const CHANNEL_WORDS = new Set(['in', 'to', 'i', 'till']);

/** The text without its channel clause, and the channel; an error for two channels. */
function takeChannel(text: string): { rest: string; channel?: string } | { error: string } {
  const words = decodeEntities(text).trim().split(/\s+/).filter(Boolean);
  let channel: string | undefined;
  const rest: string[] = [];
  for (const word of words) {
    const found = channelOf(word);
    if (found === undefined) {
      rest.push(word);
      continue;
    }
    if (channel !== undefined) return { error: 'Give one channel.' };
    channel = found;
    if (CHANNEL_WORDS.has(rest[rest.length - 1]?.toLowerCase() ?? '')) rest.pop();
  }
  return channel === undefined ? { rest: rest.join(' ') } : { rest: rest.join(' '), channel };
}

/** Words, with comparators and `/` split off: `cac<=800kr/month` → cac, <=, 800kr, /, month. */
function tokenize(text: string): string[] {
  return decodeEntities(text)
    .replace(/(>=|<=|=>|=<|≥|≤|>|<)/g, ' $1 ')
    .replace(/\//g, ' / ')
    .split(/\s+/)
    .filter(Boolean);
}

const SYMBOL_COMPARATORS: Record<string, GoalComparator> = {
  '>=': '>=',
  '=>': '>=',
  '≥': '>=',
  '>': '>=',
  '<=': '<=',
  '=<': '<=',
  '≤': '<=',
  '<': '<=',
};

/** The comparator starting at `i` (a symbol or words), and how many tokens it takes. */
function comparatorAt(
  tokens: string[],
  i: number,
): { comparator: GoalComparator; length: number } | undefined {
  const symbol = SYMBOL_COMPARATORS[tokens[i] ?? ''];
  if (symbol !== undefined) return { comparator: symbol, length: 1 };
  for (const [words, comparator] of COMPARATOR_WORDS) {
    if (words.every((w, k) => tokens[i + k]?.toLowerCase() === w)) {
      return { comparator, length: words.length };
    }
  }
  return undefined;
}

/** A token that starts a target: a digit first, or a currency symbol and then a digit. */
function startsTarget(token: string | undefined): boolean {
  return token !== undefined && /^[$€£]?[-−+]?\d/.test(token);
}

/** The period clause at `i`: `per month`, `a week`, `/ månad`, `i månaden`, `monthly`. */
function perAt(tokens: string[], i: number): { per: GoalPer; length: number } | undefined {
  const word = tokens[i]?.toLowerCase() ?? '';
  const adverb = PER_ADVERBS[word];
  if (adverb !== undefined) return { per: adverb, length: 1 };
  if (!PER_WORDS.has(word)) return undefined;
  const unit = PER_UNITS[tokens[i + 1]?.toLowerCase() ?? ''];
  return unit === undefined ? undefined : { per: unit, length: 2 };
}

/**
 * Consumes the target from `start`: a number, thousands groups written with spaces (`500 000`),
 * and unit words (`kr`, `%`, `x`, `k kr`). Returns the text and the next index.
 */
function takeTarget(tokens: string[], start: number): { text: string; next: number } {
  const parts = [tokens[start] ?? ''];
  let i = start + 1;
  let sawUnit = !/\d$/.test(parts[0] ?? '');
  while (i < tokens.length) {
    const t = tokens[i] ?? '';
    const last = parts[parts.length - 1] ?? '';
    if (!sawUnit && /\d$/.test(last) && /^\d{3}([.,]\d+)?\S*$/.test(t)) {
      parts.push(t);
      sawUnit = !/\d$/.test(t);
      i++;
      continue;
    }
    // `k` may be followed by a currency (`10 k kr`); one unit word otherwise.
    if (TARGET_UNITS.has(t.toLowerCase()) && (!sawUnit || /k$/i.test(last))) {
      parts.push(t);
      sawUnit = true;
      i++;
      continue;
    }
    break;
  }
  return { text: parts.join(' '), next: i };
}

/**
 * Parses the text after `/kpi goal set` into a draft goal. `goodOf` (optional) gives the good
 * direction of a KPI word, to fill in the comparator when none is written.
 */
export function parseGoalText(
  text: string,
  goodOf?: (kpiWord: string) => GoodDirection | undefined,
): GoalTextResult {
  const taken = takeChannel(text);
  if ('error' in taken) return fail(taken.error);
  const tokens = tokenize(taken.rest);
  if (tokens.length === 0) return fail('Which goal? Give a KPI and a target.');

  // KPI words: everything before the comparator or the first number.
  let i = 0;
  const kpiWords: string[] = [];
  while (i < tokens.length && comparatorAt(tokens, i) === undefined && !startsTarget(tokens[i])) {
    kpiWords.push(tokens[i] ?? '');
    i++;
  }
  if (kpiWords.length === 0) {
    return fail('Which KPI? The goal starts with the KPI, e.g. `roas >= 4x`.');
  }
  const kpiWord = kpiWords.join('-');

  const cmp = comparatorAt(tokens, i);
  if (cmp !== undefined) i += cmp.length;
  if (comparatorAt(tokens, i) !== undefined) {
    return fail('The goal has two comparisons; write one, `>=` or `<=`.');
  }
  if (!startsTarget(tokens[i])) {
    const got = tokens[i] === undefined ? 'nothing' : `\`${tokens[i]}\``;
    return fail(
      `After \`${kpiWord}\` I expected a target such as 4x, 2.5% or 800 kr, but got ${got}.`,
    );
  }
  const target = takeTarget(tokens, i);
  i = target.next;

  let per: GoalPer | undefined;
  if (i < tokens.length) {
    const clause = perAt(tokens, i);
    if (clause === undefined) {
      const word = tokens[i] ?? '';
      return PER_WORDS.has(word.toLowerCase()) && word !== 'i'
        ? fail(`\`${word}\` needs a period after it: week, month, quarter or year.`)
        : fail(`I did not understand \`${tokens.slice(i).join(' ')}\`.`);
    }
    per = clause.per;
    i += clause.length;
  }
  if (i < tokens.length) return fail(`I did not understand \`${tokens.slice(i).join(' ')}\`.`);

  const good = cmp === undefined ? goodOf?.(kpiWord) : undefined;
  const comparator = cmp?.comparator ?? (good === undefined ? undefined : defaultComparator(good));
  const draft: GoalDraft = { kpiWord, targetText: target.text };
  if (comparator !== undefined) draft.comparator = comparator;
  if (per !== undefined) draft.per = per;
  if (taken.channel !== undefined) draft.channel = taken.channel;
  return { ok: true, draft };
}
