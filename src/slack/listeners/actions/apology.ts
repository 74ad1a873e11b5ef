// The apology a button's reply gives when answering failed, in the configured locale's language
// (the same message as the views' `apologyView`, whose words are English).
import type { Rendered } from '../../../commands/views/slack.ts';
import { ACTION_WORDS } from '../../../messages/actions.ts';
import { wordsFor } from '../../../messages/lang.ts';

export function buttonApology(locale: string, reference: string): Rendered {
  const text = wordsFor(ACTION_WORDS, locale).apology(reference);
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:pensive: ${text}` } }],
  };
}
