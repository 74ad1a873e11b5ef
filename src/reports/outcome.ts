// What the report commands produce: the summary itself, or a short reply.
import type { ReplyOutcome } from '../reply/command.ts';
import type { Summary } from './summary.ts';

/** `/kpi summary [period]`: the summary, business KPIs first. */
export interface SummaryOutcome {
  kind: 'summary';
  summary: Summary;
}

export type ReportOutcome = SummaryOutcome | ReplyOutcome;
