// What a `/kpi …` command produced, as plain data. Views render it for Slack (Block Kit),
// the terminal and JSON; handlers never build messages themselves.
import type { Summary } from '../reports/summary.ts';
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
  | StatusOutcome
  | MessageOutcome
  | SummaryOutcome
  | {
      /** Something the person typed could not be understood; nothing was changed. */
      kind: 'error';
      message: string;
      suggestions?: string[];
      examples?: string[];
    };

/** `/kpi status`: data freshness per measure and source. */
export interface StatusOutcome {
  kind: 'status';
  /** Today in the configured timezone, YYYY-MM-DD. */
  today: string;
  rows: Array<{
    measure: string;
    source: string;
    lastDay: string;
    /** ISO-8601 instant of the last write. */
    lastWrittenAt: string;
    /** Whole days between lastDay and yesterday (0 = up to date). */
    daysBehind: number;
    /** The measure stopped arriving (behind by more than the staleness limit). */
    stale: boolean;
  }>;
  warnings: string[];
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

/** `/kpi summary [period]`: the summary, business KPIs first (src/reports/). */
export interface SummaryOutcome {
  kind: 'summary';
  summary: Summary;
}

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
