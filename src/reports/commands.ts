// The report commands of `/kpi` (and `kpibot ask`), three modules of the command registry:
//
//   summary [weekly|monthly|<period>]          the summary, business KPIs first
//   summary pins | summary pin <kpi> | summary unpin <kpi>
//   goals | goal set <goal> | goal remove <id>
//   subscribe weekly|monthly [#channel] [monday 08:00] [timezone] | subscriptions | unsubscribe <id>
import { PERIOD_EXAMPLES } from '../kpi/periods.ts';
import { type CommandContext, type CommandModule, error, firstWord } from '../reply/command.ts';
import { buildSummary, DEFAULT_SUMMARY_PERIOD, SummaryPeriodError } from './build.ts';
import type { ReportDeps } from './deps.ts';
import { GOAL_COMMAND_EXAMPLES, runGoalCommand } from './goal-commands.ts';
import type { ReportOutcome } from './outcome.ts';
import {
  changePin,
  listPins,
  PIN_EXAMPLES,
  PIN_WORDS,
  PINS_WORDS,
  UNPIN_WORDS,
} from './pin-commands.ts';
import { SUBSCRIBE_EXAMPLES } from './subscription.ts';
import { listSubscriptions, subscribe, unsubscribe } from './subscription-commands.ts';

export const SUMMARY_EXAMPLES = [
  '/kpi summary',
  '/kpi summary last-month',
  '/kpi summary 2026-W47',
  ...PIN_EXAMPLES,
];

export type ReportCommand = CommandModule<ReportDeps, ReportOutcome>;

export const summaryCommands: ReportCommand = {
  name: 'summary',
  words: ['summary', 'sammanfattning'],
  examples: SUMMARY_EXAMPLES,
  run: (text, ctx, deps) => {
    const rest = firstWord(text).rest;
    const sub = firstWord(rest);
    if (PIN_WORDS.includes(sub.word)) return changePin(true, sub.rest, ctx, deps);
    if (UNPIN_WORDS.includes(sub.word)) return changePin(false, sub.rest, ctx, deps);
    if (PINS_WORDS.includes(sub.word)) return listPins(deps);
    return summaryCommand(rest, ctx, deps);
  },
};

export const goalCommands: ReportCommand = {
  name: 'goals',
  words: ['goal', 'goals', 'mål'],
  examples: GOAL_COMMAND_EXAMPLES,
  run: (text, ctx, deps) => {
    const sub = firstWord(firstWord(text).rest);
    return runGoalCommand(sub.word, sub.rest, ctx, deps);
  },
};

const SUBSCRIBE_WORDS = ['subscribe', 'prenumerera'];
const UNSUBSCRIBE_WORDS = ['unsubscribe', 'avprenumerera'];

export const subscriptionCommands: ReportCommand = {
  name: 'subscriptions',
  words: [...SUBSCRIBE_WORDS, 'subscriptions', 'prenumerationer', ...UNSUBSCRIBE_WORDS],
  examples: [...SUBSCRIBE_EXAMPLES, '/kpi subscriptions', '/kpi unsubscribe s1'],
  run: (text, ctx, deps, hooks) => {
    const { word, rest } = firstWord(text);
    const changed = { onSubscriptionsChanged: hooks.onSchedulesChanged };
    if (SUBSCRIBE_WORDS.includes(word)) return subscribe(rest, ctx, deps, changed);
    if (UNSUBSCRIBE_WORDS.includes(word)) return unsubscribe(rest, ctx, deps, changed);
    return listSubscriptions(deps);
  },
};

export const REPORT_COMMANDS: readonly ReportCommand[] = [
  summaryCommands,
  goalCommands,
  subscriptionCommands,
];

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
): Promise<ReportOutcome> {
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
