// `adminChange`, the sequence every changing command goes through: the admin gate (a failed check
// counts as "no"), the change and its audit entry in one transaction, the hook after an `ok`.
import { describe, expect, it, vi } from 'vitest';
import {
  type AuditNote,
  adminChange,
  adminRefusal,
  type ChangeKind,
} from '../../src/reply/admin.ts';
import { type CommandContext, message } from '../../src/reply/command.ts';
import type { Db } from '../../src/store/db.ts';

const AT = new Date('2026-03-02T09:00:00Z');
const CLOCK = new Date('2026-03-03T10:00:00Z');

function setup() {
  const audited: Array<AuditNote & { at: Date; actor: string; tx: Db }> = [];
  const tx = { name: 'tx' } as unknown as Db;
  const transactions: number[] = [];
  const deps = {
    db: {
      transaction: async <T>(fn: (q: Db) => Promise<T>): Promise<T> => {
        transactions.push(1);
        return fn(tx);
      },
    },
    logger: { warn: vi.fn() },
    now: () => CLOCK,
  };
  const onChanged = vi.fn();
  const kind: ChangeKind = {
    refusal: () => adminRefusal('things', 'They are', 'Anyone can see them with `/kpi things`.'),
    audit: async (q, entry) => {
      audited.push({ ...entry, tx: q });
    },
    onChanged,
  };
  return { audited, tx, transactions, deps, onChanged, kind };
}

const ADMIN: CommandContext = { userId: 'UADMIN', now: AT, isAdmin: async () => true };

describe('adminChange', () => {
  it('refuses anyone who is not an admin, or whose check fails, and runs nothing', async () => {
    const { deps, kind, onChanged, transactions } = setup();
    const change = vi.fn();
    const member: CommandContext = { userId: 'UMEMBER', isAdmin: async () => false };
    const unknown: CommandContext = { userId: 'UNOBODY' };
    const failing: CommandContext = {
      userId: 'UFAIL',
      isAdmin: async () => {
        throw new Error('users.info failed');
      },
    };
    for (const ctx of [member, unknown, failing]) {
      const out = await adminChange(ctx, deps, kind, change);
      expect(out).toEqual(kind.refusal());
    }
    expect(kind.refusal().title).toBe('Only admins can change things');
    expect(change).not.toHaveBeenCalled();
    expect(transactions).toHaveLength(0);
    expect(onChanged).not.toHaveBeenCalled();
    expect(deps.logger.warn).toHaveBeenCalledTimes(1);
  });

  it('audits in the change’s transaction, as the person, at ctx.now; tells the hook after ok', async () => {
    const { deps, kind, onChanged, audited, tx } = setup();
    const out = await adminChange(ADMIN, deps, kind, async ({ now, transaction }) => {
      expect(now).toBe(AT);
      return transaction(async (_tx, audit) => {
        await audit({ action: 'add', id: 't1', detail: { x: 1 } });
        return message('ok', 'Thing t1 added');
      });
    });
    expect(out).toEqual(message('ok', 'Thing t1 added'));
    expect(audited).toEqual([
      { action: 'add', id: 't1', detail: { x: 1 }, at: AT, actor: 'UADMIN', tx },
    ]);
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('uses the clock without ctx.now, and does not tell the hook when nothing changed', async () => {
    const { deps, kind, onChanged } = setup();
    const ctx: CommandContext = { userId: 'UADMIN', isAdmin: async () => true };
    const out = await adminChange(ctx, deps, kind, async ({ now }) => {
      expect(now).toBe(CLOCK);
      return message('info', 'Nothing was changed.');
    });
    expect(out.kind === 'message' && out.tone).toBe('info');
    expect(onChanged).not.toHaveBeenCalled();
  });
});
