// The one audit log: written and read in order, filtered by subject; and migration 300, which
// moved the rows of the two tables it replaces (alert_audit, report_audit) into it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readAudit, writeAudit } from '../../src/store/audit.ts';
import type { Db } from '../../src/store/db.ts';
import { AUDIT_MIGRATIONS } from '../../src/store/schema-audit.ts';
import { storeKinds } from '../helpers/test-db.ts';

/** The two tables as migrations 110 and 200 created them (released: frozen). */
const OLD_TABLES = `
  create table alert_audit (
    id bigserial primary key, at timestamptz not null, actor text not null,
    action text not null, rule_id text collate "C" not null, group_key text collate "C",
    detail jsonb not null default '{}'
  );
  create table report_audit (
    id bigserial primary key, at timestamptz not null, actor text not null,
    action text not null,
    subject text not null check (subject in ('goal', 'subscription')),
    subject_id text collate "C" not null, detail jsonb not null default '{}'
  );`;

class RolledBack extends Error {}

describe.each(storeKinds())('$name store: audit log', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('delete from audit_log');
  });

  it('keeps entries in the order written, and filters by subject and id', async () => {
    const at = new Date('2026-11-02T08:00:00Z');
    await writeAudit(db, [
      { at, actor: 'U1', action: 'add', subject: 'alert', subjectId: 'a1', detail: { x: 1 } },
      {
        at,
        actor: 'U1',
        action: 'acknowledge',
        subject: 'alert',
        subjectId: 'a1',
        groupKey: 'meta',
      },
      { at, actor: 'U2', action: 'add', subject: 'goal', subjectId: 'g1' },
      { at, actor: 'U2', action: 'add', subject: 'alert', subjectId: 'a2' },
    ]);
    await writeAudit(db, []);
    const all = await readAudit(db);
    expect(all.map((e) => `${e.subject}:${e.subjectId}:${e.action}`)).toEqual([
      'alert:a1:add',
      'alert:a1:acknowledge',
      'goal:g1:add',
      'alert:a2:add',
    ]);
    expect(all[0]).toMatchObject({ at, actor: 'U1', detail: { x: 1 } });
    expect(all[1]?.groupKey).toBe('meta');
    expect(all[0]).not.toHaveProperty('groupKey');
    expect((await readAudit(db, { subject: 'goal' })).map((e) => e.subjectId)).toEqual(['g1']);
    expect(
      (await readAudit(db, { subject: 'alert', subjectId: 'a1' })).map((e) => e.action),
    ).toEqual(['add', 'acknowledge']);
  });

  it('refuses a subject it does not know', async () => {
    await expect(
      db.query(
        `insert into audit_log (at, actor, action, subject, subject_id)
         values (now(), 'U1', 'add', 'dashboard', 'd1')`,
      ),
    ).rejects.toThrow(/check/i);
  });

  it('migration 300 moves both old tables into it, in time order, and drops them', async () => {
    // Back to the tables before 300, inside a transaction that is rolled back at the end.
    const moved = db.transaction(async (tx) => {
      await tx.exec(`drop table audit_log; ${OLD_TABLES}`);
      await tx.exec(`
        insert into alert_audit (at, actor, action, rule_id, group_key, detail) values
          ('2026-10-01T08:00:00Z', 'U1', 'add', 'a1', null, '{"text":"roas < 3x"}'),
          ('2026-10-03T08:00:00Z', 'U2', 'acknowledge', 'a1', 'meta', '{}');
        insert into report_audit (at, actor, action, subject, subject_id, detail) values
          ('2026-10-02T08:00:00Z', 'U3', 'add', 'goal', 'g1', '{"goal":{"kpi":"cac"}}'),
          ('2026-10-03T08:00:00Z', 'U3', 'remove', 'subscription', 's1', '{}');`);
      await tx.exec(AUDIT_MIGRATIONS[0]!.sql);
      const rows = await readAudit(tx);
      const left = await tx.query<{ n: number }>(
        `select count(*)::int as n from information_schema.tables
         where table_name in ('alert_audit', 'report_audit') and table_schema = current_schema()`,
      );
      throw Object.assign(new RolledBack(), { rows, left: left[0]?.n });
    });
    const err = (await moved.catch((e: unknown) => e)) as RolledBack & {
      rows: Awaited<ReturnType<typeof readAudit>>;
      left: number;
    };
    expect(err).toBeInstanceOf(RolledBack);
    expect(err.left).toBe(0);
    expect(
      err.rows.map((e) => [e.at.toISOString().slice(0, 10), e.subject, e.subjectId, e.action]),
    ).toEqual([
      ['2026-10-01', 'alert', 'a1', 'add'],
      ['2026-10-02', 'goal', 'g1', 'add'],
      // the same instant: alert entries first, then the reports'
      ['2026-10-03', 'alert', 'a1', 'acknowledge'],
      ['2026-10-03', 'subscription', 's1', 'remove'],
    ]);
    expect(err.rows[0]?.detail).toEqual({ text: 'roas < 3x' });
    expect(err.rows[1]?.detail).toEqual({ goal: { kpi: 'cac' } });
    expect(err.rows[2]?.groupKey).toBe('meta');
    // rolled back: the store still has its audit log
    expect(await readAudit(db)).toEqual([]);
  });
});
