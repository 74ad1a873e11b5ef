// The report commands on a real store: goals and subscriptions as an admin (changed, audited),
// as someone else and without an admin check (refused politely, nothing changed), goals from
// kpibot.config.yml, the summary command, and `null` for everything that is not a report command.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import { moduleFor } from '../../src/commands/registry.ts';
import { renderText } from '../../src/commands/views/text.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { REPORT_COMMANDS } from '../../src/reports/commands.ts';
import type { ReportDeps } from '../../src/reports/deps.ts';
import { loadGoals, loadSubscriptions } from '../../src/reports/store.ts';
import { readAudit } from '../../src/store/audit.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { daily, makeDeps, seed } from './deps.ts';

const NOW = new Date('2026-11-23T08:00:00+01:00');
const admin: CommandContext = {
  userId: 'UADMIN',
  channelId: 'C0MARKETING',
  now: NOW,
  isAdmin: async () => true,
};
const member: CommandContext = { ...admin, userId: 'UMEMBER', isAdmin: async () => false };
/** Read-only surfaces pass no admin check at all. */
const anonymous: CommandContext = { userId: 'cli', now: NOW };
const broken: CommandContext = {
  ...admin,
  isAdmin: async () => {
    throw new Error('users.info failed');
  },
};

async function run(text: string, ctx: CommandContext, deps: ReportDeps): Promise<CommandOutcome> {
  const module = REPORT_COMMANDS.find((m) => m === moduleFor(text));
  if (!module) throw new Error(`not a report command: ${text}`);
  return module.run(text, ctx, deps, {});
}

function expectMessage(o: CommandOutcome, tone: 'ok' | 'info' | 'refused'): string {
  expect(o.kind, JSON.stringify(o)).toBe('message');
  if (o.kind !== 'message') return '';
  expect(o.tone).toBe(tone);
  return [o.title, ...o.lines].join('\n');
}

