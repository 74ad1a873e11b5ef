// Column mappings: how a file's columns become facts. zod schemas (also used by config.ts for
// the `mappings:` key of kpibot.config.yml), the `--map` syntax, and the built-in mappings for
// Google Ads, Meta Ads Manager, GA4 and the telco churn data set. See docs/data-import.md.
import { z } from 'zod';
import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import { findMeasure, MEASURES } from '../kpi/measures.ts';
import { DATE_FORMATS } from './dates.ts';
import { suggest } from './suggest.ts';

/** Where a wide file's column goes: a measure id, or one of these. */
export const SPECIAL_TARGETS = ['date', 'date_end', 'channel', 'campaign', 'ignore'] as const;
export type SpecialTarget = (typeof SPECIAL_TARGETS)[number];

const MEASURE_IDS = MEASURES.map((m) => m.id);

/** Why `id` is not a measure id, or undefined when it is one. */
function measureProblem(id: string): string | undefined {
  if (findMeasure(id)) return undefined;
  const guess = suggest(id, MEASURE_IDS);
  return `unknown measure "${id}"${guess ? ` (did you mean "${guess}"?)` : ''}; known: ${MEASURE_IDS.join(', ')}`;
}

export const measureIdSchema = z.string().superRefine((id, ctx) => {
  const problem = measureProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/**
 * A record whose keys are checked by `keyProblem`, with the problem reported at the key's path
 * (zod's own record-key issues only say "Invalid key in record").
 */
function recordOf<V extends z.ZodType>(keyProblem: (key: string) => string | undefined, value: V) {
  return z.record(z.string(), value).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec)) {
      const problem = keyProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });
}

const targetSchema = z.string().superRefine((t, ctx) => {
  if ((SPECIAL_TARGETS as readonly string[]).includes(t) || findMeasure(t)) return;
  const guess = suggest(t, [...SPECIAL_TARGETS, ...MEASURE_IDS]);
  ctx.addIssue({
    code: 'custom',
    message: `"${t}" is neither a measure nor one of ${SPECIAL_TARGETS.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}`,
  });
});

const DIMENSION_VALUE_MAX = 200;
const TOO_LONG = `must be at most ${DIMENSION_VALUE_MAX} characters`;
const HAS_CONTROL = 'must not contain control characters';
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

/** A channel or campaign value: trimmed, at most 200 characters, no control characters. */
export const dimensionValueSchema = z
  .string()
  .trim()
  .max(DIMENSION_VALUE_MAX, TOO_LONG)
  .regex(NO_CONTROL, HAS_CONTROL);

/**
 * What dimensionValueSchema says of an already trimmed value, without zod (the importer checks
 * two cells per row): its messages in its order, or undefined when the value is fine.
 */
export function dimensionValueProblems(trimmed: string): string[] | undefined {
  const long = trimmed.length > DIMENSION_VALUE_MAX;
  const control = !NO_CONTROL.test(trimmed);
  if (!long && !control) return undefined;
  return [...(long ? [TOO_LONG] : []), ...(control ? [HAS_CONTROL] : [])];
}

const columnNameSchema = z.string().trim().min(1, 'a column name must not be empty');

export const wideMappingSchema = z
  .strictObject({
    format: z.literal('wide').default('wide'),
    description: z.string().optional(),
    /**
     * File column → target (measure id, date, date_end, channel, campaign, ignore). Column
     * names match case-insensitively with spaces collapsed; `*` matches any text
     * (`Amount spent (*)`).
     */
    columns: z.record(columnNameSchema, targetSchema),
    /** Channel / campaign for rows without a channel / campaign column (or an empty cell). */
    channel: dimensionValueSchema.optional(),
    campaign: dimensionValueSchema.optional(),
    dateFormat: z.enum(DATE_FORMATS).optional(),
    decimal: z.enum([',', '.']).optional(),
    /**
     * Channel values the vocabulary does not know lower-cased with spaces as '-' ("Paid Other
     * Custom" → "paid-other-custom"); known ones are stored under their canonical name.
     */
    channelSlug: z.boolean().default(false),
    /** An empty measure cell: rejected (default), read as 0, or left out (no fact). */
    empty: z.enum(['reject', 'zero', 'skip']).default('reject'),
    /** Rows whose cell (the first cell when `column` is absent) starts with `prefix` are skipped. */
    skipRows: z
      .array(z.strictObject({ column: columnNameSchema.optional(), prefix: z.string().min(1) }))
      .default([]),
    /**
     * Columns absent from the file are ignored (built-in mappings list every name a column has
     * had); when several present columns map to one target, the first listed wins. Without it,
     * every listed column must be present and each target may come from one column only.
     */
    optionalColumns: z.boolean().default(false),
  })
  .superRefine((m, ctx) => {
    const targets = Object.values(m.columns);
    if (!targets.includes('date')) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'no column is mapped to date' });
    }
    if (!targets.some((t) => findMeasure(t))) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: 'no column is mapped to a measure',
      });
    }
  });

