// The text after `/kpi alert add`, parsed into a draft rule. Pure: text in, a draft or an error out.
//
//   <kpi> <|<=|>|>= <threshold> [over <period>] [by channel|campaign] [channel=a,b] [campaign=x]
//         [in #channel] [for N] [repeat 12h] [hysteresis <margin>] [when <measure> >= <volume>]
//         [notify per-group] [<schedule>]
//   <kpi> drops|rises <percent> [vs previous|last-year] …    (a change, condition.ts)
//   <kpi> is anomalous …                                      (outside its seasonal baseline)
//
//   schedule: every "<cron>" | daily [at] 09:00 | hourly | weekly [monday] [at] 08:00
//             | monthly [at] 09:00 | every day|hour|monday|weekday [at] 08:00 | every 15 minutes
//
// KPI words and threshold text stay text: the caller resolves the KPI and parses the threshold
// in its unit (threshold.ts). Slack sends `<`, `>` and `&` escaped (`&lt;`) and channel
// mentions as `<#C123ABC|name>` or `<#C123ABC>`; both raw and escaped forms are accepted.
import { DIMENSION_WORDS, GROUP_WORDS } from '../kpi/dimension-words.ts';
import type { Dimension, Filters } from '../kpi/types.ts';
import { parseDuration, parseSchedule } from '../scheduler/schedule-text.ts';
import { type ChangeBase, DEFAULT_ANOMALY_K } from './condition.ts';
import {
  DEFAULT_FOR,
  DEFAULT_REPEAT_MINUTES,
  DEFAULT_SCHEDULE,
  DEFAULT_WINDOW,
} from './defaults.ts';
import type { Comparator, GuardSpec, NotifyMode, RuleSpec } from './rule.ts';

export interface AlertRuleDraft extends Omit<RuleSpec, 'paused' | 'timeZone'> {
  /** The KPI as written (hyphen-joined if several words), to resolve with the catalog. */
  kpiWord: string;
  /**
   * Slack channel: its id when written as a mention (`<#C123|marketing>` → `C123`),
   * otherwise the name as written with `#` (`#marketing`).
   */
  channel?: string;
  /** The channel's name when Slack sent it (`marketing`), for messages. */
  channelName?: string;
}

export type RuleTextResult =
  | { ok: true; draft: AlertRuleDraft }
  | { ok: false; error: string; hint: string };

export const RULE_TEXT_EXAMPLE = 'roas < 3x over last-7-days by channel in #marketing';
/** The shapes of a rule, as code spans (the hint joins them in words). */
export const RULE_TEXT_GRAMMAR = [
  '`<kpi> <|<=|>|>= <threshold> [over <period>] [by channel|campaign] [channel=meta] ' +
    '[in #channel] [for 2] [repeat 12h] [hysteresis 0.2x] [when ad_spend >= 5000 kr] ' +
    '[daily 09:00 | every "0 9 * * 1"]`',
  '`<kpi> drops|rises 20% vs previous|last-year …`',
  '`<kpi> is anomalous …`',
];

export const RULE_TEXT_HINT = `Write ${RULE_TEXT_GRAMMAR.join(', or ')}, e.g. \`${RULE_TEXT_EXAMPLE}\``;

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { kind: 'word'; text: string; lower: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'cmp'; op: Comparator }
  | { kind: 'channel'; id: string; name?: string }
  | { kind: 'mention'; text: string };