describe.each(storeKinds())('$name store: report commands', (kind) => {
  let db: Db;
  let deps: ReportDeps;

  beforeAll(async () => {
    db = await kind.create();
    await seed(db, [
      ...daily('revenue', '2026-10-01', '2026-11-22', 20_000),
      ...daily('ad_spend', '2026-10-01', '2026-11-22', 5_000),
    ]);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('delete from goals; delete from summary_subscriptions; delete from audit_log');
    deps = makeDeps(db, {
      now: NOW,
      goals: [{ id: 'roas-floor', kpi: 'roas', comparator: '>=', targetText: '3x' }],
    });
  });

  it('leaves everything else to the other commands', async () => {
    for (const text of ['roas last-week', 'help', 'alerts', 'explain roas', '']) {
      expect(REPORT_COMMANDS).not.toContain(moduleFor(text));
    }
    for (const text of ['summary', 'goals', 'goal set x', 'subscribe weekly', 'unsubscribe s1']) {
      expect(REPORT_COMMANDS).toContain(moduleFor(text));
    }
  });

  describe('goals', () => {
    it('an admin sets goals; each is stored with who and when, and audited', async () => {
      const text = expectMessage(
        await run('goal set revenue 500000 kr per month', admin, deps),
        'ok',
      );
      expect(text).toMatch(/^Goal g\d+ set/);
      expectMessage(await run('goal set cac <= 800 kr', admin, deps), 'ok');
      const goals = await loadGoals(db);
      expect(goals.map(({ id: _, ...g }) => g)).toEqual([
        {
          kpi: 'revenue',
          comparator: '>=',
          target: 500_000,
          per: 'month',
          createdBy: 'UADMIN',
          createdAt: NOW.toISOString(),
        },
        {
          kpi: 'cac',
          comparator: '<=',
          target: 800,
          createdBy: 'UADMIN',
          createdAt: NOW.toISOString(),
        },
      ]);
      const audit = await readAudit(db, { subject: 'goal' });
      expect(audit.map((a) => [a.actor, a.action, a.subjectId])).toEqual(
        goals.map((g) => ['UADMIN', 'add', g.id]),
      );
      expect(audit[0]?.detail).toMatchObject({ text: 'revenue 500000 kr per month' });
    });

    it('the same goal with a new target updates it, audited with the old one', async () => {
      await run('goal set roas >= 4x', admin, deps);
      const [first] = await loadGoals(db);
      const text = expectMessage(await run('goal set roas >= 5x', admin, deps), 'ok');
      expect(text).toContain(`Goal ${first?.id} updated`);
      const goals = await loadGoals(db);
      expect(goals).toHaveLength(1);
      expect(goals[0]?.target).toBe(5);
      const audit = await readAudit(db, { subject: 'goal' });
      expect(audit.map((a) => a.action)).toEqual(['add', 'update']);
      expect(audit[1]?.detail).toMatchObject({ before: { target: 4 } });
      // the very same goal again changes nothing
      expectMessage(await run('goal set roas >= 5x', admin, deps), 'info');
      expect(await readAudit(db, { subject: 'goal' })).toHaveLength(2);
    });

    it.each([
      ['a member', member],
      ['a surface without an admin check', anonymous],
      ['a failing admin check', broken],
    ])('%s is refused politely and nothing changes', async (_, ctx) => {
      await run('goal set roas >= 4x', admin, deps);
      const [goal] = await loadGoals(db);
      for (const text of ['goal set revenue 500000 kr per month', `goal remove ${goal?.id}`]) {
        const said = expectMessage(await run(text, ctx, deps), 'refused');
        expect(said).toContain('Only admins can change goals');
        expect(said).toContain('Nothing was changed');
      }
      expect(await loadGoals(db)).toEqual([goal]);
      expect(await readAudit(db, { subject: 'goal' })).toHaveLength(1);
    });

    it('anyone can list goals, config goals included, with where they stand', async () => {
      await run('goal set revenue 500000 kr per month', admin, deps);
      const said = expectMessage(await run('goals', member, deps), 'info');
      expect(said).toContain('Goals: 2');
      // the config goal: ROAS 4× over the last 7 days against a 3× floor
      expect(said).toMatch(/\*roas-floor\* .* ≥ 3\.0× — met: goal ≥ 3\.0×: met \(4\.0×/);
      expect(said).toContain('from kpibot.config.yml');
      // revenue: 22 days of 20 000 = 440 000 by the 22nd of 30 → 600 000 at this pace
      expect(said).toMatch(/— on track: at this pace revenue ends the month at SEK\s600,000/);
      expect(said).toContain('set by <@UADMIN> on 2026-11-23');
    });

    it('removes a goal (audited); a config goal is changed in the file', async () => {
      await run('goal set roas >= 4x', admin, deps);
      const [goal] = await loadGoals(db);
      expectMessage(await run(`goal remove ${goal?.id}`, admin, deps), 'ok');
      expect(await loadGoals(db)).toEqual([]);
      expect((await readAudit(db, { subject: 'goal' })).map((a) => a.action)).toEqual([
        'add',
        'remove',
      ]);
      const said = expectMessage(await run('goal remove roas-floor', admin, deps), 'info');
      expect(said).toContain('defined in kpibot.config.yml');
    });

    it('says what was wrong and what would work', async () => {
      const cases: Array<[string, RegExp]> = [
        ['goal set rosa >= 4x', /don't know the KPI `rosa`/],
        ['goal set revenue 500000 kr', /needs a period/],
        ['goal set roas', /expected a target/],
        ['goal set cac <= 80 EUR', /currency|EUR|SEK/],
        ['goal remove g999', /no goal `g999`/],
        ['goal frobnicate', /don't know `goal frobnicate`/],
      ];
      for (const [text, message] of cases) {
        const o = await run(text, admin, deps);
        expect(o.kind, text).toBe('error');
        if (o.kind === 'error') {
          expect(o.message, text).toMatch(message);
          expect(o.examples?.length, text).toBeGreaterThan(0);
        }
      }
      expect(await loadGoals(db)).toEqual([]);
    });
  });

  describe('subscriptions', () => {
    it('an admin subscribes a channel (defaults: Monday 08:00, configured zone), audited', async () => {
      const said = expectMessage(await run('subscribe weekly', admin, deps), 'ok');
      expect(said).toContain('<#C0MARKETING> weekly, Mondays at 08:00 (Europe/Stockholm)');
      expectMessage(
        await run('subscribe monthly <#C0LEDNING|ledning> 2nd 09:30 Europe/Oslo', admin, deps),
        'ok',
      );
      const subs = await loadSubscriptions(db);
      expect(subs.map(({ id: _, ...s }) => s)).toEqual([
        {
          kind: 'weekly',
          channel: 'C0MARKETING',
          weekday: 1,
          hour: 8,
          minute: 0,
          createdBy: 'UADMIN',
          createdAt: NOW.toISOString(),
        },
        {
          kind: 'monthly',
          channel: 'C0LEDNING',
          dayOfMonth: 2,
          hour: 9,
          minute: 30,
          timeZone: 'Europe/Oslo',
          createdBy: 'UADMIN',
          createdAt: NOW.toISOString(),
        },
      ]);
      expect((await readAudit(db, { subject: 'subscription' })).map((a) => a.action)).toEqual([
        'add',
        'add',
      ]);
      // the same subscription again is not added twice
      expectMessage(await run('subscribe weekly monday 08:00', admin, deps), 'info');
      expect(await loadSubscriptions(db)).toHaveLength(2);
      const list = expectMessage(await run('subscriptions', member, deps), 'info');
      expect(list).toContain('Summary subscriptions: 2');
      expect(list).toContain('monthly, on the 2nd at 09:30 (Europe/Oslo)');
    });

    it('a member cannot subscribe or unsubscribe', async () => {
      await run('subscribe weekly', admin, deps);
      const [sub] = await loadSubscriptions(db);
      for (const text of ['subscribe monthly #x', `unsubscribe ${sub?.id}`]) {
        expect(expectMessage(await run(text, member, deps), 'refused')).toContain(
          'Only admins can change summary subscriptions',
        );
      }
      expect(await loadSubscriptions(db)).toEqual([sub]);
    });

    it('needs a channel when typed outside one; unsubscribes by id', async () => {
      const o = await run('subscribe weekly', { ...admin, channelId: 'D0DIRECT' }, deps);
      expect(o.kind).toBe('error');
      await run('subscribe weekly #growth', admin, deps);
      const [sub] = await loadSubscriptions(db);
      expect(sub?.channel).toBe('#growth');
      expectMessage(await run(`unsubscribe ${sub?.id}`, admin, deps), 'ok');
      expect(await loadSubscriptions(db)).toEqual([]);
      expect((await run('unsubscribe s999', admin, deps)).kind).toBe('error');
    });
  });

  describe('summary', () => {
    it('answers with the summary of last week, or of the period asked for', async () => {
      const o = await run('summary', member, deps);
      expect(o.kind).toBe('summary');
      if (o.kind !== 'summary') return;
      expect(o.summary.period.phrase).toBe('last-week');
      expect(renderText(o)).toContain('Weekly summary — week 47, 2026');
      const monthly = await run('summary last month', member, deps);
      if (monthly.kind !== 'summary') throw new Error(monthly.kind);
      expect(monthly.summary.title).toBe('Monthly summary — October 2026');
    });

    it('says what was wrong with a period', async () => {
      const o = await run('summary last wek', member, deps);
      expect(o.kind).toBe('error');
      if (o.kind === 'error') {
        expect(o.message).toMatch(/last-week/);
        expect(o.examples).toContain('/kpi summary last-month');
      }
    });
  });
});
