// What the report code needs from the app. `Services` (src/services.ts) satisfies it as it is;
// once config.ts has `goals: goalsConfigSchema`, `services.config.goals` is read from here too.

import type { Catalog } from '../kpi/catalog.ts';
import type { Formatter } from '../kpi/format.ts';
import type { PeriodContext } from '../kpi/periods.ts';
import type { BusinessModel } from '../kpi/types.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../store/db.ts';
import type { GoalConfig } from './goal.ts';
import type { SummaryConfig } from './pins.ts';

export interface ReportDeps {
  db: Db;
  catalog: Catalog;
  format: Formatter;
  logger: Logger;
  /** The clock (KPIBOT_NOW when set). */
  now(): Date;
  periodContext(now?: Date): PeriodContext;
  config: {
    /** Default timezone of summaries and subscriptions. */
    timeZone: string;
    weekStartsOn: PeriodContext['weekStartsOn'];
    /** Names of KPIs: Swedish for `sv-*`, English otherwise. */
    locale: string;
    /** Goal targets written in another currency are refused. */
    currency: string;
    businessModel: BusinessModel;
    /** The `goals:` entries of kpibot.config.yml (goalsConfigSchema's output). */
    goals?: readonly GoalConfig[];
    /** `summary:` of kpibot.config.yml: pinned KPIs, the movers' volume floors (pins.ts). */
    summary?: SummaryConfig;
  };
}

/** The context for resolving periods at `now` in `timeZone` (default: the configured one). */
export function periodContextIn(deps: ReportDeps, now: Date, timeZone?: string): PeriodContext {
  const ctx = deps.periodContext(now);
  return timeZone ? { ...ctx, timeZone } : ctx;
}
