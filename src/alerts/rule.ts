// The alert rule: its type, the zod schemas for stored rows and for `alerts:` entries in
// kpibot.config.yml, and `buildRule`, which turns text-level fields into a rule once the caller
// has resolved the KPI. Pure.
//
// Units: `threshold` and `hysteresis` are in the KPI's base unit — fractions for percent
// (5 % = 0.05; a hysteresis of 0.005 is half a percentage point), plain numbers for multiples
// and ratios (3x = 3), amounts for currency. A rule with a `condition` checks another quantity
// with them (condition.ts): the relative change, or the distance from a seasonal baseline.

import { z } from 'zod';
import { uniqueIdList } from '../config-lists.ts';
import { findMeasure } from '../kpi/measures.ts';
import type { Dimension, Filters, Unit } from '../kpi/types.ts';
import { parseDuration, parseSchedule, validateCron } from '../scheduler/schedule-text.ts';
import {
  CHANGE_BASES,
  type Condition,
  conditionSchema,
  DEFAULT_ANOMALY_K,
  guardUnit,
  type VolumeGuard,
  volumeGuardSchema,
} from './condition.ts';
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

/**
 * Whether a rule notifies once for all its groups: a rule `by …` without `notify: per-group`,
 * with a fixed threshold. A change or anomaly rule checks each group against a threshold of its
 * own (its own baseline), which one message for the rule could not state: it notifies per group.
 */
export function isGrouped(rule: Pick<AlertRule, 'groupBy' | 'notify' | 'condition'>): boolean {
  return rule.groupBy !== undefined && rule.notify !== 'per-group' && rule.condition === undefined;
}
/**
 * The fixed threshold a rule's values are shown against (src/kpi/precision.ts widens their
 * decimals until they differ from it); undefined for a change or anomaly rule, whose
 * threshold is a percent or a width, not a value of the KPI.
 */
export function thresholdOf(rule: Pick<AlertRule, 'threshold' | 'condition'>): number | undefined {
  return rule.condition === undefined ? rule.threshold : undefined;
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
  /** What is checked instead of the value: its change, or its distance from a baseline. */
  condition?: Condition;
  /** Groups below this volume over the window are not checked. */
  guard?: VolumeGuard;
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
  /**
   * `change`: comparator `<=` (drops) or `>=` (rises) and a percentage as `thresholdText`;
   * `anomaly`: comparator `>` and the width in standard deviations (`3`).
   */
  condition?: Condition;
  /** `when ad_spend >= 5000 kr`: the value parsed in the measure's unit by `buildRule`. */
  guard?: GuardSpec;
}

/** A volume guard as written: `ad_spend`, `>=`, `5000 kr`. */
export interface GuardSpec {
  measure: string;
  comparator: VolumeGuard['comparator'];
  valueText: string;
}

