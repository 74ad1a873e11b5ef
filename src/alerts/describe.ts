// Rules and their state in words, for `/kpi alerts` and the replies of `/kpi alert …`. Pure;
// every piece that came from a person or a data file is escaped for mrkdwn.

import type { Formatter } from '../kpi/format.ts';
import type { Unit } from '../kpi/types.ts';
import { ALERT_COMMAND_WORDS } from '../messages/alert-commands.ts';
import { wordsFor } from '../messages/lang.ts';
import { channelText, escapeMrkdwn, userMention } from '../reply/mrkdwn.ts';
import { describeCron } from '../scheduler/schedule-text.ts';
import { conditionPhrase, guardPhrase, heldText, notCheckedWord } from './condition-words.ts';
import { GROUPED_KEY, groupLabel } from './message.ts';
import { type AlertRule, thresholdOf } from './rule.ts';
import type { AlertState } from './state-machine.ts';
import { ALL_GROUPS } from './store.ts';

/** The rule's channel, or a note that it posts nowhere. */
export function ruleChannelText(channel: string | undefined, locale = 'en-US'): string {
  return channel ? channelText(channel) : wordsFor(ALERT_COMMAND_WORDS, locale).postsNowhere;
}

export interface RuleWords {
  kpiName: string;
  unit: Unit;
  /** The configured locale: a condition's and a guard's words are in its language. */
  locale: string;
}

/** `ROAS < 3,0× over last-7-days by channel, channel=meta, for 2 checks → #marketing`. */
export function describeRule(rule: AlertRule, kpi: RuleWords, format: Formatter): string {
  const say = { format, locale: kpi.locale };
  const w = wordsFor(ALERT_COMMAND_WORDS, kpi.locale);
  const phrase = conditionPhrase(rule, say);
  const check =
    phrase === undefined
      ? `${rule.comparator} ${escapeMrkdwn(format.value(rule.threshold, kpi.unit))}`
      : escapeMrkdwn(phrase);
  const parts = [`${escapeMrkdwn(kpi.kpiName)} ${check} ${w.over(escapeMrkdwn(rule.window))}`];
  if (rule.groupBy) parts.push(w.by(rule.groupBy));
  for (const [dim, values] of Object.entries(rule.filters)) {
    if (values && values.length > 0) parts.push(`${dim}=${escapeMrkdwn(values.join(','))}`);
  }
  if (rule.guard) parts.push(escapeMrkdwn(guardPhrase(rule.guard, say)));
  if (rule.for > 1) parts.push(w.afterChecks(rule.for));
  return `${parts.join(', ')} → ${ruleChannelText(rule.channel, kpi.locale)}`;
}

function repeatText(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} d`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export function scheduleLine(rule: AlertRule, locale = 'en-US'): string {
  return wordsFor(ALERT_COMMAND_WORDS, locale).reminders(
    describeCron(rule.schedule, rule.timeZone, locale),
    repeatText(rule.repeatIntervalMinutes),
  );
}

/** One group's state: `firing 2,1×`, `ok 3,4×`, `no data`, with ack and snooze notes. */
export function stateText(
  state: AlertState,
  unit: Unit,
  format: Formatter,
  locale: string,
  against?: number,
): string {
  if (state.held) {
    return `${notCheckedWord(locale)}: ${escapeMrkdwn(heldText(state.held, { format, locale }))}`;
  }
  const value =
    state.lastValue === null
      ? ''
      : ` ${escapeMrkdwn(format.value(state.lastValue, unit, against))}`;
  const w = wordsFor(ALERT_COMMAND_WORDS, locale);
  const notes: string[] = [];
  if (state.acknowledgedBy) notes.push(w.ack(userMention(state.acknowledgedBy)));
  if (state.snoozedUntil)
    notes.push(w.snoozedUntil(`${state.snoozedUntil.slice(0, 16).replace('T', ' ')} UTC`));
  return `${w.status[state.status]}${value}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

/** A rule's states in one line; groups grouped by status, the open ones first. */
export function statesLine(
  rule: AlertRule,
  all: ReadonlyArray<{ groupKey: string; state: AlertState }>,
  unit: Unit,
  format: Formatter,
  locale: string,
): string {
  // A grouped alert's own row (its message) is no group.
  const states = all.filter((s) => s.groupKey !== GROUPED_KEY);
  const w = wordsFor(ALERT_COMMAND_WORDS, locale);
  if (states.length === 0) return w.notCheckedYet;
  if (!rule.groupBy) {
    const s = states.find((x) => x.groupKey === '') ?? states[0]!;
    return stateText(s.state, unit, format, locale, thresholdOf(rule));
  }
  const order: AlertState['status'][] = ['firing', 'pending', 'no_data', 'ok'];
  const parts: string[] = [];
  for (const status of order) {
    const inStatus = states.filter((s) => s.state.status === status && !s.state.held);
    if (inStatus.length === 0) continue;
    const shown = inStatus.slice(0, 4).map((s) => {
      const name =
        s.groupKey === ALL_GROUPS
          ? w.allGroups(rule.groupBy ?? '')
          : escapeMrkdwn(groupLabel({ dimension: rule.groupBy!, key: s.groupKey }));
      const value =
        s.state.lastValue === null
          ? ''
          : ` ${escapeMrkdwn(format.value(s.state.lastValue, unit, thresholdOf(rule)))}`;
      return `${name}${value}`;
    });
    const more = inStatus.length > shown.length ? w.more(inStatus.length - shown.length) : '';
    parts.push(`${w.status[status]}: ${shown.join(', ')}${more}`);
  }
  const held = states.filter((s) => s.state.held);
  if (held.length > 0) {
    const why = held.slice(0, 4).map((s) => {
      const name = escapeMrkdwn(groupLabel({ dimension: rule.groupBy!, key: s.groupKey }));
      return `${name} (${escapeMrkdwn(heldText(s.state.held!, { format, locale }))})`;
    });
    const more = held.length > why.length ? ` +${held.length - why.length}` : '';
    parts.push(`${notCheckedWord(locale)}: ${why.join(', ')}${more}`);
  }
  return parts.join(' · ');
}
