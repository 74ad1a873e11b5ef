// Alert messages in Block Kit, from plain, already formatted data. Pure; tested against Slack's
// limits. The alert message itself (`alertMessage`) is drawn again whenever its episode changes
// (acknowledged, snoozed, resolved, a group joining or recovering), from the `AlertView` kept
// with the alert's state. The words are in src/messages/alerts.ts, in the view's language.
import type { KnownBlock } from '@slack/types';
import type { Dimension, Unit } from '../kpi/types.ts';
import { ALERT_WORDS, type AlertWords } from '../messages/alerts.ts';
import type { Lang } from '../messages/lang.ts';
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
  /** The breakdown group this alert is about (rules `by channel|campaign`, `notify: per-group`). */
  group?: { dimension: Dimension; key: string };
  /**
   * A grouped alert (a rule `by …`, notified once for the whole rule): every group of the
   * current firing, worst first, with its value (null: no data now). The message lists the
   * first GROUPS_SHOWN.
   */
  groups?: { dimension: Dimension; rows: GroupRow[] };
  /** The value at the firing, formatted (a grouped alert: the worst group's). */
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
  /** The language of its words; English when not given (views stored before there was one). */
  lang?: Lang;
}

/** One group of a grouped alert. */
export interface GroupRow {
  key: string;
  /** Formatted, or null when the group has no data now. */
  value: string | null;
}

/** Groups a grouped alert lists by name; the rest are counted ("…and 3 more"). */
export const GROUPS_SHOWN = 10;

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

const wordsOf = (lang: Lang | undefined): AlertWords => ALERT_WORDS[lang ?? 'en'];

export function comparatorWords(c: Comparator, lang?: Lang): string {
  return wordsOf(lang).comparator[c];
}

/** A Slack date that each reader sees in their own timezone, with a UTC fallback. */
export function slackDate(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const fallback = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}

export function groupLabel(group: { dimension: Dimension; key: string }, lang?: Lang): string {
  return group.key === '' ? wordsOf(lang).noGroup(group.dimension) : group.key;
}

function about(
  view: { kpi: { name: string }; group?: AlertView['group'] },
  lang: Lang | undefined,
): string {
  return view.group
    ? `${view.kpi.name} — ${wordsOf(lang).dimension[view.group.dimension]} ${groupLabel(view.group, lang)}`
    : view.kpi.name;
}

function statusLine(view: AlertView): string {
  const w = wordsOf(view.lang);
  const parts = [w.rule(`\`${escapeMrkdwn(view.ruleId)}\``)];
  if (view.status === 'resolved' && view.resolved) {
    parts.push(w.firedResolved(slackDate(view.firedAt), slackDate(view.resolved.at)));
  } else {
    parts.push(w.firingSince(slackDate(view.firedAt)));
  }
  if (view.acknowledgedBy) parts.push(w.acknowledgedBy(userMention(view.acknowledgedBy)));
  if (view.snoozedUntil && view.status === 'firing') {
    parts.push(w.snoozedUntil(slackDate(view.snoozedUntil)));
  }
  return parts.join(' · ');
}

/** The group key the buttons carry: the alert's group, or the grouped alert's own key. */
function buttonGroupKey(view: AlertView): string {
  return view.groups ? GROUPED_KEY : (view.group?.key ?? '');
}

/**
 * The state key of a grouped alert's own row (its message, acknowledge, snooze, reminders),
 * beside its groups' rows. No channel or campaign is stored under it (see cycle.ts).
 */
export const GROUPED_KEY = '#rule';

function buttons(view: AlertView): KnownBlock {
  const w = wordsOf(view.lang).buttons;
  const value = encodeAlertButton(view.ruleId, buttonGroupKey(view));
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
      ...(view.acknowledgedBy ? [] : [button(w.acknowledge, ALERT_ACTIONS.acknowledge, 'primary')]),
      button(w.snooze1h, ALERT_ACTIONS.snooze1h),
      button(w.snooze1d, ALERT_ACTIONS.snooze1d),
      button(w.snooze1w, ALERT_ACTIONS.snooze1w),
    ],
  };
}