/** `ad_spend >= 5000 kr` (the config file's `when:`) → a guard spec, or why not. */
export function parseGuardText(text: string): GuardSpec | { error: string } {
  const m = text.trim().match(/^([a-z_]+)\s*(>=|≥|>)\s*(\S.*)$/i);
  if (!m) return { error: `write the guard as <measure> >= <amount>, e.g. ad_spend >= 5000 kr` };
  const comparator = m[2] === '>' ? '>' : '>=';
  return { measure: m[1]!.toLowerCase(), comparator, valueText: m[3]!.trim() };
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
    condition: conditionSchema.nullish().transform(nullishToUndefined),
    guard: volumeGuardSchema.nullish().transform(nullishToUndefined),
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
    comparator: z
      .enum(COMPARATORS, { error: 'must be one of <, <=, >, >= (quote it in YAML)' })
      .optional(),
    threshold: numberOrText.optional(),
    /** `drops: 20%` / `rises: 15%`, with `vs: previous|last-year` (default previous). */
    drops: numberOrText.optional(),
    rises: numberOrText.optional(),
    vs: z.enum(CHANGE_BASES).optional(),
    /** `anomalous: true`: outside the seasonal baseline's expected range. */
    anomalous: z.literal(true).optional(),
    /** `when: ad_spend >= 5000 kr`: groups below it are not checked. */
    when: z
      .string()
      .transform((text, ctx) => {
        const parsed = parseGuardText(text);
        if ('error' in parsed) {
          ctx.addIssue({ code: 'custom', message: parsed.error });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
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
    const forms = [
      entry.comparator !== undefined || entry.threshold !== undefined,
      entry.drops !== undefined,
      entry.rises !== undefined,
      entry.anomalous !== undefined,
    ].filter(Boolean).length;
    if (forms !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['comparator'],
        message:
          'give one condition: comparator and threshold, drops: 20%, rises: 15% or anomalous: true',
      });
    } else if ((entry.comparator === undefined) !== (entry.threshold === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [entry.comparator === undefined ? 'comparator' : 'threshold'],
        message: 'a threshold rule needs both comparator and threshold',
      });
    }
    if (entry.vs !== undefined && entry.drops === undefined && entry.rises === undefined) {
      ctx.addIssue({ code: 'custom', path: ['vs'], message: 'vs goes with drops or rises' });
    }
    if (entry.repeat !== undefined && entry.repeatIntervalMinutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['repeat'],
        message: 'give either repeat (e.g. 12h) or repeatIntervalMinutes, not both',
      });
    }
  })
  .transform((entry): AlertRuleConfig => {
    const check = configCheck(entry);
    const spec: RuleSpec = compact({
      ...check,
      guard: entry.when,
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

/** The condition of a config entry that passed the schema's check of its forms. */
function configCheck(entry: {
  comparator?: Comparator;
  threshold?: string;
  drops?: string;
  rises?: string;
  vs?: (typeof CHANGE_BASES)[number];
  anomalous?: true;
}): Pick<RuleSpec, 'comparator' | 'thresholdText' | 'condition'> {
  const vs = entry.vs ?? 'previous';
  if (entry.drops !== undefined) {
    return { comparator: '<=', thresholdText: entry.drops, condition: { kind: 'change', vs } };
  }
  if (entry.rises !== undefined) {
    return { comparator: '>=', thresholdText: entry.rises, condition: { kind: 'change', vs } };
  }
  if (entry.anomalous) {
    return {
      comparator: '>',
      thresholdText: String(DEFAULT_ANOMALY_K),
      condition: { kind: 'anomaly' },
    };
  }
  return { comparator: entry.comparator ?? '<', thresholdText: entry.threshold ?? '' };
}

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
  const threshold = slug(spec.thresholdText.replace(/\s+/g, ''));
  const check =
    spec.condition?.kind === 'change'
      ? [spec.comparator === '<=' ? 'drops' : 'rises', threshold, 'vs', spec.condition.vs]
      : spec.condition?.kind === 'anomaly'
        ? ['anomalous']
        : [COMPARATOR_SLUGS[spec.comparator], threshold];
  const parts = [slug(kpi), ...check, slug(spec.window)];
  if (spec.groupBy !== undefined) parts.push('by', spec.groupBy);
  for (const [dimension, values] of Object.entries(spec.filters)) {
    if (values && values.length > 0) parts.push(dimension, ...values.map(slug));
  }
  if (spec.guard !== undefined) {
    parts.push('when', slug(spec.guard.measure), slug(spec.guard.valueText.replace(/\s+/g, '')));
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
  const check = checkedThreshold(spec, kpi.unit, options);
  if (!check.ok) return check;
  const guard = spec.guard === undefined ? undefined : buildGuard(spec.guard, meta.currency);
  if (guard !== undefined && !guard.ok) return guard;

  let hysteresis = defaultHysteresis(check.value);
  if (spec.hysteresisText !== undefined) {
    const margin = parseThreshold(spec.hysteresisText, check.unit, options);
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
    threshold: check.value,
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
    condition: spec.condition,
    guard: guard?.guard,
    paused: spec.paused ?? false,
    createdBy: meta.createdBy,
    createdAt: meta.createdAt,
  });
  return { ok: true, rule };
}

/**
 * The threshold in the unit of what the rule checks: the KPI's unit; a fraction for a change
 * (`drops 20%` → −0.2, `rises 15%` → 0.15); standard deviations for an anomaly.
 */
function checkedThreshold(
  spec: RuleSpec,
  unit: Unit,
  options: { kpi: string; currency?: string },
): { ok: true; value: number; unit: Unit } | { ok: false; error: string } {
  const { condition } = spec;
  if (condition === undefined) {
    const parsed = parseThreshold(spec.thresholdText, unit, options);
    return parsed.ok ? { ok: true, value: parsed.value, unit } : parsed;
  }
  if (condition.kind === 'change') {
    if (spec.comparator !== '<=' && spec.comparator !== '>=') {
      return { ok: false, error: 'A change rule either drops or rises by a percentage' };
    }
    const parsed = parseThreshold(spec.thresholdText, 'percent', {
      ...options,
      kpi: `a change of ${options.kpi}`,
    });
    if (!parsed.ok) return parsed;
    if (parsed.value <= 0) {
      return { ok: false, error: 'The change must be more than 0 %, e.g. `drops 20%`' };
    }
    return {
      ok: true,
      value: spec.comparator === '<=' ? -parsed.value : parsed.value,
      unit: 'percent',
    };
  }
  const parsed = parseThreshold(spec.thresholdText, 'count', options);
  if (!parsed.ok || parsed.value <= 0 || spec.comparator !== '>') {
    return { ok: false, error: 'An anomaly is a distance in standard deviations above 0, e.g. 3' };
  }
  return { ok: true, value: parsed.value, unit: 'count' };
}

function buildGuard(
  spec: GuardSpec,
  currency: string | undefined,
): { ok: true; guard: VolumeGuard } | { ok: false; error: string } {
  if (!findMeasure(spec.measure)) {
    return {
      ok: false,
      error: `Guard: \`${spec.measure}\` is not a measure; guard on a volume such as ad_spend, clicks or sessions`,
    };
  }
  const parsed = parseThreshold(spec.valueText, guardUnit(spec.measure), {
    kpi: spec.measure,
    ...(currency ? { currency } : {}),
  });
  if (!parsed.ok) return { ok: false, error: `Guard: ${parsed.error}` };
  if (parsed.value < 0) return { ok: false, error: 'Guard: a volume cannot be negative' };
  return {
    ok: true,
    guard: { measure: spec.measure, comparator: spec.comparator, value: parsed.value },
  };
}
