// A source that stops arriving, on a real store through the outbox and the Slack stand-in: the
// rules that need it are not checked, the channel is told once for all of them (not once per
// rule × group), nothing more while it stays late, and once when it is back.
//
// Two sources, daily: google-ads writes channel google's ad_spend and revenue (ROAS 2), meta-ads
// channel meta's (ROAS 2). google-ads' last day is 2026-11-20; at 09:00 on 2026-11-23 (no
// `by` configured: one day of slack) data up to 11-21 is expected: late.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import { runAlertCycle } from '../../src/alerts/cycle.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import type { RecordedCall, SlackStandin } from '../helpers/slack-standin.ts';
import { createPgliteTestDb } from '../helpers/test-db.ts';
import { posts, startStandin, tsOf } from '../outbox/helpers.ts';
import { alertDeps, nineAm, standinDeliverer } from './helpers.ts';

const ADMIN: CommandContext = {
  userId: 'UADMIN1',
  channelId: 'C0MARKET',
  isAdmin: async () => true,
};

async function feed(db: Db, source: string, channel: string, last: string, days: number) {
  const facts = [];
  for (let i = 0; i < days; i++) {
    const day = addDays(last, -i);
    facts.push(
      { day, measure: 'ad_spend', value: 100, channel, campaign: `${channel}-1` },
      { day, measure: 'revenue', value: 200, channel, campaign: `${channel}-1` },
    );
  }
  await upsertFacts(db, facts, { source });
}

const textOf = (call: RecordedCall) => JSON.stringify(call.body.blocks);

describe('a source that stops arriving', () => {
  let db: Db;
  let standin: SlackStandin;

  beforeAll(async () => {
    db = await createPgliteTestDb();
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin?.close();
    await db?.close();
  });

  it('is told once for every rule that needs it, and once when it is back', async () => {
    const deps = alertDeps(db, () => new Date('2026-11-20T07:00:00Z'));
    const deliver = () => standinDeliverer(db, standin).drain();
    for (const text of [
      'alert add roas < 3x over last-7-days by campaign',
      'alert add roas < 1x over last-7-days',
      'alert add revenue < 100 kr over last-7-days',
    ]) {
      await runAlertCommand(text, ADMIN, deps);
    }
    await feed(db, 'meta-ads', 'meta', '2026-11-22', 40);
    await feed(db, 'google-ads', 'google', '2026-11-20', 38);

    // 11-23: google-ads late. a1 and a2 need ad_spend and revenue, a3 revenue, all of which
    // google-ads writes: one message for the three. Nothing per rule or per campaign.
    const day1 = await runAlertCycle(deps, nineAm('2026-11-23'));
    expect(day1.rules).toBe(0);
    expect(day1.notifications).toBe(1);
    expect(day1.skipped.map((s) => s.ruleId).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(day1.skipped[0]?.reason).toContain('source google-ads is late');
    await deliver();
    expect(posts(standin)).toHaveLength(1);
    const late = posts(standin)[0]!;
    expect(late.body.thread_ts).toBeUndefined();
    expect(textOf(late)).toContain(
      "google-ads data stopped arriving after 2026-11-20; 3 rules can't be checked: `a1`, `a2`, `a3`.",
    );
    expect(textOf(late)).toContain('Usually arrives daily (learned from its history)');
    expect(blockKitViolations(late.body as never)).toEqual([]);

    // 11-24: still late, same newest day: nothing more.
    const day2 = await runAlertCycle(deps, nineAm('2026-11-24'));
    expect(day2.notifications).toBe(0);

    // 11-25: google-ads has caught up to 11-24: "back" in the thread, and the rules are checked
    // again (ROAS 2 everywhere: a1 fires for both campaigns in one message).
    await feed(db, 'google-ads', 'google', '2026-11-24', 4);
    await feed(db, 'meta-ads', 'meta', '2026-11-24', 2);
    const day3 = await runAlertCycle(deps, nineAm('2026-11-25'));
    expect(day3.rules).toBe(3);
    await deliver();
    const back = posts(standin).filter((c) => c.body.thread_ts === tsOf(late));
    expect(back).toHaveLength(1);
    expect(textOf(back[0]!)).toContain('google-ads data is arriving again (up to 2026-11-24)');
    const alerts = posts(standin).filter((c) => c.body.thread_ts === undefined);
    expect(alerts.map((c) => String(c.body.text)).slice(1)).toEqual([
      'ROAS is below the threshold 3.0× in 2 campaigns.',
    ]);
  });
});
