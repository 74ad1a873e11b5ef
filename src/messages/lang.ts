// The language kpibot writes in, chosen by the configured locale: `sv-*` is Swedish, every
// other locale English. Every area of the product keeps its words in a catalogue file in this
// folder, typed `Words<T>`: both languages have the same shape, so a missing translation is a
// type error rather than an English word in a Swedish message. Pure.

export type Lang = 'sv' | 'en';

export const LANGS: readonly Lang[] = ['sv', 'en'];

export function langOf(locale: string): Lang {
  return locale.toLowerCase().startsWith('sv') ? 'sv' : 'en';
}

/** One area's words (strings, and functions for words with values in them) in every language. */
export type Words<T> = Readonly<Record<Lang, T>>;

/** The words of `catalogue` in the language of `locale`. */
export function wordsFor<T>(catalogue: Words<T>, locale: string): T {
  return catalogue[langOf(locale)];
}
