// Demo data for the local workspace: loaded into an empty store on first start, and moved up to
// yesterday when the store still holds nothing but demo data from an earlier day (so that
// `/kpi roas last-week` keeps answering on the second Monday too). Data of your own is never
// touched: once any other source has written facts, the store is left as it is.
//
// On first start it also sets up what the scheduler needs to show something, with the same
// commands a person would type (`/kpi subscribe …`, `/kpi alert add …`): the weekly summary in
// #marketing and a ROAS alert by campaign in #alerts (the demo's meta/retarget decays below it).
import { runCommand } from '../commands/registry.ts';
import { demoStory } from '../demo/generate.ts';
import { DEMO_SOURCE, writeDemoFacts } from '../demo/load.ts';
import { addDays, type PeriodContext, todayIn } from '../kpi/periods.ts';
import type { IsoDate } from '../kpi/types.ts';
import type { Services } from '../services.ts';
import type { Db } from '../store/db.ts';
import { countFacts, freshness } from '../store/facts.ts';
import { LOCAL_USER } from './mode.ts';

/** Typed once, as the local person (an admin), when the demo data is first loaded. */
export const DEMO_SETUP_COMMANDS: readonly string[] = [
  'subscribe weekly #marketing',
  'alert add roas < 3x over last-7-days by campaign in #alerts',
];

export interface DemoDataResult {
  action: 'loaded' | 'refreshed' | 'kept';
  /** Facts written (0 when kept). */
  facts: number;
  /** Last day of the demo data, when it was written now. */
  end?: IsoDate;
  /** One line for the start-up output. */
  message: string;
}

export interface DemoOptions {
  /** Runs a `/kpi` command (the setup commands, on first load only). */
  run?: (command: string) => Promise<{ kind: string }>;
}

export async function ensureDemoData(
  services: { db: Db; periodContext(now?: Date): PeriodContext },
  opts: DemoOptions = {},
): Promise<DemoDataResult> {
  const { db } = services;
  const end = addDays(todayIn(services.periodContext()), -1);
  let action: DemoDataResult['action'];
  if ((await countFacts(db)) === 0) {
    action = 'loaded';
  } else {
    const feeds = await freshness(db);
    const demoOnly = feeds.length > 0 && feeds.every((f) => f.source === DEMO_SOURCE);
    const newest =
      feeds
        .map((f) => f.lastDay)
        .sort()
        .at(-1) ?? '';
    if (!demoOnly || newest >= end) {
      return { action: 'kept', facts: 0, message: 'Using the data already in the store.' };
    }
    action = 'refreshed';
  }
  const written = await writeDemoFacts(db, end);
  const story = demoStory(end);
  const failed: string[] = [];
  if (action === 'loaded' && opts.run) {
    for (const command of DEMO_SETUP_COMMANDS) {
      const outcome = await opts.run(command).catch(() => ({ kind: 'error' }));
      if (outcome.kind === 'error') failed.push(`/kpi ${command}`);
    }
  }
  return {
    action,
    facts: written,
    end,
    message: [
      `${action === 'loaded' ? 'Loaded' : 'Moved up'} the demo data: two years of a Swedish web shop up to ${end} (${story.decayingCampaign} decays below the ROAS floor; churn spikes in ${story.churnSpikeMonth}).`,
      failed.length ? `Could not set up: ${failed.join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
  };
}

/**
 * What local mode runs on start: the demo data (see ensureDemoData), with the weekly summary in
 * #marketing and a ROAS alert in #alerts set up through the `/kpi` commands on first load.
 */
export function prepareDemo(services: Services): Promise<DemoDataResult> {
  return ensureDemoData(services, {
    run: (command) =>
      runCommand(
        command,
        { userId: LOCAL_USER.id, channelId: 'C0MARKETING', isAdmin: async () => true },
        services,
      ),
  });
}
