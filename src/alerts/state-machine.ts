// The alert state machine, per rule and per group. Pure: the clock is injected as `now`, and
// every decision comes with a reason.
//
//   ok ──breach──▶ pending ──breach × for──▶ firing ──recovered past hysteresis──▶ ok
//    │  (for = 1: ok ──breach──▶ firing)      │ still breaching: repeat after the interval
//    └────────── missing data, any state ────▶ no_data ──data back──▶ (re-evaluated)
//
// Notifications: `firing` on entering firing (the alert's message), `repeat` while still
// breaching and the repeat interval has elapsed since the last one (a reply in its thread),
// `resolved` on recovery (reply + update of the message), `no_data` once on entering no_data,
// `data_back` on leaving no_data when a `no_data` notification was posted and nothing more
// specific (firing, resolved) is posted instead.
//
// Decisions:
// - No data = the KPI value is null or not finite, or any measure it needs has no facts in the
//   window (`missingMeasures`). A value computed from half the inputs is not trusted.
// - `for` counts consecutive breaching evaluations; an evaluation without data breaks the run.
// - Hysteresis applies to leaving `firing` only. Pending returns to ok on the first
//   non-breaching value. Inside the band (no longer breaching, not yet recovered) the alert
//   stays firing but sends no reminders: a reminder says "still breaching", which it is not.
// - A firing alert that loses its data keeps its episode (`firedAt`, ack, last notification):
//   when data returns it resolves or carries on in the same thread, rather than opening a
//   second alert or leaving the first one unresolved forever.
// - Muted = snoozed (`now < snoozedUntil`) or no Slack channel on the rule. Muted evaluations
//   still move the state but post nothing, and an alert never announced is announced once the
//   mute ends (a `firing` message, never a reply to a message that does not exist). A
//   `no_data` suppressed while muted is posted when the mute ends if there is still no data.
// - Resolve while snoozed: posted, if the firing was announced. Snooze silences reminders of
//   an open problem; the resolution closes it and updates the original message, which would
//   otherwise stay red in the channel. An episode that began and ended inside the snooze posts
//   nothing. `data_back` is suppressed while snoozed (informational only).
// - Acknowledge stops reminders for the current episode only; it does not stop `resolved`,
//   and it is cleared when the episode ends.
// - The repeat interval is exact (`now − lastNotifiedAt ≥ interval`). Pass the scheduled fire
//   time as `now`, not the wall clock at the end of a query, or a daily repeat on a daily
//   schedule would slip to every other day by a few milliseconds.
import type { Held } from './condition.ts';
import type { AlertRule, Comparator } from './rule.ts';
import { roundSignificant } from './threshold.ts';

export type AlertStatus = 'ok' | 'pending' | 'firing' | 'no_data';

export interface AlertState {
  status: AlertStatus;
  /** Consecutive breaching evaluations (0 in ok and no_data). */
  breachCount: number;
  /** ISO time the current status began. */
  since: string;
  lastValue: number | null;
  /** ISO time of the last `firing`/`repeat` notification of the current episode. */
  lastNotifiedAt?: string;
  /** ISO time the current firing episode began; kept through a no_data gap. */
  firedAt?: string;
  /** ISO time until which nothing is posted. */
  snoozedUntil?: string;
  /** Slack user id who acknowledged the current episode. */
  acknowledgedBy?: string;
  /** Whether the `no_data` notification of the current no_data stretch was posted. */
  noDataNotified?: boolean;
  /** Why the group was not checked at its last evaluation (below the volume guard…). */
  held?: Held;
}

export type NotificationKind = 'firing' | 'repeat' | 'resolved' | 'no_data' | 'data_back';

/** Everything a message needs, so that the outbox row is self-contained. */
export interface Notification {
  kind: NotificationKind;
  ruleId: string;
  /** ISO time of the evaluation. */
  at: string;
  value: number | null;
  comparator: Comparator;
  threshold: number;
  window: string;
  /** Start of the firing episode: the thread to reply in (repeat, resolved, data_back). */
  firedAt?: string;
  /** resolved: the value the KPI had to pass (threshold ± hysteresis). */
  recoveryBound?: number;
  /** no_data: measures with no facts in the window, e.g. `['ad_spend']`. */
  missingMeasures?: string[];
  /** no_data: last day any needed data exists ("no data for ad_spend since …"). */
  lastDataDay?: string;
  /** Who acknowledged, for the message's context line. */
  acknowledgedBy?: string;
}

export interface EvaluationInput {
  value: number | null;
  missingMeasures: string[];
  lastDataDay?: string;
}

export interface Evaluation {
  next: AlertState;
  notify: Notification | null;
  reason: string;
}

