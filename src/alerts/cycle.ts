// One evaluation cycle: every rule due at `now` evaluated against its window, each group's
// state moved by the state machine, and the notifications written to the outbox in the same
// transaction as the state change.
//
// 1. Due rules: not paused, created by their latest scheduled firing at or before `now`, and
//    not yet evaluated for it (`last_fire_time`). Each is evaluated at that fire time (the
//    state machine's clock), so a late catch-up sees what the firing would have seen.
// 2. Measures: one aggregate query per distinct (filters, breakdown) over all due rules.
// 3. In one transaction: claim the rules' firing (row locks + `last_fire_time`, so a second
//    replica running the same firing finds nothing left), load and lock their states, evaluate,
//    fetch what new alert messages need (trend and worst groups, only for alerts that fire now), write
//    states, outbox messages and fire times.
//
// Groups of a rule `by channel|campaign`: each group with data in the window is evaluated. A
// group that had a state but no longer has data is evaluated as "no data" if anything is open
// (pending, firing, no data), and forgotten when it was simply ok (a campaign that ended). A
// rule with no group at all is one "no data" state under the key `*`. Such a rule notifies
// once for all its groups (grouped.ts, its own row under GROUPED_KEY) unless `notify: per-group`.
//
// Conditions and guards (condition-check.ts): a rule with a volume guard leaves the groups below
// it unchecked (their state kept, with why); a change or anomaly rule reads its baseline
// periods in the same query as its window, and each group is checked against the threshold its
// baseline comes to.

import { seasonalPeriods } from '../kpi/baseline.ts';
import { canonicalFilters } from '../kpi/channels.ts';
import { evaluateKpi, type MeasureNeeds, requiredMeasures } from '../kpi/evaluate.ts';
import { mergeFilters } from '../kpi/filters.ts';
import { findMeasure } from '../kpi/measures.ts';
import { localName } from '../kpi/names.ts';
import {
  addDays,
  parsePeriod,
  precedingPeriods,
  previousPeriod,
  sameLastYear,
} from '../kpi/periods.ts';
import type { Dimension, Filters, KpiDefinition, Period } from '../kpi/types.ts';
import { langOf } from '../messages/lang.ts';
import { type EnqueueInput, enqueueMany } from '../outbox/store.ts';
import { sparkline } from '../reply/sparkline.ts';
import { previousFireTime } from '../scheduler/cron-time.ts';
import {
  type Arrivals,
  arrivalsFor,
  lateSourcesOf,
  type SourceArrival,
  sourceLabel,
} from '../sources/arrivals.ts';
import type { Db } from '../store/db.ts';
import { Aggregates, type BatchRef, lastDataDays } from './batch.ts';
import { checkGroup, type GroupCheck } from './condition-check.ts';
import { conditionLine } from './condition-words.ts';
import type { AlertDeps } from './deps.ts';
import { planGrouped, worstFirst } from './grouped.ts';
import { loadLateRows, planLateness, saveLateRows } from './lateness.ts';
import { type AlertView, GROUPED_KEY } from './message.ts';
import { type NotifyContext, planNotification, settleRow } from './notify.ts';
import { type AlertRule, isGrouped, thresholdOf } from './rule.ts';
import {
  type AlertState,
  compare,
  type EvaluationInput,
  evaluate,
  initialState,
  type Notification,
} from './state-machine.ts';
import {
  ALL_GROUPS,
  deleteStates,
  loadRules,
  loadStates,
  lockDueRules,
  type StateRow,
  type StoredRule,
  saveStates,
  setLastFireTimes,
} from './store.ts';

export { ALL_GROUPS } from './store.ts';

/** Periods in an alert's trend sparkline (the window and the ones before it). */
export const TREND_PERIODS = 8;
/** Groups listed under "look at first". */
export const LOOK_AT_ROWS = 5;
/** How far back "no data for ad_spend since …" looks for the last day with data. */
export const NO_DATA_LOOK_BACK_DAYS = 400;

export interface CycleOptions {
  /** Only the rules on this schedule (one scheduler task); default: every rule due at `now`. */
  schedule?: { cron: string; timeZone: string };
  /**
   * A manual run ("Run scheduled jobs now"): every rule is evaluated as of `now`, the click
   * time, even one created after its schedule's latest firing.
   */
  manual?: boolean;
}

export interface Transition {
  ruleId: string;
  groupKey: string;
  from: AlertState['status'] | 'new';
  to: AlertState['status'];
  notify?: Notification['kind'];
  reason: string;
}

