// From a state-machine notification to outbox messages, and the bookkeeping of which message is
// the alert's (so replies go in its thread and "resolved" updates it). Pure.
//
//   firing    → post the alert message (it becomes the episode's thread)
//   repeat    → reply in the alert's thread
//   resolved  → reply "resolved" in the thread, and update the alert message (no buttons)
//   no_data   → reply in the thread of a firing alert; otherwise a post of its own
//   data_back → reply under the alert (firing episode) or under the "no data" post
// A reply whose parent was never posted (cannot happen by the state machine, but the outbox
// copes) goes out as a post of its own.
import type { Formatter } from '../kpi/format.ts';
import type { Dimension, Period, Unit } from '../kpi/types.ts';
import type { Lang } from '../messages/lang.ts';
import type { EnqueueInput } from '../outbox/store.ts';
import {
  type AlertView,
  alertMessage,
  dataBackMessage,
  noDataMessage,
  repeatMessage,
  resolvedMessage,
  type SlackMessage,
} from './message.ts';
import { type AlertRule, thresholdOf } from './rule.ts';
import type { Notification } from './state-machine.ts';
import type { StateRow } from './store.ts';

export interface NotifyContext {
  rule: AlertRule;
  kpi: { id: string; name: string; unit: Unit };
  /** The group key ('' without `by`). */
  groupKey: string;
  group?: { dimension: Dimension; key: string };
  period: Period;
  format: Formatter;
  /** The language of the messages (the configured locale's). */
  lang: Lang;
  trend?: AlertView['trend'];
  lookAt?: AlertView['lookAt'];
  /** A condition's line (expected range, change), already in the configured language. */
  conditionLine?: string;
}

/** The outbox key of a notification: rule, group, kind and evaluation time. */
export function notificationKey(ruleId: string, groupKey: string, n: Notification): string {
  return `alert:${ruleId}:${groupKey}:${n.kind}:${n.at}`;
}

export function payload(m: SlackMessage): EnqueueInput['payload'] {
  return { text: m.text, blocks: m.blocks };
}

/** The alert message's view as it stands, or one drawn from the rule if none was kept. */
function viewOf(row: StateRow, n: Notification, ctx: NotifyContext): AlertView {
  if (row.message) return row.message;
  const f = ctx.format;
  return {
    ruleId: ctx.rule.id,
    kpi: ctx.kpi,
    comparator: ctx.rule.comparator,
    threshold: f.value(ctx.rule.threshold, ctx.kpi.unit),
    window: ctx.rule.window,
    period: { start: ctx.period.start, end: ctx.period.end, label: ctx.period.label },
    ...(ctx.group ? { group: ctx.group } : {}),
    value: f.value(n.value, ctx.kpi.unit, thresholdOf(ctx.rule)),
    firedAt: n.firedAt ?? n.at,
    status: 'firing',
    lang: ctx.lang,
  };
}

/**
 * The outbox messages for `n`, and `row` (the group's next state row) updated with the
 * alert message's key and view. `row.state` must already be the state machine's next state.
 */
export function planNotification(
  n: Notification,
  row: StateRow,
  ctx: NotifyContext,
): EnqueueInput[] {
  const channel = ctx.rule.channel;
  if (!channel) return [];
  const key = notificationKey(ctx.rule.id, ctx.groupKey, n);
  const f = ctx.format;
  const unit = ctx.kpi.unit;
  const value = f.value(n.value, unit, thresholdOf(ctx.rule));
  const post = (m: SlackMessage): EnqueueInput => ({
    idempotencyKey: key,
    channel,
    kind: 'post',
    payload: payload(m),
  });
  const replyTo = (parent: string | null, m: SlackMessage): EnqueueInput =>
    parent
      ? {
          idempotencyKey: key,
          channel,
          kind: 'thread-reply',
          threadOf: parent,
          payload: payload(m),
        }
      : post(m);

  switch (n.kind) {
    case 'firing': {
      const view: AlertView = {
        ruleId: ctx.rule.id,
        kpi: ctx.kpi,
        comparator: ctx.rule.comparator,
        threshold: f.value(ctx.rule.threshold, unit),
        window: ctx.rule.window,
        period: { start: ctx.period.start, end: ctx.period.end, label: ctx.period.label },
        ...(ctx.group ? { group: ctx.group } : {}),
        value,
        firedAt: n.firedAt ?? n.at,
        ...(ctx.trend ? { trend: ctx.trend } : {}),
        ...(ctx.lookAt ? { lookAt: ctx.lookAt } : {}),
        ...(ctx.conditionLine ? { conditionLine: ctx.conditionLine } : {}),
        status: 'firing',
        ...(row.state.acknowledgedBy ? { acknowledgedBy: row.state.acknowledgedBy } : {}),
        lang: ctx.lang,
      };
      row.messageKey = key;
      row.message = view;
      row.slackChannel = null;
      row.slackTs = null;
      return [post(alertMessage(view))];
    }
    case 'repeat': {
      const view = viewOf(row, n, ctx);
      return [
        replyTo(
          row.messageKey,
          repeatMessage(view, { value, ...(ctx.trend ? { trend: ctx.trend.line } : {}) }),
        ),
      ];
    }
    case 'resolved': {
      const view = viewOf(row, n, ctx);
      const bound = f.value(n.recoveryBound ?? ctx.rule.threshold, unit);
      const messages = [replyTo(row.messageKey, resolvedMessage(view, { value, bound }))];
      if (row.messageKey) {
        const resolved: AlertView = { ...view, status: 'resolved', resolved: { at: n.at, value } };
        if (n.acknowledgedBy) resolved.acknowledgedBy = n.acknowledgedBy;
        delete resolved.snoozedUntil;
        messages.push({
          idempotencyKey: `${key}:update`,
          channel,
          kind: 'update',
          updateOf: row.messageKey,
          payload: payload(alertMessage(resolved)),
        });
      }
      return messages;
    }
    case 'no_data': {
      const message = noDataMessage({
        ruleId: ctx.rule.id,
        kpi: ctx.kpi,
        ...(ctx.group ? { group: ctx.group } : {}),
        window: ctx.rule.window,
        missingMeasures: n.missingMeasures ?? [],
        ...(n.lastDataDay ? { lastDataDay: n.lastDataDay } : {}),
        lang: ctx.lang,
      });
      const inEpisode = n.firedAt !== undefined && row.messageKey !== null;
      if (!inEpisode) row.noDataKey = key;
      return [inEpisode ? replyTo(row.messageKey, message) : post(message)];
    }
    case 'data_back': {
      const message = dataBackMessage(
        {
          kpi: ctx.kpi,
          ...(ctx.group ? { group: ctx.group } : {}),
          window: ctx.rule.window,
          lang: ctx.lang,
        },
        { value },
      );
      const parent = n.firedAt !== undefined && row.messageKey ? row.messageKey : row.noDataKey;
      return [replyTo(parent, message)];
    }
  }
}

/** Clears the message bookkeeping an episode or a no-data stretch no longer needs. */
export function settleRow(row: StateRow): void {
  if (row.state.firedAt === undefined) {
    row.messageKey = null;
    row.message = null;
    row.slackChannel = null;
    row.slackTs = null;
  }
  if (row.state.status !== 'no_data') row.noDataKey = null;
}
