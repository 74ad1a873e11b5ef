// What every `/kpi` feature module shares: who asks (the context), the replies common to all of
// them (a short message, an error), and the shape a module registers with the command registry
// (src/commands/registry.ts). The registry sits above the modules; this file sits below them.

import { suggestNames } from '../kpi/names.ts';
import { escapeMrkdwn } from './mrkdwn.ts';

export interface CommandContext {
  userId: string;
  channelId?: string;
  /** Overrides the clock (KPIBOT_NOW, button replays). */
  now?: Date;
  /**
   * Whether the person may change rules, goals and subscriptions (KPIBOT_ADMINS, else Slack
   * workspace admins/owners via users.info). Absent → nobody may (e.g. read-only surfaces).
   */
  isAdmin?: () => Promise<boolean>;
}

/**
 * A short reply from a command that manages something (alert rules, goals, subscriptions):
 * a title and lines of mrkdwn-safe text. `refused` when the person may not do it (nothing changed).
 */
export interface MessageOutcome {
  kind: 'message';
  tone: 'ok' | 'info' | 'refused';
  title: string;
  lines: string[];
}

/** Something the person typed could not be understood; nothing was changed. */
export interface ErrorOutcome {
  kind: 'error';
  message: string;
  suggestions?: string[];
  examples?: string[];
  /** The whole corrected command, ready to run (a typo fixed, a value replaced): a button in Slack. */
  retry?: string;
}

export type ReplyOutcome = MessageOutcome | ErrorOutcome;

export function message(
  tone: MessageOutcome['tone'],
  title: string,
  lines: string[] = [],
): MessageOutcome {
  return { kind: 'message', tone, title, lines };
}

export function error(
  text: string,
  examples: readonly string[],
  suggestions?: readonly string[],
): ErrorOutcome {
  return {
    kind: 'error',
    message: text,
    ...(suggestions && suggestions.length > 0 ? { suggestions: [...suggestions] } : {}),
    examples: [...examples],
  };
}

/**
 * `There is no goal \`g9\`.`: an id that names nothing, with the nearest of `ids` as
 * suggestions (each written as a command by `retry`).
 */
export function noSuchId(
  noun: string,
  id: string,
  ids: readonly string[],
  retry: (id: string) => string,
  examples: readonly string[],
): ErrorOutcome {
  return error(
    `There is no ${noun} \`${escapeMrkdwn(id)}\`.`,
    examples,
    suggestNames(id, ids).map(retry),
  );
}

/** The first word of `text`, lower-cased, and the rest. */
export function firstWord(text: string): { word: string; rest: string } {
  const m = text.trim().match(/^(\S*)\s*([\s\S]*)$/);
  return { word: (m?.[1] ?? '').toLowerCase(), rest: (m?.[2] ?? '').trim() };
}

/** Told when a command changed alert rules or subscriptions, so schedules follow at once. */
export interface CommandHooks {
  onSchedulesChanged?: () => void;
}

/**
 * One feature of `/kpi` as the registry sees it: the first words it answers to, the examples
 * help shows, and how it runs. `words` empty: the module takes whatever no other module claims
 * (KPI questions). `Deps` is what the module needs from the app (Services satisfies each).
 */
export interface CommandModule<Deps, Outcome> {
  /** A name for help texts and logs (`query`, `alerts`, `goals`…). */
  name: string;
  words: readonly string[];
  examples: readonly string[];
  run(text: string, ctx: CommandContext, deps: Deps, hooks: CommandHooks): Promise<Outcome>;
}
