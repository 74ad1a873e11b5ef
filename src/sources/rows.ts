// A source's rows → facts, checked the way the push API checks its items (validateFacts: a known
// measure, a YYYY-MM-DD date, a finite value, channel and campaign as dimension values, no key
// twice), after turning what PostgreSQL returns into those shapes: numeric and bigint columns
// arrive as strings, NULL channel/campaign mean none. A row whose value is NULL is no fact
// (skipped); a row outside the window is a mistake in the query. One bad row fails the sync.
import { z } from 'zod';
import type { ChannelReport } from '../ingest/channel-labels.ts';
import { validateFacts } from '../ingest/push-api.ts';
import { BUILT_IN_CHANNELS, type ChannelVocabulary } from '../kpi/channels.ts';
import type { DateRange, FactInput } from '../kpi/types.ts';

/** Problems listed in the error; the rest are counted. */
const LISTED_PROBLEMS = 5;

export class SourceRowsError extends Error {
  override name = 'SourceRowsError';
  constructor(readonly problems: string[]) {
    const listed = problems.slice(0, LISTED_PROBLEMS).join('; ');
    const more = problems.length - LISTED_PROBLEMS;
    super(`rejected rows: ${listed}${more > 0 ? ` (and ${more} more)` : ''}`);
  }
}

const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What PostgreSQL returns for a row, made into the push API's item shape. */
const rowSchema = z
  .looseObject({
    date: z.unknown(),
    measure: z.unknown(),
    value: z.unknown(),
    channel: z.unknown().optional(),
    campaign: z.unknown().optional(),
  })
  .transform(({ channel, campaign, value, ...rest }) => ({
    ...rest,
    value: typeof value === 'string' && NUMERIC_TEXT.test(value.trim()) ? Number(value) : value,
    ...(channel !== null && channel !== undefined ? { channel } : {}),
    ...(campaign !== null && campaign !== undefined ? { campaign } : {}),
  }));

export interface SourceFacts {
  facts: FactInput[];
  /** Rows with a NULL value: no fact. */
  skipped: number;
  /** Channels stored under their canonical name, and those the vocabulary does not know. */
  channels: ChannelReport;
}

/**
 * The facts in `rows`, channels read through the vocabulary as every import's are; SourceRowsError
 * naming each bad row (1-based, in order) and why.
 */
export function factsFromRows(
  rows: readonly unknown[],
  window: DateRange,
  vocabulary: ChannelVocabulary = BUILT_IN_CHANNELS,
): SourceFacts {
  const problems: Array<{ row: number; text: string }> = [];
  const problem = (row: number, text: string) =>
    problems.push({ row, text: `row ${row}: ${text}` });
  const items: unknown[] = [];
  const rowOf: number[] = [];
  let skipped = 0;
  for (const [i, raw] of rows.entries()) {
    const row = i + 1;
    const r = rowSchema.safeParse(raw);
    if (!r.success) {
      problem(row, 'needs the columns date, measure and value');
      continue;
    }
    const { date, value } = r.data;
    if (value === null) skipped++;
    else if (date instanceof Date) {
      problem(row, 'date is a timestamp; select it as a date (::date)');
    } else if (typeof date === 'string' && (date < window.start || date > window.end)) {
      problem(
        row,
        `${date} lies outside the window ${window.start} – ${window.end} (filter the query on :from and :to)`,
      );
    } else {
      items.push(r.data);
      rowOf.push(row);
    }
  }
  const { facts, invalid, channels } = validateFacts(items, vocabulary);
  for (const bad of invalid) {
    const row = rowOf[bad.index] ?? bad.index + 1;
    // validateFacts names an earlier item by its index among the items: here, by its row.
    const reason = bad.reason.replace(
      /of item (\d+)$/,
      (_, i: string) => `of row ${rowOf[Number(i)]}`,
    );
    problem(row, `${bad.field ? `${bad.field}: ` : ''}${reason}`);
  }
  if (problems.length > 0) {
    throw new SourceRowsError(problems.sort((a, b) => a.row - b.row).map((p) => p.text));
  }
  return { facts, skipped, channels };
}
