// The polite refusal the report commands share.
import { type MessageOutcome, message } from '../reply/command.ts';

/** Nothing changed, and who can. */
export function refusal(what: 'goals' | 'summary subscriptions', look: string): MessageOutcome {
  return message('refused', `Only admins can change ${what}`, [
    'Nothing was changed. They are managed by the people listed in KPIBOT_ADMINS (or, if none are listed, by workspace admins and owners).',
    `Anyone can see them with \`${look}\`.`,
  ]);
}