const QUOTES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '“': '”',
  '”': '”',
  '‘': '’',
  '`': '`',
};

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function tokenize(input: string): Token[] | string {
  const s = decodeEntities(input).replace(/(?<![<>≤≥])\s*=\s*/g, '=');
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const close = QUOTES[c];
    if (close !== undefined) {
      const end = s.indexOf(close, i + 1);
      if (end < 0) return `the quote at \`${s.slice(i, i + 12)}\` is never closed`;
      tokens.push({ kind: 'quoted', text: s.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '<' && /[#@!]/.test(s[i + 1] ?? '')) {
      const end = s.indexOf('>', i);
      if (end < 0) return `\`${s.slice(i)}\` is not a complete Slack mention`;
      const inner = s.slice(i + 1, end);
      if (inner.startsWith('#')) {
        const [id = '', name] = inner.slice(1).split('|');
        tokens.push({ kind: 'channel', id, ...(name ? { name } : {}) });
      } else {
        tokens.push({ kind: 'mention', text: s.slice(i, end + 1) });
      }
      i = end + 1;
      continue;
    }
    if (c === '<' || c === '>' || c === '≤' || c === '≥') {
      const orEqual = s[i + 1] === '=';
      const base = c === '≤' ? '<=' : c === '≥' ? '>=' : c;
      const op = (orEqual && base.length === 1 ? `${base}=` : base) as Comparator;
      tokens.push({ kind: 'cmp', op });
      i += orEqual && base.length === 1 ? 2 : 1;
      continue;
    }
    let end = i;
    while (end < s.length && !/[\s<>≤≥]/.test(s[end]!)) end++;
    const text = s.slice(i, end);
    tokens.push({ kind: 'word', text, lower: text.toLowerCase() });
    i = end;
  }
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Grammar

const COMPARATOR_WORDS: Record<string, Comparator> = { below: '<', under: '<', above: '>' };
const FILLER_BEFORE_COMPARATOR = new Set(['is', 'drops', 'falls', 'goes', 'rises', 'gets']);
/** `roas drops 20%`: a change rule (a threshold with no comparator before it). */
const CHANGE_VERBS: Record<string, '<=' | '>='> = {
  drops: '<=',
  falls: '<=',
  decreases: '<=',
  sjunker: '<=',
  minskar: '<=',
  rises: '>=',
  grows: '>=',
  increases: '>=',
  stiger: '>=',
  ökar: '>=',
};
const ANOMALY_WORDS = new Set(['anomalous', 'avviker']);
const VS_WORDS = new Set(['vs', 'versus', 'against', 'mot']);
const CHANGE_BASE_WORDS: Record<string, ChangeBase> = {
  previous: 'previous',
  föregående: 'previous',
  'last-year': 'last-year',
  'förra-året': 'last-year',
};
const GUARD_WORDS = new Set(['when', 'när']);
const WINDOW_WORDS = new Set(['over', 'during']);
const TARGET_WORDS = new Set(['in', 'to']);
const REPEAT_WORDS = new Set(['repeat', 'repeats', 'remind']);
const HYSTERESIS_WORDS = new Set(['hysteresis', 'margin']);
const NOTIFY_WORDS = new Set(['notify', 'meddela']);
/** `notify per-group` (one alert per group) or `notify grouped` (one per rule, the default). */
const NOTIFY_MODE_WORDS: Readonly<Record<string, NotifyMode>> = {
  grouped: 'grouped',
  'per-group': 'per-group',
  grupperat: 'grouped',
  'per-grupp': 'per-group',
};
const SCHEDULE_WORDS = new Set('every daily hourly weekly monthly schedule cron at'.split(' '));
const FOR_NOISE = new Set(['checks', 'check', 'evaluations', 'evaluation', 'runs', 'times']);
/** Words that belong to a threshold written with a space: `800 kr`, `5 %`, `10 k`. */
const THRESHOLD_UNITS = new Set(
  '% x × k kr kr. kronor :- tkr mkr sek nok dkk eur usd gbp $ € £ procent percent pct days day dagar dag d'.split(
    ' ',
  ),
);

function isClauseStart(t: Token | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === 'channel' || t.kind === 'cmp') return true;
  if (t.kind !== 'word') return false;
  return (
    WINDOW_WORDS.has(t.lower) ||
    GROUP_WORDS.has(t.lower) ||
    TARGET_WORDS.has(t.lower) ||
    REPEAT_WORDS.has(t.lower) ||
    HYSTERESIS_WORDS.has(t.lower) ||
    NOTIFY_WORDS.has(t.lower) ||
    SCHEDULE_WORDS.has(t.lower) ||
    GUARD_WORDS.has(t.lower) ||
    t.lower === 'for' ||
    t.text.includes('=')
  );
}

function tokenText(t: Token): string {
  switch (t.kind) {
    case 'word':
    case 'quoted':
      return t.text;
    case 'cmp':
      return t.op;
    case 'channel':
      return `#${t.name ?? t.id}`;
    case 'mention':
      return t.text;
  }
}

type Failure = { ok: false; error: string; hint: string };
const fail = (error: string, hint: string = RULE_TEXT_HINT): Failure => ({
  ok: false,
  error,
  hint,
});

/**
 * Consumes a threshold-like run of tokens from `start`: a number, thousands groups written with
 * spaces (`1 234,50`), and one unit word (`kr`, `%`, `x`, `SEK`…). Returns the text and the next index.
 */
function takeThreshold(tokens: Token[], start: number): { text: string; next: number } | undefined {
  const first = tokens[start];
  if (first?.kind !== 'word' || !/\d/.test(first.text)) return undefined;
  const parts = [first.text];
  let i = start + 1;
  let sawUnit = /\d$/.test(first.text) === false;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind !== 'word') break;
    const last = parts[parts.length - 1]!;
    if (!sawUnit && /\d$/.test(last) && /^\d{3}([.,]\d+)?[^\d\s]*$/.test(t.text)) {
      parts.push(t.text);
      sawUnit = /\d$/.test(t.text) === false;
      i++;
      continue;
    }
    if (THRESHOLD_UNITS.has(t.lower) && !(sawUnit && t.lower !== 'kr')) {
      parts.push(t.text);
      sawUnit = t.lower !== 'k';
      i++;
      if (sawUnit) break;
      continue;
    }
    break;
  }
  return { text: parts.join(' '), next: i };
}

