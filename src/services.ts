// What every surface (Slack, CLI, scheduler) shares: configuration, the store, the catalog.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { ConfigError } from './config.ts';
import { buildCatalog, type Catalog } from './kpi/catalog.ts';
import { buildChannelVocabulary, type ChannelVocabulary } from './kpi/channels.ts';
import { createFormatter, type Formatter } from './kpi/format.ts';
import type { PeriodContext } from './kpi/periods.ts';
import { goalsFromConfig } from './reports/goals.ts';
import { pinsFromConfig } from './reports/pins.ts';
import type { Db } from './store/db.ts';
import { openStore } from './store/db.ts';

export interface Services {
  config: Config;
  db: Db;
  catalog: Catalog;
  /** The channel vocabulary: built-in channels and `channels:` (src/kpi/channels.ts). */
  channels: ChannelVocabulary;
  format: Formatter;
  logger: Logger;
  /** The clock: KPIBOT_NOW when set, else the real time. */
  now(): Date;
  periodContext(now?: Date): PeriodContext;
  close(): Promise<void>;
}

/** Builds the catalog from configuration; a bad custom KPI, goal or pin stops start-up with every error named. */
export function catalogFromConfig(config: Config): Catalog {
  const built = buildCatalog({
    customKpis: config.customKpis,
    tierOverrides: config.tiers,
  });
  if (!built.ok) {
    throw new ConfigError(
      `Invalid KPI configuration:\n${built.errors.map((e: string) => `  - ${e}`).join('\n')}`,
    );
  }
  const errors = [
    ...goalsFromConfig(built.catalog, config.goals, { currency: config.currency }).errors,
    ...pinsFromConfig(built.catalog, config.summary).errors,
  ];
  if (errors.length > 0) {
    throw new ConfigError(
      `Invalid goals or summary pins in the configuration:\n${errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  }
  return built.catalog;
}

/**
 * The services every surface shares. `db` is a store the caller already opened (the Slack app
 * runs the embedded store on a thread of its own); without it the store is opened here.
 */
export async function createServices(config: Config, logger: Logger, db?: Db): Promise<Services> {
  const catalog = catalogFromConfig(config);
  const store = db ?? (await openStore({ ...config.store, logger }));
  const now = () => config.now ?? new Date();
  return {
    config,
    db: store,
    catalog,
    // Checked when the configuration was read (config.ts): no errors left here.
    channels: buildChannelVocabulary(config.channels).vocabulary,
    format: createFormatter({ locale: config.locale, currency: config.currency }),
    logger,
    now,
    periodContext: (at?: Date) => ({
      now: at ?? now(),
      timeZone: config.timeZone,
      weekStartsOn: config.weekStartsOn,
    }),
    close: () => store.close(),
  };
}
