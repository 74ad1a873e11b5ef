// `/kpi summary pin|unpin|pins` on a real store: admins change the pinned KPIs (stored as changes
// to the configuration's list, audited), anyone else is refused and nothing changes, mistakes
// get a clear message; the summary built from the store shows the pins in the message and the
// rest for the thread. A pin lives in the store: a fresh set of deps over the same store (as
// after a restart) sees it, and an edited configuration still counts for the KPIs no one pinned.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { buildSummary } from '../../src/reports/build.ts';
import { summaryCommands } from '../../src/reports/commands.ts';
import { moverExclusions } from '../../src/reports/mover-volume.ts';
import { loadPinChanges } from '../../src/reports/pin-store.ts';
import { DEFAULT_MIN_VOLUME, effectivePins } from '../../src/reports/pins.ts';
import { readAudit } from '../../src/store/audit.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { daily, makeDeps, seed } from './deps.ts';

const NOW = new Date('2026-11-23T08:00:00+01:00');
const admin: CommandContext = { userId: 'UADMIN', now: NOW, isAdmin: async () => true };
const member: CommandContext = { ...admin, userId: 'UMEMBER', isAdmin: async () => false };

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await seed(db, [
    ...daily('revenue', '2026-11-01', '2026-11-22', 20_000),
    ...daily('ad_spend', '2026-11-01', '2026-11-22', 5_000),
    ...daily('orders', '2026-11-01', '2026-11-22', 40),
    ...daily('leads', '2026-11-01', '2026-11-22', 2),
  ]);
});
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await db.exec('delete from summary_pins; delete from audit_log');
});

const deps = (summary?: { kpis?: string[] }, locale?: string) =>
  makeDeps(db, { now: NOW, ...(summary ? { summary } : {}), ...(locale ? { locale } : {}) });

const run = (text: string, ctx: CommandContext, d = deps()) =>
  summaryCommands.run(`summary ${text}`, ctx, d, {});

function messageOf(o: CommandOutcome, tone: 'ok' | 'info' | 'refused'): string {
  expect(o.kind, JSON.stringify(o)).toBe('message');
  if (o.kind !== 'message') return '';
  expect(o.tone).toBe(tone);
  return [o.title, ...o.lines].join('\n');
}

const pinnedIds = async (d = deps()) => (await effectivePins(d)).map((p) => p.id);

describe('pinning from Slack', () => {
  it('an admin pins and unpins; each change is stored with who and when, and audited', async () => {
    const pinned = messageOf(await run('pin average order value', admin), 'ok');
    expect(pinned).toBe(
      [
        'Average order value pinned to the summary',
        'The summary shows, after the goals: Customer acquisition cost, Conversion rate, LTV/CAC, ROAS, Revenue, Average order value.',
        'Every other business KPI is in the summary’s thread.',
      ].join('\n'),
    );
    messageOf(await run('unpin ltv/cac', admin), 'ok');
    expect(await loadPinChanges(db)).toEqual([
      { kpi: 'aov', pinned: true, by: 'UADMIN', at: NOW },
      { kpi: 'ltv_cac', pinned: false, by: 'UADMIN', at: NOW },
    ]);
    expect(await pinnedIds()).toEqual(['cac', 'conversion_rate', 'roas', 'revenue', 'aov']);
    const audit = await readAudit(db, { subject: 'pin' });
    expect(audit.map((a) => [a.actor, a.action, a.subjectId, a.detail])).toEqual([
      ['UADMIN', 'add', 'aov', { text: 'average order value' }],
      ['UADMIN', 'remove', 'ltv_cac', { text: 'ltv/cac' }],
    ]);
  });

  it('a member is refused and nothing changes', async () => {
    const refused = messageOf(await run('pin aov', member), 'refused');
    expect(refused).toContain('Only admins can change the summary’s pinned KPIs');
    expect(await loadPinChanges(db)).toEqual([]);
    expect(await readAudit(db, { subject: 'pin' })).toEqual([]);
  });

  it('pinning what is pinned, or unpinning what is not, changes nothing and says so', async () => {
    expect(messageOf(await run('pin roas', admin), 'info')).toMatch(
      /^ROAS is pinned already\nNothing was changed\./,
    );
    expect(messageOf(await run('unpin aov', admin), 'info')).toMatch(
      /^Average order value is not pinned\nNothing was changed\./,
    );
    expect(await loadPinChanges(db)).toEqual([]);
  });

  it('says what was wrong: no KPI, an unknown one (did you mean), a context metric, a full list', async () => {
    expect(await run('pin', admin)).toMatchObject({
      kind: 'error',
      message: 'Which KPI? Name it, e.g. `/kpi summary pin roas`.',
    });
    expect(await run('pin rosa', admin)).toMatchObject({
      kind: 'error',
      message: "I don't know the KPI `rosa`.",
      suggestions: ['/kpi summary pin roas'],
    });
    expect(await run('pin impressions', admin)).toMatchObject({
      kind: 'error',
      message: 'Impressions is a context metric: it stays below the divider. Pin a business KPI.',
    });
    for (const kpi of ['aov', 'cpa', 'cpl']) messageOf(await run(`pin ${kpi}`, admin), 'ok');
    expect(await pinnedIds()).toHaveLength(8);
    expect(await run('pin orders', admin)).toMatchObject({
      kind: 'error',
      message:
        '8 KPIs are pinned, the most a summary shows: unpin one first (`/kpi summary unpin <kpi>`).',
    });
    expect(await pinnedIds()).not.toContain('orders');
  });

  it('lists the pins and where each comes from; in Swedish under sv-SE', async () => {
    await run('pin aov', admin);
    const list = messageOf(await run('pins', member), 'info');
    expect(list.split('\n')).toEqual([
      'Pinned KPIs in the summary: 6',
      '1. *Customer acquisition cost* (default)',
      '2. *Conversion rate* (default)',
      '3. *LTV/CAC* (default)',
      '4. *ROAS* (default)',
      '5. *Revenue* (default)',
      '6. *Average order value* (pinned by <@UADMIN> on 2026-11-23)',
      'Change them with `/kpi summary pin <kpi>` and `/kpi summary unpin <kpi>`.',
    ]);
    const sv = messageOf(await run('fäst orders', admin, deps(undefined, 'sv-SE')), 'ok');
    expect(sv.split('\n')[0]).toBe('Ordrar är fäst i sammanfattningen');
  });
});