/** The parts of a rule the state machine reads. */
export type EvaluatedRule = Pick<
  AlertRule,
  | 'id'
  | 'comparator'
  | 'threshold'
  | 'hysteresis'
  | 'for'
  | 'repeatIntervalMinutes'
  | 'window'
  | 'channel'
  | 'paused'
>;

/** True when the value breaches: `value <comparator> threshold` (12 significant digits). */
export function compare(value: number, comparator: Comparator, threshold: number): boolean {
  const v = roundSignificant(value);
  const t = roundSignificant(threshold);
  switch (comparator) {
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '>':
      return v > t;
    case '>=':
      return v >= t;
  }
}

/** The bound a firing alert's value must pass to resolve: threshold moved away by hysteresis. */
export function recoveryBound(
  comparator: Comparator,
  threshold: number,
  hysteresis: number,
): number {
  const margin = Math.abs(hysteresis);
  return roundSignificant(
    comparator === '<' || comparator === '<=' ? threshold + margin : threshold - margin,
  );
}

/**
 * True when a firing alert may resolve: the value no longer breaches even the threshold moved
 * by the hysteresis margin. `roas < 3`, hysteresis 0.15: recovered at 3.15, not at 3.1.
 */
export function recovered(
  value: number,
  comparator: Comparator,
  threshold: number,
  hysteresis: number,
): boolean {
  return !compare(value, comparator, recoveryBound(comparator, threshold, hysteresis));
}

/** The state of a rule (or group) never evaluated. */
export function initialState(now: Date): AlertState {
  return { status: 'ok', breachCount: 0, since: now.toISOString(), lastValue: null };
}

const MINUTE = 60_000;

function num(value: number): string {
  return String(Number(value.toPrecision(6)));
}

function cmpText(value: number, rule: EvaluatedRule): string {
  const holds = compare(value, rule.comparator, rule.threshold);
  return `${num(value)} ${holds ? '' : 'not '}${rule.comparator} ${num(rule.threshold)}`;
}

/** Clears the fields that belong to a firing episode. */
function endEpisode(state: AlertState): AlertState {
  const rest = { ...state };
  delete rest.firedAt;
  delete rest.lastNotifiedAt;
  delete rest.acknowledgedBy;
  delete rest.noDataNotified;
  return rest;
}

function clean(state: AlertState): AlertState {
  return Object.fromEntries(
    Object.entries(state).filter(([, v]) => v !== undefined),
  ) as unknown as AlertState;
}

interface Context {
  rule: EvaluatedRule;
  input: EvaluationInput;
  now: Date;
  at: string;
  /** Why nothing may be posted now, or null. */
  mute: string | null;
  /** Whether a snooze is in force. */
  snoozed: boolean;
  /** Whether the rule has no Slack channel (nothing can be posted at all). */
  noChannel: boolean;
  /** Prefix for the reason, e.g. "snooze expired; ". */
  note: string;
}

function notification(
  kind: NotificationKind,
  ctx: Context,
  extra: Partial<Notification> = {},
): Notification {
  const { rule, input, at } = ctx;
  return {
    kind,
    ruleId: rule.id,
    at,
    value: input.value,
    comparator: rule.comparator,
    threshold: rule.threshold,
    window: rule.window,
    ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)),
  };
}

function result(
  next: AlertState,
  notify: Notification | null,
  reason: string,
  ctx: Context,
): Evaluation {
  return { next: clean(next), notify, reason: `${ctx.note}${reason}` };
}

/**
 * One evaluation of a rule (or one group of it). `prev` is undefined the first time.
 * Returns the next state, at most one notification, and why.
 */
export function evaluate(
  prev: AlertState | undefined,
  input: EvaluationInput,
  rule: EvaluatedRule,
  now: Date,
): Evaluation {
  const at = now.toISOString();
  let state = prev ?? initialState(now);
  if (rule.paused) {
    return { next: state, notify: null, reason: 'rule is paused: not evaluated, state kept' };
  }

  let note = '';
  if (state.snoozedUntil !== undefined && now.getTime() >= Date.parse(state.snoozedUntil)) {
    note = `snooze until ${state.snoozedUntil} expired; `;
    state = { ...state };
    delete state.snoozedUntil;
  }
  const snoozed = state.snoozedUntil !== undefined;
  const mute = snoozed
    ? `snoozed until ${state.snoozedUntil}`
    : rule.channel === undefined
      ? 'no Slack channel set'
      : null;
  const noChannel = rule.channel === undefined;
  const ctx: Context = { rule, input, now, at, mute, snoozed, noChannel, note };

  const { value } = input;
  if (value === null || !Number.isFinite(value) || input.missingMeasures.length > 0) {
    return noData(state, ctx);
  }
  if (state.status === 'no_data') return dataBack(state, value, ctx);
  if (state.status === 'firing') return stillFiring(state, value, ctx);
  return okOrPending(state, value, ctx);
}

