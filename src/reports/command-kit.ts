// Small pieces shared by the report commands: outcomes and how people and channels are shown.
import type { CommandOutcome } from '../commands/outcome.ts';
import { escapeMrkdwn } from '../commands/views/mrkdwn.ts';

export function message(
  tone: 'ok' | 'info' | 'refused',
  title: string,
  lines: string[] = [],
): CommandOutcome {
  return { kind: 'message', tone, title, lines };
}

export function error(
  text: string,
  examples: readonly string[],
  suggestions?: string[],
): CommandOutcome {
  return {
    kind: 'error',
    message: text,
    ...(suggestions && suggestions.length > 0 ? { suggestions } : {}),
    examples: [...examples],
  };
}

/** The polite refusal: nothing changed, and who can. */
export function refusal(what: 'goals' | 'summary subscriptions', look: string): CommandOutcome {
  return message('refused', `Only admins can change ${what}`, [
    'Nothing was changed. They are managed by the people listed in KPIBOT_ADMINS (or, if none are listed, by workspace admins and owners).',
    `Anyone can see them with \`${look}\`.`,
  ]);
}

/** `<@U123>` for a Slack user id, the escaped text otherwise (`kpibot.config.yml`, `cli`). */
export function authorText(createdBy: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(createdBy) ? `<@${createdBy}>` : escapeMrkdwn(createdBy);
}

/** `<#C123>` for a channel id, `#name` (escaped) otherwise. */
export function channelText(channel: string): string {
  if (/^[CG][A-Z0-9]{2,}$/.test(channel)) return `<#${channel}>`;
  return escapeMrkdwn(channel.startsWith('#') ? channel : `#${channel}`);
}

/** The first word of `text`, lower-cased, and the rest. */
export function firstWord(text: string): { word: string; rest: string } {
  const m = text.trim().match(/^(\S*)\s*([\s\S]*)$/);
  return { word: (m?.[1] ?? '').toLowerCase(), rest: (m?.[2] ?? '').trim() };
}
