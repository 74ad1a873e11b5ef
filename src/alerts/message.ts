// Alert messages in Block Kit, from plain, already formatted data. Pure; tested against Slack's
// limits. The alert message itself (`alertMessage`) is drawn again whenever its episode changes
// (acknowledged, snoozed, resolved), from the `AlertView` kept with the alert's state.
import type { KnownBlock } from '@slack/types';
import type { Dimension, Unit } from '../kpi/types.ts';
import { FALLBACK_TEXT_MAX, LIMITS, truncate } from '../reply/limits.ts';
import { context, escapeMrkdwn, header, section, userMention } from '../reply/mrkdwn.ts';
import type { Comparator } from './rule.ts';

export interface AlertView {
  ruleId: string;
  kpi: { id: string; name: string; unit: Unit };
  comparator: Comparator;
  /** The threshold, formatted (`3,0×`). */
  threshold: string;
  /** The rule's window phrase (`last-7-days`) and the dates it meant at the firing. */
  window: string;
  period: { start: string; end: string; label: string };
  /** The breakdown group this alert is about (rules with `by channel|campaign`). */
  group?: { dimension: Dimension; key: string };
  /** The value at the firing, formatted. */
  value: string;
  /** ISO time the episode began. */
  firedAt: string;
  /** The KPI over the recent periods of the same length, oldest first. */
  trend?: { line: string; periods: number; first: string; last: string };
  /** A condition's line, worded in the configured language: the expected range, or the change. */
  conditionLine?: string;
  /** Where to look first: the worst groups, worst first. */
  lookAt?: {
    dimension: Dimension;
    rows: Array<{ key: string; value: string; breaching: boolean }>;
    /** Groups in the breakdown (rows may show fewer). */
    total: number;
  };
  status: 'firing' | 'resolved';
  resolved?: { at: string; value: string };
  acknowledgedBy?: string;
  /** ISO time until which the alert is snoozed. */
  snoozedUntil?: string;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** `action_id`s of the buttons on an alert; the Slack app registers `ALERT_ACTION_IDS`. */
export const ALERT_ACTIONS = {
  acknowledge: 'alert_acknowledge',
  snooze1h: 'alert_snooze_1h',
  snooze1d: 'alert_snooze_1d',
  snooze1w: 'alert_snooze_1w',
} as const;
export type AlertActionId = (typeof ALERT_ACTIONS)[keyof typeof ALERT_ACTIONS];
export const ALERT_ACTION_IDS: readonly AlertActionId[] = Object.values(ALERT_ACTIONS);
/** Matches every alert button's action_id (for one Bolt `app.action` registration). */
export const ALERT_ACTION_PATTERN = /^alert_(acknowledge|snooze_1h|snooze_1d|snooze_1w)$/;

/** What a button carries: the rule and the group. */
export function encodeAlertButton(ruleId: string, groupKey: string): string {
  return truncate(JSON.stringify({ r: ruleId, g: groupKey }), LIMITS.buttonValue);
}

export function decodeAlertButton(
  value: string | undefined,
): { ruleId: string; groupKey: string } | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as { r?: unknown; g?: unknown };
    if (typeof parsed.r !== 'string' || typeof parsed.g !== 'string') return null;
    return { ruleId: parsed.r, groupKey: parsed.g };
  } catch {
    return null;
  }
}

const COMPARATOR_WORDS: Record<Comparator, string> = {
  '<': 'below',
  '<=': 'at or below',
  '>': 'above',
  '>=': 'at or above',
};

export function comparatorWords(c: Comparator): string {
  return COMPARATOR_WORDS[c];
}

