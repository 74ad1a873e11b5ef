// What the query module's commands produce, as plain data: an answer, help, the catalog, an
// explanation, data freshness. Views render them for Slack (Block Kit), the terminal and JSON.
import type { ReplyOutcome } from '../reply/command.ts';
import type { AskResult, KpiSummary } from './answer.ts';

export interface CatalogEntry extends KpiSummary {
  aliases: string[];
  description: string;
}

export interface AnswerOutcome {
  kind: 'answer';
  result: AskResult;
  /** The command text, so a "Post to channel" click can recompute the same answer. */
  query: string;
  /** The instant the periods were resolved against (ISO-8601). */
  now: string;
  /** How a free-form question was read, as the canonical command (`roas 2026-10 channel=meta`). */
  reading?: string;
}

export interface HelpOutcome {
  kind: 'help';
  defaultPeriod: string;
  /** Examples of every module, KPI questions first (from the command registry). */
  examples: string[];
}

export interface ListOutcome {
  kind: 'list';
  business: CatalogEntry[];
  context: CatalogEntry[];
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
  /** Each SQL source's last sync (src/sources/), by name. */
  sources: SourceStatus[];
  /** How each source's data arrives (learned or configured cadence) and whether it is late. */
  arrivals?: ArrivalStatus[];
  warnings: string[];
}

/** A source's cadence in `/kpi status` (src/sources/cadence.ts). */
export interface ArrivalStatus {
  /** As people know it: a SQL source's name, `api`, an import's `--source`. */
  source: string;
  /** null: no regular cadence in its history (never called late). */
  cadence: 'daily' | 'weekly' | null;
  learned: boolean;
  by?: string;
  lastDay: string | null;
  late: boolean;
  reason: string;
}

/** A SQL source in `/kpi status`: its last run and its last successful one. */
export interface SourceStatus {
  name: string;
  /** ISO-8601 instant of the last run, and the days it read. */
  lastRunAt: string;
  window: { start: string; end: string };
  /** The last run's error, free of URLs and passwords; undefined when it succeeded. */
  error?: string;
  /** The last successful run: when, and the rows it read (absent before the first). */
  lastSuccessAt?: string;
  rows?: number;
}

export type QueryOutcome =
  | AnswerOutcome
  | HelpOutcome
  | ListOutcome
  | ExplainOutcome
  | StatusOutcome
  | ReplyOutcome;
