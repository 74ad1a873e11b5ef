// Shared by the alert integration tests: deps over a test store, facts by channel and day, and
// a deliverer to the Slack stand-in.
import type { AlertDeps } from '../../src/alerts/deps.ts';
import { recordAlertMessage } from '../../src/alerts/start.ts';
import { buildCatalog, type Catalog } from '../../src/kpi/catalog.ts';
import { BUILT_IN_CHANNELS } from '../../src/kpi/channels.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import { addDays } from '../../src/kpi/periods.ts';
import { createLogger } from '../../src/logger.ts';
import { createDeliverer } from '../../src/outbox/deliverer.ts';
import { createSlackWebApi } from '../../src/outbox/slack-api.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import type { SlackStandin } from '../helpers/slack-standin.ts';
import { BOT_TOKEN } from '../outbox/helpers.ts';

export const logger = createLogger('silent');
export const STHLM = 'Europe/Stockholm';

let catalog: Catalog | undefined;
export function testCatalog(): Catalog {
  if (!catalog) {
    const built = buildCatalog({});
    if (!built.ok) throw new Error(built.errors.join('\n'));
    catalog = built.catalog;
  }
  return catalog;
}

export function alertDeps(db: Db, now: () => Date, extra: Partial<AlertDeps> = {}): AlertDeps {
  return {
    db,
    catalog: testCatalog(),
    channels: BUILT_IN_CHANNELS,
    format: createFormatter({ locale: 'en-US', currency: 'SEK' }),
    logger,
    now,
    config: {
      timeZone: STHLM,
      weekStartsOn: 1,
      locale: 'en-US',
      currency: 'SEK',
      businessModel: 'ecommerce',
    },
    ...extra,
  };
}

/**
 * Daily ad_spend 100 and revenue 100 × roas per channel, for `days` days ending with `last`.
 * A channel with roas null gets ad_spend only (no revenue).
 */
export async function roasFacts(
  db: Db,
  last: string,
  days: number,
  roas: Record<string, number | null>,
): Promise<void> {
  const facts = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(last, -i);
    for (const [channel, r] of Object.entries(roas)) {
      facts.push({ day, measure: 'ad_spend', value: 100, channel, campaign: '' });
      if (r !== null)
        facts.push({ day, measure: 'revenue', value: 100 * r, channel, campaign: '' });
    }
  }
  await upsertFacts(db, facts, { source: 'test' });
}

/** A deliverer to the stand-in that records where alert messages land. */
export function standinDeliverer(db: Db, standin: SlackStandin) {
  return createDeliverer({
    db,
    slack: createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl }),
    logger,
    replicaId: 'test',
    pollMs: 50,
    retry: { baseMs: 20, maxMs: 200 },
    onSent: recordAlertMessage,
  });
}

/** The first stored fire time of a daily 09:00 Stockholm schedule on `day` (winter: 08:00Z). */
export function nineAm(day: string): Date {
  return new Date(`${day}T08:00:00Z`);
}
