// What the alert code needs from the app. `Services` (src/services.ts) satisfies it as it is:
// `runAlertCycle(services, now)`.
import type { Catalog } from '../kpi/catalog.ts';
import type { ChannelVocabulary } from '../kpi/channels.ts';
import type { Formatter } from '../kpi/format.ts';
import type { PeriodContext } from '../kpi/periods.ts';
import type { BusinessModel } from '../kpi/types.ts';
import type { Logger } from '../logger.ts';
import type { ArrivalConfig } from '../sources/arrival.ts';
import type { Db } from '../store/db.ts';

export interface AlertDeps {
  db: Db;
  catalog: Catalog;
  /** Channels in a rule's `channel=…` are read through it (`facebook` → meta). */
  channels: ChannelVocabulary;
  format: Formatter;
  logger: Logger;
  /** The clock (KPIBOT_NOW when set). */
  now(): Date;
  config: {
    /** Default timezone of rules and their windows. */
    timeZone: string;
    weekStartsOn: PeriodContext['weekStartsOn'];
    /** Names of KPIs in messages: Swedish for `sv-*`, English otherwise. */
    locale: string;
    /** Thresholds written in another currency are refused. */
    currency: string;
    businessModel: BusinessModel;
    /** How sources' data arrives, by facts.source; the others' cadence is learned. */
    arrivals?: Readonly<Record<string, ArrivalConfig>>;
  };
  /** Told when notifications were written to the outbox (e.g. the deliverer's `wake`). */
  onEnqueued?: () => void;
}