const whereSchema = z.strictObject({ column: columnNameSchema, equals: z.string() });

const aggregationSchema = z.union([
  z.strictObject({ count: z.literal(true), where: whereSchema.optional() }),
  z.strictObject({ sum: columnNameSchema, where: whereSchema.optional() }),
]);

export const recordsMappingSchema = z
  .strictObject({
    format: z.literal('records'),
    description: z.string().optional(),
    /** The day every fact is written on (`--date` overrides); required one way or the other. */
    date: z.iso.date().optional(),
    /** Column whose value is each record's channel / campaign. */
    channelColumn: columnNameSchema.optional(),
    campaignColumn: columnNameSchema.optional(),
    channel: dimensionValueSchema.optional(),
    campaign: dimensionValueSchema.optional(),
    decimal: z.enum([',', '.']).optional(),
    /** Measure id → how it is computed over the records of each channel/campaign group. */
    measures: recordOf(measureProblem, aggregationSchema),
  })
  .superRefine((m, ctx) => {
    if (Object.keys(m.measures).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'at least one measure' });
    }
  });

/**
 * A mapping, as written under `mappings:` in kpibot.config.yml. `format: wide` (the default):
 * one row per date (and channel/campaign), one column per measure. `format: records`: one row
 * per entity (customer, order), aggregated into facts for one day.
 */
export const mappingSchema = z.discriminatedUnion('format', [
  wideMappingSchema,
  recordsMappingSchema,
]);

const MAPPING_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const MAPPING_NAME_RULE = 'a mapping name is lower-case letters, digits, - and _';

export const mappingNameSchema = z.string().regex(MAPPING_NAME, MAPPING_NAME_RULE);

/** The `mappings:` key of kpibot.config.yml: name → mapping. */
export const mappingsConfigSchema = recordOf(
  (name) => (MAPPING_NAME.test(name) ? undefined : MAPPING_NAME_RULE),
  mappingSchema,
).default({});

export type Mapping = z.output<typeof mappingSchema>;
export type WideMapping = z.output<typeof wideMappingSchema>;
export type RecordsMapping = z.output<typeof recordsMappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

// ---------------------------------------------------------------------------------------------
// Built-in mappings

const BUILT_IN_INPUT = {
  // Google Ads: Reports → (campaign report segmented by Day) → Download → CSV. Two title rows
  // precede the header; "Total: …" rows at the end are skipped. "Impr." is the column's name in
  // English UI exports, "Impressions" in API-style exports.
  'google-ads': {
    description: 'Google Ads campaign report by Day',
    columns: {
      Day: 'date',
      Campaign: 'campaign',
      Cost: 'ad_spend',
      Clicks: 'clicks',
      'Impr.': 'impressions',
      Impressions: 'impressions',
      Conversions: 'conversions',
      'Conv. value': 'revenue',
    },
    channel: 'google-ads',
    skipRows: [{ prefix: 'Total' }],
    optionalColumns: true,
  },
  // Meta Ads Manager: Reports → Export table data (CSV), with Breakdown → By time → Day, so
  // that "Reporting starts" = "Reporting ends" = the day (a row that spans several days is
  // rejected). Meta leaves a metric's cell empty when it is zero: empty reads as 0.
  'meta-ads': {
    description: 'Meta Ads Manager export broken down by day',
    columns: {
      'Reporting starts': 'date',
      Day: 'date',
      'Reporting ends': 'date_end',
      'Campaign name': 'campaign',
      'Amount spent (*)': 'ad_spend',
      Impressions: 'impressions',
      Reach: 'reach',
      'Link clicks': 'clicks',
      Purchases: 'conversions',
      'Website purchases': 'conversions',
      'Purchases conversion value': 'revenue',
      'Website purchases conversion value': 'revenue',
    },
    channel: 'meta',
    empty: 'zero',
    optionalColumns: true,
  },
  // GA4: Reports → Acquisition → Traffic acquisition (or an exploration) with Date as a
  // dimension → Share → Download CSV. The "# …" lines at the top are skipped; dates are
  // YYYYMMDD. Channel groups are stored as canonical channels (GA4_CHANNEL_GROUPS in
  // src/kpi/channels.ts: "Organic Search" → organic), unknown ones as slugs. GA4 renamed
  // "Conversions" to "Key events" in 2024: either is read.
  ga4: {
    description: 'GA4 report by Date and Session default channel group',
    columns: {
      Date: 'date',
      'Session default channel group': 'channel',
      'Default channel group': 'channel',
      'Session campaign': 'campaign',
      Sessions: 'sessions',
      'Key events': 'conversions',
      Conversions: 'conversions',
      'Total revenue': 'revenue',
      'New users': 'new_visitors',
      'Ecommerce purchases': 'orders',
    },
    channelSlug: true,
    optionalColumns: true,
  },
  // IBM's Telco Customer Churn sample (one row per customer): facts for one month, written on
  // the day given with --date (the month's first day): customers at the start of the month
  // (active_customers, active_users), customers lost in the month (churned_customers) and
  // monthly revenue (revenue = sum of MonthlyCharges), per contract type as campaign. Then
  // churn_rate = churned_customers / opening active_customers, ARPU = revenue / opening
  // active_users.
  'telco-churn': {
    format: 'records',
    description: 'Telco Customer Churn (one row per customer) as one month of facts',
    campaignColumn: 'Contract',
    measures: {
      active_customers: { count: true },
      active_users: { count: true },
      churned_customers: { count: true, where: { column: 'Churn', equals: 'Yes' } },
      revenue: { sum: 'MonthlyCharges' },
    },
  },
} satisfies Record<string, MappingInput>;

