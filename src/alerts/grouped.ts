// A grouped alert: a rule `by channel|campaign` keeps its state per group (the state machine,
// for/hysteresis/repeat per group) but notifies once per evaluation for the whole rule, as
// Alertmanager's `group_by` does. Pure: the groups' new states in, the rule's own row and its
// outbox messages out, with a reason.
//
// The rule's own row (group key GROUPED_KEY) holds the current firing: its message (the view
// lists the groups it shows), acknowledge and snooze, and the time of the last notification.
// Each evaluation compares the groups that are open now (a firing episode: `firedAt`) with the
// ones the message shows:
//
//   none shown, some open        → post one alert listing them, worst first (one set of buttons)
//   some shown, none open        → "resolved" in the thread, and the message drawn as resolved
//   groups joined or recovered   → one reply in the thread saying which, and the message redrawn
//                                  (an acknowledged firing says so there: no new alert, no ping)
//   no change, repeat interval   → one reminder in the thread with the current set
//     passed, some group breaching, not acknowledged
//   snoozed                      → nothing but "resolved"; the changes wait for the snooze's end
//
// Groups without data now (the state machine's `no_data`, once per stretch) are told in one
// message for the rule, in the alert's thread when one is open; their data back likewise.
//
// Messages are keyed by rule, GROUPED_KEY, kind and evaluation time, so a replica or a retry
// running the same evaluation writes the same keys once.
import type { Formatter } from '../kpi/format.ts';
import type { Period, Unit } from '../kpi/types.ts';
import type { Lang } from '../messages/lang.ts';
import type { EnqueueInput } from '../outbox/store.ts';
import {
  type AlertView,
  alertMessage,
  GROUPED_KEY,
  type GroupRow,
  groupChangesMessage,
  groupsDataBackMessage,
  groupsNoDataMessage,
  repeatMessage,
  type SlackMessage,
} from './message.ts';
import { payload } from './notify.ts';
import { type AlertRule, thresholdOf } from './rule.ts';
import { compare, type Notification, recoveryBound } from './state-machine.ts';
import type { StateRow } from './store.ts';

const MINUTE = 60_000;

/** A group of the rule after this evaluation: its next row, value and the state machine's say. */
export interface GroupNow {
  key: string;
  value: number | null;
  row: StateRow;
  notify: Notification | null;
}

export interface GroupedInput {
  rule: AlertRule;
  /** The rule's own row before this evaluation. */
  prev: StateRow | undefined;
  groups: readonly GroupNow[];
  /** The evaluation's time (the firing's). */
  at: Date;
  kpi: { id: string; name: string; unit: Unit };
  period: Period;
  format: Formatter;
  lang: Lang;
}

export interface GroupedPlan {
  /** The rule's own row to save, or null: nothing open (delete it if there was one). */
  row: StateRow | null;
  messages: EnqueueInput[];
  kind: 'firing' | 'changed' | 'repeat' | 'resolved' | null;
  reason: string;
}

const isOpen = (g: GroupNow) => g.row.state.firedAt !== undefined;

/** Worst first: lowest first for `<`/`<=` rules, highest first for `>`/`>=`; no value last. */
export function worstFirst<T extends { key: string; value: number | null }>(
  rows: readonly T[],
  comparator: AlertRule['comparator'],
): T[] {
  const low = comparator === '<' || comparator === '<=';
  return [...rows].sort((a, b) => {
    if (a.value === null || b.value === null) {
      return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || a.key.localeCompare(b.key);
    }
    return (low ? a.value - b.value : b.value - a.value) || a.key.localeCompare(b.key);
  });
}

