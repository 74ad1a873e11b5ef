// The `/kpi` command registry (Slack and `kpibot ask`): each feature module registers the first
// words it answers to, its examples and how it runs. Routing, help and "did you mean" come from
// here; a text no module claims is a KPI question.
import { alertCommands } from '../alerts/commands.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import { suggestNames } from '../kpi/names.ts';
import { channelsCommand } from '../query/channels.ts';
import { queryCommands, statusCommands } from '../query/command.ts';
import type { HelpOutcome } from '../query/outcome.ts';
import {
  type CommandContext,
  type CommandHooks,
  type CommandModule,
  firstWord,
} from '../reply/command.ts';
import { REPORT_COMMANDS } from '../reports/commands.ts';
import type { Services } from '../services.ts';
import type { CommandOutcome } from './outcome.ts';

export type { CommandHooks } from '../reply/command.ts';

type Module = CommandModule<Services, CommandOutcome>;

/** The modules with words of their own, in the order help lists them. */
export const MODULES: readonly Module[] = [
  statusCommands,
  channelsCommand,
  alertCommands,
  ...REPORT_COMMANDS,
];

const HELP_WORDS = new Set(['help', 'hjälp', '?']);

/** The module a text goes to: the one claiming its first word, else the KPI questions. */
export function moduleFor(text: string): Module {
  const { word } = firstWord(text);
  return MODULES.find((m) => m.words.includes(word)) ?? queryCommands;
}

/** Every example help shows: KPI questions first, then one or two of each module. */
export function helpExamples(): string[] {
  return [...queryCommands.examples, ...MODULES.flatMap((m) => m.examples.slice(0, 2))];
}

export async function runCommand(
  text: string,
  ctx: CommandContext,
  services: Services,
  hooks: CommandHooks = {},
): Promise<CommandOutcome> {
  const { word } = firstWord(text);
  if (word === '' || HELP_WORDS.has(word)) return help(services.config.defaultPeriod);
  const module = moduleFor(text);
  const outcome = await module.run(text, ctx, services, hooks);
  if (module !== queryCommands || resolveKpi(services.catalog, word).ok) return outcome;
  return withCommandSuggestion(outcome, word);
}

function help(defaultPeriod: string): HelpOutcome {
  return { kind: 'help', defaultPeriod, examples: helpExamples() };
}

/**
 * A question that failed on a first word close to a command's (`alrts`, `sumary`) and to no
 * KPI's: the command is suggested (never when the word is a KPI: `roas` is not a typo of `goal`).
 */
function withCommandSuggestion(outcome: CommandOutcome, word: string): CommandOutcome {
  if (outcome.kind !== 'error' || (outcome.suggestions ?? []).length > 0) return outcome;
  const words = [...HELP_WORDS, ...MODULES.flatMap((m) => m.words)].filter((w) => w.length > 1);
  const near = suggestNames(word, words, 1);
  if (near.length === 0) return outcome;
  return { ...outcome, suggestions: near.map((w) => `/kpi ${w}`) };
}
