// What a `/kpi …` command produced, as plain data. Views render it for Slack (Block Kit),
// the terminal and JSON; handlers never build messages themselves.
import type { AskResult, KpiSummary } from './answer.ts';

export interface CatalogEntry extends KpiSummary {
  aliases: string[];
  description: string;
}

export interface ExplainOutcome {
  kind: 'explain';
  kpi: CatalogEntry;
  /** Each base measure the formula needs and how it aggregates over a period. */
  measures: Array<{ id: string; kind: string; aggregation: string; lastDay: string | null }>;
  benchmark?: string;
  example?: string;
  conventions: string[];
}

export type CommandOutcome =
  | {
      kind: 'answer';
      result: AskResult;
      /** The command text, so a "Post to channel" click can recompute the same answer. */
      query: string;
      /** The instant the periods were resolved against (ISO-8601). */
      now: string;
    }
  | { kind: 'help'; defaultPeriod: string; examples: string[] }
  | { kind: 'list'; business: CatalogEntry[]; context: CatalogEntry[] }
  | ExplainOutcome
  | {
      /** Something the person typed could not be understood; nothing was changed. */
      kind: 'error';
      message: string;
      suggestions?: string[];
      examples?: string[];
    };

export interface CommandContext {
  userId: string;
  channelId?: string;
  /** Overrides the clock (KPIBOT_NOW, button replays). */
  now?: Date;
}