export type BuiltInMappingName = keyof typeof BUILT_IN_INPUT;

export const BUILT_IN_MAPPINGS: Readonly<Record<string, Mapping>> = Object.fromEntries(
  Object.entries(BUILT_IN_INPUT).map(([name, m]) => [name, mappingSchema.parse(m)]),
);

// ---------------------------------------------------------------------------------------------
// --map "Day=date,Cost=ad_spend,Conv. value=revenue"

export class MappingError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.Mapping, message, opts);
  }
}

/**
 * Parses a `--map` value: comma-separated `Column=target` pairs. A column name containing a
 * comma or '=' is written in double quotes (`"Cost, SEK"=ad_spend`). Throws MappingError.
 */
export function parseMapSpec(spec: string, extra: Partial<WideMapping> = {}): WideMapping {
  const columns: Record<string, string> = {};
  for (const pair of splitOutsideQuotes(spec, ',')) {
    if (pair.trim() === '') continue;
    const eq = lastIndexOutsideQuotes(pair, '=');
    if (eq < 0) throw new MappingError(`--map: "${pair.trim()}" is not Column=target`);
    const column = unquote(pair.slice(0, eq).trim());
    const target = pair.slice(eq + 1).trim();
    if (Object.hasOwn(columns, column)) {
      throw new MappingError(`--map: column "${column}" is mapped twice`);
    }
    columns[column] = target;
  }
  const result = wideMappingSchema.safeParse({ ...extra, format: 'wide', columns });
  if (!result.success) throw new MappingError(`--map: ${describeZodError(result.error)}`);
  return result.data;
}

function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let inQuotes = false;
  for (const ch of s) {
    if (ch === '"') inQuotes = !inQuotes;
    if (ch === sep && !inQuotes) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  return parts;
}

function lastIndexOutsideQuotes(s: string, c: string): number {
  let inQuotes = false;
  let at = -1;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') inQuotes = !inQuotes;
    else if (s[i] === c && !inQuotes) at = i;
  }
  return at;
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * The mapping called `name`: from the configuration first (so a team can adjust a built-in
 * under its own name or the same one), then the built-ins. Throws MappingError naming the
 * known ones.
 */
export function findMapping(
  name: string,
  configured: Readonly<Record<string, Mapping>> = {},
): Mapping {
  const found = Object.hasOwn(configured, name)
    ? configured[name]
    : Object.hasOwn(BUILT_IN_MAPPINGS, name)
      ? BUILT_IN_MAPPINGS[name]
      : undefined;
  if (found) return found;
  const known = [...new Set([...Object.keys(configured), ...Object.keys(BUILT_IN_MAPPINGS)])];
  const guess = suggest(name, known);
  throw new MappingError(
    `Unknown mapping "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}. Known: ${known.join(', ')}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Column-name matching

/** Header cell normalised for matching: trimmed, lower-cased, inner whitespace collapsed. */
export function normaliseColumn(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** A matcher for a mapping's column name (case-insensitive, `*` = any text). */
export function columnMatcher(pattern: string): (header: string) => boolean {
  const p = normaliseColumn(pattern);
  if (!p.includes('*')) return (h) => normaliseColumn(h) === p;
  const re = new RegExp(
    `^${p
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (h) => re.test(normaliseColumn(h));
}