function noData(state: AlertState, ctx: Context): Evaluation {
  const { input, at, mute } = ctx;
  const what =
    input.missingMeasures.length > 0
      ? `no data for ${input.missingMeasures.join(', ')}`
      : 'the KPI has no value';
  const since = input.lastDataDay === undefined ? '' : ` since ${input.lastDataDay}`;
  const extra = {
    missingMeasures: input.missingMeasures,
    lastDataDay: input.lastDataDay,
    firedAt: state.firedAt,
    acknowledgedBy: state.acknowledgedBy,
  };

  if (state.status === 'no_data') {
    const next = { ...state, lastValue: null };
    if (state.noDataNotified)
      return result(next, null, `still no data (${what}); already told`, ctx);
    if (mute !== null) return result(next, null, `still no data (${what}); muted: ${mute}`, ctx);
    return result(
      { ...next, noDataNotified: true },
      notification('no_data', ctx, extra),
      `still no data (${what}${since}); not told yet, the mute has ended: notify`,
      ctx,
    );
  }

  // Entering no_data. A firing episode survives the gap; a pending run does not.
  const keepsEpisode = state.status === 'firing';
  const base = keepsEpisode ? state : endEpisode(state);
  const next: AlertState = {
    ...base,
    status: 'no_data',
    breachCount: 0,
    since: at,
    lastValue: null,
    noDataNotified: false,
  };
  const from = `${state.status} → no_data: ${what}${since}`;
  if (mute !== null) return result(next, null, `${from}; muted: ${mute}`, ctx);
  return result(
    { ...next, noDataNotified: true },
    notification('no_data', ctx, extra),
    `${from}: notify once`,
    ctx,
  );
}

function dataBack(state: AlertState, value: number, ctx: Context): Evaluation {
  const { mute, snoozed } = ctx;
  const told = state.noDataNotified === true;
  const back: AlertState = { ...state, noDataNotified: undefined };

  if (state.firedAt !== undefined) {
    // The episode that was firing before the gap carries on, or resolves.
    const r = stillFiring({ ...back, status: 'firing', since: ctx.at }, value, ctx, 'no_data');
    const kind = r.notify?.kind;
    if (kind === 'resolved' || kind === 'firing' || !told || mute !== null) return r;
    return {
      next: r.next,
      notify: notification('data_back', ctx, {
        firedAt: state.firedAt,
        acknowledgedBy: state.acknowledgedBy,
      }),
      reason: `${r.reason}; data is back after a posted no_data: notify data_back instead`,
    };
  }

  const r = okOrPending(
    { ...back, status: 'ok', breachCount: 0, since: state.since },
    value,
    ctx,
    'no_data',
  );
  if (r.notify !== null || !told) return r;
  if (mute !== null) {
    const why = snoozed ? 'data_back suppressed while snoozed' : `muted: ${mute}`;
    return { ...r, reason: `${r.reason}; ${why}` };
  }
  return {
    ...r,
    notify: notification('data_back', ctx),
    reason: `${r.reason}; data is back after a posted no_data: notify data_back`,
  };
}

function okOrPending(
  state: AlertState,
  value: number,
  ctx: Context,
  from: AlertStatus = state.status,
): Evaluation {
  const { rule, at, mute } = ctx;
  const forCount = Math.max(1, Math.floor(rule.for));

  if (!compare(value, rule.comparator, rule.threshold)) {
    const next: AlertState = {
      ...endEpisode(state),
      status: 'ok',
      breachCount: 0,
      since: from === 'ok' ? state.since : at,
      lastValue: value,
    };
    const why =
      from === 'pending'
        ? `pending → ok: ${cmpText(value, rule)} before ${forCount} breaching checks in a row; silent`
        : `${from} → ok: ${cmpText(value, rule)}`;
    return result(next, null, why, ctx);
  }

  const count = (from === 'pending' ? state.breachCount : 0) + 1;
  if (count < forCount) {
    const next: AlertState = {
      ...endEpisode(state),
      status: 'pending',
      breachCount: count,
      since: from === 'pending' ? state.since : at,
      lastValue: value,
    };
    return result(
      next,
      null,
      `${from} → pending: ${cmpText(value, rule)} (${count} of ${forCount} breaching checks)`,
      ctx,
    );
  }

  const firing: AlertState = {
    ...endEpisode(state),
    status: 'firing',
    breachCount: count,
    since: at,
    lastValue: value,
    firedAt: at,
  };
  const why = `${from} → firing: ${cmpText(value, rule)}${forCount > 1 ? ` (${count} of ${forCount} breaching checks)` : ''}`;
  if (mute !== null) return result(firing, null, `${why}; muted: ${mute}, announce later`, ctx);
  return result(
    { ...firing, lastNotifiedAt: at },
    notification('firing', ctx, { firedAt: at }),
    `${why}: notify`,
    ctx,
  );
}

