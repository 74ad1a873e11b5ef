// The report commands of `/kpi` (and `kpibot ask`), one entry point for dispatch:
//
//   summary [weekly|monthly|<period>]          the summary, business KPIs first
//   goals | goal set <goal> | goal remove <id>
//   subscribe weekly|monthly [#channel] [monday 08:00] [timezone] | subscriptions | unsubscribe <id>
//
// `runReportCommand` returns null for anything else, so dispatch can try it first.
import type { CommandContext, CommandOutcome } from '../commands/outcome.ts';
import { PERIOD_EXAMPLES } from '../kpi/periods.ts';
import { buildSummary, DEFAULT_SUMMARY_PERIOD, SummaryPeriodError } from './build.ts';
import { error, firstWord } from './command-kit.ts';
import type { ReportDeps } from './deps.ts';
import { runGoalCommand } from './goal-commands.ts';
import {
  listSubscriptions,
  type SubscriptionHooks,
  subscribe,
  unsubscribe,
} from './subscription-commands.ts';

export type { SubscriptionHooks } from './subscription-commands.ts';

const SUMMARY_WORDS = new Set(['summary', 'sammanfattning']);
const GOAL_WORDS = new Set(['goal', 'goals', 'mål']);
const SUBSCRIBE_WORDS = new Set(['subscribe', 'prenumerera']);
const SUBSCRIPTIONS_WORDS = new Set(['subscriptions', 'prenumerationer']);
const UNSUBSCRIBE_WORDS = new Set(['unsubscribe', 'avprenumerera']);

/** The first words this module answers to (for help texts and routing). */
export const REPORT_COMMAND_WORDS: readonly string[] = [
  ...SUMMARY_WORDS,
  ...GOAL_WORDS,
  ...SUBSCRIBE_WORDS,
  ...SUBSCRIPTIONS_WORDS,
  ...UNSUBSCRIBE_WORDS,
];

export const SUMMARY_EXAMPLES = [
  '/kpi summary',
  '/kpi summary last-month',
  '/kpi summary 2026-W47',
];

/** Whether `/kpi <text>` is a report command. */
export function isReportCommand(text: string): boolean {
  return REPORT_COMMAND_WORDS.includes(firstWord(text).word);
}

/**
 * Runs a report command; null when `text` is not one. `hooks.onSubscriptionsChanged` is told
 * after a subscription was added or removed (replicas also pick changes up on their own).
 */
export async function runReportCommand(
  text: string,
  ctx: CommandContext,
  deps: ReportDeps,
  hooks: SubscriptionHooks = {},
): Promise<CommandOutcome | null> {
  const { word, rest } = firstWord(text);
  if (SUMMARY_WORDS.has(word)) return summaryCommand(rest, ctx, deps);
  if (GOAL_WORDS.has(word)) {
    const sub = firstWord(rest);
    return runGoalCommand(sub.word, sub.rest, ctx, deps);
  }
  if (SUBSCRIBE_WORDS.has(word)) return subscribe(rest, ctx, deps, hooks);
  if (SUBSCRIPTIONS_WORDS.has(word)) return listSubscriptions(deps);
  if (UNSUBSCRIBE_WORDS.has(word)) return unsubscribe(rest, ctx, deps, hooks);
  return null;
}

/** `weekly`/`monthly` or a period phrase (words joined with `-`, as in questions). */
export function summaryPeriodOf(rest: string): string {
  const phrase = rest.trim().split(/\s+/).filter(Boolean).join('-').toLowerCase();
  if (phrase === '' || phrase === 'weekly' || phrase === 'veckovis')
    return DEFAULT_SUMMARY_PERIOD.weekly;
  if (phrase === 'monthly' || phrase === 'månadsvis') return DEFAULT_SUMMARY_PERIOD.monthly;
  return phrase;
}

async function summaryCommand(
  rest: string,
  ctx: CommandContext,
  deps: ReportDeps,
): Promise<CommandOutcome> {
  try {
    const summary = await buildSummary(deps, { period: summaryPeriodOf(rest), now: ctx.now });
    return { kind: 'summary', summary };
  } catch (err) {
    if (!(err instanceof SummaryPeriodError)) throw err;
    return error(err.message, [
      ...SUMMARY_EXAMPLES,
      ...PERIOD_EXAMPLES.slice(1, 4).map((p) => `/kpi summary ${p}`),
    ]);
  }
}
