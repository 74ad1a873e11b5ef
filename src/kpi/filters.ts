// Dimension filters: a question's own (`channel=meta`) combined with a KPI's (organic_*). Pure.
import type { Dimension, Filters } from './types.ts';

/** Merges `user` filters with a KPI's `own`; null when they cannot both hold (no fact matches). */
export function mergeFilters(user: Filters, own: Filters | undefined): Filters | null {
  const merged: Filters = { ...user };
  for (const [dim, values] of Object.entries(own ?? {}) as Array<[Dimension, string[]]>) {
    const existing = merged[dim];
    const both = existing ? existing.filter((v) => values.includes(v)) : values;
    if (both.length === 0) return null;
    merged[dim] = both;
  }
  return merged;
}