export interface CycleReport {
  /** ISO `now` of the cycle. */
  at: string;
  /** Rules due and claimed by this cycle. */
  rules: number;
  /** Rule-and-group evaluations. */
  evaluated: number;
  /** Messages written to the outbox. */
  notifications: number;
  /** SQL statements issued. */
  queries: number;
  ms: number;
  transitions: Transition[];
  /** Rules that could not be evaluated (unknown KPI, bad window…), with why. */
  skipped: Array<{ ruleId: string; reason: string }>;
}

interface Prepared {
  stored: StoredRule;
  rule: AlertRule;
  fireTime: Date;
  kpi: KpiDefinition;
  needs: MeasureNeeds;
  period: Period;
  previous?: Period;
  /** A condition's baseline: the comparison period (change) or the seasonal periods (anomaly). */
  baselines: Period[];
  /** The rule's filters merged with its KPI's own; null when they cannot both hold. */
  filters: Filters | null;
  /** Where its numbers come from (see `sourceOf`). */
  source: Source;
  ref: BatchRef;
}

/**
 * The aggregate a rule reads: filters and breakdown of the batch, and the one group of it that
 * is the rule's total (`only`, for a rule filtered to a single channel or campaign). A filter
 * to one value of a dimension is the same as that value's group in a breakdown by the
 * dimension, so `roas channel=meta`, `roas by channel` and `roas channel=meta by channel` all
 * share one query.
 */
interface Source {
  filters: Filters;
  groupBy?: Dimension;
  only?: string;
}

function sourceOf(rule: AlertRule, filters: Filters): Source {
  const single = (d: Dimension) => filters[d]?.length === 1;
  const dimension: Dimension | undefined = rule.groupBy
    ? single(rule.groupBy)
      ? rule.groupBy
      : undefined
    : single('channel')
      ? 'channel'
      : single('campaign')
        ? 'campaign'
        : undefined;
  if (!dimension) return { filters, ...(rule.groupBy ? { groupBy: rule.groupBy } : {}) };
  const rest: Filters = { ...filters };
  delete rest[dimension];
  return { filters: rest, groupBy: dimension, only: filters[dimension]![0]! };
}

/** The batch group holding a rule's `groupKey` ('' = its total). */
function batchGroup(p: Prepared, groupKey: string): string {
  return p.rule.groupBy ? groupKey : (p.source.only ?? '');
}

interface GroupEval {
  p: Prepared;
  groupKey: string;
  prev?: StateRow;
  row: StateRow;
  value: number | null;
  /** What the group was checked against (held groups are not evaluated). */
  check?: Extract<GroupCheck, { kind: 'check' }>;
  notify: Notification | null;
}

const measureKind = (m: string) => findMeasure(m)?.kind;

/** A Db that counts the statements issued through it (and its transactions). */
export function countingDb(db: Db, counter: { queries: number }): Db {
  return {
    dialect: db.dialect,
    query: (sql, params) => {
      counter.queries++;
      return db.query(sql, params);
    },
    exec: (sql) => {
      counter.queries++;
      return db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn(countingDb(tx, counter))),
    close: () => db.close(),
  };
}

/** The rules due at `now`, each with the fire time it is evaluated for. */
export function dueRules(
  rules: readonly StoredRule[],
  now: Date,
  defaultTimeZone: string,
  opts: CycleOptions = {},
): Array<{ stored: StoredRule; fireTime: Date }> {
  const latest = new Map<string, Date | undefined>();
  const out: Array<{ stored: StoredRule; fireTime: Date }> = [];
  for (const stored of rules) {
    const { rule } = stored;
    if (rule.paused) continue;
    const tz = rule.timeZone ?? defaultTimeZone;
    if (opts.schedule && (opts.schedule.cron !== rule.schedule || opts.schedule.timeZone !== tz)) {
      continue;
    }
    const cacheKey = `${rule.schedule}|${tz}`;
    if (!latest.has(cacheKey)) latest.set(cacheKey, safePreviousFire(rule.schedule, tz, now));
    const fireTime = opts.manual ? now : latest.get(cacheKey);
    if (!fireTime) continue;
    if (!opts.manual && fireTime.getTime() < Date.parse(rule.createdAt)) continue;
    if (stored.lastFireTime && stored.lastFireTime.getTime() >= fireTime.getTime()) continue;
    out.push({ stored, fireTime });
  }
  return out;
}

function safePreviousFire(cron: string, tz: string, now: Date): Date | undefined {
  try {
    // The latest firing within a year (a yearly schedule is the rarest anyone means).
    return previousFireTime(cron, tz, now, {
      notBefore: new Date(now.getTime() - 366 * 86_400_000),
    });
  } catch {
    return undefined;
  }
}