/** The lower-cased word at `i`, or '' when there is none or it is not a word. */
function lowerAt(tokens: Token[], i: number): string {
  const t = tokens[i];
  return t?.kind === 'word' ? t.lower : '';
}

/** Collects plain words up to the next clause keyword. */
function takeWords(tokens: Token[], start: number): { words: string[]; next: number } {
  const words: string[] = [];
  let i = start;
  while (i < tokens.length && tokens[i]?.kind === 'word' && !isClauseStart(tokens[i])) {
    words.push(tokenText(tokens[i]!));
    i++;
  }
  return { words, next: i };
}

/** Clauses after the threshold, as they are parsed. */
interface Clauses {
  window?: string;
  /** The words taken as a period without `over`, in case an `over` follows and shows they were not. */
  bareWindow?: string;
  groupBy?: Dimension;
  filters: Filters;
  channel?: string;
  channelName?: string;
  for?: number;
  repeat?: number;
  hysteresisText?: string;
  guard?: GuardSpec;
  notify?: NotifyMode;
  schedule?: string;
}

/** A clause parser: the index after the clause, or why it failed. */
type Step = number | Failure;
type ClauseParser = (tokens: Token[], i: number, acc: Clauses) => Step;

function windowPhrase(words: string[]): string {
  return words
    .filter((w, k) => !(k === 0 && w.toLowerCase() === 'the'))
    .join('-')
    .toLowerCase();
}