/** The rule's own row and messages, then its groups' "no data" and "data back" in one each. */
export function planGrouped(input: GroupedInput): GroupedPlan {
  const plan = planFiring(input);
  const { rule } = input;
  if (!rule.channel) return plan;
  const dimension = rule.groupBy ?? 'channel';
  const iso = input.at.toISOString();
  const thread = plan.row?.state.firedAt !== undefined ? plan.row.messageKey : null;
  const noData = input.groups.filter((g) => g.notify?.kind === 'no_data');
  if (noData.length > 0) {
    const key = `alert:${rule.id}:${GROUPED_KEY}:no_data:${iso}`;
    const m = groupsNoDataMessage(
      { ruleId: rule.id, kpi: input.kpi, window: rule.window, lang: input.lang, dimension },
      noData.map((g) => ({
        key: g.key,
        missingMeasures: g.notify?.missingMeasures ?? [],
        ...(g.notify?.lastDataDay ? { lastDataDay: g.notify.lastDataDay } : {}),
      })),
    );
    plan.messages.push(
      thread
        ? {
            idempotencyKey: key,
            channel: rule.channel,
            kind: 'thread-reply',
            threadOf: thread,
            payload: payload(m),
          }
        : { idempotencyKey: key, channel: rule.channel, kind: 'post', payload: payload(m) },
    );
    for (const g of noData) g.row.noDataKey = thread ? null : key;
  }
  // Data back: one reply under each "no data" post it answers (or the alert's thread).
  const back = new Map<string, GroupNow[]>();
  for (const g of input.groups) {
    if (g.notify?.kind !== 'data_back') continue;
    const parent = g.row.noDataKey ?? thread;
    if (!parent) continue;
    back.set(parent, [...(back.get(parent) ?? []), g]);
  }
  let n = 0;
  for (const [parent, groups] of back) {
    const m = groupsDataBackMessage(
      { kpi: input.kpi, window: rule.window, lang: input.lang, dimension },
      groups.map((g) => ({
        key: g.key,
        value: g.value === null ? null : input.format.value(g.value, input.kpi.unit),
      })),
    );
    plan.messages.push({
      idempotencyKey: `alert:${rule.id}:${GROUPED_KEY}:data_back:${iso}:${n++}`,
      channel: rule.channel,
      kind: 'thread-reply',
      threadOf: parent,
      payload: payload(m),
    });
  }
  return plan;
}

