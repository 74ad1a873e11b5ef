// `sources:` of kpibot.config.yml: named PostgreSQL databases (a warehouse a loader fills) that
// kpibot reads on a schedule. Each is a `query` returning date, measure, value[, channel]
// [, campaign] for `:from`–`:to`, or a `table` mapping (a date column, measure columns, channel
// and campaign from columns or constants). The URL comes from the environment variable named in
// `urlEnv`, never from the file; loadConfig (src/config.ts) reads it.
import { z } from 'zod';
import { dimensionValueSchema, measureIdSchema } from '../ingest/mapping.ts';
import { validateCron } from '../scheduler/schedule-text.ts';
import { type ArrivalConfig, byTimeSchema, cadenceSchema } from './arrival.ts';

const SOURCE_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A table as `name` or `schema.name`, each part as the database spells it (no quotes). */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/** Hourly, at a quarter past: loaders usually land data on the hour. */
export const DEFAULT_SOURCE_SCHEDULE = '15 * * * *';
export const DEFAULT_WINDOW_DAYS = 7;
export const DEFAULT_BACKFILL_DAYS = 90;
export const DEFAULT_TIMEOUT_SECONDS = 60;

const columnSchema = z
  .string()
  .min(1, 'a column name must not be empty')
  .max(63, 'PostgreSQL names are at most 63 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
  .regex(/^[^\u0000-\u001f]*$/, 'must not contain control characters');

/** A measure column: the measure it holds, or that and a divisor (Google Ads' cost_micros). */
const measureColumnSchema = z.union([
  measureIdSchema,
  z.strictObject({
    measure: measureIdSchema,
    divideBy: z.number().positive('must be a positive number').optional(),
  }),
]);

const sourceFields = z.strictObject({
  /** The environment variable holding the postgres:// URL (never the URL itself). */
  urlEnv: z
    .string()
    .regex(ENV_NAME, 'must be the name of an environment variable, such as WAREHOUSE_URL'),
  /** Cron in the configured timezone. */
  schedule: z
    .string()
    .superRefine((cron, ctx) => {
      const r = validateCron(cron);
      if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
    })
    .default(DEFAULT_SOURCE_SCHEDULE),
  /** Each run re-reads the days from today − (windowDays − 1) to today. */
  windowDays: z.number().int().min(1).max(366).default(DEFAULT_WINDOW_DAYS),
  /** The first run reads this many days instead. */
  backfillDays: z.number().int().min(1).max(3660).default(DEFAULT_BACKFILL_DAYS),
  /**
   * statement_timeout of the read, and the connect timeout. At most 300 s, so that a run's time
   * limit (task.ts) stays below the scheduler's 15-minute stale-claim takeover.
   */
  timeoutSeconds: z.number().positive().max(300).default(DEFAULT_TIMEOUT_SECONDS),
  description: z.string().optional(),
  /** How its data arrives (else learned from its history): daily or weekly, in by `HH:MM`. */
  cadence: cadenceSchema.optional(),
  by: byTimeSchema.optional(),
  query: z.string().min(1).optional(),
  table: z
    .string()
    .regex(TABLE_NAME, 'must be a table name, or schema.table, as the database spells it')
    .optional(),
  dateColumn: columnSchema.optional(),
  /** Column → the measure it holds. */
  measures: z.record(columnSchema, measureColumnSchema).optional(),
  channel: dimensionValueSchema.optional(),
  channelColumn: columnSchema.optional(),
  campaign: dimensionValueSchema.optional(),
  campaignColumn: columnSchema.optional(),
});

type Fields = z.output<typeof sourceFields>;

const TABLE_KEYS = ['table', 'dateColumn', 'measures'] as const;
const TABLE_ONLY = [
  ...TABLE_KEYS,
  'channel',
  'channelColumn',
  'campaign',
  'campaignColumn',
] as const;

function checkSource(s: Fields, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [path], message });
  if (s.by !== undefined && s.cadence === undefined) {
    issue('by', 'needs cadence (daily or weekly) beside it');
  }
  if (s.backfillDays < s.windowDays) {
    issue('backfillDays', `must be at least windowDays (${s.windowDays})`);
  }
  if (s.query !== undefined) {
    for (const key of TABLE_ONLY) {
      if (s[key] !== undefined) issue(key, 'belongs to a table source: use either query or table');
    }
    for (const param of [':from', ':to']) {
      if (!new RegExp(`(?<![:\\w])${param}\\b`).test(s.query)) {
        issue(
          'query',
          `must use ${param} (the window's first and last day), e.g. "where date between :from and :to"`,
        );
      }
    }
    return;
  }
  if (s.table === undefined) {
    issue('query', 'a source needs a query, or a table with dateColumn and measures');
    return;
  }
  for (const key of TABLE_KEYS) {
    if (s[key] === undefined) issue(key, `a table source needs ${key}`);
  }
  if (s.measures !== undefined && Object.keys(s.measures).length === 0) {
    issue('measures', 'map at least one column to a measure');
  }
  for (const dim of ['channel', 'campaign'] as const) {
    if (s[dim] !== undefined && s[`${dim}Column`] !== undefined) {
      issue(`${dim}Column`, `use either ${dim} (one value for every row) or ${dim}Column`);
    }
  }
}