/** `in #marketing`, `in <#C123|marketing>`, or a bare mention. */
const targetClause: ClauseParser = (tokens, i, acc) => {
  const t = tokens[i]!;
  const target = t.kind === 'channel' ? t : tokens[i + 1];
  const next = t.kind === 'channel' ? i + 1 : i + 2;
  const keyword = t.kind === 'word' ? t.text : 'in';
  if (acc.channel !== undefined) return fail('The rule names two Slack channels; give one.');
  if (target?.kind === 'channel') {
    if (!/^[CGD][A-Z0-9]+$/.test(target.id)) {
      return fail(`\`${tokenText(target)}\` is not a channel I can post to.`);
    }
    acc.channel = target.id;
    if (target.name !== undefined) acc.channelName = target.name;
    return next;
  }
  if (target?.kind === 'word' && /^#[^\s#]+$/.test(target.text)) {
    acc.channel = target.text;
    acc.channelName = target.text.slice(1);
    return next;
  }
  if (target?.kind === 'word' && /^[CG][A-Z0-9]{6,}$/.test(target.text)) {
    acc.channel = target.text;
    return next;
  }
  if (target?.kind === 'mention') {
    return fail(
      `\`${target.text}\` is a person, not a channel: alerts post to a channel, e.g. \`in #marketing\`.`,
    );
  }
  if (target?.kind === 'word' && /^[a-z0-9][a-z0-9_-]*$/.test(target.lower)) {
    return fail(`\`${keyword} ${target.text}\`: did you mean \`${keyword} #${target.lower}\`?`);
  }
  const got = target === undefined ? 'nothing' : `\`${tokenText(target)}\``;
  return fail(
    `After \`${keyword}\` I expected a Slack channel such as #marketing, but got ${got}.`,
  );
};

/** `over last-7-days`, `over the last 7 days`. */
const windowClause: ClauseParser = (tokens, i, acc) => {
  const { words, next } = takeWords(tokens, i + 1);
  if (words.length === 0) {
    return fail(
      `\`${tokenText(tokens[i]!)}\` needs a period, e.g. \`over last-7-days\` or \`over mtd\`.`,
    );
  }
  if (acc.bareWindow !== undefined) return fail(`I did not understand \`${acc.bareWindow}\`.`);
  if (acc.window !== undefined) return fail('The rule gives the period twice; give one.');
  acc.window = windowPhrase(words);
  return next;
};

/** `by channel`, `per kampanj`. */
const groupClause: ClauseParser = (tokens, i, acc) => {
  const next = tokens[i + 1];
  const dimension = next?.kind === 'word' ? DIMENSION_WORDS[next.lower] : undefined;
  if (dimension === undefined) {
    return fail(`\`${tokenText(tokens[i]!)}\` needs \`channel\` or \`campaign\` after it.`);
  }
  if (acc.groupBy !== undefined && acc.groupBy !== dimension) {
    return fail('A rule can be split by one dimension: `by channel` or `by campaign`.');
  }
  acc.groupBy = dimension;
  return i + 2;
};

/** `channel=meta,google-ads`, also written `channel = meta, google-ads`. */
const filterClause: ClauseParser = (tokens, i, acc) => {
  let raw = tokenText(tokens[i]!);
  let next = i + 1;
  while (
    tokens[next]?.kind === 'word' &&
    (raw.endsWith(',') || tokenText(tokens[next]!).startsWith(','))
  ) {
    raw += tokenText(tokens[next]!);
    next++;
  }
  const eq = raw.indexOf('=');
  const key = raw.slice(0, eq).toLowerCase();
  const dimension = DIMENSION_WORDS[key];
  const values = raw
    .slice(eq + 1)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (dimension === undefined) {
    return fail(
      `Unknown filter \`${raw.slice(0, eq)}\`: filter with \`channel=…\` or \`campaign=…\`.`,
    );
  }
  if (values.length === 0) return fail(`\`${raw}\` needs a value, e.g. \`${key}=meta\`.`);
  acc.filters[dimension] = [...(acc.filters[dimension] ?? []), ...values];
  return next;
};

