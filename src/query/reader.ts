// Reads a question as people type it, in Swedish or English ("vad var roas förra veckan",
// "what was our revenue in October by channel?") into the canonical command the strict grammar
// (grammar.ts) answers: `roas last-week`, `revenue 2026-10 by channel`. Pure and deterministic.
//
// A small grammar over words: at each position the longest phrase of one kind is taken —
// filters (`channel=meta`, `kanal meta`, a known channel or campaign named as words), breakdowns
// (`per kanal`), comparisons (`jämfört med samma månad förra året`), KPI names (from the
// catalog), periods (keywords, month names with or without year, `vecka 47`, anything
// parsePeriod reads), then filler words. A word that fits nothing gets one typo correction
// against the words the grammar knows; a word that still fits nothing is reported, never dropped.

import type { Catalog } from '../kpi/catalog.ts';
import { DIMENSION_WORDS, GROUP_WORDS } from '../kpi/dimension-words.ts';
import { editDistance, normaliseName } from '../kpi/names.ts';
import {
  englishPeriodPhrase,
  isoWeekOf,
  isoWeeksInYear,
  type PeriodContext,
  parsePeriod,
  todayIn,
} from '../kpi/periods.ts';
import type { Dimension } from '../kpi/types.ts';
import { ERROR_WORDS, type ErrorWords } from '../messages/errors.ts';
import { wordsFor } from '../messages/lang.ts';
import type { CompareTarget, KpiQueryText } from './grammar.ts';

/** The channels and campaigns that exist in the store, by dimension. */
export type KnownValues = Readonly<Record<Dimension, readonly string[]>>;

export interface Reading {
  kind: 'reading';
  /** The canonical command (`roas 2026-10 channel=google-ads`). */
  command: string;
  /** Words read as other words (`raos` → `roas`); the command already uses the corrected ones. */
  corrections: Array<{ from: string; to: string }>;
  /** Words after `for`/`på`/`channel`… that name no known channel or campaign (`facebook`). */
  unknownValues: string[];
}

export interface Refusal {
  kind: 'refused';
  message: string;
  /** Words nothing in the grammar could place. */
  unplaced: string[];
  /** The command read from the rest, when there is one worth offering. */
  partial?: string;
}

export type ReadResult = Reading | Refusal;

interface State {
  kpis: string[];
  period?: string;
  compare?: CompareTarget;
  groupBy?: Dimension;
  filters: Map<Dimension, string[]>;
  corrections: Reading['corrections'];
  unknownValues: Reading['unknownValues'];
  unplaced: string[];
  problems: string[];
}

// ---------------------------------------------------------------------------------------------
// Words

const FILLERS = new Set(
  (
    'vad var är blev hur går gick det den de hade vi våra vårt vår min mitt mina visa mig ge berätta ' +
    'kolla om för på i under från till som med och samt eller nu totalt total snälla tack hej ' +
    'what was is it were are how has have did does do doing our my the a an show me give tell ' +
    'please for in on of during from over to and or with at get see us about total overall ' +
    'look looking like hi hey thanks current value värdet värde kpi kpin ' +
    'split broken down uppdelat uppdelad uppdelade fördelat fördelad each every varje ' +
    'har fick många mycket ett en bara endast utvecklats utvecklat trenden we you can could ' +
    "would what's whats how's hows it's many much only got"
  ).split(' '),
);

const ALL_WORDS = new Set(['all', 'alla', 'samtliga', 'every']);

/** Words after which a word that names nothing is taken as a channel or campaign. */
const VALUE_PREPOSITIONS = new Set(['for', 'för', 'på', 'on', 'from', 'från', 'in', 'i', 'via']);

const COMPARE_STARTS: readonly string[][] = [
  ['vs'],
  ['vs.'],
  ['versus'],
  ['mot'],
  ['against'],
  ['than'],
  ['jämfört', 'med'],
  ['jämfört', 'mot'],
  ['jämfört'],
  ['compared', 'to'],
  ['compared', 'with'],
  ['compared'],
  ['i', 'jämförelse', 'med'],
  ['relative', 'to'],
];

