// `/kpi alert …` and `/kpi alerts` on a real store: admins change rules (audited), everyone else
// is refused politely and nothing changes; the list shows state, last value and author. Also
// the rules from kpibot.config.yml and the defaults, brought in on start.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import { runAlertCycle } from '../../src/alerts/cycle.ts';
import type { AlertDeps } from '../../src/alerts/deps.ts';
import { alertsConfigSchema } from '../../src/alerts/rule.ts';
import { auditLog, getRule, loadRules, loadStates } from '../../src/alerts/store.ts';
import { AlertConfigError, syncOwnedRules } from '../../src/alerts/sync.ts';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { alertDeps, nineAm, roasFacts } from './helpers.ts';

const ADMIN: CommandContext = {
  userId: 'UADMIN1',
  channelId: 'C0MARKET',
  isAdmin: async () => true,
};
const MEMBER: CommandContext = {
  userId: 'UMEMBER1',
  channelId: 'C0MARKET',
  isAdmin: async () => false,
};

function lines(o: CommandOutcome): string {
  return o.kind === 'message' ? [o.title, ...o.lines].join('\n') : JSON.stringify(o);
}

describe.each(storeKinds())('$name store: alert commands', (kind) => {
  let db: Db;
  let deps: AlertDeps;
  const clock = new Date('2026-11-23T07:00:00Z');

  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec(
      'delete from alert_rules; delete from audit_log; delete from facts; delete from outbox;',
    );
    deps = alertDeps(db, () => clock);
  });

  const run = (text: string, ctx: CommandContext = ADMIN) => runAlertCommand(text, ctx, deps);

  it.each<[string, CommandContext]>([
    ['a member', MEMBER],
    ['a surface without an admin check', { userId: 'U1', channelId: 'C1' }],
    [
      'an admin check that fails',
      {
        userId: 'U1',
        channelId: 'C1',
        isAdmin: async () => {
          throw new Error('users.info: ratelimited');
        },
      },
    ],
  ])('refuses %s politely, and nothing changes', async (_name, ctx) => {
    const outcome = await run('alert add roas < 3x over last-7-days', ctx);
    expect(outcome).toMatchObject({ kind: 'message', tone: 'refused' });
    expect(lines(outcome)).toContain('Nothing was changed');
    expect(await loadRules(db)).toEqual([]);
    expect(await auditLog(db)).toEqual([]);
  });

  it('adds a rule as an admin, audited, listed with its state, last value and author', async () => {
    const added = await run(
      'alert add roas < 3x over last-7-days by channel in <#C0ALERTS|alerts>',
    );
    expect(added).toMatchObject({ kind: 'message', tone: 'ok' });
    expect(lines(added)).toContain('ROAS < 3.0× over last-7-days, by channel → <#C0ALERTS>');
    expect(lines(added)).toContain('daily at 09:00');
    const [stored] = await loadRules(db);
    expect(stored?.rule).toMatchObject({
      kpi: 'roas',
      comparator: '<',
      threshold: 3,
      groupBy: 'channel',
      channel: 'C0ALERTS',
      createdBy: 'UADMIN1',
    });
    expect(await auditLog(db)).toMatchObject([
      { actor: 'UADMIN1', action: 'add', ruleId: stored!.rule.id, at: clock },
    ]);

    expect(lines(await run('alerts', MEMBER))).toContain('not checked yet');
    await roasFacts(db, '2026-11-22', 10, { meta: 2, google: 4 });
    await runAlertCycle(deps, nineAm('2026-11-23'));
    const list = lines(await run('alerts', MEMBER));
    expect(list).toContain('*firing*: meta 2.0×');
    expect(list).toContain('ok: google 4.0×');
    expect(list).toContain('created by <@UADMIN1>');
    expect(list).toContain('Alert rules: 1, 1 firing');
  });

  it('posts to the channel the command came from when none is named', async () => {
    await run('alert add churn_rate > 5% over last-month');
    expect((await loadRules(db))[0]?.rule.channel).toBe('C0MARKET');
    const dm = await run('alert add roas < 3x', { ...ADMIN, channelId: 'D0DIRECT' });
    expect(dm).toMatchObject({ kind: 'error', message: expect.stringContaining('in #channel') });
  });

  it('explains what is wrong with a rule, with a "did you mean"', async () => {
    expect(await run('alert add roaz < 3x')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('roaz'),
      suggestions: [expect.stringContaining('alert add roas < 3x')],
    });
    expect(await run('alert add roas 3x')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('comparison'),
    });
    expect(await run('alert add roas < 5%')).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('multiple'),
    });
    expect(await run('alert add roas < 3x over last-fortnight')).toMatchObject({ kind: 'error' });
    expect(await run('alert frobnicate')).toMatchObject({ kind: 'error' });
    expect(await loadRules(db)).toEqual([]);
  });

  it('does not add the same rule twice', async () => {
    await run('alert add roas < 3x over last-7-days in #marketing');
    const again = await run('alert add roas < 3x over last-7-days in #marketing');
    expect(again).toMatchObject({ kind: 'message', tone: 'info' });
    expect(await loadRules(db)).toHaveLength(1);
  });

  it('pause, resume and remove: audited; a paused rule is not evaluated', async () => {
    await run('alert add roas < 3x over last-7-days');
    const id = (await loadRules(db))[0]!.rule.id;
    expect(await run(`alert pause ${id}`, MEMBER)).toMatchObject({ tone: 'refused' });
    expect(await run(`alert pause ${id}`)).toMatchObject({ tone: 'ok' });
    expect(await run(`alert pause ${id}`)).toMatchObject({ tone: 'info' });
    expect(lines(await run('alerts'))).toContain('_paused_');
    await roasFacts(db, '2026-11-22', 10, { meta: 2 });
    expect(await runAlertCycle(deps, nineAm('2026-11-23'))).toMatchObject({ rules: 0 });
    expect(await run(`alert resume ${id}`)).toMatchObject({ tone: 'ok' });
    expect(await runAlertCycle(deps, nineAm('2026-11-24'))).toMatchObject({ rules: 1 });
    expect(await loadStates(db, [id])).toHaveLength(1);
    expect(await run(`alert remove ${id}`)).toMatchObject({ tone: 'ok' });
    expect(await getRule(db, id)).toBeUndefined();
    expect(await loadStates(db, [id])).toEqual([]);
    expect((await auditLog(db, id)).map((e) => [e.actor, e.action])).toEqual([
      ['UADMIN1', 'add'],
      ['UADMIN1', 'pause'],
      ['UADMIN1', 'resume'],
      ['UADMIN1', 'remove'],
    ]);
    expect(await run('alert remove a999')).toMatchObject({ kind: 'error' });
  });

  it('suggests the id you probably meant', async () => {
    await syncOwnedRules(deps, [], clock);
    expect(await run('alert pause default-chrn')).toMatchObject({
      kind: 'error',
      suggestions: ['/kpi alert pause default-churn'],
    });
  });

  describe('rules from kpibot.config.yml and the defaults', () => {
    const config = (entries: unknown[]) => alertsConfigSchema.parse(entries);

    it('ship the default rules with no channel, and apply the config file (audited)', async () => {
      const entries = config([
        { kpi: 'roas', comparator: '<', threshold: '4x', channel: 'C0GROWTH', id: 'roas-floor' },
        // the default ROAS floor, given a channel
        {
          id: 'default-roas-floor',
          kpi: 'roas',
          comparator: '<',
          threshold: '3x',
          channel: '#marketing',
        },
      ]);
      const first = await syncOwnedRules(deps, entries, clock);
      expect(first.inserted.sort()).toEqual([
        'default-churn',
        'default-ltv-cac',
        'default-roas-floor',
        'roas-floor',
      ]);
      const rules = new Map((await loadRules(db)).map((s) => [s.rule.id, s]));
      expect(rules.get('default-churn')?.rule.channel).toBeUndefined();
      expect(rules.get('default-churn')?.source).toBe('default');
      expect(rules.get('default-roas-floor')).toMatchObject({
        source: 'config',
        rule: { channel: '#marketing', threshold: 3 },
      });
      expect(lines(await run('alerts'))).toContain('from kpibot.config.yml');
      expect(lines(await run('alerts'))).toContain('posts nowhere');

      // Unchanged on the next start; a changed threshold is an update; a dropped entry goes.
      expect(await syncOwnedRules(deps, entries, clock)).toMatchObject({
        inserted: [],
        updated: [],
      });
      const changed = config([
        { kpi: 'roas', comparator: '<', threshold: '3.5x', channel: 'C0GROWTH', id: 'roas-floor' },
      ]);
      const second = await syncOwnedRules(deps, changed, clock);
      expect(second).toMatchObject({ updated: ['roas-floor'], removed: ['default-roas-floor'] });
      // the default ROAS floor comes back as a default (no channel) once the override is gone
      expect(second.inserted).toEqual(['default-roas-floor']);
      expect((await auditLog(db, 'roas-floor')).map((e) => e.action)).toEqual([
        'config-add',
        'config-update',
      ]);
      // A config rule cannot be removed from Slack (it would come back on start).
      expect(await run('alert remove roas-floor')).toMatchObject({ tone: 'info' });
      expect(await getRule(db, 'roas-floor')).toBeDefined();
      // A default rule removed from Slack stays removed.
      expect(await run('alert remove default-churn')).toMatchObject({ tone: 'ok' });
      await syncOwnedRules(deps, changed, clock);
      expect(await getRule(db, 'default-churn')).toBeUndefined();
    });

    it('stop start-up on a bad entry, naming it, and write nothing', async () => {
      const bad = config([
        { kpi: 'roas', comparator: '<', threshold: '3x' },
        { kpi: 'roaz', comparator: '<', threshold: '3x', id: 'typo' },
        { kpi: 'churn_rate', comparator: '>', threshold: '5', id: 'bare' },
      ]);
      const error = await syncOwnedRules(deps, bad, clock).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AlertConfigError);
      expect((error as Error).message).toContain('alerts[1] (typo): unknown KPI "roaz"');
      expect((error as Error).message).toContain('alerts[2] (bare)');
      expect(await loadRules(db)).toEqual([]);
    });
  });
});