/** `for 2`, `for 3 checks in a row`. */
const forClause: ClauseParser = (tokens, i, acc) => {
  const count = tokens[i + 1];
  const n = count?.kind === 'word' ? Number(count.text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) {
    const got = count === undefined ? 'nothing' : `\`${tokenText(count)}\``;
    return fail(
      `\`for\` counts breaching checks in a row before the alert fires: write e.g. \`for 2\`, not ${got}.`,
    );
  }
  const unit = tokens[i + 2];
  if (unit?.kind === 'word' && parseDuration(`1 ${unit.lower}`).ok) {
    return fail(
      `\`for ${n} ${unit.text}\`: \`for\` counts checks, not time. With a daily schedule, \`for ${n}\` means ${n} days in a row.`,
    );
  }
  if (acc.for !== undefined) return fail('The rule gives `for` twice; give one.');
  acc.for = n;
  let next = i + 2;
  while (FOR_NOISE.has(lowerAt(tokens, next))) next++;
  if ([0, 1, 2].map((k) => lowerAt(tokens, next + k)).join(' ') === 'in a row') next += 3;
  return next;
};

/** `repeat 12h`, `repeat every 1d`. */
const repeatClause: ClauseParser = (tokens, i, acc) => {
  const keyword = tokenText(tokens[i]!);
  // `every` here is part of the interval, not a schedule.
  const start = lowerAt(tokens, i + 1) === 'every' ? i + 2 : i + 1;
  const { words, next } = takeWords(tokens, start);
  const duration = parseDuration(words.join(' '));
  if (!duration.ok) {
    return fail(
      words.length === 0
        ? `\`${keyword}\` needs an interval, e.g. \`repeat 12h\` or \`repeat 1d\`.`
        : `${duration.error} (after \`${keyword}\`).`,
    );
  }
  if (acc.repeat !== undefined) return fail('The rule gives the repeat interval twice; give one.');
  acc.repeat = duration.minutes;
  return next;
};

/** `hysteresis 0.2x`, `margin 0.5%` (parsed in the KPI's unit by the caller). */
const hysteresisClause: ClauseParser = (tokens, i, acc) => {
  const margin = takeThreshold(tokens, i + 1);
  if (margin === undefined) {
    return fail(
      `\`${tokenText(tokens[i]!)}\` needs a margin in the KPI's unit, e.g. \`hysteresis 0.2x\` or \`hysteresis 0.5%\`.`,
    );
  }
  if (acc.hysteresisText !== undefined) return fail('The rule gives the hysteresis twice.');
  acc.hysteresisText = margin.text;
  return margin.next;
};

/** `when ad_spend >= 5000 kr`, `when clicks > 100` (the volume parsed by buildRule). */
const guardClause: ClauseParser = (tokens, i, acc) => {
  const measure = tokens[i + 1];
  const cmp = tokens[i + 2];
  const volume = takeThreshold(tokens, i + 3);
  const usage = `\`${tokenText(tokens[i]!)}\` needs a volume, e.g. \`when ad_spend >= 5000 kr\` or \`when clicks >= 100\`.`;
  if (measure?.kind !== 'word' || cmp?.kind !== 'cmp' || volume === undefined) return fail(usage);
  if (cmp.op !== '>=' && cmp.op !== '>') {
    return fail(`A guard is a minimum volume: \`when ${measure.text} >= …\`.`);
  }
  if (acc.guard !== undefined) return fail('The rule gives two guards; give one.');
  acc.guard = { measure: measure.lower, comparator: cmp.op, valueText: volume.text };
  return volume.next;
};

/** `notify per-group`, `notify grouped`. */
const notifyClause: ClauseParser = (tokens, i, acc) => {
  const mode = NOTIFY_MODE_WORDS[lowerAt(tokens, i + 1)];
  if (mode === undefined) {
    return fail(
      `\`${tokenText(tokens[i]!)}\` needs \`per-group\` (one alert per group) or \`grouped\` (one alert for the rule).`,
    );
  }
  if (acc.notify !== undefined) return fail('The rule says how to notify twice; say it once.');
  acc.notify = mode;
  return i + 2;
};