function prepare(
  due: { stored: StoredRule; fireTime: Date },
  deps: AlertDeps,
  batches: Aggregates,
): Prepared | { skip: string } {
  const { rule } = due.stored;
  const kpi = deps.catalog.get(rule.kpi);
  if (!kpi) return { skip: `unknown KPI "${rule.kpi}"` };
  const needs = requiredMeasures(deps.catalog, kpi.id);
  const resolved = parsePeriod(rule.window, {
    now: due.fireTime,
    timeZone: rule.timeZone ?? deps.config.timeZone,
    weekStartsOn: deps.config.weekStartsOn,
  });
  if (!resolved.ok) return { skip: `window "${rule.window}": ${resolved.error}` };
  const period = resolved.period;
  const previous = needs.needsPrevious ? previousPeriod(period) : undefined;
  const baselines = baselinePeriods(rule, period);
  // A rule stored before its channel was named otherwise (`paid-social` folded into meta) reads
  // the channel the facts are stored under now.
  const own = canonicalFilters(deps.channels, rule.filters).filters;
  const filters = mergeFilters(own, kpi.filter);
  const source = sourceOf(rule, filters ?? {});
  const ranges = [period, ...baselines].flatMap((r) =>
    needs.needsPrevious ? [r, previousPeriod(r)] : [r],
  );
  const ref = batches.add({
    filters: filters === null ? null : source.filters,
    ...(source.groupBy ? { groupBy: source.groupBy } : {}),
    measures: rule.guard ? [...new Set([...needs.measures, rule.guard.measure])] : needs.measures,
    ranges,
  });
  return {
    stored: due.stored,
    rule,
    fireTime: due.fireTime,
    kpi,
    needs,
    period,
    ...(previous ? { previous } : {}),
    baselines,
    filters,
    source,
    ref,
  };
}

function baselinePeriods(rule: AlertRule, period: Period): Period[] {
  if (rule.condition?.kind === 'anomaly') return seasonalPeriods(period);
  if (rule.condition?.kind === 'change') {
    return [rule.condition.vs === 'previous' ? previousPeriod(period) : sameLastYear(period)];
  }
  return [];
}

/** The KPI of a batch group over `period` (with its previous period when the KPI needs one). */
function kpiOver(p: Prepared, deps: AlertDeps, batches: Aggregates, period: Period, group: string) {
  const previous = p.needs.needsPrevious
    ? batches.values(p.ref, previousPeriod(period), group)
    : undefined;
  return evaluateKpi(deps.catalog, p.kpi.id, batches.values(p.ref, period, group), previous);
}

/** The rule as a group is checked: a condition's threshold and hysteresis in the KPI's unit. */
function checkedRule(rule: AlertRule, check: Extract<GroupCheck, { kind: 'check' }>): AlertRule {
  return {
    ...rule,
    comparator: check.comparator,
    threshold: check.threshold,
    hysteresis: check.hysteresis,
  };
}

/** The group's check (condition-check.ts): its guard's volume and its baseline's values. */
function checkOf(
  p: Prepared,
  deps: AlertDeps,
  batches: Aggregates,
  groupKey: string,
  value: number | null,
): GroupCheck {
  const group = batchGroup(p, groupKey);
  const known = p.filters !== null && groupKey !== ALL_GROUPS;
  const guard =
    p.rule.guard && known
      ? batches.values(p.ref, p.period, group).get(p.rule.guard.measure)
      : undefined;
  return checkGroup(p.rule, p.kpi.unit, {
    value: known ? value : null,
    guardValue: guard?.sum ?? null,
    baseline: known ? p.baselines.map((b) => kpiOver(p, deps, batches, b, group)) : [],
  });
}

function inputFor(
  p: Prepared,
  deps: AlertDeps,
  batches: Aggregates,
  groupKey: string,
): { input: EvaluationInput; value: number | null } {
  if (p.filters === null || groupKey === ALL_GROUPS) {
    return { input: { value: null, missingMeasures: [...p.needs.measures] }, value: null };
  }
  const group = batchGroup(p, groupKey);
  const current = batches.values(p.ref, p.period, group);
  const value = kpiOver(p, deps, batches, p.period, group);
  const missingMeasures = p.needs.measures.filter((m) => !current.has(m));
  return { input: { value, missingMeasures }, value };
}

/** Whether a state has nothing open (ok, never announced): a group that vanished may go. */
function quietlyOk(state: AlertState): boolean {
  return state.status === 'ok' && state.firedAt === undefined && !state.noDataNotified;
}

/**
 * Per by-group rule, the groups that lack a measure in the window and have never had it over
 * the look-back (organic has no ad spend, ever): they have no value rather than no data, so
 * they are not evaluated, and no "no data" is said for them. A group whose measure stopped
 * arriving (it has an earlier day) is evaluated, and says "no data since …".
 * The look-back is asked by lastDaysLookingBack, as for the last day of a "no data".
 */
