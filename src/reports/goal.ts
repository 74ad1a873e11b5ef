// A business goal on a KPI: its type, the zod schemas for stored goals and for `goals:` entries in
// kpibot.config.yml, and `buildGoal`, which turns text-level fields into a goal once the caller
// has resolved the KPI. Pure.
//
// Two kinds of goal, told apart by the KPI, not by the goal:
// - A goal on an ADDITIVE KPI (a total: revenue, new_customers, ad_spend…) is a total over a
//   calendar period, so it needs `per` (`revenue >= 500000 kr per month`) and has pacing
//   (pacing.ts). A `<=` goal on a total is a cap (`ad_spend <= 100000 kr per month`).
// - A goal on any other KPI (a ratio: roas, cac, conversion_rate…) compares the value over the
//   report's period with the target (`roas >= 4x`). `per` is optional there and names the period
//   the value is taken over (`churn_rate <= 5% per month`).
//
// Units: `target` is in the KPI's base unit, as alert thresholds are: fractions for percent
// (2.5 % = 0.025), plain numbers for multiples and ratios (4x = 4), amounts for currency.
// In kpibot.config.yml the target is written as people write it (`500000 kr`, `4x`, `2.5%`) and
// parsed in the KPI's unit by the shared threshold parser; a bare number is read the same way
// (so `2.5` for a percent KPI is refused as ambiguous, exactly as for alert thresholds).

import { z } from 'zod';
import { parseThreshold } from '../alerts/threshold.ts';
import { uniqueIdList } from '../config-lists.ts';
import type { GoodDirection, Unit } from '../kpi/types.ts';
import { channelOf } from './subscription.ts';

export const GOAL_COMPARATORS = ['>=', '<='] as const;
/** `>=`: reach at least the target; `<=`: stay at or under it (a cap, or a cost ceiling). */
export type GoalComparator = (typeof GOAL_COMPARATORS)[number];

export const GOAL_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
export type GoalPer = (typeof GOAL_PERIODS)[number];

export interface Goal {
  id: string;
  /** KPI id from the catalog. */
  kpi: string;
  comparator: GoalComparator;
  /** In the KPI's base unit: 500000 for 500 000 kr, 4 for 4x, 0.025 for 2.5 %. */
  target: number;
  /** The calendar period of a total (required for additive KPIs), or the period of a ratio. */
  per?: GoalPer;
  /**
   * Where a paced goal says so when it goes off track (goal-alerts.ts): a Slack channel id
   * (`C0123…`) or `#name`. Absent: the goal never posts on its own.
   */
  channel?: string;
  /** Slack user id, or `kpibot.config.yml`. */
  createdBy: string;
  /** ISO timestamp (from the injected clock). */
  createdAt: string;
}

/**
 * Where a goal stands, for one report. Pacing goals (totals): on_track / at_risk / off_track /
 * too_early (pacing.ts). Value goals (ratios) and finished periods: met / missed. no_data when the
 * KPI has no value.
 */
export type GoalStatus =
  | 'on_track'
  | 'at_risk'
  | 'off_track'
  | 'too_early'
  | 'met'
  | 'missed'
  | 'no_data';

/** A goal with its status and one formatted line, as the summary shows it. */
export interface GoalReport {
  goal: Goal;
  status: GoalStatus;
  /** e.g. "at this pace revenue ends the month at 412 000 kr, 18 % short; …" */
  text: string;
}

/** Statuses that count as "on track" in the summary's headline. */
export function isGoalOnTrack(status: GoalStatus): boolean {
  return status === 'on_track' || status === 'met';
}

/** `createdBy` of goals that come from kpibot.config.yml. */
export const CONFIG_GOALS_AUTHOR = 'kpibot.config.yml';

/** A goal's default comparator from the KPI's good direction; neutral KPIs need one written. */
export function defaultComparator(good: GoodDirection): GoalComparator | undefined {
  if (good === 'up') return '>=';
  if (good === 'down') return '<=';
  return undefined;
}

const nonEmpty = z.string().trim().min(1);
const goalId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" and "-"');

/** Drops keys whose value is undefined, so stored and compared objects stay tidy. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** Parses a goal as stored (a JSON document or a row); tolerant of SQL nulls and Date values. */
export const goalSchema = z
  .object({
    id: nonEmpty,
    kpi: nonEmpty,
    comparator: z.enum(GOAL_COMPARATORS),
    target: z.number().refine(Number.isFinite, 'must be a finite number'),
    per: z.enum(GOAL_PERIODS).nullish(),
    channel: z.string().min(1).nullish(),
    createdBy: nonEmpty,
    createdAt: z.union([
      z.iso.datetime({ offset: true }),
      z.date().transform((d) => d.toISOString()),
    ]),
  })
  .transform(
    (g): Goal => compact({ ...g, per: g.per ?? undefined, channel: g.channel ?? undefined }),
  );

// ---------------------------------------------------------------------------------------------
// kpibot.config.yml `goals:` entries

/** A `goals:` entry after validation: text-level, the KPI still to resolve and the target to parse. */
export interface GoalConfig {
  /** Given in the file, or derived from the goal (`suggestGoalId`) so that it is stable. */
  id: string;
  /** KPI id or alias as written. */
  kpi: string;
  /** Absent: from the KPI's good direction (`defaultComparator`). */
  comparator?: GoalComparator;
  /** As written: `500000 kr`, `4x`, `2.5%`. */
  targetText: string;
  per?: GoalPer;
  /** Channel for off-track alerts: a channel id or `#name`. */
  channel?: string;
}

