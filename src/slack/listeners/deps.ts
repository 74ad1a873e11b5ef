// What the Slack listeners need from the rest of the app: a way to run a `/kpi` command (the
// grammar the CLI shares), the locale for names, who the configured admins are, and a logger.
// Nothing else — no store, no SQL.
import type { AlertActionInput, AlertActionResult } from '../../alerts/actions.ts';
import type { CommandOutcome } from '../../commands/outcome.ts';
import type { Logger } from '../../logger.ts';
import type { AnswerMetrics } from '../../metrics.ts';
import type { CommandContext } from '../../reply/command.ts';
import type { ResponseUrlOptions } from '../respond.ts';

export interface ListenerDeps {
  run(text: string, ctx: CommandContext): Promise<CommandOutcome>;
  locale: string;
  /** Slack user ids from KPIBOT_ADMINS (workspace admins and owners count too). */
  admins: readonly string[];
  logger: Logger;
  /** Retry policy for response_url posts (tests shorten it). */
  responseUrl?: ResponseUrlOptions;
  /** Acknowledge / Snooze on an alert message (src/alerts/actions.ts). */
  alertAction?: (input: AlertActionInput) => Promise<AlertActionResult>;
  /** Counts acks and answers (GET /metrics). */
  metrics?: AnswerMetrics;
}
