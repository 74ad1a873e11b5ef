// The alert rule: its type, the zod schemas for stored rows and for `alerts:` entries in
// kpibot.config.yml, and `buildRule`, which turns text-level fields into a rule once the caller
// has resolved the KPI. Pure.
//
// Units: `threshold` and `hysteresis` are in the KPI's base unit — fractions for percent
// (5 % = 0.05; a hysteresis of 0.005 is half a percentage point), plain numbers for multiples
// and ratios (3x = 3), amounts for currency.

import { z } from 'zod';
import { uniqueIdList } from '../config-lists.ts';
import type { Dimension, Filters, Unit } from '../kpi/types.ts';
import { parseDuration, parseSchedule, validateCron } from '../scheduler/schedule-text.ts';
import {
  DEFAULT_FOR,
  DEFAULT_REPEAT_MINUTES,
  DEFAULT_SCHEDULE,
  DEFAULT_WINDOW,
} from './defaults.ts';
import { defaultHysteresis, parseThreshold } from './threshold.ts';

export const COMPARATORS = ['<', '<=', '>', '>='] as const;

/** `notify:` of a rule `by …`: `grouped` (the default) or `per-group`. */
export const NOTIFY_MODES = ['grouped', 'per-group'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

/** Whether a rule notifies once for all its groups (a rule `by …` without `notify: per-group`). */
export function isGrouped(rule: Pick<AlertRule, 'groupBy' | 'notify'>): boolean {
  return rule.groupBy !== undefined && rule.notify !== 'per-group';
}
/** The alert fires while `value <comparator> threshold` holds. */
export type Comparator = (typeof COMPARATORS)[number];

export interface AlertRule {
  id: string;
  /** KPI id from the catalog. */
  kpi: string;
  comparator: Comparator;
  /** In the KPI's base unit: 0.05 for 5 %, 3 for 3x, 800 for 800 kr. */
  threshold: number;
  /** A period phrase: last-7-days, last-month, mtd… */
  window: string;
  filters: Filters;
  /** Each group (channel or campaign) has its own state. */
  groupBy?: Dimension;
  /**
   * How a rule `by …` notifies: one message for the whole rule, listing its breaching groups
   * (the default, when absent), or `per-group`, one alert per group as before.
   */
  notify?: NotifyMode;
  /** Slack channel id (or `#name`); undefined = evaluated, but posts nowhere. */
  channel?: string;
  /** Cron expression, in `timeZone` (or the configured timezone). */
  schedule: string;
  timeZone?: string;
  /** Consecutive breaching evaluations before the alert fires. */
  for: number;
  /** Minimum time between reminders while firing. */
  repeatIntervalMinutes: number;
  /**
   * Recovery margin in the threshold's unit: `roas < 3` with 0.15 resolves at 3.15 or more.
   * Default: 5 % of the threshold's size (`defaultHysteresis`).
   */
  hysteresis: number;
  paused: boolean;
  /** Slack user id, `kpibot.config.yml`, or the default-rules author. */
  createdBy: string;
  /** ISO timestamp. */
  createdAt: string;
}

/**
 * A rule as people write it, before the KPI is resolved and the threshold parsed in its unit.
 * Shared by the Slack text form (rule-text.ts) and the config file form.
 */
export interface RuleSpec {
  comparator: Comparator;
  /** `3x`, `5%`, `800 kr`… parsed with the KPI's unit by `buildRule`. */
  thresholdText: string;
  /** Margin in the same unit (`0.2x`, `0.5%`); default 5 % of the threshold. */
  hysteresisText?: string;
  window: string;
  filters: Filters;
  groupBy?: Dimension;
  notify?: NotifyMode;
  channel?: string;
  /** Cron expression (friendly forms are turned into cron by the parsers). */
  schedule: string;
  timeZone?: string;
  for: number;
  repeatIntervalMinutes: number;
  paused?: boolean;
}

/** `createdBy` of rules that come from kpibot.config.yml. */
export const CONFIG_RULES_AUTHOR = 'kpibot.config.yml';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const timeZoneSchema = z
  .string()
  .refine(isTimeZone, 'must be an IANA timezone such as Europe/Stockholm or UTC');

const cronSchema = z.string().transform((text, ctx) => {
  const parsed = parseSchedule(text);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.cron;
});

const nonEmpty = z.string().trim().min(1);

/** Drops keys whose value is undefined, so stored and compared objects stay tidy. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// Stored rows (numbers in base units; tolerant of SQL nulls and Date timestamps)

const storedFiltersSchema = z.strictObject({
  channel: z.array(nonEmpty).optional(),
  campaign: z.array(nonEmpty).optional(),
});

const nullishToUndefined = <T>(v: T | null | undefined): T | undefined => v ?? undefined;
/** `grouped` is the default: stored and compared as absent. */
const notifyMode = (v: NotifyMode | null | undefined): 'per-group' | undefined =>
  v === 'per-group' ? v : undefined;

/** Parses a rule as stored (a JSON document or a row). Fills the documented defaults. */
export const alertRuleSchema = z
  .object({
    id: nonEmpty,
    kpi: nonEmpty,
    comparator: z.enum(COMPARATORS),
    threshold: z.number(),
    window: nonEmpty,
    filters: storedFiltersSchema.nullish().transform((f) => f ?? {}),
    groupBy: z.enum(['channel', 'campaign']).nullish().transform(nullishToUndefined),
    notify: z.enum(NOTIFY_MODES).nullish().transform(notifyMode),
    channel: nonEmpty.nullish().transform(nullishToUndefined),
    schedule: cronSchema.nullish().transform((s) => s ?? DEFAULT_SCHEDULE),
    timeZone: timeZoneSchema.nullish().transform(nullishToUndefined),
    for: z
      .number()
      .int()
      .min(1)
      .nullish()
      .transform((n) => n ?? DEFAULT_FOR),
    repeatIntervalMinutes: z
      .number()
      .int()
      .min(1)
      .nullish()
      .transform((n) => n ?? DEFAULT_REPEAT_MINUTES),
    hysteresis: z.number().min(0).nullish(),
    paused: z
      .boolean()
      .nullish()
      .transform((p) => p ?? false),
    createdBy: nonEmpty,
    createdAt: z.union([
      z.iso.datetime({ offset: true }),
      z.date().transform((d) => d.toISOString()),
    ]),
  })
  .transform(
    (r): AlertRule => compact({ ...r, hysteresis: r.hysteresis ?? defaultHysteresis(r.threshold) }),
  );

// ---------------------------------------------------------------------------------------------
// kpibot.config.yml `alerts:` entries (thresholds as people write them)

/** An `alerts:` entry after validation: text-level, the KPI still to resolve. */
export interface AlertRuleConfig extends RuleSpec {
  /** Given in the file, or derived from the rule (`suggestRuleId`) so that it is stable. */
  id: string;
  /** KPI id or alias as written. */
  kpi: string;
  paused: boolean;
}

const numberOrText = z.union([nonEmpty, z.number()]).transform(String);
const listOrText = z
  .union([nonEmpty, z.array(nonEmpty).min(1)])
  .transform((v) => (Array.isArray(v) ? v : v.split(',').map((s) => s.trim())).filter(Boolean));

/** Schema of one entry under `alerts:` in kpibot.config.yml. */
export const alertRuleConfigSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" and "-"')
      .optional(),
    kpi: nonEmpty,
    comparator: z.enum(COMPARATORS, { error: 'must be one of <, <=, >, >= (quote it in YAML)' }),
    threshold: numberOrText,
    window: nonEmpty.default(DEFAULT_WINDOW),
    filters: z
      .strictObject({ channel: listOrText.optional(), campaign: listOrText.optional() })
      .default({}),
    groupBy: z.enum(['channel', 'campaign']).optional(),
    notify: z
      .enum(NOTIFY_MODES, { error: 'must be grouped (one message per rule) or per-group' })
      .optional(),
    channel: z
      .string({
        error: (issue) =>
          issue.input === null
            ? "write the Slack channel in quotes, e.g. '#marketing' (in YAML an unquoted # starts a comment)"
            : "must be a Slack channel: an id such as C0123ABCD or a quoted name such as '#marketing'",
      })
      .trim()
      .min(1)
      .optional(),
    schedule: cronSchema.default(DEFAULT_SCHEDULE),
    timeZone: timeZoneSchema.optional(),
    for: z.number().int().min(1).default(DEFAULT_FOR),
    repeat: z
      .string()
      .transform((text, ctx) => {
        const parsed = parseDuration(text);
        if (!parsed.ok) {
          ctx.addIssue({ code: 'custom', message: parsed.error });
          return z.NEVER;
        }
        return parsed.minutes;
      })
      .optional(),
    repeatIntervalMinutes: z.number().int().min(1).optional(),
    hysteresis: numberOrText.optional(),
    paused: z.boolean().default(false),
  })
  .superRefine((entry, ctx) => {
    if (entry.repeat !== undefined && entry.repeatIntervalMinutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['repeat'],
        message: 'give either repeat (e.g. 12h) or repeatIntervalMinutes, not both',
      });
    }
  })
  .transform((entry): AlertRuleConfig => {
    const spec: RuleSpec = compact({
      comparator: entry.comparator,
      thresholdText: entry.threshold,
      hysteresisText: entry.hysteresis,
      window: entry.window,
      filters: compact(entry.filters),
      groupBy: entry.groupBy,
      notify: notifyMode(entry.notify),
      channel: entry.channel,
      schedule: entry.schedule,
      timeZone: entry.timeZone,
      for: entry.for,
      repeatIntervalMinutes: entry.repeat ?? entry.repeatIntervalMinutes ?? DEFAULT_REPEAT_MINUTES,
    });
    return {
      ...spec,
      id: entry.id ?? suggestRuleId(entry.kpi, spec),
      kpi: entry.kpi,
      paused: entry.paused,
    };
  });