function planFiring(input: GroupedInput): GroupedPlan {
  const { rule, prev, at } = input;
  const iso = at.toISOString();
  const dimension = rule.groupBy ?? 'channel';
  const against = thresholdOf(rule);
  const format = (v: number | null) =>
    v === null ? null : input.format.value(v, input.kpi.unit, against);
  const toRow = (g: { key: string; value: number | null }): GroupRow => ({
    key: g.key,
    value: format(g.value),
  });
  const open = worstFirst(input.groups.filter(isOpen), rule.comparator);
  const shown = prev?.state.firedAt !== undefined ? (prev.message?.groups?.rows ?? []) : [];
  const channel = rule.channel;
  const keyOf = (kind: string) => `alert:${rule.id}:${GROUPED_KEY}:${kind}:${iso}`;
  const nothing = (reason: string): GroupedPlan => ({
    row: null,
    messages: [],
    kind: null,
    reason,
  });

  const viewFor = (base: Partial<AlertView>, rows: readonly GroupNow[]): AlertView => ({
    ruleId: rule.id,
    kpi: input.kpi,
    comparator: rule.comparator,
    threshold: input.format.value(rule.threshold, input.kpi.unit),
    window: rule.window,
    period: { start: input.period.start, end: input.period.end, label: input.period.label },
    firedAt: iso,
    status: 'firing',
    lang: input.lang,
    ...base,
    groups: { dimension, rows: rows.map(toRow) },
    value: format(rows[0]?.value ?? null) ?? '',
  });
  const post = (key: string, m: SlackMessage, parent: string | null): EnqueueInput =>
    parent
      ? {
          idempotencyKey: key,
          channel: channel!,
          kind: 'thread-reply',
          threadOf: parent,
          payload: payload(m),
        }
      : { idempotencyKey: key, channel: channel!, kind: 'post', payload: payload(m) };
  const update = (key: string, parent: string, view: AlertView): EnqueueInput => ({
    idempotencyKey: `${key}:update`,
    channel: channel!,
    kind: 'update',
    updateOf: parent,
    payload: payload(alertMessage(view)),
  });

  // A new firing.
  if (shown.length === 0 || !prev?.messageKey || !prev.message) {
    if (open.length === 0) return nothing('no group is firing');
    if (!channel) return nothing(`${open.length} groups firing; no Slack channel set`);
    const key = keyOf('firing');
    const view = viewFor({}, open);
    return {
      row: ruleRow(prev, rule.id, at, {
        state: {
          status: 'firing',
          breachCount: 0,
          since: iso,
          lastValue: null,
          firedAt: iso,
          lastNotifiedAt: iso,
        },
        messageKey: key,
        message: view,
      }),
      messages: [post(key, alertMessage(view), null)],
      kind: 'firing',
      reason: `${open.length} groups firing: notify once for the rule`,
    };
  }

  const shownKeys = new Set(shown.map((r) => r.key));
  const openKeys = new Set(open.map((g) => g.key));
  const byKey = new Map(input.groups.map((g) => [g.key, g]));
  const joined = open.filter((g) => !shownKeys.has(g.key));
  const recovered = worstFirst(
    shown
      .filter((r) => !openKeys.has(r.key))
      .map((r) => ({ key: r.key, value: byKey.get(r.key)?.value ?? null })),
    rule.comparator,
  );
  const bound = input.format.value(
    recoveryBound(rule.comparator, rule.threshold, rule.hysteresis),
    input.kpi.unit,
  );
  const state = prev.state;
  const parent = prev.messageKey;
  const kept = { ...prev.message };

  if (open.length === 0) {
    if (!channel) return nothing('every group is back; no Slack channel set');
    const key = keyOf('resolved');
    const resolvedView: AlertView = {
      ...kept,
      status: 'resolved',
      resolved: { at: iso, value: '' },
    };
    delete resolvedView.snoozedUntil;
    return {
      row: null,
      messages: [
        post(
          key,
          groupChangesMessage(kept, {
            joined: [],
            recovered: recovered.map(toRow),
            bound,
            resolved: true,
          }),
          parent,
        ),
        update(key, parent, resolvedView),
      ],
      kind: 'resolved',
      reason: 'every group is back: notify resolved once for the rule',
    };
  }

  const snoozed = state.snoozedUntil !== undefined && at.getTime() < Date.parse(state.snoozedUntil);
  const same = (reason: string): GroupedPlan => ({
    row: ruleRow(prev, rule.id, at, {}),
    messages: [],
    kind: null,
    reason,
  });
  if (snoozed) return same(`snoozed until ${state.snoozedUntil}: changes wait`);
  if (!channel) return same('no Slack channel set');

  if (joined.length > 0 || recovered.length > 0) {
    const key = keyOf('changed');
    const view = viewFor(
      {
        firedAt: kept.firedAt,
        ...(kept.acknowledgedBy ? { acknowledgedBy: kept.acknowledgedBy } : {}),
        ...(kept.trend ? { trend: kept.trend } : {}),
      },
      open,
    );
    return {
      row: ruleRow(prev, rule.id, at, {
        state:
          joined.length > 0 && !state.acknowledgedBy ? { ...state, lastNotifiedAt: iso } : state,
        message: view,
      }),
      messages: [
        post(
          key,
          groupChangesMessage(view, {
            joined: joined.map(toRow),
            recovered: recovered.map(toRow),
            bound,
            resolved: false,
          }),
          parent,
        ),
        update(key, parent, view),
      ],
      kind: 'changed',
      reason: `${joined.length} groups joined, ${recovered.length} recovered: one reply, message redrawn`,
    };
  }

  const breaching = open.some(
    (g) => g.value !== null && compare(g.value, rule.comparator, rule.threshold),
  );
  if (!breaching) return same('every open group is inside the hysteresis band: no reminder');
  if (state.acknowledgedBy) return same(`acknowledged by ${state.acknowledgedBy}: no reminders`);
  const last = Date.parse(state.lastNotifiedAt ?? state.firedAt ?? iso);
  const due = last + rule.repeatIntervalMinutes * MINUTE;
  if (at.getTime() < due) return same(`next reminder at ${new Date(due).toISOString()}`);
  const key = keyOf('repeat');
  const view = viewFor({ firedAt: kept.firedAt }, open);
  return {
    row: ruleRow(prev, rule.id, at, { state: { ...state, lastNotifiedAt: iso } }),
    messages: [post(key, repeatMessage(view, { value: view.value }), parent)],
    kind: 'repeat',
    reason: `${rule.repeatIntervalMinutes} min since the last notification: remind with the current set`,
  };
}

function ruleRow(
  prev: StateRow | undefined,
  ruleId: string,
  at: Date,
  change: Partial<Pick<StateRow, 'state' | 'messageKey' | 'message'>>,
): StateRow {
  return {
    ruleId,
    groupKey: GROUPED_KEY,
    state: prev?.state ?? {
      status: 'ok',
      breachCount: 0,
      since: at.toISOString(),
      lastValue: null,
    },
    evaluatedAt: at,
    messageKey: prev?.messageKey ?? null,
    message: prev?.message ?? null,
    slackChannel: prev?.slackChannel ?? null,
    slackTs: prev?.slackTs ?? null,
    noDataKey: null,
    ...change,
    ...(change.messageKey !== undefined && change.messageKey !== prev?.messageKey
      ? { slackChannel: null, slackTs: null }
      : {}),
  };
}
