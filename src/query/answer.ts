// The plain result of a KPI question: what `kpibot ask` prints and what Slack views render.
import type { ChannelReading } from '../kpi/channels.ts';
import type { BenchmarkStatus, Verdict } from '../kpi/compare.ts';
import type {
  DateRange,
  Dimension,
  Filters,
  GoodDirection,
  Period,
  Tier,
  Unit,
} from '../kpi/types.ts';

export interface KpiSummary {
  id: string;
  name: { sv: string; en: string };
  formula: string;
  unit: Unit;
  good: GoodDirection;
  tier: Tier;
}

export interface ComparisonAnswer {
  /** `previous`, `last-year` or the phrase of an explicit period. */
  against: string;
  period: Period;
  value: number | null;
  formatted: string;
  change: number | null;
  changePct: number | null;
  /** Judged by the KPI's good direction: a falling CPA is `better`. */
  verdict: Verdict;
  changeFormatted: string;
  changePctFormatted: string;
  /** How the periods were made comparable (a running period cut to the days with data). */
  note?: string;
  /** Set (and `verdict` is `unknown`) when the two periods' data cover different shares of their days. */
  unevenCoverage?: string;
}

export interface GroupAnswer {
  key: string;
  value: number | null;
  formatted: string;
  /** The group's own value against the KPI's floor or benchmark. */
  benchmark?: BenchmarkStatus;
  comparison?: {
    value: number | null;
    change: number | null;
    changePct: number | null;
    verdict: Verdict;
  };
}

export interface KpiAnswer {
  kpi: KpiSummary;
  period: Period;
  value: number | null;
  formatted: string;
  comparison?: ComparisonAnswer;
  /**
   * The headline against the floor or benchmark; with a breakdown it also names the groups
   * off it ("blended 10,5× meets the 3× ROAS floor; 3 of 5 campaigns are below it: …").
   */
  benchmark?: BenchmarkStatus;
  /** Spend against a measure of every channel, over all channels (ROAS: all revenue / all ad spend). */
  blended?: boolean;
  breakdown?: { dimension: Dimension; groups: GroupAnswer[] };
  /** The last periods of the same length, oldest first, ending with `period` (sparklines). */
  history?: Array<{ period: DateRange; value: number | null }>;
  /** Base measures with no facts at all in the period: why `value` is null. */
  missingMeasures: string[];
  /** Monthly churn compounded over a year, 1 − (1 − monthly)¹² (churn_rate over a month only). */
  annualised?: { value: number; formatted: string };
  /** Set when the data does not cover every day of the period (e.g. last day with data is before its end). */
  coverageNote?: string;
}

export interface AskResult {
  question: string;
  /** The filters as answered: channels under their canonical names. */
  filters: Filters;
  /** Channels the question named by an alias (`channel=facebook` → meta); absent when none. */
  channelReadings?: ChannelReading[];
  answers: KpiAnswer[];
}