/** Schema of the `alerts:` list: ids must be unique. */
export const alertsConfigSchema = uniqueIdList(alertRuleConfigSchema, 'alerts');

const COMPARATOR_SLUGS: Record<Comparator, string> = {
  '<': 'below',
  '<=': 'at-most',
  '>': 'above',
  '>=': 'at-least',
};

/** A readable, deterministic id: `roas-below-3x-last-7-days-by-channel`. */
export function suggestRuleId(kpi: string, spec: RuleSpec): string {
  const slug = (s: string): string =>
    s
      .toLowerCase()
      .replace(/%/g, 'pct')
      .replace(/×/g, 'x')
      .replace(/(\d),(\d)/g, '$1.$2')
      .replace(/[^a-z0-9._]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const parts = [
    slug(kpi),
    COMPARATOR_SLUGS[spec.comparator],
    slug(spec.thresholdText.replace(/\s+/g, '')),
    slug(spec.window),
  ];
  if (spec.groupBy !== undefined) parts.push('by', spec.groupBy);
  for (const [dimension, values] of Object.entries(spec.filters)) {
    if (values && values.length > 0) parts.push(dimension, ...values.map(slug));
  }
  return parts.filter(Boolean).join('-');
}

// ---------------------------------------------------------------------------------------------
// Text-level fields → rule

export type BuildRuleResult = { ok: true; rule: AlertRule } | { ok: false; error: string };

export interface BuildRuleMeta {
  id: string;
  createdBy: string;
  /** ISO timestamp (from the injected clock). */
  createdAt: string;
  /** Configured ISO 4217 currency: a threshold written in another currency is refused. */
  currency?: string;
}

/**
 * Builds a rule from text-level fields once the caller has resolved the KPI: parses the
 * threshold and hysteresis in the KPI's unit and fills the default hysteresis.
 */
export function buildRule(
  spec: RuleSpec,
  kpi: { id: string; unit: Unit },
  meta: BuildRuleMeta,
): BuildRuleResult {
  const options = { kpi: kpi.id, currency: meta.currency };
  const threshold = parseThreshold(spec.thresholdText, kpi.unit, options);
  if (!threshold.ok) return { ok: false, error: threshold.error };

  let hysteresis = defaultHysteresis(threshold.value);
  if (spec.hysteresisText !== undefined) {
    const margin = parseThreshold(spec.hysteresisText, kpi.unit, options);
    if (!margin.ok) return { ok: false, error: `Hysteresis: ${margin.error}` };
    if (margin.value < 0) return { ok: false, error: 'Hysteresis: the margin cannot be negative' };
    hysteresis = margin.value;
  }
  const cron = validateCron(spec.schedule);
  if (!cron.ok) return { ok: false, error: `Schedule: ${cron.error}` };
  if (!Number.isInteger(spec.for) || spec.for < 1) {
    return { ok: false, error: '`for` must be a whole number of checks, 1 or more' };
  }
  if (!Number.isInteger(spec.repeatIntervalMinutes) || spec.repeatIntervalMinutes < 1) {
    return { ok: false, error: 'The repeat interval must be at least one minute' };
  }
  if (spec.timeZone !== undefined && !isTimeZone(spec.timeZone)) {
    return {
      ok: false,
      error: `\`${spec.timeZone}\` is not an IANA timezone such as Europe/Stockholm`,
    };
  }
  const rule: AlertRule = compact({
    id: meta.id,
    kpi: kpi.id,
    comparator: spec.comparator,
    threshold: threshold.value,
    window: spec.window,
    filters: compact(spec.filters),
    groupBy: spec.groupBy,
    notify: notifyMode(spec.notify),
    channel: spec.channel,
    schedule: spec.schedule,
    timeZone: spec.timeZone,
    for: spec.for,
    repeatIntervalMinutes: spec.repeatIntervalMinutes,
    hysteresis,
    paused: spec.paused ?? false,
    createdBy: meta.createdBy,
    createdAt: meta.createdAt,
  });
  return { ok: true, rule };
}
