// Change and anomaly rules and the volume guard through the alert cycle on a real store: what
// each group is checked against, what a held group keeps, and the condition's line in the
// message. Expected figures are worked out by hand from the seeded facts (comments say how).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import { runAlertCycle } from '../../src/alerts/cycle.ts';
import type { AlertDeps } from '../../src/alerts/deps.ts';
import { loadStates } from '../../src/alerts/store.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { listOutbox } from '../../src/outbox/store.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { createPgliteTestDb } from '../helpers/test-db.ts';
import { alertDeps } from './helpers.ts';

const ADMIN: CommandContext = {
  userId: 'UADMIN1',
  channelId: 'C0MARKET',
  isAdmin: async () => true,
};
// Monday 2026-11-23, 09:00 in Stockholm: `yesterday` is Sunday 2026-11-22.
const AT = new Date('2026-11-23T08:00:00Z');

const day = (d: string, channel: string, spend: number, revenue: number): FactInput[] => [
  { day: d, measure: 'ad_spend', value: spend, channel, campaign: '' },
  { day: d, measure: 'revenue', value: revenue, channel, campaign: '' },
];

async function add(deps: AlertDeps, text: string): Promise<string> {
  const outcome = await runAlertCommand(`alert add ${text}`, ADMIN, deps);
  const id = (outcome as { title?: string }).title?.match(/^Alert (\S+) added$/)?.[1];
  if (!id) throw new Error(JSON.stringify(outcome));
  return id;
}

const texts = async (db: Db) => (await listOutbox(db)).map((row) => JSON.stringify(row.payload));

describe('alert conditions through the cycle (pglite store)', () => {
  let db: Db;
  let deps: AlertDeps;

  beforeAll(async () => {
    db = await createPgliteTestDb();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('delete from alert_rules; delete from outbox; delete from facts;');
    deps = alertDeps(db, () => AT);
  });

  it('the guard stops a percent-change rule on a 200 kr spend day; the same rule without it fires', async () => {
    // Saturday: 24 000 / 6 000 = 4.0×; Sunday: 100 / 200 = 0.5×, a change of −87.5 %.
    await upsertFacts(
      db,
      [...day('2026-11-21', 'meta', 6000, 24000), ...day('2026-11-22', 'meta', 200, 100)],
      {
        source: 'test',
      },
    );
    const guarded = await add(
      deps,
      'roas drops 20% vs previous over yesterday channel=meta when ad_spend >= 5000 kr',
    );
    const plain = await add(deps, 'roas drops 20% vs previous over yesterday channel=meta');

    const report = await runAlertCycle(deps, AT, { manual: true });
    expect(report.notifications).toBe(1);
    const byRule = new Map((await loadStates(db)).map((s) => [s.ruleId, s.state]));
    expect(byRule.get(guarded)).toMatchObject({
      status: 'ok',
      held: { kind: 'guard', measure: 'ad_spend', value: 200 },
    });
    expect(byRule.get(plain)).toMatchObject({ status: 'firing', lastValue: 0.5 });

    // The firing one was checked against 4.0 − 0.2 × 4.0 = 3.2×.
    const [message] = await texts(db);
    expect(message).toContain('ROAS is at or below 3.2×');
    expect(message).toContain('−88% vs the previous period (4.0× → 0.5×)');

    const listed = JSON.stringify(await runAlertCommand('alerts', ADMIN, deps));
    expect(listed).toContain('not checked: ad_spend SEK\u00a0200, checked from ≥ SEK\u00a05,000');
  });

  it('a change from a zero base is not checked, so it never fires', async () => {
    // Saturday: spend 1 000, revenue 0 → ROAS 0×; Sunday 3×: "+∞ %" is no change to alert on.
    await upsertFacts(
      db,
      [...day('2026-11-21', 'meta', 1000, 0), ...day('2026-11-22', 'meta', 1000, 3000)],
      {
        source: 'test',
      },
    );
    const id = await add(deps, 'roas rises 10% vs previous over yesterday channel=meta');
    const report = await runAlertCycle(deps, AT, { manual: true });
    expect(report.notifications).toBe(0);
    const [state] = await loadStates(db, [id]);
    expect(state?.state.held).toEqual({ kind: 'base', vs: 'previous', nearZero: true });
  });

  it('an anomaly rule: silent on a usual Sunday, firing on an unusual one', async () => {
    // Weekdays 5.0×, Sundays lower: the 8 Sundays before 2026-11-22, oldest first, at
    // 3.0 3.2 3.1 3.0 3.3 3.1 3.2 3.1 → median 3.1; distances 0.1 0.1 0 0.1 0.2 0 0.1 0 → MAD 0.1;
    // spread max(1.4826 × 0.1, 5 % of 3.1) = 0.155; 4 × 0.155 = 0.62 → expected 2.48–3.72×.
    const sundays = [3.0, 3.2, 3.1, 3.0, 3.3, 3.1, 3.2, 3.1];
    const facts: FactInput[] = [];
    for (let i = 1; i <= 62; i++) {
      const d = addDays('2026-11-22', -i);
      const sunday = i % 7 === 0;
      facts.push(...day(d, 'google-ads', 1000, sunday ? 1000 * sundays[8 - i / 7]! : 5000));
    }
    // Yesterday, a usual Sunday: 3.1×, well below the weekdays' 5× but inside its own range.
    await upsertFacts(db, [...facts, ...day('2026-11-22', 'google-ads', 1000, 3100)], {
      source: 'test',
    });
    const id = await add(deps, 'roas is anomalous over yesterday by channel');
    expect((await runAlertCycle(deps, AT, { manual: true })).notifications).toBe(0);
    expect((await loadStates(db, [id]))[0]?.state).toMatchObject({ status: 'ok', lastValue: 3.1 });

    // The same Sunday corrected to 1.5×: below 2.48×.
    await upsertFacts(db, day('2026-11-22', 'google-ads', 1000, 1500), { source: 'test' });
    const later = new Date(AT.getTime() + 60_000);
    expect((await runAlertCycle(deps, later, { manual: true })).notifications).toBe(1);
    const [message] = await texts(db);
    expect(message).toContain('ROAS — channel google-ads is below 2.48×');
    expect(message).toContain(
      'Expected 2.48×–3.72× (from the same days of the previous 8 weeks), got 1.5×',
    );
  });
});