describe('where pins live: the configuration’s list, with the Slack changes over it', () => {
  it('a pin made in Slack is in the store: new deps see it, and a later file edit still counts', async () => {
    await run('pin aov', admin, deps({ kpis: ['roas', 'revenue'] }));
    // as after a restart: nothing but the store and the file carries over
    expect(await pinnedIds(deps({ kpis: ['roas', 'revenue'] }))).toEqual([
      'roas',
      'revenue',
      'aov',
    ]);
    // the file now lists orders instead of revenue: Slack's aov stays, the file's change counts
    expect(await pinnedIds(deps({ kpis: ['roas', 'orders'] }))).toEqual(['roas', 'orders', 'aov']);
  });

  it('the summary shows the pins in the message and every other business KPI for the thread', async () => {
    await run('pin orders', admin);
    await run('unpin conversion_rate', admin);
    const s = await buildSummary(deps(), { now: NOW });
    expect(s.business.map((k) => k.id)).toEqual(['cac', 'ltv_cac', 'roas', 'revenue', 'orders']);
    const business = deps()
      .catalog.list()
      .filter((k) => deps().catalog.tierOf(k.id) === 'business')
      .map((k) => k.id);
    expect(new Set(s.more.kpis.map((k) => k.id))).toEqual(
      new Set(business.filter((id) => !s.business.some((k) => k.id === id))),
    );
    // week 47: revenue 7 × 20 000 = 140 000 kr on 7 × 5 000 = 35 000 kr of ad spend, 4.0×
    const roas = s.business.find((k) => k.id === 'roas');
    expect(roas?.value).toBeCloseTo(140_000 / 35_000, 9);
  });
});

describe('the movers’ guard on the store', () => {
  it('reads each KPI’s floored measures over both weeks: 14 leads a week keep cost per lead out', async () => {
    const d = deps();
    const kpis = ['roas', 'cpl', 'aov', 'organic_traffic_growth'].map((id) => d.catalog.get(id)!);
    const week47 = { start: '2026-11-16', end: '2026-11-22' };
    const week46 = { start: '2026-11-09', end: '2026-11-15' };
    const excluded = await moverExclusions(
      d,
      kpis,
      { current: week47, previous: week46 },
      DEFAULT_MIN_VOLUME,
    );
    // roas: ad spend 7 × 5 000 = 35 000 kr both weeks (floor 5 000); aov: 7 × 40 = 280 orders
    // (floor 30); cpl: 7 × 2 = 14 leads the week before, under 30 (checked first); organic
    // traffic growth is a change of a change whatever its volume
    expect(excluded).toEqual(
      new Map([
        [
          'cpl',
          { reason: 'low-volume', measure: 'leads', period: 'previous', value: 14, floor: 30 },
        ],
        ['organic_traffic_growth', { reason: 'change-of-change' }],
      ]),
    );
  });
});