/** Comparisons written without a comparison word. */
const STANDALONE_COMPARE: ReadonlyArray<[string[], CompareTarget]> = [
  [['year', 'over', 'year'], { kind: 'last-year' }],
  [['yoy'], { kind: 'last-year' }],
  [['år', 'mot', 'år'], { kind: 'last-year' }],
];

const UNIT_WORDS = new Set(
  (
    'day week month quarter year period time dag dagen vecka veckan månad månaden kvartal ' +
    'kvartalet år året period perioden tid tiden'
  ).split(' '),
);
const YEAR_UNITS = new Set(['year', 'år', 'året']);
const BEFORE_WORDS = new Set(['before', 'earlier', 'innan', 'före', 'tidigare', 'dessförinnan']);
const PREVIOUS_WORDS = new Set(['previous', 'prev', 'prior', 'preceding', 'föregående']);
const LAST_YEAR_TAILS: readonly string[][] = [
  ['last', 'year'],
  ['förra', 'året'],
  ['i', 'fjol'],
  ['ifjol'],
  ['fjolåret'],
  ['a', 'year', 'ago'],
  ['year', 'ago'],
  ['one', 'year', 'ago'],
  ['ett', 'år', 'sedan'],
  ['ett', 'år', 'tidigare'],
  ['a', 'year', 'earlier'],
  ['the', 'year', 'before'],
  ['year', 'before'],
  ['året', 'innan'],
  ['året', 'före'],
  ['previous', 'year'],
  ['prior', 'year'],
  ['föregående', 'år'],
  ['last-year'],
  ['yoy'],
];
const SAME_WORDS = new Set(['same', 'samma']);
/** Words a comparison target may start with that say nothing (`the month before`). */
const TARGET_FILLERS = new Set(['the', 'a', 'an', 'det', 'den', 'with', 'med', 'to']);

const MONTHS: ReadonlyArray<readonly string[]> = [
  ['january', 'januari', 'jan'],
  ['february', 'februari', 'feb'],
  ['march', 'mars', 'mar'],
  ['april', 'apr'],
  ['may', 'maj'],
  ['june', 'juni', 'jun'],
  ['july', 'juli', 'jul'],
  ['august', 'augusti', 'aug'],
  ['september', 'sep', 'sept'],
  ['october', 'oktober', 'oct', 'okt'],
  ['november', 'nov'],
  ['december', 'dec'],
];
const MONTH_OF = new Map<string, number>();
MONTHS.forEach((names, i) => {
  for (const n of names) MONTH_OF.set(n, i + 1);
});

/** Dimension names, with the Swedish definite forms (`kampanjen brand`). */
const DIMENSIONS: Readonly<Record<string, Dimension>> = {
  ...DIMENSION_WORDS,
  kanalen: 'channel',
  kanalerna: 'channel',
  kampanjen: 'campaign',
  kampanjerna: 'campaign',
};

/** `previous week` / `föregående månad` as a period: the complete unit before this one. */
const LAST_UNIT: Readonly<Record<string, string>> = {
  day: 'yesterday',
  dag: 'yesterday',
  dagen: 'yesterday',
  week: 'last-week',
  vecka: 'last-week',
  veckan: 'last-week',
  month: 'last-month',
  månad: 'last-month',
  månaden: 'last-month',
  quarter: 'last-quarter',
  kvartal: 'last-quarter',
  kvartalet: 'last-quarter',
  year: 'last-year',
  år: 'last-year',
  året: 'last-year',
};

const ORDINALS: Readonly<Record<string, number>> = {
  first: 1,
  '1st': 1,
  första: 1,
  second: 2,
  '2nd': 2,
  andra: 2,
  third: 3,
  '3rd': 3,
  tredje: 3,
  fourth: 4,
  '4th': 4,
  fjärde: 4,
};

