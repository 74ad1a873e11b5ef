// Who may change rules, goals and subscriptions, and the one way every command that changes them
// goes: the admin gate, the change and its audit entry in one transaction, the reply, the hook.
// Who is an admin is asked through the command context (Slack fills it from KPIBOT_ADMINS or
// users.info). A check that cannot be made counts as "no".
import type { Logger } from '../logger.ts';
import type { Db } from '../store/port.ts';
import { type CommandContext, type MessageOutcome, message, type ReplyOutcome } from './command.ts';

export async function mayChange(
  ctx: CommandContext,
  logger: Pick<Logger, 'warn'>,
): Promise<boolean> {
  if (!ctx.isAdmin) return false;
  try {
    return (await ctx.isAdmin()) === true;
  } catch (err) {
    logger.warn({ err, user: ctx.userId }, 'could not check whether the user is an admin');
    return false;
  }
}

/**
 * The polite refusal: nothing changed, and who can. `who` starts the second sentence (`They
 * are`, `Alert rules are`); `look` says how anyone can see them.
 */
export function adminRefusal(what: string, who: string, look: string): MessageOutcome {
  return message('refused', `Only admins can change ${what}`, [
    `Nothing was changed. ${who} managed by the people listed in KPIBOT_ADMINS (or, if none are listed, by workspace admins and owners).`,
    look,
  ]);
}

/** What was done to which thing (its id), and how; the audit entry's who and when are added. */
export interface AuditNote {
  /** `add`, `update`, `remove`, `pause`… */
  action: string;
  id: string;
  detail?: Record<string, unknown>;
}

/**
 * A kind of thing admins change (alert rules, goals…): its refusal, its audit log, and who is
 * told after a change (e.g. the scheduler's refresh).
 */
export interface ChangeKind {
  refusal(): MessageOutcome;
  /** Writes one audit entry in `tx`, the change's transaction. */
  audit(tx: Db, entry: AuditNote & { at: Date; actor: string }): Promise<void>;
  /** Told after a change answered `ok`. */
  onChanged?(): void;
}

export interface ChangeDeps {
  db: Pick<Db, 'transaction'>;
  logger: Pick<Logger, 'warn'>;
  /** The clock (KPIBOT_NOW when set); `ctx.now` wins over it. */
  now(): Date;
}

/** Handed to a change once the person may make it. */
export interface ChangeScope {
  now: Date;
  /** Runs `write` in one transaction; `audit` records the change in that same transaction. */
  transaction(
    write: (tx: Db, audit: (note: AuditNote) => Promise<void>) => Promise<ReplyOutcome>,
  ): Promise<ReplyOutcome>;
}

/**
 * A command that changes something: anyone but an admin gets `kind.refusal()` and nothing
 * changes; otherwise `change` runs (checking its input, then writing in `scope.transaction`).
 * When it answers `ok`, `kind.onChanged` is told.
 */
export async function adminChange(
  ctx: CommandContext,
  deps: ChangeDeps,
  kind: ChangeKind,
  change: (scope: ChangeScope) => Promise<ReplyOutcome>,
): Promise<ReplyOutcome> {
  if (!(await mayChange(ctx, deps.logger))) return kind.refusal();
  const now = ctx.now ?? deps.now();
  const outcome = await change({
    now,
    transaction: (write) =>
      deps.db.transaction((tx) =>
        write(tx, (note) => kind.audit(tx, { ...note, at: now, actor: ctx.userId })),
      ),
  });
  if (outcome.kind === 'message' && outcome.tone === 'ok') kind.onChanged?.();
  return outcome;
}