/** `every "0 8 * * 1"`, `daily 09:00`, `weekly monday at 8`, `schedule "…"`. */
const scheduleClause: ClauseParser = (tokens, i, acc) => {
  const keyword = lowerAt(tokens, i);
  const parts = keyword === 'schedule' || keyword === 'cron' ? [] : [tokenText(tokens[i]!)];
  let next = i + 1;
  for (; next < tokens.length; next++) {
    const x = tokens[next]!;
    if (x.kind === 'quoted') parts.push(x.text);
    else if (x.kind === 'word' && (x.lower === 'at' || !isClauseStart(x))) parts.push(x.text);
    else break;
  }
  const parsed = parseSchedule(parts.join(' '));
  if (!parsed.ok) return fail(`${parsed.error}.`);
  if (acc.schedule !== undefined) return fail('The rule gives the schedule twice; give one.');
  acc.schedule = parsed.cron;
  return next;
};

/** Which parser handles the clause starting at `t`, or a failure for tokens that start none. */
function clauseFor(t: Token): ClauseParser | Failure | undefined {
  switch (t.kind) {
    case 'channel':
      return targetClause;
    case 'mention':
      return fail(
        `\`${t.text}\` is not a channel: alerts post to a channel, e.g. \`in #marketing\`.`,
      );
    case 'cmp':
      return fail('The rule has two comparisons; one rule watches one threshold.');
    case 'quoted':
      return fail(
        `I did not understand "${t.text}". Quotes are for cron schedules: \`every "0 9 * * 1"\`.`,
      );
    case 'word':
      if (TARGET_WORDS.has(t.lower)) return targetClause;
      if (WINDOW_WORDS.has(t.lower)) return windowClause;
      if (GROUP_WORDS.has(t.lower)) return groupClause;
      if (t.text.includes('=')) return filterClause;
      if (t.lower === 'for') return forClause;
      if (REPEAT_WORDS.has(t.lower)) return repeatClause;
      if (HYSTERESIS_WORDS.has(t.lower)) return hysteresisClause;
      if (GUARD_WORDS.has(t.lower)) return guardClause;
      if (NOTIFY_WORDS.has(t.lower)) return notifyClause;
      if (SCHEDULE_WORDS.has(t.lower)) return scheduleClause;
      return undefined;
  }
}

interface Head {
  kpiWord: string;
  comparator: Comparator;
  thresholdText: string;
  condition?: RuleSpec['condition'];
  next: number;
}

/** `drops 20% [vs previous]` from the verb at `i`: a change head. */
function changeHead(
  tokens: Token[],
  i: number,
  kpiWords: string[],
  op: '<=' | '>=',
): Head | Failure {
  const verb = tokenText(tokens[i]!);
  const amount = takeThreshold(tokens, i + 1);
  if (amount === undefined)
    return fail(`\`${verb}\` needs a percentage, e.g. \`${verb} 20% vs previous\`.`);
  let next = amount.next;
  let vs: ChangeBase = 'previous';
  if (VS_WORDS.has(lowerAt(tokens, next))) {
    const base = CHANGE_BASE_WORDS[lowerAt(tokens, next + 1)];
    if (base === undefined) {
      return fail(`\`${tokenText(tokens[next]!)}\` needs \`previous\` or \`last-year\` after it.`);
    }
    vs = base;
    next += 2;
  }
  return {
    kpiWord: kpiWords.join('-'),
    comparator: op,
    thresholdText: amount.text,
    condition: { kind: 'change', vs },
    next,
  };
}