/** A Slack date that each reader sees in their own timezone, with a UTC fallback. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const fallback = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

export function groupLabel(group: { dimension: Dimension; key: string }): string {
  return group.key === '' ? `(no ${group.dimension})` : group.key;
}

function about(view: { kpi: { name: string }; group?: AlertView['group'] }): string {
  return view.group
    ? `${view.kpi.name} — ${view.group.dimension} ${groupLabel(view.group)}`
    : view.kpi.name;
}

function statusLine(view: AlertView): string {
  const parts = [`Rule \`${escapeMrkdwn(view.ruleId)}\``];
  if (view.status === 'resolved' && view.resolved) {
    parts.push(`fired ${slackDate(view.firedAt)}, resolved ${slackDate(view.resolved.at)}`);
  } else {
    parts.push(`firing since ${slackDate(view.firedAt)}`);
  }
  if (view.acknowledgedBy) parts.push(`acknowledged by ${userMention(view.acknowledgedBy)}`);
  if (view.snoozedUntil && view.status === 'firing') {
    parts.push(`snoozed until ${slackDate(view.snoozedUntil)}`);
  }
  return parts.join(' · ');
}

function buttons(view: AlertView): KnownBlock {
  const value = encodeAlertButton(view.ruleId, view.group?.key ?? '');
  const button = (text: string, actionId: AlertActionId, style?: 'primary') => ({
    type: 'button' as const,
    text: { type: 'plain_text' as const, text, emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    block_id: 'alert_actions',
    elements: [
      ...(view.acknowledgedBy ? [] : [button('Acknowledge', ALERT_ACTIONS.acknowledge, 'primary')]),
      button('Snooze 1 h', ALERT_ACTIONS.snooze1h),
      button('Snooze 1 d', ALERT_ACTIONS.snooze1d),
      button('Snooze 1 w', ALERT_ACTIONS.snooze1w),
    ],
  };
}

/** The alert message: posted on firing, updated by buttons and on resolution. */
export function alertMessage(view: AlertView): SlackMessage {
  const what = about(view);
  const words = comparatorWords(view.comparator);
  const title =
    view.status === 'resolved'
      ? `✅ Resolved: ${what} was ${words} ${view.threshold}`
      : `🔴 ${what} is ${words} ${view.threshold}`;
  const fields = [
    `*Value*\n${escapeMrkdwn(view.value)}`,
    `*Threshold*\n${view.comparator} ${escapeMrkdwn(view.threshold)}`,
    `*Window*\n${escapeMrkdwn(view.window)} (${escapeMrkdwn(view.period.label)})`,
  ];
  if (view.trend) {
    fields.push(
      `*Trend, last ${view.trend.periods} periods*\n\`${view.trend.line}\` ${escapeMrkdwn(view.trend.first)} → ${escapeMrkdwn(view.trend.last)}`,
    );
  }
  if (view.status === 'resolved' && view.resolved) {
    fields.push(`*Now*\n${escapeMrkdwn(view.resolved.value)}`);
  }
  const blocks: KnownBlock[] = [
    header(title),
    {
      type: 'section',
      fields: fields.slice(0, LIMITS.fields).map((text) => ({
        type: 'mrkdwn' as const,
        text: truncate(text, LIMITS.fieldText),
      })),
    },
  ];
  if (view.conditionLine) blocks.push(section(escapeMrkdwn(view.conditionLine)));
  if (view.lookAt && view.lookAt.rows.length > 0 && view.status === 'firing') {
    const lines = view.lookAt.rows.map(
      (r) =>
        `• ${escapeMrkdwn(r.key === '' ? `(no ${view.lookAt!.dimension})` : r.key)}: ${escapeMrkdwn(r.value)}${r.breaching ? ` — ${words} ${escapeMrkdwn(view.threshold)}` : ''}`,
    );
    const more = view.lookAt.total - view.lookAt.rows.length;
    blocks.push(
      section(
        [
          `*Look at first — worst ${view.lookAt.dimension === 'channel' ? 'channels' : 'campaigns'}:*`,
          ...lines,
          ...(more > 0 ? [`…and ${more} more`] : []),
        ].join('\n'),
      ),
    );
  }
  blocks.push(context(statusLine(view)));
  if (view.status === 'firing') blocks.push(buttons(view));

  const group = view.group ? ` (${view.group.dimension} ${groupLabel(view.group)})` : '';
  const text =
    view.status === 'resolved'
      ? `Resolved: ${view.kpi.name}${group} is back at ${view.resolved?.value ?? '?'} (threshold ${view.comparator} ${view.threshold}).`
      : `${view.kpi.name}${group} is ${view.value} over ${view.window}, ${words} the threshold ${view.threshold}.`;
  return { text: escapeMrkdwn(truncate(text, FALLBACK_TEXT_MAX)), blocks };
}

function reply(text: string, note?: string): SlackMessage {
  const blocks: KnownBlock[] = [section(text)];
  if (note) blocks.push(context(note));
  return { text: truncate(text, FALLBACK_TEXT_MAX), blocks };
}

/** A reminder in the alert's thread: still breaching after the repeat interval. */
export function repeatMessage(
  view: AlertView,
  now: { value: string; trend?: string },
): SlackMessage {
  const words = comparatorWords(view.comparator);
  return reply(
    `🔁 Still ${words} ${escapeMrkdwn(view.threshold)}: ${escapeMrkdwn(about(view))} is ${escapeMrkdwn(now.value)} over ${escapeMrkdwn(view.window)}.`,
    `Firing since ${slackDate(view.firedAt)}${now.trend ? ` · trend \`${now.trend}\`` : ''} · acknowledge to stop reminders`,
  );
}

/** "Resolved" in the alert's thread. */
export function resolvedMessage(
  view: Pick<AlertView, 'kpi' | 'group' | 'window' | 'threshold' | 'comparator'>,
  now: { value: string; bound: string },
): SlackMessage {
  return reply(
    `✅ Resolved: ${escapeMrkdwn(about(view))} is back at ${escapeMrkdwn(now.value)} over ${escapeMrkdwn(view.window)} (past ${escapeMrkdwn(now.bound)}; threshold ${view.comparator} ${escapeMrkdwn(view.threshold)}).`,
  );
}

export interface NoDataView {
  ruleId: string;
  kpi: { id: string; name: string };
  group?: { dimension: Dimension; key: string };
  window: string;
  missingMeasures: string[];
  /** Last day any of the missing measures has data (within the look-back). */
  lastDataDay?: string;
}

/** "No data for ad_spend since …": posted once per no-data stretch. */
export function noDataMessage(v: NoDataView): SlackMessage {
  const missing = v.missingMeasures.length > 0 ? v.missingMeasures.join(', ') : undefined;
  const since = v.lastDataDay ? ` since ${v.lastDataDay}` : ` in ${v.window}`;
  const what = missing
    ? `No data for ${missing}${since}`
    : `${v.kpi.name} has no value over ${v.window} (e.g. nothing to divide by)`;
  return reply(
    `⚠️ ${escapeMrkdwn(what)}: ${escapeMrkdwn(about(v))} cannot be checked.`,
    `Rule \`${escapeMrkdwn(v.ruleId)}\` · told once; I will say when data is back`,
  );
}

export function dataBackMessage(
  v: Pick<NoDataView, 'kpi' | 'group' | 'window'>,
  now: { value: string },
): SlackMessage {
  return reply(
    `📈 Data is back: ${escapeMrkdwn(about(v))} is ${escapeMrkdwn(now.value)} over ${escapeMrkdwn(v.window)}.`,
  );
}
