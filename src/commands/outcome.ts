// What a `/kpi …` command produced, as plain data: the union of every module's outcomes. Views
// (./views) render it for Slack (Block Kit) and the terminal; handlers never build messages.
import type { QueryOutcome } from '../query/outcome.ts';
import type { ReplyOutcome } from '../reply/command.ts';
import type { ReportOutcome } from '../reports/outcome.ts';

export type CommandOutcome = QueryOutcome | ReportOutcome | ReplyOutcome;