const PER_WORDS: Record<string, GoalPer> = {
  week: 'week',
  weekly: 'week',
  vecka: 'week',
  month: 'month',
  monthly: 'month',
  månad: 'month',
  quarter: 'quarter',
  quarterly: 'quarter',
  kvartal: 'quarter',
  year: 'year',
  yearly: 'year',
  annually: 'year',
  år: 'year',
};

/** `month`, `monthly`, `månad`… → the period, or undefined. */
export function parsePer(word: string): GoalPer | undefined {
  return PER_WORDS[word.trim().toLowerCase()];
}

/**
 * A channel as written in kpibot.config.yml: `#marketing`, `marketing` or a channel id
 * (`C0123ABC`); undefined when it is none of those.
 */
export function configChannel(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^[CG][A-Z0-9]{2,}$/.test(trimmed)) return trimmed;
  return channelOf(trimmed.startsWith('#') ? trimmed : `#${trimmed}`);
}

/** Schema of one entry under `goals:` in kpibot.config.yml. */
export const goalConfigSchema = z
  .strictObject({
    id: goalId.optional(),
    kpi: nonEmpty,
    comparator: z
      .enum(GOAL_COMPARATORS, { error: 'must be >= or <= (quote it in YAML)' })
      .optional(),
    target: z.union([nonEmpty, z.number()]).transform(String),
    per: z
      .string()
      .transform((text, ctx) => {
        const per = parsePer(text);
        if (per === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be week, month, quarter or year' });
          return z.NEVER;
        }
        return per;
      })
      .optional(),
    channel: z
      .string()
      .transform((text, ctx) => {
        const channel = configChannel(text);
        if (channel === undefined) {
          ctx.addIssue({ code: 'custom', message: 'must be a channel: #name or a channel id' });
          return z.NEVER;
        }
        return channel;
      })
      .optional(),
  })
  .transform(
    (entry): GoalConfig =>
      compact({
        id:
          entry.id ??
          suggestGoalId({
            kpi: entry.kpi,
            comparator: entry.comparator,
            targetText: entry.target,
            per: entry.per,
          }),
        kpi: entry.kpi,
        comparator: entry.comparator,
        targetText: entry.target,
        per: entry.per,
        channel: entry.channel,
      }),
  );

/** Schema of the `goals:` list: ids must be unique. */
export const goalsConfigSchema = uniqueIdList(goalConfigSchema, 'goals');

const COMPARATOR_SLUGS: Record<GoalComparator, string> = { '>=': 'at-least', '<=': 'at-most' };

/** A readable, deterministic id: `revenue-at-least-500000kr-per-month`, `roas-4x`. */
export function suggestGoalId(goal: Omit<GoalConfig, 'id' | 'channel'>): string {
  const slug = (s: string): string =>
    s
      .toLowerCase()
      .replace(/%/g, 'pct')
      .replace(/×/g, 'x')
      .replace(/(\d),(\d)/g, '$1.$2')
      .replace(/\s+/g, '')
      .replace(/[^a-z0-9._]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const parts = [slug(goal.kpi)];
  if (goal.comparator !== undefined) parts.push(COMPARATOR_SLUGS[goal.comparator]);
  parts.push(slug(goal.targetText));
  if (goal.per !== undefined) parts.push('per', goal.per);
  return parts.filter(Boolean).join('-');
}

// ---------------------------------------------------------------------------------------------
// Text-level fields → goal

export type BuildGoalResult = { ok: true; goal: Goal } | { ok: false; error: string };

/** What `buildGoal` needs to know about the resolved KPI. */
export interface GoalKpi {
  id: string;
  unit: Unit;
  good: GoodDirection;
  /** A total of one additive measure (revenue, new_customers…): the goal needs `per` and paces. */
  additive: boolean;
}

export interface BuildGoalMeta {
  id: string;
  createdBy: string;
  /** ISO timestamp (from the injected clock). */
  createdAt: string;
  /** Configured ISO 4217 currency: a target written in another currency is refused. */
  currency?: string;
}

/**
 * Builds a goal from text-level fields once the caller has resolved the KPI: fills the comparator
 * from the KPI's good direction, parses the target in the KPI's unit and checks `per`.
 */
export function buildGoal(
  draft: { comparator?: GoalComparator; targetText: string; per?: GoalPer; channel?: string },
  kpi: GoalKpi,
  meta: BuildGoalMeta,
): BuildGoalResult {
  const comparator = draft.comparator ?? defaultComparator(kpi.good);
  if (comparator === undefined) {
    return {
      ok: false,
      error: `${kpi.id} is neither better up nor down: say which way, e.g. \`${kpi.id} >= ${draft.targetText}\` or \`${kpi.id} <= ${draft.targetText}\``,
    };
  }
  const target = parseThreshold(draft.targetText, kpi.unit, {
    kpi: kpi.id,
    currency: meta.currency,
  });
  if (!target.ok) return { ok: false, error: target.error };
  if (kpi.additive && draft.per === undefined) {
    return {
      ok: false,
      error: `${kpi.id} is a total, so its goal needs a period: add \`per week\`, \`per month\`, \`per quarter\` or \`per year\``,
    };
  }
  if (kpi.additive && target.value <= 0) {
    return { ok: false, error: `A goal for the total ${kpi.id} must be above 0` };
  }
  return {
    ok: true,
    goal: compact({
      id: meta.id,
      kpi: kpi.id,
      comparator,
      target: target.value,
      per: draft.per,
      channel: draft.channel,
      createdBy: meta.createdBy,
      createdAt: meta.createdAt,
    }),
  };
}