/** Bullet lines of groups, the first GROUPS_SHOWN, then "…and K more". */
export function groupLines(
  dimension: Dimension,
  rows: readonly GroupRow[],
  lang: Lang | undefined,
  suffix: (row: GroupRow) => string = () => '',
): string[] {
  const w = wordsOf(lang);
  const lines = rows
    .slice(0, GROUPS_SHOWN)
    .map(
      (r) =>
        `• ${escapeMrkdwn(groupLabel({ dimension, key: r.key }, lang))}: ${escapeMrkdwn(r.value ?? w.noValue)}${suffix(r)}`,
    );
  const more = rows.length - GROUPS_SHOWN;
  return more > 0 ? [...lines, w.andMore(more)] : lines;
}

/** The alert message: posted on firing, updated by buttons, by group changes and on resolution. */
export function alertMessage(view: AlertView): SlackMessage {
  const w = wordsOf(view.lang);
  const words = w.comparator[view.comparator];
  const grouped = view.groups;
  const what = about(view, view.lang);
  const title = grouped
    ? view.status === 'resolved'
      ? w.groupedResolvedTitle(view.kpi.name, words, view.threshold, grouped.dimension)
      : w.groupedTitle(view.kpi.name, words, view.threshold, grouped.rows.length, grouped.dimension)
    : view.status === 'resolved'
      ? w.resolvedTitle(what, words, view.threshold)
      : w.firingTitle(what, words, view.threshold);
  const fields = [
    ...(grouped ? [] : [`*${w.fields.value}*\n${escapeMrkdwn(view.value)}`]),
    `*${w.fields.threshold}*\n${view.comparator} ${escapeMrkdwn(view.threshold)}`,
    `*${w.fields.window}*\n${escapeMrkdwn(view.window)} (${escapeMrkdwn(view.period.label)})`,
  ];
  if (view.trend) {
    fields.push(
      `*${w.fields.trend(view.trend.periods)}*\n\`${view.trend.line}\` ${escapeMrkdwn(view.trend.first)} → ${escapeMrkdwn(view.trend.last)}`,
    );
  }
  if (view.status === 'resolved' && view.resolved && !grouped) {
    fields.push(`*${w.fields.now}*\n${escapeMrkdwn(view.resolved.value)}`);
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
  if (grouped && grouped.rows.length > 0 && view.status === 'firing') {
    blocks.push(
      section(
        [
          `*${w.breachingGroups(grouped.dimension)}*`,
          ...groupLines(grouped.dimension, grouped.rows, view.lang),
        ].join('\n'),
      ),
    );
  }
  if (view.lookAt && view.lookAt.rows.length > 0 && view.status === 'firing' && !grouped) {
    const dimension = view.lookAt.dimension;
    const lines = view.lookAt.rows.map(
      (r) =>
        `• ${escapeMrkdwn(groupLabel({ dimension, key: r.key }, view.lang))}: ${escapeMrkdwn(r.value)}${r.breaching ? ` — ${words} ${escapeMrkdwn(view.threshold)}` : ''}`,
    );
    const more = view.lookAt.total - view.lookAt.rows.length;
    blocks.push(
      section(
        [`*${w.lookAtFirst(dimension)}*`, ...lines, ...(more > 0 ? [w.andMore(more)] : [])].join(
          '\n',
        ),
      ),
    );
  }
  blocks.push(context(statusLine(view)));
  if (view.status === 'firing') blocks.push(buttons(view));

  const group = view.group
    ? ` (${w.dimension[view.group.dimension]} ${groupLabel(view.group, view.lang)})`
    : '';
  const text = grouped
    ? view.status === 'resolved'
      ? w.fallbackGroupedResolved(view.kpi.name, grouped.dimension, words, view.threshold)
      : w.fallbackGrouped(
          view.kpi.name,
          grouped.rows.length,
          grouped.dimension,
          words,
          view.threshold,
        )
    : view.status === 'resolved'
      ? w.fallbackResolved(
          `${view.kpi.name}${group}`,
          view.resolved?.value ?? '?',
          view.comparator,
          view.threshold,
        )
      : w.fallbackFiring(
          `${view.kpi.name}${group}`,
          view.value,
          view.window,
          words,
          view.threshold,
        );
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
  const w = wordsOf(view.lang);
  const words = w.comparator[view.comparator];
  const note = w.repeatNote(slackDate(view.firedAt), now.trend ? `\`${now.trend}\`` : undefined);
  if (view.groups) {
    return reply(
      [
        w.stillBreachingGroups(
          words,
          escapeMrkdwn(view.threshold),
          view.groups.rows.length,
          view.groups.dimension,
        ),
        ...groupLines(view.groups.dimension, view.groups.rows, view.lang),
      ].join('\n'),
      note,
    );
  }
  return reply(
    w.stillBreaching(
      words,
      escapeMrkdwn(view.threshold),
      escapeMrkdwn(about(view, view.lang)),
      escapeMrkdwn(now.value),
      escapeMrkdwn(view.window),
    ),
    note,
  );
}

/** "Resolved" in the alert's thread. */
export function resolvedMessage(
  view: Pick<AlertView, 'kpi' | 'group' | 'window' | 'threshold' | 'comparator' | 'lang'>,
  now: { value: string; bound: string },
): SlackMessage {
  return reply(
    wordsOf(view.lang).resolvedReply(
      escapeMrkdwn(about(view, view.lang)),
      escapeMrkdwn(now.value),
      escapeMrkdwn(view.window),
      escapeMrkdwn(now.bound),
      `${view.comparator} ${escapeMrkdwn(view.threshold)}`,
    ),
  );
}

/** What changed in a grouped alert since its message was last drawn. */
export interface GroupChanges {
  /** Groups that began breaching, worst first. */
  joined: GroupRow[];
  /** Groups back past the recovery bound. */
  recovered: GroupRow[];
  /** The recovery bound, formatted. */
  bound: string;
  /** Every group is back: the alert resolves. */
  resolved: boolean;
}

/** A grouped alert's thread reply: groups joining and recovering, and "resolved" at the end. */
export function groupChangesMessage(view: AlertView, changes: GroupChanges): SlackMessage {
  const w = wordsOf(view.lang);
  const dimension = view.groups?.dimension ?? view.group?.dimension ?? 'channel';
  const words = w.comparator[view.comparator];
  const threshold = escapeMrkdwn(view.threshold);
  const parts: string[] = [];
  if (changes.joined.length > 0) {
    parts.push(
      [
        w.joined(changes.joined.length, dimension, words, threshold),
        ...groupLines(dimension, changes.joined, view.lang),
      ].join('\n'),
    );
  }
  if (changes.recovered.length > 0) {
    parts.push(
      [
        w.recovered(changes.recovered.length, dimension, escapeMrkdwn(changes.bound)),
        ...groupLines(dimension, changes.recovered, view.lang),
      ].join('\n'),
    );
  }
  if (changes.resolved) {
    parts.push(w.resolvedGroupsReply(escapeMrkdwn(view.kpi.name), dimension, words, threshold));
  }
  const note =
    changes.joined.length > 0 && view.acknowledgedBy ? w.joinedWhileAcknowledged : undefined;
  return reply(parts.join('\n\n'), note);
}

export interface NoDataView {
  ruleId: string;
  kpi: { id: string; name: string };
  group?: { dimension: Dimension; key: string };
  window: string;
  missingMeasures: string[];
  /** Last day any of the missing measures has data (within the look-back). */
  lastDataDay?: string;
  lang?: Lang;
}

/** "No data for ad_spend since …": posted once per no-data stretch. */
export function noDataMessage(v: NoDataView): SlackMessage {
  const w = wordsOf(v.lang);
  const missing = v.missingMeasures.length > 0 ? v.missingMeasures.join(', ') : undefined;
  const failed = missing
    ? w.noDataFor(missing, v.lastDataDay, v.window)
    : w.noKpiValue(v.kpi.name, v.window);
  return reply(
    w.cannotBeChecked(escapeMrkdwn(about(v, v.lang)), escapeMrkdwn(failed)),
    w.toldOnce(`\`${escapeMrkdwn(v.ruleId)}\``),
  );
}

export function dataBackMessage(
  v: Pick<NoDataView, 'kpi' | 'group' | 'window' | 'lang'>,
  now: { value: string },
): SlackMessage {
  return reply(
    wordsOf(v.lang).dataBack(
      escapeMrkdwn(about(v, v.lang)),
      escapeMrkdwn(now.value),
      escapeMrkdwn(v.window),
    ),
  );
}

/** A grouped alert's groups that have no data now, in one message (not one per group). */
export function groupsNoDataMessage(
  v: Pick<NoDataView, 'ruleId' | 'kpi' | 'window' | 'lang'> & { dimension: Dimension },
  rows: ReadonlyArray<{ key: string; missingMeasures: string[]; lastDataDay?: string }>,
): SlackMessage {
  const w = wordsOf(v.lang);
  const lines = groupLines(
    v.dimension,
    rows.map((r) => ({
      key: r.key,
      value:
        r.missingMeasures.length > 0
          ? w.noDataFor(r.missingMeasures.join(', '), r.lastDataDay, v.window)
          : w.noKpiValue(v.kpi.name, v.window),
    })),
    v.lang,
  );
  return reply(
    [w.lostData(escapeMrkdwn(v.kpi.name), rows.length, v.dimension), ...lines].join('\n'),
    w.toldOnce(`\`${escapeMrkdwn(v.ruleId)}\``),
  );
}

/** A grouped alert's groups whose data is back, in one reply. */
export function groupsDataBackMessage(
  v: Pick<NoDataView, 'kpi' | 'window' | 'lang'> & { dimension: Dimension },
  rows: readonly GroupRow[],
): SlackMessage {
  const w = wordsOf(v.lang);
  return reply(
    [
      w.dataBackGroups(escapeMrkdwn(v.kpi.name), rows.length, v.dimension, escapeMrkdwn(v.window)),
      ...groupLines(v.dimension, rows, v.lang),
    ].join('\n'),
  );
}

/** Rule ids a source's lateness lists by name; the rest are counted. */
export const RULES_SHOWN = 10;

export interface SourceLateView {
  /** The source as people know it: `google-ads` (a SQL source's name), `api`, `import`. */
  source: string;
  /** The newest day it has data for. */
  lastDay: string;
  /** The rules it stops from being checked, posting in this channel. */
  rules: string[];
  cadence: 'daily' | 'weekly';
  by?: string;
  learned: boolean;
  lang?: Lang;
}

/** "google-ads data stopped arriving after …; 3 rules can't be checked": once per source. */
export function sourceLateMessage(v: SourceLateView): SlackMessage {
  const w = wordsOf(v.lang);
  const shown = v.rules.slice(0, RULES_SHOWN).map((id) => `\`${escapeMrkdwn(id)}\``);
  return reply(
    w.sourceLate(escapeMrkdwn(v.source), v.lastDay, shown, v.rules.length - shown.length),
    w.sourceLateNote(v.cadence, v.by, v.learned),
  );
}

/** In the thread of a source's lateness: it is arriving again. */
export function sourceBackMessage(
  v: Pick<SourceLateView, 'source' | 'lastDay' | 'lang'>,
): SlackMessage {
  return reply(wordsOf(v.lang).sourceBack(escapeMrkdwn(v.source), v.lastDay));
}
