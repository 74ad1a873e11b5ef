// Matching what people type to names: normalisation and edit distance for "did you mean". Pure.
import { langOf } from '../messages/lang.ts';

/** Lowercase, trimmed; spaces, hyphens, slashes, colons and dots become `_` (`LTV/CAC` → `ltv_cac`). */
export function normaliseName(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s\-/:.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** How far a typo may be from a name of this length to still be suggested. */
export function maxTypoDistance(length: number): number {
  return length <= 3 ? 1 : length <= 6 ? 2 : 3;
}

/** The candidates nearest to `text` (normalised): those at the smallest distance, at most `limit`. */
export function suggestNames(text: string, candidates: Iterable<string>, limit = 3): string[] {
  const word = normaliseName(text);
  return nearest(
    [...new Set(candidates)].map((name) => ({
      name,
      distance: editDistance(word, normaliseName(name)),
    })),
    maxTypoDistance(word.length),
    limit,
  );
}

/** The names within `maxDistance` that share the smallest distance, by name. */
export function nearest(
  scored: Array<{ name: string; distance: number }>,
  maxDistance: number,
  limit = 3,
): string[] {
  const best = Math.min(...scored.map((s) => s.distance));
  if (best > maxDistance) return [];
  return scored
    .filter((s) => s.distance === best)
    .map((s) => s.name)
    .sort()
    .slice(0, limit);
}

/** A KPI's name in the configured locale's language: Swedish for `sv-*`, English otherwise. */
export function localName(name: { sv: string; en: string }, locale: string): string {
  return name[langOf(locale)];
}