async function unmeasuredGroups(
  db: Pick<Db, 'query'>,
  prepared: readonly Prepared[],
  batches: Aggregates,
): Promise<Map<Prepared, Set<string>>> {
  const lacking: Array<{ p: Prepared; group: string; measures: string[] }> = [];
  for (const p of prepared) {
    if (!p.rule.groupBy || p.filters === null) continue;
    for (const group of batches.groups(p.ref, p.period)) {
      const values = batches.values(p.ref, p.period, group);
      const missing = p.needs.measures.filter((m) => !values.has(m));
      if (missing.length === 0 || missing.length === p.needs.measures.length) continue;
      lacking.push({ p, group, measures: missing });
    }
  }
  const out = new Map<Prepared, Set<string>>();
  for (const [l, last] of await lastDaysLookingBack(db, lacking)) {
    if (!l.measures.some((m) => last.get(l.group)?.get(m) === undefined)) continue;
    const set = out.get(l.p) ?? new Set<string>();
    set.add(l.group);
    out.set(l.p, set);
  }
  return out;
}

/** A question for lastDaysLookingBack: these measures of this rule (filters, breakdown, window). */
interface LookBack {
  p: Prepared;
  measures: readonly string[];
}

/**
 * Per item, the last day with data of its measures over the look-back (NO_DATA_LOOK_BACK_DAYS),
 * by group of its rule's breakdown: one query per (filters, breakdown, window end), shared by
 * the items that agree on them.
 */
async function lastDaysLookingBack<T extends LookBack>(
  db: Pick<Db, 'query'>,
  items: readonly T[],
): Promise<Map<T, Map<string, Map<string, string>>>> {
  const alike = new Map<string, T[]>();
  for (const item of items) {
    const key = JSON.stringify([item.p.filters, item.p.rule.groupBy ?? null, item.p.period.end]);
    const list = alike.get(key) ?? [];
    list.push(item);
    alike.set(key, list);
  }
  const out = new Map<T, Map<string, Map<string, string>>>();
  for (const list of alike.values()) {
    const { p } = list[0]!;
    const last = await lastDataDays(db, {
      measures: [...new Set(list.flatMap((item) => item.measures))],
      filters: p.filters ?? {},
      ...(p.rule.groupBy ? { groupBy: p.rule.groupBy } : {}),
      from: addDays(p.period.end, -NO_DATA_LOOK_BACK_DAYS),
      before: addDays(p.period.end, 1),
    });
    for (const item of list) out.set(item, last);
  }
  return out;
}

function groupKeysFor(
  p: Prepared,
  batches: Aggregates,
  existing: readonly StateRow[],
  unmeasured: ReadonlySet<string> = new Set(),
): { evaluate: string[]; drop: string[] } {
  if (!p.rule.groupBy) {
    return {
      evaluate: [''],
      drop: existing.filter((s) => s.groupKey !== '').map((s) => s.groupKey),
    };
  }
  // Groups with data for this rule's measures (the batch holds other rules' measures too).
  const withData =
    p.filters === null
      ? []
      : batches
          .groups(p.ref, p.period)
          .filter((g) => p.source.only === undefined || g === p.source.only)
          .filter((g) => {
            const values = batches.values(p.ref, p.period, g);
            return p.needs.measures.some((m) => values.has(m)) && !unmeasured.has(g);
          });
  const keys = new Set(withData);
  const drop: string[] = [];
  for (const s of existing) {
    if (keys.has(s.groupKey)) continue;
    if (s.groupKey === ALL_GROUPS) {
      if (withData.length > 0) drop.push(s.groupKey);
      continue;
    }
    if (quietlyOk(s.state)) drop.push(s.groupKey);
    else keys.add(s.groupKey);
  }
  if (keys.size === 0) keys.add(ALL_GROUPS);
  else if (existing.some((s) => s.groupKey === ALL_GROUPS) && !drop.includes(ALL_GROUPS)) {
    drop.push(ALL_GROUPS);
  }
  return { evaluate: [...keys].sort(), drop };
}

function lookAtRows(
  rows: GroupValue[],
  p: Prepared,
  deps: AlertDeps,
  dimension: Dimension,
): AlertView['lookAt'] {
  const shown = rows.filter((r) => r.key !== ALL_GROUPS);
  if (shown.length === 0) return undefined;
  return {
    dimension,
    rows: worstFirst(shown, p.rule.comparator)
      .slice(0, LOOK_AT_ROWS)
      .map((r) => ({
        key: r.key,
        value: deps.format.value(r.value, p.kpi.unit, thresholdOf(p.rule)),
        // A condition's threshold is each group's own: known for the rule's groups only.
        breaching:
          r.breaching ??
          (p.rule.condition === undefined &&
            r.value !== null &&
            compare(r.value, p.rule.comparator, p.rule.threshold)),
      })),
    total: shown.length,
  };
}

