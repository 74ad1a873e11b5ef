// Cell readers: one cell's text → its value, or the problems that reject it (with the messages
// the report shows). Built once per file for its decimal separator and date format, then called
// for every cell of every row: plain functions, no zod, and no allocation for a usual cell
// (cellSchema wraps one in zod for the small records files). Pure, no I/O.
import { z } from 'zod';
import { findMeasure, MEASURES } from '../kpi/measures.ts';
import type { IsoDate } from '../kpi/types.ts';
import { type DateFormat, parseDate } from './dates.ts';
import { dimensionValueProblems } from './mapping.ts';
import { type DecimalSeparator, parseNumber, plainNumber } from './numbers.ts';
import { suggest } from './suggest.ts';

/** A cell's problems (usually one), returned by a reader instead of a value. */
export class Invalid {
  constructor(readonly messages: readonly string[]) {}
}

export type Reader<T> = (raw: string) => T | Invalid;

export function dateReader(format: DateFormat | undefined): Reader<IsoDate> {
  // Consecutive rows mostly share their date: remember the last one read.
  let lastRaw: string | undefined;
  let last: IsoDate | Invalid = '';
  return (raw) => {
    if (raw !== lastRaw) {
      lastRaw = raw;
      const r = parseDate(raw, format);
      last = r.ok ? r.value : new Invalid([r.reason]);
    }
    return last;
  };
}

export type EmptyPolicy = 'reject' | 'zero' | 'skip';

/** A measure's cell: a number, undefined (an empty cell left out) or the problem. */
export function numberReader(
  measure: () => string | undefined,
  decimal: DecimalSeparator | undefined,
  empty: EmptyPolicy,
): Reader<number | undefined> {
  return (raw) => {
    const plain = plainNumber(raw, decimal);
    if (!Number.isNaN(plain)) return plain;
    const t = raw.trim();
    if (empty !== 'reject' && (t === '' || t === '--')) return empty === 'zero' ? 0 : undefined;
    const r = parseNumber(raw, { decimal });
    if (!r.ok) return new Invalid([r.reason]);
    if (r.percent) {
      const m = measure() ?? 'this measure';
      return new Invalid([
        `"${t}" is a percentage, but ${m} is a count or an amount; ratios such as CTR or conversion rate are computed from their measures (clicks / impressions), so leave percentage columns out of the mapping`,
      ]);
    }
    return r.value;
  };
}

/**
 * A channel or campaign cell: trimmed, `fallback` when empty, then named by `label` (a channel:
 * its canonical name, channel-labels.ts) once it is a valid value.
 */
export function dimensionReader(
  fallback: string,
  label: (value: string) => string = (v) => v,
): Reader<string> {
  let lastRaw: string | undefined;
  let last: string | Invalid = '';
  return (raw) => {
    if (raw !== lastRaw) {
      lastRaw = raw;
      const t = raw.trim();
      const value = (t === '' ? fallback : t).trim();
      const problems = dimensionValueProblems(value);
      last = problems ? new Invalid(problems) : value === '' ? '' : label(value);
    }
    return last;
  };
}

const MEASURE_IDS = MEASURES.map((m) => m.id);

export function measureReader(): Reader<string> {
  const known = new Map<string, string | Invalid>();
  return (raw) => {
    let r = known.get(raw);
    if (r === undefined) {
      const id = raw.trim();
      if (findMeasure(id)) {
        r = id;
      } else {
        const guess = suggest(id, MEASURE_IDS);
        r = new Invalid([
          id === ''
            ? 'empty measure'
            : `unknown measure "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}`,
        ]);
      }
      if (known.size < 1_000) known.set(raw, r);
    }
    return r;
  };
}

/** A reader as a zod transform (records files). */
export function cellSchema<T>(read: Reader<T>) {
  return z.string().transform((s, ctx): T => {
    const r = read(s);
    if (!(r instanceof Invalid)) return r;
    for (const message of r.messages) ctx.issues.push({ code: 'custom', message, input: s });
    return z.NEVER;
  });
}
