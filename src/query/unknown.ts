// The helpful refusals of a KPI question: a typo (the whole corrected command offered, ready to
// run) and a channel or campaign that does not exist (named, the known ones listed, the nearest
// suggested). Pure: what was read and the store's known values in, an error outcome out.

import { suggestNames } from '../kpi/names.ts';
import type { Dimension } from '../kpi/types.ts';
import { ERROR_WORDS, type ErrorWords } from '../messages/errors.ts';
import { wordsFor } from '../messages/lang.ts';
import { type ErrorOutcome, error } from '../reply/command.ts';
import type { KpiQueryText } from './grammar.ts';
import { commandText, type KnownValues } from './reader.ts';

/** The views escape the message; a word is only put in backticks here. */
const quoted = (word: string) => `\`${word}\``;

function knownList(dimension: Dimension, known: KnownValues, w: ErrorWords): string {
  const values = known[dimension];
  return values.length > 0
    ? w.known(dimension, values.map(quoted).join(', '))
    : w.noneYet(dimension);
}

/** ` Did you mean `a` or `b`?`, or nothing without a suggestion. */
function hintOf(near: readonly string[], w: ErrorWords): string {
  return near.length > 0 ? w.didYouMean(near.map(quoted).join(` ${w.or} `)) : '';
}

/** `raos last-week`: the corrections named and the whole corrected command offered. */
export function typoOutcome(
  corrections: ReadonlyArray<{ from: string; to: string }>,
  command: string,
  locale = 'en',
): ErrorOutcome {
  const w = wordsFor(ERROR_WORDS, locale);
  const words = corrections.map((c) => w.correction(quoted(c.from), quoted(c.to))).join(', ');
  return { ...error(w.readAs(words), [], [command]), retry: command };
}

/**
 * `channel=facebook` when no channel is called that: the value named, the known ones listed and
 * the nearest suggested (a retry with it when every unknown value has exactly one nearest).
 * Undefined when every value exists, or the store has no values of that dimension at all (then
 * the answer's "no data" says why).
 */
export function unknownValueOutcome(
  query: KpiQueryText,
  known: KnownValues,
  locale = 'en',
): ErrorOutcome | undefined {
  const w = wordsFor(ERROR_WORDS, locale);
  const lines: string[] = [];
  const filters = { ...query.filters };
  let replaceable = true;
  for (const dimension of ['channel', 'campaign'] as const) {
    const values = query.filters[dimension] ?? [];
    if (known[dimension].length === 0) continue;
    const missing = values.filter((v) => !known[dimension].includes(v));
    if (missing.length === 0) continue;
    const replaced = [...values];
    for (const value of missing) {
      const near = suggestNames(value, known[dimension]);
      lines.push(w.noSuchValue(dimension, quoted(value), hintOf(near, w)));
      if (near.length === 1) replaced[replaced.indexOf(value)] = near[0]!;
      else replaceable = false;
    }
    lines.push(knownList(dimension, known, w));
    filters[dimension] = replaced;
  }
  if (lines.length === 0) return undefined;
  const outcome = error(lines.join(' '), []);
  return replaceable ? { ...outcome, retry: commandText({ ...query, filters }) } : outcome;
}

/** `roas for facebook`: a word after `for`/`på` that names no channel and no campaign. */
export function unknownWordsOutcome(
  words: readonly string[],
  known: KnownValues,
  command: string,
  locale = 'en',
): ErrorOutcome {
  const w = wordsFor(ERROR_WORDS, locale);
  const found = words.map((word) => ({
    word,
    near: [
      ...suggestNames(word, known.channel).map((n) => `channel=${n}`),
      ...suggestNames(word, known.campaign).map((n) => `campaign=${n}`),
    ],
  }));
  const lines = found.map(({ word, near }) => w.unknownWord(quoted(word), hintOf(near, w)));
  const near = found.flatMap((f) => f.near);
  const outcome = error(
    [...lines, knownList('channel', known, w), knownList('campaign', known, w)].join(' '),
    [],
  );
  return words.length === 1 && near.length === 1
    ? { ...outcome, retry: `${command} ${near[0]}` }
    : outcome;
}