/** The dimension to break an alert without `by` down by: campaigns inside one channel. */
function drillDimension(rule: AlertRule): Dimension {
  return rule.filters.channel?.length === 1 ? 'campaign' : 'channel';
}

function historyRanges(p: Prepared): Period[] {
  const history = precedingPeriods(p.period, TREND_PERIODS);
  if (!p.needs.needsPrevious) return history;
  return [previousPeriod(history[0]!), ...history];
}

/** Runs one evaluation cycle at `now`, in stages: due → plan → evaluate → enrich → save. */
export async function runAlertCycle(
  deps: AlertDeps,
  now: Date,
  opts: CycleOptions = {},
): Promise<CycleReport> {
  const started = performance.now();
  const counter = { queries: 0 };
  const db = countingDb(deps.db, counter);
  const log = deps.logger.child({ component: 'alerts' });
  const report: CycleReport = {
    at: now.toISOString(),
    rules: 0,
    evaluated: 0,
    notifications: 0,
    queries: 0,
    ms: 0,
    transitions: [],
    skipped: [],
  };
  const finish = () => {
    report.queries = counter.queries;
    report.ms = Math.round(performance.now() - started);
    return report;
  };

  const rules = await loadRules(db, (id, err) =>
    log.error({ ruleId: id, err }, 'alerts: a stored rule no longer parses; skipped'),
  );
  const due = dueRules(rules, now, deps.config.timeZone, opts);
  if (due.length === 0) return finish();

  const plan = planCycle(due, deps);
  const arrivals = await arrivalsFor(
    db,
    [...new Set(plan.prepared.flatMap((p) => p.needs.measures))],
    now,
    deps.config.timeZone,
    deps.config.arrivals ?? {},
  );
  const blocked = skipLateRules(plan, arrivals);
  for (const s of plan.skipped) {
    report.skipped.push({ ruleId: s.id, reason: s.reason });
    log.warn({ ruleId: s.id, reason: s.reason }, 'alerts: rule not evaluated');
  }
  await plan.batches.run(db);
  const unmeasured = await unmeasuredGroups(db, plan.prepared, plan.batches);

  const messages = await db.transaction(async (tx) => {
    const claimed = await lockDueRules(tx, [
      ...plan.prepared.map((p) => ({ id: p.rule.id, fireTime: p.fireTime })),
      ...plan.skipped,
    ]);
    const mine = plan.prepared.filter((p) => claimed.has(p.rule.id));
    report.rules = mine.length;
    if (claimed.size === 0) return [];
    const states = await loadStates(
      tx,
      mine.map((p) => p.rule.id),
      { forUpdate: true },
    );
    const evaluated = evaluateRules(mine, states, plan.batches, deps, unmeasured);
    report.evaluated = evaluated.evals.length;
    report.transitions.push(...evaluated.transitions);
    const out = await notificationsOf(tx, evaluated, deps);
    const late = await latenessOf(tx, blocked, arrivals, claimed, deps, now);
    out.push(...late.messages);
    await saveStates(tx, [...evaluated.evals.map((e) => e.row), ...evaluated.ruleSaves]);
    await deleteStates(tx, evaluated.drops);
    // The outbox runs on the real clock (retries, leases): `now` is the firing's time, which a
    // fixed KPIBOT_NOW may put in the future, where nothing would be delivered.
    await enqueueMany(tx, out);
    await setLastFireTimes(tx, [
      ...mine.map((p) => ({ id: p.rule.id, fireTime: p.fireTime })),
      ...plan.skipped.filter((s) => claimed.has(s.id)),
    ]);
    return out;
  });
  report.notifications = messages.length;
  if (messages.length > 0) deps.onEnqueued?.();
  log.info(
    {
      rules: report.rules,
      evaluated: report.evaluated,
      notifications: report.notifications,
      queries: counter.queries,
    },
    'alerts: cycle done',
  );
  return finish();
}

/**
 * Moves the rules that need a late source to the skipped ones (their state untouched: a window
 * missing its newest days gives no KPI worth judging), and returns them with their sources.
 */
function skipLateRules(
  plan: CyclePlan,
  arrivals: Arrivals,
): Array<{ rule: AlertRule; late: SourceArrival[] }> {
  const blocked: Array<{ rule: AlertRule; late: SourceArrival[] }> = [];
  plan.prepared = plan.prepared.filter((p) => {
    const late = lateSourcesOf(arrivals, p.needs.measures);
    if (late.length === 0) return true;
    blocked.push({ rule: p.rule, late });
    plan.skipped.push({
      id: p.rule.id,
      fireTime: p.fireTime,
      reason: late.map((a) => `source ${sourceLabel(a.source)} is late: ${a.reason}`).join('; '),
    });
    return false;
  });
  return blocked;
}

