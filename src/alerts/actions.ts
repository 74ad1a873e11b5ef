// The buttons on an alert message: Acknowledge (stops reminders for this episode; the message
// shows who) and Snooze 1 h / 1 d / 1 w (nothing posted until then; the state is still
// tracked). The Slack app registers ALERT_ACTION_PATTERN and calls `handleAlertAction`; it
// replaces the message with `update` and shows `ephemeral` to the person who clicked.
import { TZDate } from '@date-fns/tz';
import { addDays, addHours, addWeeks } from 'date-fns';
import { ACTION_WORDS } from '../messages/actions.ts';
import { wordsFor } from '../messages/lang.ts';
import { userMention } from '../reply/mrkdwn.ts';
import type { AlertDeps } from './deps.ts';
import {
  ALERT_ACTIONS,
  type AlertView,
  alertMessage,
  decodeAlertButton,
  type SlackMessage,
  slackDate,
} from './message.ts';
import { acknowledge, snooze } from './state-machine.ts';
import { audit, getRule, getState, saveStates } from './store.ts';

export interface AlertActionInput {
  actionId: string;
  /** The button's value. */
  value?: string;
  /** Slack user id of the person who clicked. */
  userId: string;
}

export interface AlertActionResult {
  /** The alert message drawn again (replace the original with it). */
  update?: SlackMessage;
  /** A short note for the person who clicked. */
  ephemeral?: string;
}

const SNOOZES: Record<
  string,
  { label: 'hour' | 'day' | 'week'; until: (now: Date, tz: string) => Date }
> = {
  [ALERT_ACTIONS.snooze1h]: { label: 'hour', until: (now) => addHours(now, 1) },
  // Calendar days and weeks in the configured timezone: the same clock time, across DST too.
  [ALERT_ACTIONS.snooze1d]: {
    label: 'day',
    until: (now, tz) => new Date(addDays(new TZDate(now.getTime(), tz), 1).getTime()),
  },
  [ALERT_ACTIONS.snooze1w]: {
    label: 'week',
    until: (now, tz) => new Date(addWeeks(new TZDate(now.getTime(), tz), 1).getTime()),
  },
};

export async function handleAlertAction(
  deps: Pick<AlertDeps, 'db' | 'now' | 'logger' | 'config'>,
  input: AlertActionInput,
): Promise<AlertActionResult> {
  const w = wordsFor(ACTION_WORDS, deps.config.locale);
  const target = decodeAlertButton(input.value);
  const isAck = input.actionId === ALERT_ACTIONS.acknowledge;
  const snoozeSpec = SNOOZES[input.actionId];
  if (!target || (!isAck && !snoozeSpec)) return { ephemeral: w.expired };
  const now = deps.now();

  return deps.db.transaction(async (tx) => {
    const stored = await getRule(tx, target.ruleId);
    const row = await getState(tx, target.ruleId, target.groupKey, { forUpdate: true });
    if (!stored || !row) return { ephemeral: w.expired };
    if (row.state.firedAt === undefined || !row.message) return { ephemeral: w.notFiring };
    const change = isAck
      ? acknowledge(row.state, input.userId)
      : snooze(
          row.state,
          snoozeSpec!.until(now, stored.rule.timeZone ?? deps.config.timeZone),
          now,
        );
    if (change.next === row.state) {
      const { acknowledgedBy, snoozedUntil } = row.state;
      return {
        ephemeral: isAck
          ? w.alreadyAcknowledged(change.reason, userMention(acknowledgedBy ?? ''))
          : snoozedUntil !== undefined && Date.parse(snoozedUntil) > now.getTime()
            ? w.alreadySnoozed(change.reason, slackDate(snoozedUntil))
            : w.snoozeNotAhead(change.reason),
      };
    }

    const view: AlertView = { ...row.message };
    if (change.next.acknowledgedBy) view.acknowledgedBy = change.next.acknowledgedBy;
    if (change.next.snoozedUntil) view.snoozedUntil = change.next.snoozedUntil;
    await saveStates(tx, [{ ...row, state: change.next, message: view }]);
    await audit(tx, [
      {
        at: now,
        actor: input.userId,
        action: isAck ? 'acknowledge' : 'snooze',
        ruleId: target.ruleId,
        groupKey: target.groupKey,
        detail: {
          reason: change.reason,
          ...(change.next.snoozedUntil ? { until: change.next.snoozedUntil } : {}),
        },
      },
    ]);
    deps.logger.info(
      { ruleId: target.ruleId, group: target.groupKey, user: input.userId, reason: change.reason },
      'alerts: button',
    );
    const ephemeral = isAck
      ? w.acknowledged(userMention(input.userId))
      : w.snoozed(w.snoozeLabel[snoozeSpec!.label], slackDate(change.next.snoozedUntil!));
    return { update: alertMessage(view), ephemeral };
  });
}
