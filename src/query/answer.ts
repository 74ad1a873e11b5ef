// The plain result of a KPI question: what `kpibot ask` prints and what Slack views render.
import type { ChannelReading } from '../kpi/channels.ts';
import type { Verdict } from '../kpi/compare.ts';
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
}

export interface GroupAnswer {
  key: string;
  value: number | null;
  formatted: string;
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
  benchmark?: { status: 'meets' | 'below' | 'above'; text: string };
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