/** The lateness messages of this cycle's claimed rules (lateness.ts), and the rows kept. */
async function latenessOf(
  tx: Db,
  blocked: ReadonlyArray<{ rule: AlertRule; late: SourceArrival[] }>,
  arrivals: Arrivals,
  claimed: ReadonlySet<string>,
  deps: AlertDeps,
  now: Date,
): Promise<{ messages: EnqueueInput[] }> {
  const all = [...arrivals.bySource.values()];
  const rows = await loadLateRows(
    tx,
    all.map((a) => a.source),
  );
  const late = all
    .filter((a) => a.late)
    .map((arrival) => ({
      arrival,
      rules: blocked
        .filter((b) => claimed.has(b.rule.id) && b.late.some((a) => a.source === arrival.source))
        .map((b) => ({ id: b.rule.id, ...(b.rule.channel ? { channel: b.rule.channel } : {}) })),
    }));
  const plan = planLateness({
    late,
    onTime: all.filter((a) => !a.late),
    rows,
    lang: langOf(deps.config.locale),
  });
  await saveLateRows(tx, plan, now);
  return plan;
}

interface CyclePlan {
  prepared: Prepared[];
  /** Due rules that cannot be evaluated (unknown KPI, bad window): their firing is still used up. */
  skipped: Array<{ id: string; fireTime: Date; reason: string }>;
  /** Every measure the prepared rules need, one query per (filters, breakdown). */
  batches: Aggregates;
}

/** Plan: each due rule's KPI, window and measures, batched into as few queries as possible. */
function planCycle(due: ReturnType<typeof dueRules>, deps: AlertDeps): CyclePlan {
  const plan: CyclePlan = { prepared: [], skipped: [], batches: new Aggregates(measureKind) };
  for (const d of due) {
    const p = prepare(d, deps, plan.batches);
    if ('skip' in p)
      plan.skipped.push({ id: d.stored.rule.id, fireTime: d.fireTime, reason: p.skip });
    else plan.prepared.push(p);
  }
  return plan;
}

/** A group's value, and whether it breaches what it was checked against. */
interface GroupValue {
  key: string;
  value: number | null;
  breaching?: boolean;
}

interface Evaluated {
  evals: GroupEval[];
  /** Groups that were simply ok and have no data any more (a campaign that ended). */
  drops: Array<{ ruleId: string; groupKey: string }>;
  /** Per rule, every group's value (a breakdown's "look at first" list). */
  groupValues: Map<Prepared, GroupValue[]>;
  transitions: Transition[];
  /** Grouped rules' own rows (GROUPED_KEY) as loaded. */
  ruleRows: Map<string, StateRow>;
  /** Grouped rules' own rows to save (filled when their notifications are planned). */
  ruleSaves: StateRow[];
}

/** Evaluate (pure): every group of every claimed rule through the state machine. */
function evaluateRules(
  mine: readonly Prepared[],
  states: readonly StateRow[],
  batches: Aggregates,
  deps: AlertDeps,
  unmeasured: ReadonlyMap<Prepared, ReadonlySet<string>> = new Map(),
): Evaluated {
  const out: Evaluated = {
    evals: [],
    drops: [],
    groupValues: new Map(),
    transitions: [],
    ruleRows: new Map(),
    ruleSaves: [],
  };
  const byRule = new Map<string, StateRow[]>();
  for (const s of states) {
    if (s.groupKey === GROUPED_KEY) {
      out.ruleRows.set(s.ruleId, s);
      continue;
    }
    const list = byRule.get(s.ruleId);
    if (list) list.push(s);
    else byRule.set(s.ruleId, [s]);
  }
  for (const p of mine) {
    const existing = byRule.get(p.rule.id) ?? [];
    const keys = groupKeysFor(p, batches, existing, unmeasured.get(p));
    for (const g of keys.drop) out.drops.push({ ruleId: p.rule.id, groupKey: g });
    const values: GroupValue[] = [];
    for (const groupKey of keys.evaluate) {
      const prev = existing.find((s) => s.groupKey === groupKey);
      const { input, value } = inputFor(p, deps, batches, groupKey);
      const check = checkOf(p, deps, batches, groupKey, value);
      const result =
        check.kind === 'held'
          ? {
              next: { ...(prev?.state ?? initialState(p.fireTime)), held: check.held },
              notify: null,
              reason: `not checked (${check.held.kind}): state kept`,
            }
          : evaluate(prev?.state, input, checkedRule(p.rule, check), p.fireTime);
      if (check.kind === 'check') delete result.next.held;
      values.push({
        key: groupKey,
        value,
        breaching:
          check.kind === 'check' &&
          value !== null &&
          compare(value, check.comparator, check.threshold),
      });
      const row: StateRow = {
        ruleId: p.rule.id,
        groupKey,
        state: result.next,
        evaluatedAt: p.fireTime,
        messageKey: prev?.messageKey ?? null,
        message: prev?.message ?? null,
        slackChannel: prev?.slackChannel ?? null,
        slackTs: prev?.slackTs ?? null,
        noDataKey: prev?.noDataKey ?? null,
      };
      out.evals.push({
        p,
        groupKey,
        ...(prev ? { prev } : {}),
        row,
        value,
        ...(check.kind === 'check' ? { check } : {}),
        notify: result.notify,
      });
      out.transitions.push({
        ruleId: p.rule.id,
        groupKey,
        from: prev?.state.status ?? 'new',
        to: result.next.status,
        ...(result.notify ? { notify: result.notify.kind } : {}),
        reason: result.reason,
      });
    }
    out.groupValues.set(p, values);
  }
  return out;
}

