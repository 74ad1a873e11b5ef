import type { MeasureDefinition } from './types.ts';

/** The base measures of KPI-REFERENCE.md: daily facts and how each aggregates over a period. */
export const MEASURES: readonly MeasureDefinition[] = [
  { id: 'ad_spend', kind: 'additive', description: 'Money spent on ads' },
  { id: 'marketing_cost', kind: 'additive', description: 'All marketing costs, ads included' },
  { id: 'sales_cost', kind: 'additive', description: 'Sales costs' },
  { id: 'revenue', kind: 'additive', description: 'Revenue' },
  {
    id: 'gross_profit',
    kind: 'additive',
    description: 'Gross profit (revenue minus cost of goods)',
  },
  { id: 'orders', kind: 'additive', description: 'Orders placed' },
  { id: 'sessions', kind: 'additive', description: 'Sessions (visitors)' },
  { id: 'new_visitors', kind: 'additive', description: 'First-time visitors' },
  {
    id: 'conversions',
    kind: 'additive',
    description: 'Conversions (purchases or goal completions)',
  },
  { id: 'leads', kind: 'additive', description: 'Leads' },
  { id: 'qualified_leads', kind: 'additive', description: 'Qualified leads' },
  { id: 'new_customers', kind: 'additive', description: 'New customers won' },
  { id: 'churned_customers', kind: 'additive', description: 'Customers lost' },
  { id: 'repeat_customers', kind: 'additive', description: 'Customers who bought again' },
  { id: 'purchasing_customers', kind: 'additive', description: 'Customers who bought' },
  { id: 'clicks', kind: 'additive', description: 'Ad clicks' },
  { id: 'impressions', kind: 'additive', description: 'Ad impressions' },
  { id: 'reach', kind: 'additive', description: 'People reached' },
  { id: 'page_views', kind: 'additive', description: 'Page views' },
  {
    id: 'interactions',
    kind: 'additive',
    description: 'Likes, comments, shares, video views, clicks on posts',
  },
  {
    id: 'days_to_conversion_total',
    kind: 'additive',
    description: 'Sum of days from first touch to conversion over the day’s conversions',
  },
  { id: 'active_customers', kind: 'snapshot', description: 'Customers on the books that day' },
  { id: 'active_users', kind: 'snapshot', description: 'Active users that day' },
  { id: 'followers', kind: 'snapshot', description: 'Followers that day' },
  { id: 'avg_position', kind: 'average', description: 'Average rank of money keywords' },
];

const byId = new Map(MEASURES.map((m) => [m.id, m]));

export function findMeasure(id: string): MeasureDefinition | undefined {
  return byId.get(id);
}