function stillFiring(
  state: AlertState,
  value: number,
  ctx: Context,
  from: AlertStatus = 'firing',
): Evaluation {
  const { rule, now, at, mute, snoozed, noChannel } = ctx;
  const announced = state.lastNotifiedAt !== undefined;
  const bound = recoveryBound(rule.comparator, rule.threshold, rule.hysteresis);

  if (recovered(value, rule.comparator, rule.threshold, rule.hysteresis)) {
    const next: AlertState = {
      ...endEpisode(state),
      status: 'ok',
      breachCount: 0,
      since: at,
      lastValue: value,
    };
    const why = `${from} → ok: ${num(value)} is past the recovery bound ${num(bound)}`;
    if (!announced) return result(next, null, `${why}; never announced: nothing to resolve`, ctx);
    if (noChannel) return result(next, null, `${why}; no Slack channel set`, ctx);
    return result(
      next,
      notification('resolved', ctx, {
        firedAt: state.firedAt,
        recoveryBound: bound,
        acknowledgedBy: state.acknowledgedBy,
      }),
      `${why}: notify resolved${snoozed ? ` (even while ${mute}: it closes the alert)` : ''}`,
      ctx,
    );
  }

  const breaching = compare(value, rule.comparator, rule.threshold);
  const next: AlertState = {
    ...state,
    status: 'firing',
    breachCount: breaching ? state.breachCount + 1 : state.breachCount,
    lastValue: value,
  };
  const stay = breaching
    ? `${from === 'firing' ? 'still firing' : `${from} → firing`}: ${cmpText(value, rule)}`
    : `${from === 'firing' ? 'still firing' : `${from} → firing`}: ${num(value)} is inside the hysteresis band (recovers past ${num(bound)})`;

  if (mute !== null) return result(next, null, `${stay}; muted: ${mute}`, ctx);
  if (!announced) {
    return result(
      { ...next, lastNotifiedAt: at },
      notification('firing', ctx, { firedAt: state.firedAt }),
      `${stay}; never announced (it began while muted): notify firing now`,
      ctx,
    );
  }
  if (!breaching) return result(next, null, `${stay}; no reminder inside the band`, ctx);
  if (state.acknowledgedBy !== undefined) {
    return result(
      next,
      null,
      `${stay}; acknowledged by ${state.acknowledgedBy}: no reminders`,
      ctx,
    );
  }
  const last = Date.parse(state.lastNotifiedAt!);
  const due = last + rule.repeatIntervalMinutes * MINUTE;
  if (now.getTime() < due) {
    return result(
      next,
      null,
      `${stay}; next reminder at ${new Date(due).toISOString()} (repeat every ${rule.repeatIntervalMinutes} min)`,
      ctx,
    );
  }
  return result(
    { ...next, lastNotifiedAt: at },
    notification('repeat', ctx, { firedAt: state.firedAt }),
    `${stay}; ${rule.repeatIntervalMinutes} min since the last notification: notify repeat`,
    ctx,
  );
}

// ---------------------------------------------------------------------------------------------
// Buttons

export interface StateChange {
  next: AlertState;
  reason: string;
}

/** Acknowledge button: stops reminders for the current firing episode (not its resolution). */
export function acknowledge(state: AlertState, userId: string): StateChange {
  if (state.firedAt === undefined) {
    return { next: state, reason: `nothing to acknowledge: the alert is ${state.status}` };
  }
  if (state.acknowledgedBy !== undefined) {
    return { next: state, reason: `already acknowledged by ${state.acknowledgedBy}` };
  }
  return {
    next: { ...state, acknowledgedBy: userId },
    reason: `acknowledged by ${userId}: no more reminders for this alert`,
  };
}

/** Snooze button: nothing is posted until `until`; the state is still tracked. */
export function snooze(state: AlertState, until: Date, now: Date): StateChange {
  if (until.getTime() <= now.getTime()) {
    return { next: state, reason: 'snooze end is not in the future: nothing changed' };
  }
  const iso = until.toISOString();
  const current = state.snoozedUntil;
  if (current !== undefined && Date.parse(current) > until.getTime()) {
    return { next: state, reason: `already snoozed until ${current}, which is later` };
  }
  return { next: { ...state, snoozedUntil: iso }, reason: `snoozed until ${iso}` };
}
