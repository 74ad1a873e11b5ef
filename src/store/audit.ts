// The audit log (table audit_log): who changed which alert rule, goal or subscription, when,
// and how. Written in the transaction of the change it records.
import type { Db } from './db.ts';

type Queries = Pick<Db, 'query'>;

export type AuditSubject = 'alert' | 'goal' | 'subscription' | 'pin';

export interface AuditEntry {
  at: Date;
  /** Slack user id, or `kpibot.config.yml` / the default-rules author. */
  actor: string;
  /** add, remove, pause, resume, acknowledge, snooze, config-add, config-update… */
  action: string;
  subject: AuditSubject;
  /** The rule's, goal's or subscription's id. */
  subjectId: string;
  /** An alert's group (channel or campaign), when the change was to one group. */
  groupKey?: string;
  detail?: Record<string, unknown>;
}

/** Appends `entries`, in their order, in one statement. */
export async function writeAudit(tx: Queries, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.query(
    `insert into audit_log (at, actor, action, subject, subject_id, group_key, detail)
     select (e.doc->>'at')::timestamptz, e.doc->>'actor', e.doc->>'action', e.doc->>'subject',
       e.doc->>'subject_id', e.doc->>'group_key', coalesce(e.doc->'detail', '{}'::jsonb)
     from jsonb_array_elements($1::jsonb) with ordinality as e(doc, i)
     order by e.i`,
    [
      JSON.stringify(
        entries.map((e) => ({
          at: e.at.toISOString(),
          actor: e.actor,
          action: e.action,
          subject: e.subject,
          subject_id: e.subjectId,
          group_key: e.groupKey ?? null,
          detail: e.detail ?? {},
        })),
      ),
    ],
  );
}

/** The log, oldest first, of one subject kind (and one id), or of everything. */
export async function readAudit(
  db: Queries,
  filter: { subject?: AuditSubject; subjectId?: string } = {},
): Promise<Array<AuditEntry & { id: number }>> {
  const rows = await db.query<{
    id: number | string;
    at: Date | string;
    actor: string;
    action: string;
    subject: AuditSubject;
    subject_id: string;
    group_key: string | null;
    detail: Record<string, unknown>;
  }>(
    `select id, at, actor, action, subject, subject_id, group_key, detail from audit_log
     where ($1::text is null or subject = $1) and ($2::text is null or subject_id = $2)
     order by id`,
    [filter.subject ?? null, filter.subjectId ?? null],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    subjectId: r.subject_id,
    ...(r.group_key !== null ? { groupKey: r.group_key } : {}),
    detail: r.detail,
  }));
}