/** A source as the sync needs it: its read (a query, or a table mapping) and its timing. */
export type SourceSpec = {
  name: string;
  urlEnv: string;
  schedule: string;
  windowDays: number;
  backfillDays: number;
  timeoutSeconds: number;
  /** `cadence` and `by`, when configured. */
  arrival?: ArrivalConfig;
} & (
  | { kind: 'query'; query: string }
  | {
      kind: 'table';
      table: string;
      dateColumn: string;
      measures: Array<{ column: string; measure: string; divideBy?: number }>;
      channel: { column: string } | { value: string };
      campaign: { column: string } | { value: string };
    }
);

function toSpec(name: string, s: Fields): SourceSpec {
  const timing = {
    name,
    urlEnv: s.urlEnv,
    schedule: s.schedule,
    windowDays: s.windowDays,
    backfillDays: s.backfillDays,
    timeoutSeconds: s.timeoutSeconds,
    ...(s.cadence ? { arrival: { cadence: s.cadence, ...(s.by ? { by: s.by } : {}) } } : {}),
  };
  if (s.query !== undefined) return { ...timing, kind: 'query', query: s.query };
  const dim = (column: string | undefined, value: string | undefined) =>
    column !== undefined ? { column } : { value: value ?? '' };
  return {
    ...timing,
    kind: 'table',
    table: s.table ?? '',
    dateColumn: s.dateColumn ?? '',
    measures: Object.entries(s.measures ?? {}).map(([column, m]) =>
      typeof m === 'string'
        ? { column, measure: m }
        : { column, measure: m.measure, ...(m.divideBy ? { divideBy: m.divideBy } : {}) },
    ),
    channel: dim(s.channelColumn, s.channel),
    campaign: dim(s.campaignColumn, s.campaign),
  };
}

/** `sources:`: name → source, checked, as SourceSpecs in the file's order. */
export const sourcesConfigSchema = z
  .record(z.string(), sourceFields.superRefine(checkSource))
  .superRefine((rec, ctx) => {
    for (const name of Object.keys(rec)) {
      if (!SOURCE_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: 'a source name is lowercase letters, digits, _ and -, starting with a letter',
        });
      }
    }
  })
  .transform((rec) => Object.entries(rec).map(([name, s]) => toSpec(name, s)))
  .default([]);

/** A source as configured: its URL when the variable `urlEnv` names is set. */
export type ConfiguredSource = SourceSpec & { url?: string };

/** A source with its URL, read from the environment at start. */
export type SqlSource = SourceSpec & { url: string };