/** `<kpi words> <comparator> <threshold>`: the head every rule starts with. */
function parseHead(tokens: Token[], text: string): Head | Failure {
  let i = 0;
  const kpiWords: string[] = [];
  let comparator: Comparator | undefined;
  while (i < tokens.length && comparator === undefined) {
    const t = tokens[i]!;
    const change = t.kind === 'word' ? CHANGE_VERBS[t.lower] : undefined;
    if (kpiWords.length > 0 && change !== undefined && /\d/.test(tokenText(tokens[i + 1] ?? t))) {
      return changeHead(tokens, i, kpiWords, change);
    }
    if (kpiWords.length > 0 && t.kind === 'word' && ANOMALY_WORDS.has(t.lower)) {
      if (kpiWords.at(-1)?.toLowerCase() === 'is') kpiWords.pop();
      return {
        kpiWord: kpiWords.join('-'),
        comparator: '>',
        thresholdText: String(DEFAULT_ANOMALY_K),
        condition: { kind: 'anomaly' },
        next: i + 1,
      };
    }
    i++;
    if (t.kind === 'cmp') comparator = t.op;
    else if (t.kind === 'word' && COMPARATOR_WORDS[t.lower] !== undefined) {
      comparator = COMPARATOR_WORDS[t.lower];
      // `roas drops below 3x`
      while (FILLER_BEFORE_COMPARATOR.has((kpiWords.at(-1) ?? '').toLowerCase())) kpiWords.pop();
    } else kpiWords.push(tokenText(t));
  }
  if (comparator === undefined) {
    return fail(
      `I found no comparison in \`${text.trim()}\`: say when to alert with <, <=, > or >=.`,
      `e.g. \`${RULE_TEXT_EXAMPLE}\``,
    );
  }
  if (kpiWords.length === 0)
    return fail('Which KPI? The rule starts with the KPI, e.g. `roas < 3x`.');
  const threshold = takeThreshold(tokens, i);
  if (threshold === undefined) {
    const got = tokens[i] === undefined ? 'nothing' : `\`${tokenText(tokens[i]!)}\``;
    return fail(
      `After \`${comparator}\` I expected a threshold such as 3x, 5% or 800 kr, but got ${got}.`,
    );
  }
  return {
    kpiWord: kpiWords.join('-'),
    comparator,
    thresholdText: threshold.text,
    next: threshold.next,
  };
}

/** Parses the text after `/kpi alert add` into a draft rule with defaults filled in. */
export function parseRuleText(
  text: string,
  options: { defaultWindow?: string } = {},
): RuleTextResult {
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return fail(`I could not read that: ${tokens}.`);
  if (tokens.length === 0) return fail('What should I watch? The rule is empty.');
  const head = parseHead(tokens, text);
  if ('ok' in head) return head;

  const acc: Clauses = { filters: {} };
  let i = head.next;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const parser = clauseFor(t);
    if (parser !== undefined && typeof parser !== 'function') return parser;
    if (parser !== undefined) {
      const step = parser(tokens, i, acc);
      if (typeof step !== 'number') return step;
      i = step;
    } else if (i === head.next && acc.window === undefined) {
      // `roas < 3x last 7 days`: a period straight after the threshold.
      const { words, next } = takeWords(tokens, i);
      acc.window = windowPhrase(words);
      acc.bareWindow = words.join(' ');
      i = next;
    } else {
      return fail(`I did not understand \`${tokenText(t)}\`.`);
    }
  }

  const draft: AlertRuleDraft = {
    kpiWord: head.kpiWord,
    comparator: head.comparator,
    thresholdText: head.thresholdText,
    ...(head.condition ? { condition: head.condition } : {}),
    ...(acc.guard ? { guard: acc.guard } : {}),
    window: acc.window ?? options.defaultWindow ?? DEFAULT_WINDOW,
    filters: acc.filters,
    schedule: acc.schedule ?? DEFAULT_SCHEDULE,
    for: acc.for ?? DEFAULT_FOR,
    repeatIntervalMinutes: acc.repeat ?? DEFAULT_REPEAT_MINUTES,
  };
  if (acc.groupBy !== undefined) draft.groupBy = acc.groupBy;
  if (acc.channel !== undefined) draft.channel = acc.channel;
  if (acc.channelName !== undefined) draft.channelName = acc.channelName;
  if (acc.hysteresisText !== undefined) draft.hysteresisText = acc.hysteresisText;
  if (acc.notify !== undefined) draft.notify = acc.notify;
  return { ok: true, draft };
}