/** `from 2026-11-01 to 2026-11-15`, `mellan 2026-11-01 och 2026-11-15`. */
const RANGE_STARTS = new Set(['from', 'från', 'between', 'mellan', 'fr.o.m']);
const RANGE_JOINS = new Set(['to', 'till', 'and', 'och', 'until', 'through', 't.o.m']);
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Swedish definite and plural endings: `intäkterna` is `intäkter`, `trafiken` is `trafik`. */
const SWEDISH_ENDINGS = ['na', 'en', 'et', 'n', 't', 'erna', 'arna', 'orna'];

const WEEK_WORDS = new Set(['week', 'vecka', 'v', 'v.', 'w', 'wk', 'veckan']);
const QUARTER_WORDS = new Set(['quarter', 'kvartal', 'kvartalet', 'q']);

/** Phrases for running periods that parsePeriod does not know, in words. */
const PERIOD_PHRASES: ReadonlyArray<[string[], string]> = [
  [['hittills', 'i', 'år'], 'this-year'],
  [['hittills', 'i', 'året'], 'this-year'],
  [['hittills', 'detta', 'år'], 'this-year'],
  [['year', 'to', 'date'], 'this-year'],
  [['so', 'far', 'this', 'year'], 'this-year'],
  [['this', 'year', 'so', 'far'], 'this-year'],
  [['hittills', 'i', 'månaden'], 'this-month'],
  [['hittills', 'denna', 'månad'], 'this-month'],
  [['hittills', 'den', 'här', 'månaden'], 'this-month'],
  [['month', 'to', 'date'], 'this-month'],
  [['so', 'far', 'this', 'month'], 'this-month'],
  [['this', 'month', 'so', 'far'], 'this-month'],
  [['hittills', 'i', 'veckan'], 'this-week'],
  [['hittills', 'denna', 'vecka'], 'this-week'],
  [['hittills', 'den', 'här', 'veckan'], 'this-week'],
  [['week', 'to', 'date'], 'this-week'],
  [['so', 'far', 'this', 'week'], 'this-week'],
  [['this', 'week', 'so', 'far'], 'this-week'],
  [['hittills', 'i', 'kvartalet'], 'this-quarter'],
  [['quarter', 'to', 'date'], 'this-quarter'],
  [['so', 'far', 'this', 'quarter'], 'this-quarter'],
];

/** KPI phrasings beyond the catalog's names and aliases. */
const KPI_PHRASES: ReadonlyArray<[string[], string]> = [
  [['ltv', 'to', 'cac'], 'ltv_cac'],
  [['ltv', 'till', 'cac'], 'ltv_cac'],
  [['ltv', 'per', 'cac'], 'ltv_cac'],
  [['ltv', 'cac', 'ratio'], 'ltv_cac'],
  [['return', 'on', 'ad', 'spend'], 'roas'],
  [['cost', 'per', 'conversion'], 'cpa'],
  [['order', 'value'], 'aov'],
  [['click', 'rate'], 'ctr'],
  [['kostar', 'ett', 'lead'], 'cpl'],
  [['kostar', 'ett', 'klick'], 'cpc'],
  [['kostar', 'en', 'ny', 'kund'], 'cac'],
  [['cost', 'of', 'a', 'lead'], 'cpl'],
];

// ---------------------------------------------------------------------------------------------
// Tokens

