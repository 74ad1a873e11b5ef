// The words of the replies to Slack buttons: Acknowledge and Snooze on an alert
// (src/alerts/actions.ts, src/slack/listeners/actions/alert-buttons.ts), "Post to channel" and
// "Run /kpi …" (post-to-channel.ts, run-retry.ts), in both languages (see lang.ts). Mentions and
// Slack dates come in already written. Pure.
import type { Words } from './lang.ts';

type Snooze = 'hour' | 'day' | 'week';

export interface ActionWords {
  /** An alert button whose alert or rule is gone. */
  expired: string;
  notFiring: string;
  /** Acknowledge on an acknowledged alert; `reason` is the state machine's (English) reason. */
  alreadyAcknowledged(reason: string, user: string): string;
  /** Snooze on an alert snoozed until later. */
  alreadySnoozed(reason: string, until: string): string;
  /** Snooze whose end is not in the future. */
  snoozeNotAhead(reason: string): string;
  acknowledged(user: string): string;
  snoozeLabel: Readonly<Record<Snooze, string>>;
  snoozed(label: string, until: string): string;
  /** An alert button that failed. */
  failed(reference: string): string;
  /** "Post to channel" whose button cannot be read. */
  expiredShare: string;
  /** Recomputing or posting an answer failed. */
  apology(reference: string): string;
}

/** The state machine's reason as a sentence: `Already acknowledged by U1.` */
function sentence(reason: string): string {
  const r = `${reason}`;
  return `${r.charAt(0).toUpperCase()}${r.slice(1)}.`;
}

export const ACTION_WORDS: Words<ActionWords> = {
  en: {
    expired: 'This button no longer works: the alert or its rule is gone.',
    notFiring: 'This alert is no longer firing: nothing to do.',
    alreadyAcknowledged: (reason) => sentence(reason),
    alreadySnoozed: (reason) => sentence(reason),
    snoozeNotAhead: (reason) => sentence(reason),
    acknowledged: (user) =>
      `Acknowledged by ${user}: no more reminders for this alert; "resolved" will still be posted.`,
    snoozeLabel: { hour: '1 hour', day: '1 day', week: '1 week' },
    snoozed: (label, until) =>
      `Snoozed for ${label}, until ${until}: nothing is posted until then (the alert is still checked).`,
    failed: (reference) =>
      `Sorry, that did not work (reference ${reference}). Nothing was changed.`,
    expiredShare: 'That button no longer works. Ask again with `/kpi …` and share the new answer.',
    apology: (reference) =>
      `Sorry, something went wrong on our side and I could not answer that. Please try again in a moment. (reference ${reference})`,
  },
  sv: {
    expired: 'Den här knappen fungerar inte längre: larmet eller dess regel finns inte kvar.',
    notFiring: 'Det här larmet larmar inte längre: inget att göra.',
    alreadyAcknowledged: (_, user) => `Redan kvitterat av ${user}.`,
    alreadySnoozed: (_, until) => `Redan tystat till ${until}, vilket är senare.`,
    snoozeNotAhead: () => 'Tystnadens slut ligger inte framåt i tiden: inget ändrades.',
    acknowledged: (user) =>
      `Kvitterat av ${user}: inga fler påminnelser för det här larmet; ”löst” postas ändå.`,
    snoozeLabel: { hour: '1 timme', day: '1 dag', week: '1 vecka' },
    snoozed: (label, until) =>
      `Tystat i ${label}, till ${until}: inget postas förrän dess (larmet kontrolleras fortfarande).`,
    failed: (reference) => `Tyvärr, det fungerade inte (referens ${reference}). Inget ändrades.`,
    expiredShare:
      'Den knappen fungerar inte längre. Fråga igen med `/kpi …` och dela det nya svaret.',
    apology: (reference) =>
      `Tyvärr gick något fel hos oss och jag kunde inte svara på det. Försök igen om en stund. (referens ${reference})`,
  },
};
