// Small builders for Slack mrkdwn and Block Kit objects, shared by the Slack views.
import type { ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { LIMITS, length, truncate } from './limits.ts';

/**
 * Escapes the three characters Slack gives meaning to in mrkdwn (`<@U…>`, `<!channel>`, links),
 * so text that came from a person or a data file can never mention, ping or link anything.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The plain-text `text` of a message: escaped, then cut to `max` characters (our fallback cap)
 * without leaving half an entity such as `&am` at the cut.
 */
export function fallbackText(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (length(escaped) <= max) return escaped;
  const cut = truncate(escaped, max);
  return cut.replace(/&[a-z]{0,3}…$/, '…');
}

/** Inline code: escaped, with backticks swapped for a look-alike so the span cannot be broken. */
export function code(text: string): string {
  return `\`${escapeMrkdwn(text).replace(/`/g, 'ˋ')}\``;
}

/** Text for inside a ``` block: escaped, and no run of backticks can close the block early. */
export function codeBlockText(text: string): string {
  return escapeMrkdwn(text).replace(/`/g, 'ˋ');
}

export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true },
  };
}

export function section(text: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, LIMITS.sectionText) } };
}

export function context(...texts: string[]): ContextBlock {
  return {
    type: 'context',
    elements: texts
      .filter((t) => t.length > 0)
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, LIMITS.text) })),
  };
}

export const divider: KnownBlock = { type: 'divider' };

/** `/kpi …` for an example, whether or not it was written with the command already. */
export function asCommand(example: string): string {
  const trimmed = example.trim();
  return trimmed.startsWith('/') ? trimmed : `/kpi ${trimmed}`;
}

/**
 * `<@U123>` for a Slack user id; anything else (`kpibot.config.yml`, `cli`) is shown escaped,
 * never as a mention.
 */
export function userMention(id: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(id) ? `<@${id}>` : escapeMrkdwn(id);
}

/** `<#C123>` for a channel id, `#name` (escaped) otherwise. */
export function channelText(channel: string): string {
  if (/^[CG][A-Z0-9]{2,}$/.test(channel)) return `<#${channel}>`;
  return escapeMrkdwn(channel.startsWith('#') ? channel : `#${channel}`);
}

/** `` `facebook` reads as `meta` `` for each channel a question or rule named by an alias. */
export function channelReadingsText(
  readings: ReadonlyArray<{ written: string; channel: string }>,
): string | undefined {
  if (readings.length === 0) return undefined;
  return readings.map((r) => `${code(r.written)} reads as ${code(r.channel)}`).join(', ');
}
