// What the Slack listeners need from the rest of the app: a way to run a `/kpi` command (the
// grammar the CLI shares), the locale for names, and a logger. Nothing else — no store, no SQL.
import type { CommandContext, CommandOutcome } from '../../commands/outcome.ts';
import type { Logger } from '../../logger.ts';

export interface ListenerDeps {
  run(text: string, ctx: CommandContext): Promise<CommandOutcome>;
  locale: string;
  logger: Logger;
}