/**
 * Enrich: the messages of the groups that notify, with what they show fetched for them only
 * (a new alert's trend and where to look; the last day with data of a "no data"). Settles
 * every row's message fields.
 */
async function notificationsOf(
  tx: Db,
  evaluated: Evaluated,
  deps: AlertDeps,
): Promise<EnqueueInput[]> {
  const { evals, groupValues } = evaluated;
  const notifying = evals.filter((e) => e.notify !== null);
  // Only a new alert message shows the trend and where to look (reminders are replies).
  const firing = notifying.filter(
    (e) =>
      e.notify?.kind === 'firing' &&
      e.groupKey !== ALL_GROUPS &&
      e.p.filters !== null &&
      !isGrouped(e.p.rule),
  );
  const enrich = new Aggregates(measureKind);
  const historyRefs = historyRequests(firing, enrich);
  const drillRefs = new Map<GroupEval, BatchRef>();
  for (const e of firing) {
    const { p } = e;
    if (p.rule.groupBy) continue;
    drillRefs.set(
      e,
      enrich.add({
        filters: p.filters,
        groupBy: drillDimension(p.rule),
        measures: p.needs.measures,
        ranges: p.previous ? [p.period, p.previous] : [p.period],
      }),
    );
  }
  await enrich.run(tx);
  await fillLastDataDays(tx, notifying);

  const out: EnqueueInput[] = [];
  const grouped = new Map<Prepared, GroupEval[]>();
  for (const e of evals) {
    if (isGrouped(e.p.rule) && e.groupKey !== ALL_GROUPS) {
      grouped.set(e.p, [...(grouped.get(e.p) ?? []), e]);
    } else if (e.notify) {
      const ctx = notifyContext(e, deps);
      const historyRef = historyRefs.get(e);
      if (historyRef) ctx.trend = trendOf(e, enrich, historyRef, deps);
      if (e.notify.kind === 'firing') {
        const lookAt = lookAtOf(e, enrich, drillRefs.get(e), groupValues, deps);
        if (lookAt) ctx.lookAt = lookAt;
      }
      out.push(...planNotification(e.notify, e.row, ctx));
    }
  }
  for (const [p, groupEvals] of grouped) {
    const prev = evaluated.ruleRows.get(p.rule.id);
    const plan = planGrouped({
      rule: p.rule,
      prev,
      groups: groupEvals.map((e) => ({
        key: e.groupKey,
        value: e.value,
        row: e.row,
        notify: e.notify,
      })),
      at: p.fireTime,
      kpi: { id: p.kpi.id, name: localName(p.kpi.name, deps.config.locale), unit: p.kpi.unit },
      period: p.period,
      format: deps.format,
      lang: langOf(deps.config.locale),
    });
    out.push(...plan.messages);
    if (plan.row) evaluated.ruleSaves.push(plan.row);
    else if (prev) evaluated.drops.push({ ruleId: p.rule.id, groupKey: GROUPED_KEY });
    if (plan.kind) {
      evaluated.transitions.push({
        ruleId: p.rule.id,
        groupKey: GROUPED_KEY,
        from: prev?.state.status ?? 'new',
        to: plan.row?.state.status ?? 'ok',
        reason: plan.reason,
      });
    }
  }
  for (const e of evals) settleRow(e.row);
  return out;
}