/** Lower-case words; punctuation dropped; `a-b` and `a_b` split unless it is a date or period. */
export function tokenise(text: string): string[] {
  const out: string[] = [];
  const cleaned = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[?!"“”‘’´`()[\]{}]/g, ' ')
    .replace(/\s*=\s*/g, '=')
    .replace(/,(?=\s|$)/g, ' , ')
    .replace(/(^|\s)'|'(\s|$)/g, ' ');
  for (const raw of cleaned.split(/\s+/)) {
    const word = raw.replace(/[.:;]+$/, '');
    if (!word) continue;
    if (word.includes('=') || /^\d{4}-/.test(word) || word.includes('..')) {
      out.push(word);
      continue;
    }
    for (const part of word.split(/[-_/:,]+/)) if (part) out.push(part);
  }
  return out;
}

function tokensOf(name: string): string[] {
  return normaliseName(name).split('_').filter(Boolean);
}

function startsWith(words: readonly string[], at: number, phrase: readonly string[]): boolean {
  return phrase.length > 0 && phrase.every((w, k) => words[at + k] === w);
}

/** The longest entry of `table` found at `at`. */
function longest<T>(
  words: readonly string[],
  at: number,
  table: ReadonlyArray<readonly [readonly string[], T]>,
): { length: number; value: T } | undefined {
  let best: { length: number; value: T } | undefined;
  for (const [phrase, value] of table) {
    if (startsWith(words, at, phrase) && (!best || phrase.length > best.length)) {
      best = { length: phrase.length, value };
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// The reader

export interface ReaderDeps {
  catalog: Catalog;
  periodContext: PeriodContext;
  known: KnownValues;
}

/** The phrases of one question's reading: the catalog's KPI names and the store's values. */
interface Lexicon {
  kpis: Array<[string[], string]>;
  values: Array<[string[], { dimension: Dimension; value: string }]>;
  vocabulary: Set<string>;
}

function lexicon(deps: ReaderDeps): Lexicon {
  const kpis: Array<[string[], string]> = [
    ...KPI_PHRASES.map(([p, id]): [string[], string] => [p, id]),
  ];
  for (const kpi of deps.catalog.list()) {
    for (const name of [kpi.id, kpi.name.sv, kpi.name.en, ...kpi.aliases]) {
      kpis.push([tokensOf(name), kpi.id]);
    }
  }
  const values: Lexicon['values'] = [];
  for (const dimension of ['channel', 'campaign'] as const) {
    for (const value of deps.known[dimension]) {
      values.push([tokensOf(value), { dimension, value }]);
      const joined = tokensOf(value).join('');
      if (joined !== tokensOf(value)[0]) values.push([[joined], { dimension, value }]);
    }
  }
  const vocabulary = new Set<string>([
    ...FILLERS,
    ...UNIT_WORDS,
    ...BEFORE_WORDS,
    ...PREVIOUS_WORDS,
    ...SAME_WORDS,
    ...ALL_WORDS,
    ...GROUP_WORDS,
    ...TARGET_FILLERS,
    ...MONTH_OF.keys(),
    ...Object.keys(DIMENSIONS),
    ...[...kpis, ...values, ...PERIOD_PHRASES, ...LAST_YEAR_TAILS.map((t) => [t, 0] as const)]
      .flatMap(([phrase]) => phrase)
      .filter((w) => /^\p{L}+$/u.test(w)),
    ...'last this next today yesterday idag igår förra denna detta senaste past days weeks months dagar veckor månader dagarna veckorna månaderna hittills versus against compared jämfört'.split(
      ' ',
    ),
  ]);
  return { kpis, values, vocabulary };
}

/** The one vocabulary word nearest to `word` within a small typo distance, if it is unique. */
function correction(word: string, vocabulary: ReadonlySet<string>): string | undefined {
  if (!/^\p{L}+$/u.test(word) || word.length < 4) return undefined;
  const limit = word.length <= 5 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string[] = [];
  let bestDistance = limit + 1;
  for (const candidate of vocabulary) {
    // Typos rarely hit the first letter; requiring it keeps `except` from becoming `sept`.
    if (candidate[0] !== word[0] || candidate.length < 3) continue;
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = [candidate];
    } else if (d === bestDistance) best.push(candidate);
  }
  // A tie goes to the one that ends like the word (`vekan` → `veckan`, not `vecka`).
  const alike = best.filter((c) => c.at(-1) === word.at(-1));
  if (best.length === 1) return best[0];
  return alike.length === 1 ? alike[0] : undefined;
}

export function readQuestion(text: string, deps: ReaderDeps): ReadResult {
  const lex = lexicon(deps);
  const words = tokenise(text);
  const state: State = {
    kpis: [],
    filters: new Map(),
    corrections: [],
    unknownValues: [],
    unplaced: [],
    problems: [],
  };
  const reader = new WordReader(words, state, lex, deps);
  reader.readAll();
  return finish(state, wordsFor(ERROR_WORDS, deps.periodContext.locale ?? 'en'));
}

class WordReader {
  private i = 0;
  /** Words read as another (a typo corrected, a Swedish form as its base word), by position. */
  private readonly originals = new Map<number, string>();

  constructor(
    private readonly words: string[],
    private readonly state: State,
    private readonly lex: Lexicon,
    private readonly deps: ReaderDeps,
  ) {}

  /** The words of a problem, in the language of the question's context. */
  private get say(): ErrorWords {
    return wordsFor(ERROR_WORDS, this.deps.periodContext.locale ?? 'en');
  }

  readAll(): void {
    while (this.i < this.words.length) {
      const taken = this.step();
      if (taken > 0) {
        this.i += taken;
        continue;
      }
      const word = this.words[this.i]!;
      // A Swedish form, a typo here, or in the next word of a phrase (`förra vekan`).
      const fixAt = this.lex.vocabulary.has(word) ? this.i + 1 : this.i;
      if (this.baseForm(fixAt)) continue;
      if (!this.originals.has(fixAt)) {
        this.fixTypo(fixAt);
        if (this.originals.has(fixAt)) continue;
      }
      const before = this.words[this.i - 1];
      const original = this.originals.get(this.i) ?? word;
      if (before !== undefined && VALUE_PREPOSITIONS.has(before) && /^\p{L}/u.test(original)) {
        this.state.unknownValues.push(original);
      } else this.state.unplaced.push(original);
      this.i++;
    }
  }

  /** Reads one phrase at the current position; the number of words taken (0: none fits). */
  private step(): number {
    const { words, i } = this;
    const word = words[i]!;
    if (word === ',') return 1;
    if (word.includes('=')) return this.strictFilter(word);
    const compareStart = longest(
      words,
      i,
      COMPARE_STARTS.map((p) => [p, true] as const),
    );
    if (compareStart) return compareStart.length + this.compareTarget(i + compareStart.length);
    const standalone = longest(words, i, STANDALONE_COMPARE);
    if (standalone) {
      this.setCompare(standalone.value);
      return standalone.length;
    }
    const group = this.groupAt(i);
    if (group) return group;
    // `för alla kanaler`, `across all campaigns`: the total, neither a filter nor a breakdown.
    if (ALL_WORDS.has(word) && DIMENSIONS[words[i + 1] ?? '']) return 2;
    const dimension = DIMENSIONS[word];
    if (dimension) return this.dimensionAt(i, dimension);
    const value = longest(words, i, this.lex.values);
    const kpi = longest(words, i, this.lex.kpis);
    const period = this.periodAt(i);
    // The longest reading wins; a KPI before a value or a period of the same length.
    const best = [
      kpi && { length: kpi.length, apply: () => this.addKpi(kpi.value) },
      value && {
        // `the retarget campaign`: the dimension's name after the value belongs to it.
        length:
          value.length +
          (DIMENSIONS[words[i + value.length] ?? ''] === value.value.dimension ? 1 : 0),
        apply: () => this.addFilter(value.value.dimension, value.value.value),
      },
      period && { length: period.length, apply: () => this.setPeriod(period.phrase) },
    ]
      .filter((c): c is { length: number; apply: () => void } => Boolean(c))
      .sort((a, b) => b.length - a.length)[0];
    if (best) {
      best.apply();
      return best.length;
    }
    return FILLERS.has(word) ? 1 : 0;
  }

  private strictFilter(word: string): number {
    const [name = '', rawValues = ''] = word.split('=', 2);
    const dimension = DIMENSION_WORDS[name];
    if (!dimension) {
      this.state.problems.push(this.say.unknownFilter(name));
      return 1;
    }
    const values = rawValues.split(',').filter(Boolean);
    if (values.length === 0) this.state.problems.push(this.say.needsValueShort(word));
    for (const v of values) this.addFilter(dimension, v);
    return 1;
  }

  /** `by channel`, `per kanal`, `for each campaign`, `split by channel`. */
  private groupAt(at: number): number {
    const word = this.words[at]!;
    if (!GROUP_WORDS.has(word)) return 0;
    let k = at + 1;
    while (['each', 'every', 'varje'].includes(this.words[k] ?? '')) k++;
    const dimension = DIMENSIONS[this.words[k] ?? ''];
    if (!dimension) return 0;
    this.setGroup(dimension);
    return k - at + 1;
  }

  /** `kanal meta`, `channel google ads`, `campaign retarget`, or a bare `channels` (breakdown). */
  private dimensionAt(at: number, dimension: Dimension): number {
    const values = this.lex.values.filter(([, v]) => v.dimension === dimension);
    const found = longest(this.words, at + 1, values);
    if (found) {
      this.addFilter(dimension, found.value.value);
      return 1 + found.length;
    }
    const next = this.words[at + 1];
    if (next !== undefined && this.isUnknownWord(at + 1)) {
      this.addFilter(dimension, next);
      return 2;
    }
    this.setGroup(dimension);
    return 1;
  }

  /** Replaces the word at `at` by its typo correction when it is not a word the grammar knows. */
  private fixTypo(at: number): void {
    const word = this.words[at];
    if (word === undefined || this.lex.vocabulary.has(word) || this.originals.has(at)) return;
    const fixed = correction(word, this.lex.vocabulary);
    if (!fixed) return;
    this.originals.set(at, word);
    this.words[at] = fixed;
    if (!FILLERS.has(fixed)) this.state.corrections.push({ from: word, to: fixed });
  }

  /** A word no phrase starts with and no typo correction reaches. */
  private isUnknownWord(at: number): boolean {
    const word = this.words[at]!;
    if (!/^\p{L}[\p{L}\d]*$/u.test(word) || this.lex.vocabulary.has(word)) return false;
    return correction(word, this.lex.vocabulary) === undefined;
  }

  private compareTarget(at: number): number {
    let k = at;
    while (TARGET_FILLERS.has(this.words[k] ?? '')) k++;
    this.fixTypo(k);
    this.fixTypo(k + 1);
    const w = (n: number) => this.words[k + n] ?? '';
    // same [unit] last year / samma månad förra året / the same period a year ago
    let s = k;
    if (SAME_WORDS.has(w(0))) s++;
    if (UNIT_WORDS.has(this.words[s] ?? '') && s > k) s++;
    const tail = longest(
      this.words,
      s,
      LAST_YEAR_TAILS.map((t) => [t, true] as const),
    );
    if (tail && (s > k || !this.periodLongerThan(k, tail.length))) {
      this.setCompare({ kind: 'last-year' });
      return s - at + tail.length;
    }
    // previous [unit] / föregående [period] / the month before / veckan innan / dagen före
    if (PREVIOUS_WORDS.has(w(0))) {
      const withUnit = UNIT_WORDS.has(w(1));
      this.setCompare(YEAR_UNITS.has(w(1)) ? { kind: 'last-year' } : { kind: 'previous' });
      return k - at + (withUnit ? 2 : 1);
    }
    if (UNIT_WORDS.has(w(0)) && BEFORE_WORDS.has(w(1))) {
      this.setCompare(YEAR_UNITS.has(w(0)) ? { kind: 'last-year' } : { kind: 'previous' });
      return k - at + 2;
    }
    const period = this.periodAt(k);
    if (period) {
      // `vecka 47 förra året`: the same period a year earlier.
      const after = k + period.length;
      const yearAgo = longest(
        this.words,
        after,
        LAST_YEAR_TAILS.map((t) => [t, true] as const),
      );
      if (yearAgo && !this.periodLongerThan(after, yearAgo.length)) {
        this.setCompare({ kind: 'last-year' });
        return after - at + yearAgo.length;
      }
      this.setCompare({ kind: 'period', phrase: period.phrase });
      return k - at + period.length;
    }
    this.state.problems.push(this.say.comparisonNeedsTarget);
    return k - at;
  }

  /** `from 2026-11-01 to 2026-11-15`, `2026-11-01 till 2026-11-15`: one range. */
  private rangeAt(at: number): { length: number; phrase: string } | undefined {
    const words = this.words;
    const first = RANGE_STARTS.has(words[at] ?? '') ? at + 1 : at;
    const a = words[first] ?? '';
    const b = words[first + 2] ?? '';
    if (!ISO_DAY.test(a) || !ISO_DAY.test(b) || !RANGE_JOINS.has(words[first + 1] ?? '')) {
      return undefined;
    }
    const parsed = parsePeriod(`${a}..${b}`, this.deps.periodContext);
    return parsed.ok ? { length: first + 3 - at, phrase: parsed.period.phrase } : undefined;
  }

  /** A Swedish definite or plural form of a word the grammar knows, read as that word. */
  private baseForm(at: number): boolean {
    const word = this.words[at] ?? '';
    if (this.originals.has(at) || this.lex.vocabulary.has(word)) return false;
    for (const ending of SWEDISH_ENDINGS) {
      const base = word.slice(0, -ending.length);
      if (word.endsWith(ending) && base.length >= 3 && this.lex.vocabulary.has(base)) {
        this.originals.set(at, word);
        this.words[at] = base;
        return true;
      }
    }
    return false;
  }

  /** Whether a period phrase longer than `n` words starts at `at` (`last year` vs `last-year-…`). */
  private periodLongerThan(at: number, n: number): boolean {
    return (this.periodAt(at)?.length ?? 0) > n;
  }

  /** The longest period phrase at `at`, as its canonical phrase. */
  private periodAt(at: number): { length: number; phrase: string } | undefined {
    const words = this.words;
    const ctx = this.deps.periodContext;
    const today = todayIn(ctx);
    const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
    const yearAt = (n: number): number | undefined => {
      const y = words[n] === 'of' ? words[n + 1] : words[n];
      return y !== undefined && /^\d{4}$/.test(y) ? Number(y) : undefined;
    };
    const fixed = longest(words, at, PERIOD_PHRASES);
    if (fixed) return { length: fixed.length, phrase: fixed.value };
    const range = this.rangeAt(at);
    if (range) return range;
    const lastUnit = LAST_UNIT[words[at + 1] ?? ''];
    if (PREVIOUS_WORDS.has(words[at] ?? '') && lastUnit) return { length: 2, phrase: lastUnit };
    const ordinal = ORDINALS[words[at] ?? ''];
    if (ordinal !== undefined && QUARTER_WORDS.has(words[at + 1] ?? '')) {
      const year = yearAt(at + 2);
      const y = year ?? (3 * ordinal - 2 <= tm ? ty : ty - 1);
      return { length: year === undefined ? 2 : 3, phrase: `${y}-Q${ordinal}` };
    }
    const month = MONTH_OF.get(words[at] ?? '');
    if (month !== undefined) {
      const year = yearAt(at + 1);
      const y = year ?? (month <= tm ? ty : ty - 1);
      return {
        length: year === undefined ? 1 : 2,
        phrase: `${y}-${String(month).padStart(2, '0')}`,
      };
    }
    const unitNumber = (names: ReadonlySet<string>) => {
      const glued = /^([a-z.]+?)\.?(\d{1,2})$/.exec(words[at] ?? '');
      if (glued && names.has(glued[1]!)) return { n: Number(glued[2]), used: 1 };
      if (names.has(words[at] ?? '') && /^\d{1,2}$/.test(words[at + 1] ?? '')) {
        return { n: Number(words[at + 1]), used: 2 };
      }
      return undefined;
    };
    const week = unitNumber(WEEK_WORDS);
    if (week) {
      const year = yearAt(at + week.used);
      const current = isoWeekOf(today);
      let y = year ?? (week.n <= current.week ? current.year : current.year - 1);
      if (year === undefined && week.n > isoWeeksInYear(y)) y = current.year;
      return {
        length: week.used + (year === undefined ? 0 : words[at + week.used] === 'of' ? 2 : 1),
        phrase: `${y}-W${String(week.n).padStart(2, '0')}`,
      };
    }
    const quarter = unitNumber(QUARTER_WORDS);
    if (quarter && quarter.n >= 1 && quarter.n <= 4) {
      const year = yearAt(at + quarter.used);
      const y = year ?? (3 * quarter.n - 2 <= tm ? ty : ty - 1);
      return { length: quarter.used + (year === undefined ? 0 : 1), phrase: `${y}-Q${quarter.n}` };
    }
    for (let n = Math.min(5, words.length - at); n >= 1; n--) {
      const slice = words.slice(at, at + n);
      if (slice.some((w) => w === ',' || w.includes('='))) continue;
      const phrase = slice.join('-');
      const parsed = parsePeriod(phrase, ctx);
      if (parsed.ok)
        return { length: n, phrase: englishPeriodPhrase(phrase) ?? parsed.period.phrase };
    }
    return undefined;
  }

  private addKpi(id: string): void {
    if (!this.state.kpis.includes(id)) this.state.kpis.push(id);
  }

  private addFilter(dimension: Dimension, value: string): void {
    const values = this.state.filters.get(dimension) ?? [];
    if (!values.includes(value)) values.push(value);
    this.state.filters.set(dimension, values);
  }

  private setPeriod(phrase: string): void {
    if (this.state.period !== undefined && this.state.period !== phrase) {
      this.state.problems.push(this.say.twoPeriods(this.state.period, phrase));
    }
    this.state.period ??= phrase;
  }

  private setCompare(compare: CompareTarget): void {
    if (this.state.compare) {
      this.state.problems.push(this.say.oneComparison);
      return;
    }
    this.state.compare = compare;
  }

  private setGroup(dimension: Dimension): void {
    if (this.state.groupBy && this.state.groupBy !== dimension) {
      this.state.problems.push(this.say.oneBreakdown);
      return;
    }
    this.state.groupBy = dimension;
  }
}

/** The canonical command of a query: `roas,cac last-week vs previous by channel channel=meta`. */
export function commandText(q: Omit<KpiQueryText, 'kind'>): string {
  const parts = [q.kpiWords.join(',')];
  if (q.period) parts.push(q.period);
  if (q.compare)
    parts.push(`vs ${q.compare.kind === 'period' ? q.compare.phrase : q.compare.kind}`);
  if (q.groupBy) parts.push(`by ${q.groupBy}`);
  for (const [dimension, values] of Object.entries(q.filters)) {
    if (values && values.length > 0) parts.push(`${dimension}=${values.join(',')}`);
  }
  return parts.join(' ');
}

function finish(state: State, words: ErrorWords): ReadResult {
  const command = commandText({
    kpiWords: state.kpis,
    period: state.period,
    compare: state.compare,
    groupBy: state.groupBy,
    filters: Object.fromEntries(state.filters),
  });
  const partial = state.kpis.length > 0 ? command : undefined;
  if (state.unplaced.length > 0) {
    const list = state.unplaced.map((w) => `\`${w}\``).join(', ');
    return {
      kind: 'refused',
      message: words.notPlaced(list),
      unplaced: state.unplaced,
      ...(partial ? { partial } : {}),
    };
  }
  if (state.problems.length > 0) {
    return { kind: 'refused', message: state.problems.join(' '), unplaced: [] };
  }
  if (state.kpis.length === 0) {
    return {
      kind: 'refused',
      message: words.whichKpi,
      unplaced: [],
    };
  }
  return {
    kind: 'reading',
    command,
    corrections: state.corrections,
    unknownValues: state.unknownValues,
  };
}
