// The `/kpi` grammar, shared by Slack and `kpibot ask`. Pure: text in, a parsed command out.
//
//   list | explain <kpi>     (help and status are modules of their own: src/commands/registry.ts)
//   <kpi>[,<kpi>…] [period] [vs previous|last-year|<period>] [by channel|campaign]
//                  [channel=a,b] [campaign=x]
//
// Swedish works too: `roas förra-veckan mot föregående per kanal kanal=meta`.

import { DIMENSION_WORDS, GROUP_WORDS } from '../kpi/dimension-words.ts';
import type { Dimension, Filters } from '../kpi/types.ts';
import { ERROR_WORDS, type ErrorWords } from '../messages/errors.ts';
import { wordsFor } from '../messages/lang.ts';

export type CompareTarget =
  | { kind: 'previous' }
  | { kind: 'last-year' }
  | { kind: 'period'; phrase: string };

export interface KpiQueryText {
  kind: 'query';
  /** One entry per comma-separated KPI (`roas,cac`); multi-word names are written with hyphens. */
  kpiWords: string[];
  /** The words after the KPIs, joined with hyphens (`last 7 days` → `last-7-days`), if any. */
  period?: string;
  compare?: CompareTarget;
  groupBy?: Dimension;
  filters: Filters;
}

export type ParsedCommand =
  | { kind: 'list' }
  | { kind: 'explain'; kpiWords: string }
  | KpiQueryText
  | { kind: 'syntax-error'; message: string };

const PREVIOUS_WORDS = new Set(['previous', 'prev', 'prior', 'föregående', 'foregaende']);
const LAST_YEAR_WORDS = new Set([
  'last-year',
  'yoy',
  'year-ago',
  'förra-året',
  'fjolåret',
  'i-fjol',
]);
const COMPARE_WORDS = new Set(['vs', 'vs.', 'versus', 'mot', 'jämfört-med', 'compared-to']);
const LIST_WORDS = new Set(['list', 'lista', 'kpis']);
const EXPLAIN_WORDS = new Set(['explain', 'förklara', 'define']);

/** Joins two-word forms into one token so the rest of the grammar sees single words. */
function normalise(text: string): string {
  return text
    .trim()
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*=\s*/g, '=')
    .replace(/\bjämfört med\b/gi, 'jämfört-med')
    .replace(/\bcompared to\b/gi, 'compared-to')
    .replace(/\b(last|förra) (year|året)\b/gi, '$1-$2')
    .replace(/\byear ago\b/gi, 'year-ago');
}

export function parseCommand(text: string, locale = 'en'): ParsedCommand {
  const w = wordsFor(ERROR_WORDS, locale);
  const tokens = normalise(text).split(/\s+/).filter(Boolean);
  const first = tokens[0]?.toLowerCase() ?? '';
  if (LIST_WORDS.has(first) && tokens.length === 1) return { kind: 'list' };
  if (EXPLAIN_WORDS.has(first)) {
    const kpiWords = tokens.slice(1).join(' ');
    if (!kpiWords) return { kind: 'syntax-error', message: w.whichKpiExplain };
    return { kind: 'explain', kpiWords };
  }
  return parseQuery(tokens, w);
}

function parseQuery(
  tokens: string[],
  w: ErrorWords,
): KpiQueryText | { kind: 'syntax-error'; message: string } {
  const filters: Filters = {};
  let groupBy: Dimension | undefined;
  let compare: CompareTarget | undefined;
  const plain: string[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const lower = token.toLowerCase();
    const eq = token.indexOf('=');
    if (eq > 0) {
      const dimension = DIMENSION_WORDS[lower.slice(0, eq)];
      const values = token
        .slice(eq + 1)
        .split(',')
        .filter(Boolean);
      if (!dimension) {
        return {
          kind: 'syntax-error',
          message: w.unknownFilter(token.slice(0, eq)),
        };
      }
      if (values.length === 0) {
        return {
          kind: 'syntax-error',
          message: w.needsValue(token, `${lower.slice(0, eq)}=organic`),
        };
      }
      filters[dimension] = [...(filters[dimension] ?? []), ...values];
      continue;
    }
    if (GROUP_WORDS.has(lower)) {
      const next = tokens[i + 1]?.toLowerCase();
      const dimension = next === undefined ? undefined : DIMENSION_WORDS[next];
      if (!dimension) {
        return {
          kind: 'syntax-error',
          message: w.needsDimension(token),
        };
      }
      groupBy = dimension;
      i++;
      continue;
    }
    if (COMPARE_WORDS.has(lower)) {
      const target: string[] = [];
      while (i + 1 < tokens.length && !isKeyword(tokens[i + 1]!)) target.push(tokens[++i]!);
      if (target.length === 0) {
        return {
          kind: 'syntax-error',
          message: w.needsComparison(token),
        };
      }
      const phrase = target.join('-').toLowerCase();
      if (PREVIOUS_WORDS.has(phrase)) compare = { kind: 'previous' };
      else if (LAST_YEAR_WORDS.has(phrase)) compare = { kind: 'last-year' };
      else compare = { kind: 'period', phrase: target.join(' ') };
      continue;
    }
    plain.push(token);
  }

  const [kpiToken, ...periodWords] = plain;
  return {
    kind: 'query',
    kpiWords: (kpiToken ?? '').split(',').filter(Boolean),
    period: periodWords.length > 0 ? periodWords.join('-') : undefined,
    compare,
    groupBy,
    filters,
  };
}

function isKeyword(token: string): boolean {
  const lower = token.toLowerCase();
  return GROUP_WORDS.has(lower) || COMPARE_WORDS.has(lower) || token.includes('=');
}
