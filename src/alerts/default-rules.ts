// The default rules the KPI reference gives. Pure: the clock is injected.
//
// They ship configured but with no Slack channel: they are evaluated (so `/kpi alerts` shows
// their state) and post nowhere until someone sets a channel.
import type { BusinessModel } from '../kpi/types.ts';
import { DEFAULT_FOR, DEFAULT_REPEAT_MINUTES, DEFAULT_SCHEDULE } from './defaults.ts';
import type { AlertRule } from './rule.ts';
import { defaultHysteresis } from './threshold.ts';

/** `createdBy` of the rules below. */
export const DEFAULT_RULES_AUTHOR = 'kpibot (default rules)';

/** ROAS floor the reference texts give: 3× for e-commerce, 5× for services. */
export const ROAS_FLOOR: Readonly<Record<BusinessModel, number>> = { ecommerce: 3, services: 5 };

/** The reference's default rules, with stable ids, posting nowhere (`channel: undefined`). */
export function defaultRules(model: BusinessModel, now: Date): AlertRule[] {
  const common = {
    filters: {},
    channel: undefined,
    schedule: DEFAULT_SCHEDULE,
    for: DEFAULT_FOR,
    repeatIntervalMinutes: DEFAULT_REPEAT_MINUTES,
    paused: false,
    createdBy: DEFAULT_RULES_AUTHOR,
    createdAt: now.toISOString(),
  } satisfies Partial<AlertRule>;
  const rule = (
    id: string,
    kpi: string,
    comparator: AlertRule['comparator'],
    threshold: number,
    window: string,
  ): AlertRule => ({
    id,
    kpi,
    comparator,
    threshold,
    window,
    hysteresis: defaultHysteresis(threshold),
    ...common,
  });
  return [
    // ROAS below its floor over the last week: ads are not paying back.
    rule('default-roas-floor', 'roas', '<', ROAS_FLOOR[model], 'last-7-days'),
    // LTV/CAC under 3:1 loses money in the long run.
    rule('default-ltv-cac', 'ltv_cac', '<', 3, 'last-month'),
    // Monthly churn above 5 % compounds to 46 % a year.
    rule('default-churn', 'churn_rate', '>', 0.05, 'last-month'),
  ];
}
