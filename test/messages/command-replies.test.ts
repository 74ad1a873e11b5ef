// One language per message (issue 10 §4) for the commands that change things, end to end: under
// sv-SE the replies of `/kpi alert …`, `/kpi alerts`, `/kpi goal …`, `/kpi goals`,
// `/kpi subscribe …`, `/kpi subscriptions` and `/kpi unsubscribe …` (successes, refusals,
// unknown ids and subcommands) have no English word; under en-US the same replies do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import { moduleFor } from '../../src/commands/registry.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { REPORT_COMMANDS } from '../../src/reports/commands.ts';
import type { Db } from '../../src/store/db.ts';
import { alertDeps } from '../alerts/helpers.ts';
import { englishIn } from '../helpers/english-words.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { daily, makeDeps, seed } from '../reports/deps.ts';

const NOW = new Date('2026-11-23T08:00:00+01:00');
const admin: CommandContext = {
  userId: 'UADMIN',
  channelId: 'C0MARKETING',
  now: NOW,
  isAdmin: async () => true,
};
const member: CommandContext = { ...admin, userId: 'UMEMBER', isAdmin: async () => false };

const ALERTS: Array<[string, CommandContext]> = [
  ['alerts', admin],
  ['alert add roas < 3x over last-7-days by channel in #marketing', admin],
  ['alert add roas < 3x over last-7-days by channel in #marketing', admin],
  ['alert add roas < 3x over last-7-days channel=facebook in #marketing', admin],
  ['alerts', admin],
  ['alert pause a1', admin],
  ['alert pause a1', admin],
  ['alerts', admin],
  ['alert resume a1', admin],
  ['alert resume a1', admin],
  ['alert remove a9', admin],
  ['alert remove', admin],
  ['alert remove a1', admin],
  ['alert add', admin],
  ['alert add nosuchkpi < 3 over last-7-days in #marketing', admin],
  ['alert frobnicate', admin],
  ['alert help', admin],
  ['alert add roas < 3x over last-7-days in #marketing', member],
];

const REPORTS: Array<[string, CommandContext]> = [
  ['goals', admin],
  ['goal set revenue 500000 kr per month in #marketing', admin],
  ['goal set revenue 500000 kr per month in #marketing', admin],
  ['goal set revenue 600000 kr per month in #marketing', admin],
  ['goal set roas >= 4x', admin],
  ['goals', admin],
  ['goal remove g9', admin],
  ['goal remove', admin],
  ['goal remove roas-floor', admin],
  ['goal remove g1', admin],
  ['goal frobnicate', admin],
  ['goal help', admin],
  ['goal set roas >= 4x', member],
  ['subscriptions', admin],
  ['subscribe weekly', admin],
  ['subscribe weekly', admin],
  ['subscribe monthly <#C0LEDNING|ledning> 2nd 09:30 Europe/Oslo', admin],
  ['subscriptions', admin],
  ['unsubscribe s9', admin],
  ['unsubscribe', admin],
  ['unsubscribe s1', admin],
  ['subscribe weekly', member],
];

/** What people typed and the ids kpibot gave: rule windows, filters, ids, channel names. */
const DATA = [
  'last-7-days',
  'channel=',
  'marketing',
  'ledning',
  'roas-floor',
  ...['a', 'g', 's'].flatMap((x) => [1, 2, 3, 4, 9].map((n) => `${x}${n}`)),
];

function textOf(o: CommandOutcome): string {
  if (o.kind === 'message') return [o.title, ...o.lines].join('\n');
  if (o.kind === 'error') return o.message;
  throw new Error(`unexpected outcome: ${JSON.stringify(o)}`);
}

describe.each(['sv-SE', 'en-US'])(
  'the replies of the commands that change things, %s',
  (locale) => {
    let db: Db;
    const replies: Array<[string, string]> = [];

    beforeAll(async () => {
      db = await createTestDb();
      await seed(db, [
        ...daily('revenue', '2026-10-01', '2026-11-22', 20_000),
        ...daily('ad_spend', '2026-10-01', '2026-11-22', 5_000),
      ]);
      const alerts = alertDeps(db, () => NOW, {
        format: createFormatter({ locale, currency: 'SEK' }),
      });
      alerts.config = { ...alerts.config, locale };
      for (const [text, ctx] of ALERTS) {
        replies.push([text, textOf(await runAlertCommand(text, ctx, alerts))]);
      }
      const reports = makeDeps(db, {
        now: NOW,
        locale,
        goals: [{ id: 'roas-floor', kpi: 'roas', comparator: '>=', targetText: '3x' }],
      });
      for (const [text, ctx] of REPORTS) {
        const module = REPORT_COMMANDS.find((m) => m === moduleFor(text));
        if (!module) throw new Error(`not a report command: ${text}`);
        replies.push([text, textOf(await module.run(text, ctx, reports, {}))]);
      }
    });
    afterAll(async () => {
      await db?.close();
    });

    it(locale === 'sv-SE' ? 'have no English word' : 'do use English words', () => {
      const found = replies
        .map(([text, reply]) => [text, englishIn(reply, DATA)] as const)
        .filter(([, words]) => words.length > 0);
      if (locale === 'sv-SE') expect(found).toEqual([]);
      else expect(found.length).toBeGreaterThan(ALERTS.length);
    });
  },
);