function notifyContext({ p, groupKey, check, value }: GroupEval, deps: AlertDeps): NotifyContext {
  const line = check?.detail
    ? conditionLine(check.detail, {
        value,
        unit: p.kpi.unit,
        format: deps.format,
        locale: deps.config.locale,
      })
    : undefined;
  return {
    // What the group was checked against: a condition's threshold in the KPI's unit.
    rule: check ? checkedRule(p.rule, check) : p.rule,
    ...(line ? { conditionLine: line } : {}),
    kpi: { id: p.kpi.id, name: localName(p.kpi.name, deps.config.locale), unit: p.kpi.unit },
    groupKey,
    ...(p.rule.groupBy && groupKey !== ALL_GROUPS
      ? { group: { dimension: p.rule.groupBy, key: groupKey } }
      : {}),
    period: p.period,
    format: deps.format,
    lang: langOf(deps.config.locale),
  };
}

/** The KPI over the window and the periods before it, ending with the value just evaluated. */
function trendOf(
  e: GroupEval,
  enrich: Aggregates,
  ref: BatchRef,
  deps: AlertDeps,
): NonNullable<NotifyContext['trend']> {
  const { p } = e;
  const group = batchGroup(p, e.groupKey);
  const values = precedingPeriods(p.period, TREND_PERIODS).map((period) =>
    evaluateKpi(
      deps.catalog,
      p.kpi.id,
      enrich.values(ref, period, group),
      p.needs.needsPrevious ? enrich.values(ref, previousPeriod(period), group) : undefined,
    ),
  );
  values[values.length - 1] = e.value;
  return {
    line: sparkline(values),
    periods: values.length,
    first: deps.format.value(values[0] ?? null, p.kpi.unit),
    last: deps.format.value(e.value, p.kpi.unit),
  };
}

/** Where to look first: the rule's own groups, or a drill-down of a rule without `by`. */
function lookAtOf(
  e: GroupEval,
  enrich: Aggregates,
  drillRef: BatchRef | undefined,
  groupValues: Evaluated['groupValues'],
  deps: AlertDeps,
): AlertView['lookAt'] {
  const { p } = e;
  if (drillRef) {
    const rows = enrich.groups(drillRef, p.period).map((key) => ({
      key,
      value: evaluateKpi(
        deps.catalog,
        p.kpi.id,
        enrich.values(drillRef, p.period, key),
        p.previous ? enrich.values(drillRef, p.previous, key) : undefined,
      ),
    }));
    return lookAtRows(rows, p, deps, drillDimension(p.rule));
  }
  if (p.rule.groupBy) return lookAtRows(groupValues.get(p) ?? [], p, deps, p.rule.groupBy);
  return undefined;
}

/**
 * The trend's periods for every alert that fires now: one request per source, restricted to
 * the groups that fire (a breakdown by campaign where two campaigns fire reads those two).
 */
function historyRequests(
  firing: readonly GroupEval[],
  enrich: Aggregates,
): Map<GroupEval, BatchRef> {
  const bySource = new Map<string, { source: Source; groups: Set<string>; evals: GroupEval[] }>();
  for (const e of firing) {
    const { source } = e.p;
    const key = JSON.stringify([source.filters, source.groupBy ?? null]);
    const entry = bySource.get(key) ?? { source, groups: new Set<string>(), evals: [] };
    entry.groups.add(batchGroup(e.p, e.groupKey));
    entry.evals.push(e);
    bySource.set(key, entry);
  }
  const refs = new Map<GroupEval, BatchRef>();
  for (const { source, groups, evals } of bySource.values()) {
    const filters: Filters = { ...source.filters };
    if (source.groupBy) filters[source.groupBy] = [...groups].sort();
    for (const e of evals) {
      refs.set(
        e,
        enrich.add({
          filters,
          ...(source.groupBy ? { groupBy: source.groupBy } : {}),
          measures: e.p.needs.measures,
          ranges: historyRanges(e.p),
        }),
      );
    }
  }
  return refs;
}

/** Fills `lastDataDay` of no_data notifications: one query per (filters, breakdown). */
async function fillLastDataDays(tx: Db, notifying: readonly GroupEval[]): Promise<void> {
  const asked = notifying.flatMap((e) =>
    e.notify?.kind === 'no_data' &&
    e.p.filters !== null &&
    (e.notify.missingMeasures ?? []).length > 0
      ? [{ e, p: e.p, measures: e.notify.missingMeasures ?? [] }]
      : [],
  );
  for (const [{ e, measures }, last] of await lastDaysLookingBack(tx, asked)) {
    // A rule with no group at all: the last day of any group.
    const maps =
      e.groupKey === ALL_GROUPS
        ? [...last.values()]
        : [last.get(e.p.rule.groupBy ? e.groupKey : '')];
    const days = measures
      .flatMap((m) => maps.map((byMeasure) => byMeasure?.get(m)))
      .filter((d): d is string => d !== undefined)
      .sort();
    const day = days.at(-1);
    if (day && e.notify) e.notify.lastDataDay = day;
  }
}
