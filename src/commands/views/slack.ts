// Slack rendering of a command outcome: Block Kit blocks plus the plain-text fallback, always
// inside Block Kit's limits. Built from the same plain outcome the CLI prints.

import type { KnownBlock } from '@slack/types';
import { ANSWER_WORDS, type AnswerWords } from '../../messages/answer.ts';
import { wordsFor } from '../../messages/lang.ts';
import { answerBlocks, answerFallback } from '../../query/views/slack-answer.ts';
import {
  errorView,
  explainView,
  helpView,
  listView,
  messageView,
  type Rendered,
  statusView,
} from '../../query/views/slack-catalog.ts';
import { capBlocks, LIMITS, length } from '../../reply/limits.ts';
import { code, context, divider, escapeMrkdwn } from '../../reply/mrkdwn.ts';
import { renderSummaryBlocks } from '../../reports/summary.ts';
import type { CommandOutcome } from '../outcome.ts';

export { type Rendered, RUN_RETRY_ACTION } from '../../query/views/slack-catalog.ts';

export interface SlackRenderOptions {
  locale: string;
  /** Slack user id of the person who posted the answer in the channel ("Shared by <@U…>"). */
  sharedBy?: string;
  /** Add the "Post to channel" button (answers only; omitted when the question is too long). */
  withShareButton: boolean;
}

/** `action_id` of the "Post to channel" button; the Slack listener registers for it. */
export const POST_TO_CHANNEL_ACTION = 'post_to_channel';

/** What the button carries: the question and the instant its periods were resolved against. */
export interface ShareValue {
  q: string;
  now: string;
}

/** The button's `value`, or null when it would not fit Slack's 2000-character limit. */
export function encodeShareValue(value: ShareValue): string | null {
  const encoded = JSON.stringify({ q: value.q, now: value.now });
  return length(encoded) <= LIMITS.buttonValue ? encoded : null;
}

/** Reads a button `value` back; null for anything that is not one we made. */
export function decodeShareValue(raw: string | undefined): ShareValue | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { q, now } = parsed as Record<string, unknown>;
    if (typeof q !== 'string' || typeof now !== 'string') return null;
    if (Number.isNaN(new Date(now).getTime())) return null;
    return { q, now };
  } catch {
    return null;
  }
}

function shareButton(value: string, w: AnswerWords): KnownBlock {
  return {
    type: 'actions',
    block_id: 'kpi_share',
    elements: [
      {
        type: 'button',
        action_id: POST_TO_CHANNEL_ACTION,
        text: { type: 'plain_text', text: w.postToChannel, emoji: true },
        value,
      },
    ],
  };
}

const cutNotice =
  (w: AnswerWords) =>
  (omitted: number): KnownBlock =>
    context(`:scissors: ${w.cut(omitted)}`);

function answerView(
  outcome: Extract<CommandOutcome, { kind: 'answer' }>,
  opts: SlackRenderOptions,
): Rendered {
  const { result } = outcome;
  const w = wordsFor(ANSWER_WORDS, opts.locale);
  const body: KnownBlock[] = [];
  if (outcome.reading) body.push(context(`${w.readAs} ${code(`/kpi ${outcome.reading}`)}`));
  result.answers.forEach((a, i) => {
    if (i > 0) body.push(divider);
    body.push(...answerBlocks(a, result.filters, opts.locale, result.channelReadings));
  });
  const trailer: KnownBlock[] = [];
  if (opts.sharedBy)
    trailer.push(context(w.sharedBy(`<@${opts.sharedBy}>`, escapeMrkdwn(`/kpi ${outcome.query}`))));
  const value = opts.withShareButton
    ? encodeShareValue({ q: outcome.query, now: outcome.now })
    : null;
  if (value) trailer.push(shareButton(value, w));
  const blocks = [...capBlocks(body, cutNotice(w), LIMITS.blocks - trailer.length), ...trailer];
  const answered = answerFallback(result, opts.locale);
  const text = outcome.reading ? `${w.readAs} /kpi ${outcome.reading}\n${answered}` : answered;
  return { text: opts.sharedBy ? `${text}\n(shared by <@${opts.sharedBy}>)` : text, blocks };
}

/** Renders any outcome for Slack. `text` is the notification / screen-reader fallback. */
export function renderForSlack(outcome: CommandOutcome, opts: SlackRenderOptions): Rendered {
  let rendered: Rendered;
  switch (outcome.kind) {
    case 'answer':
      return answerView(outcome, opts);
    case 'help':
      rendered = helpView(outcome, opts.locale);
      break;
    case 'list':
      rendered = listView(outcome, opts.locale);
      break;
    case 'explain':
      rendered = explainView(outcome);
      break;
    case 'status':
      rendered = statusView(outcome, opts.locale);
      break;
    case 'message':
      rendered = messageView(outcome);
      break;
    case 'summary':
      rendered = renderSummaryBlocks(outcome.summary);
      break;
    case 'error':
      rendered = errorView(outcome, opts.locale);
      break;
  }
  const w = wordsFor(ANSWER_WORDS, opts.locale);
  return { text: rendered.text, blocks: capBlocks(rendered.blocks, cutNotice(w)) };
}

/**
 * The reply when something failed on our side: short, no details (those are in the log under
 * `reference`), and never a stack trace.
 */
export function apologyView(reference: string): Rendered {
  const text = `Sorry, something went wrong on our side and I could not answer that. Please try again in a moment. (reference ${reference})`;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:pensive: ${text}` } }],
  };
}
