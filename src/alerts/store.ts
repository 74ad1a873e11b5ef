// Alert rules, their state per group and the audit log (migration 110). Plain parameterised
// SQL; bulk statements take arrays or a JSON document, so a cycle over 1,000 rules writes its
// states in one statement, not 1,000.
import { readAudit, type AuditEntry as StoreAuditEntry, writeAudit } from '../store/audit.ts';
import type { Db } from '../store/db.ts';
import type { AlertView } from './message.ts';
import { type AlertRule, alertRuleSchema } from './rule.ts';
import type { AlertState, AlertStatus } from './state-machine.ts';

type Queries = Pick<Db, 'query'>;

export type RuleSource = 'slack' | 'config' | 'default';

/** Group key of a rule `by …` that has no group with data at all (one "no data" state). */
export const ALL_GROUPS = '*';

export interface StoredRule {
  /** The rule as evaluated: `paused` is true when paused from Slack or in the config file. */
  rule: AlertRule;
  source: RuleSource;
  /** Paused with `/kpi alert pause` (the config file's pause is in the definition). */
  slackPaused: boolean;
  /** Paused in kpibot.config.yml (`paused: true`). */
  configPaused: boolean;
  /** The latest scheduled firing evaluated, if any. */
  lastFireTime: Date | null;
  updatedAt: Date;
}

interface RuleRow {
  id: string;
  source: RuleSource;
  definition: Record<string, unknown>;
  paused: boolean;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  last_fire_time: Date | null;
}

/** The stored definition: the rule minus id, authorship and the Slack pause. */
export function definitionOf(rule: AlertRule): Record<string, unknown> {
  const { id: _id, createdBy: _by, createdAt: _at, ...definition } = rule;
  return definition;
}

function toStoredRule(row: RuleRow): StoredRule {
  const configPaused = row.definition.paused === true;
  const rule = alertRuleSchema.parse({
    ...row.definition,
    id: row.id,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    paused: configPaused || row.paused,
  });
  return {
    rule,
    source: row.source,
    slackPaused: row.paused,
    configPaused,
    lastFireTime: row.last_fire_time && new Date(row.last_fire_time),
    updatedAt: new Date(row.updated_at),
  };
}

const RULE_COLUMNS =
  'id, source, definition, paused, created_by, created_at, updated_at, last_fire_time';

/** Every rule in force (not removed), by id. Rows that no longer parse are reported, not thrown. */
export async function loadRules(
  db: Queries,
  onInvalid?: (id: string, error: unknown) => void,
): Promise<StoredRule[]> {
  const rows = await db.query<RuleRow>(
    `select ${RULE_COLUMNS} from alert_rules where removed_at is null order by id`,
  );
  const out: StoredRule[] = [];
  for (const row of rows) {
    try {
      out.push(toStoredRule(row));
    } catch (err) {
      onInvalid?.(row.id, err);
    }
  }
  return out;
}

export async function getRule(db: Queries, id: string): Promise<StoredRule | undefined> {
  const [row] = await db.query<RuleRow>(
    `select ${RULE_COLUMNS} from alert_rules where id = $1 and removed_at is null`,
    [id],
  );
  return row && toStoredRule(row);
}

/** Ids of every rule, removed ones included (for "did you mean" and id collisions). */
export async function ruleIds(db: Queries): Promise<Array<{ id: string; removed: boolean }>> {
  const rows = await db.query<{ id: string; removed: boolean }>(
    'select id, removed_at is not null as removed from alert_rules order by id',
  );
  return rows;
}

/** A fresh id for a rule made in Slack: `a1`, `a2`… (short to type in `/kpi alert remove a3`). */
export async function nextRuleId(tx: Queries): Promise<string> {
  for (;;) {
    const [row] = await tx.query<{ n: number }>(`select nextval('alert_rule_number')::int as n`);
    const id = `a${row!.n}`;
    const [taken] = await tx.query('select 1 from alert_rules where id = $1', [id]);
    if (!taken) return id;
  }
}

/** Inserts a new rule (Slack). Throws on an existing id. */
export async function insertRule(
  tx: Queries,
  rule: AlertRule,
  source: RuleSource,
  now: Date,
): Promise<void> {
  await tx.query(
    `insert into alert_rules (id, source, definition, paused, created_by, created_at, updated_at)
     values ($1, $2, $3::jsonb, false, $4, $5::timestamptz, $6::timestamptz)`,
    [
      rule.id,
      source,
      JSON.stringify(definitionOf(rule)),
      rule.createdBy,
      rule.createdAt,
      now.toISOString(),
    ],
  );
}

export type UpsertOutcome = 'inserted' | 'updated' | 'unchanged' | 'removed' | 'taken';

/**
 * Inserts or updates a rule owned by the config file or the defaults. Keeps the creation time,
 * the Slack pause and the state; a default rule removed from Slack stays removed; an id used
 * by a rule of another source is left alone (`taken`).
 */
export async function upsertOwnedRule(
  tx: Queries,
  rule: AlertRule,
  source: 'config' | 'default',
  now: Date,
): Promise<{ outcome: UpsertOutcome; before?: Record<string, unknown> }> {
  const [existing] = await tx.query<{
    source: RuleSource;
    definition: Record<string, unknown>;
    removed: boolean;
  }>(
    `select source, definition, removed_at is not null as removed
     from alert_rules where id = $1 for update`,
    [rule.id],
  );
  const definition = definitionOf(rule);
  if (!existing) {
    await tx.query(
      `insert into alert_rules (id, source, definition, paused, created_by, created_at, updated_at)
       values ($1, $2, $3::jsonb, false, $4, $5::timestamptz, $5::timestamptz)`,
      [rule.id, source, JSON.stringify(definition), rule.createdBy, now.toISOString()],
    );
    return { outcome: 'inserted' };
  }
  const canTake =
    existing.source === source || (existing.source === 'default' && source === 'config');
  if (!canTake) return { outcome: 'taken' };
  if (existing.removed && existing.source === source) return { outcome: 'removed' };
  if (existing.source === source && sameJson(existing.definition, definition)) {
    return { outcome: 'unchanged' };
  }
  await tx.query(
    `update alert_rules
     set source = $2, definition = $3::jsonb, created_by = $4, updated_at = $5::timestamptz,
         removed_at = null
     where id = $1`,
    [rule.id, source, JSON.stringify(definition), rule.createdBy, now.toISOString()],
  );
  return { outcome: 'updated', before: existing.definition };
}

function sameJson(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Rules of `source` whose ids are not in `keep` (e.g. config rules no longer in the file). */
export async function rulesNotIn(
  tx: Queries,
  source: RuleSource,
  keep: readonly string[],
): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    `select id from alert_rules
     where source = $1 and removed_at is null and not (id = any($2::text[]))`,
    [source, [...keep]],
  );
  return rows.map((r) => r.id);
}

export async function setPaused(
  tx: Queries,
  id: string,
  paused: boolean,
  now: Date,
): Promise<void> {
  await tx.query('update alert_rules set paused = $2, updated_at = $3::timestamptz where id = $1', [
    id,
    paused,
    now.toISOString(),
  ]);
}

/** Deletes a rule with its states; a default rule is only marked removed (it stays removed). */
export async function removeRule(tx: Queries, id: string, now: Date): Promise<void> {
  const [row] = await tx.query<{ source: RuleSource }>(
    'select source from alert_rules where id = $1',
    [id],
  );
  if (row?.source === 'default') {
    await tx.query(
      `update alert_rules set removed_at = $2::timestamptz, updated_at = $2::timestamptz
       where id = $1`,
      [id, now.toISOString()],
    );
    await tx.query('delete from alert_states where rule_id = $1', [id]);
    return;
  }
  await tx.query('delete from alert_rules where id = $1', [id]);
}

// ---------------------------------------------------------------------------------------------
// Audit

/** An alert rule's audit entry: the audit log's (src/store/audit.ts) with the rule as subject. */
export type AuditEntry = Omit<StoreAuditEntry, 'subject' | 'subjectId'> & { ruleId: string };

export async function audit(tx: Queries, entries: readonly AuditEntry[]): Promise<void> {
  await writeAudit(
    tx,
    entries.map(({ ruleId, ...e }) => ({ ...e, subject: 'alert' as const, subjectId: ruleId })),
  );
}

/** The alert rules' audit log (of one rule), oldest first. */
export async function auditLog(
  db: Queries,
  ruleId?: string,
): Promise<Array<AuditEntry & { id: number }>> {
  const entries = await readAudit(db, {
    subject: 'alert',
    ...(ruleId ? { subjectId: ruleId } : {}),
  });
  return entries.map(({ subject: _, subjectId, ...e }) => ({ ...e, ruleId: subjectId }));
}

// ---------------------------------------------------------------------------------------------
// State per rule and group

export interface StateRow {
  ruleId: string;
  /** '' for a rule without `by`; the channel or campaign otherwise. */
  groupKey: string;
  state: AlertState;
  evaluatedAt: Date;
  /** Outbox key of the current episode's alert message (thread parent, update target). */
  messageKey: string | null;
  /** What that message shows, to draw it again on resolve, acknowledge or snooze. */
  message: AlertView | null;
  /** Where the message landed (once delivered). */
  slackChannel: string | null;
  slackTs: string | null;
  /** Outbox key of the posted "no data" message of the current no-data stretch. */
  noDataKey: string | null;
}

interface StateDbRow {
  rule_id: string;
  group_key: string;
  status: AlertStatus;
  state: AlertState;
  last_value: number | null;
  evaluated_at: Date;
  message_key: string | null;
  message: AlertView | null;
  slack_channel: string | null;
  slack_ts: string | null;
  no_data_key: string | null;
}

function toStateRow(r: StateDbRow): StateRow {
  return {
    ruleId: r.rule_id,
    groupKey: r.group_key,
    state: r.state,
    evaluatedAt: new Date(r.evaluated_at),
    messageKey: r.message_key,
    message: r.message,
    slackChannel: r.slack_channel,
    slackTs: r.slack_ts,
    noDataKey: r.no_data_key,
  };
}

/** States of the given rules (all rules when omitted); `forUpdate` locks them for the caller's tx. */
export async function loadStates(
  db: Queries,
  ruleIds?: readonly string[],
  opts: { forUpdate?: boolean } = {},
): Promise<StateRow[]> {
  const rows = await db.query<StateDbRow>(
    `select * from alert_states
     where ($1::text[] is null or rule_id = any($1::text[]))
     order by rule_id, group_key
     ${opts.forUpdate ? 'for update' : ''}`,
    [ruleIds ? [...ruleIds] : null],
  );
  return rows.map(toStateRow);
}

export async function getState(
  db: Queries,
  ruleId: string,
  groupKey: string,
  opts: { forUpdate?: boolean } = {},
): Promise<StateRow | undefined> {
  const [row] = await db.query<StateDbRow>(
    `select * from alert_states where rule_id = $1 and group_key = $2
     ${opts.forUpdate ? 'for update' : ''}`,
    [ruleId, groupKey],
  );
  return row && toStateRow(row);
}

/** Inserts or replaces states, in one statement. */
export async function saveStates(tx: Queries, rows: readonly StateRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into alert_states (rule_id, group_key, status, state, last_value, evaluated_at,
       message_key, message, slack_channel, slack_ts, no_data_key)
     select s.rule_id, s.group_key, s.state->>'status', s.state,
       (s.state->>'lastValue')::float8, s.evaluated_at, s.message_key, s.message,
       s.slack_channel, s.slack_ts, s.no_data_key
     from jsonb_to_recordset($1::jsonb)
       as s(rule_id text, group_key text, state jsonb, evaluated_at timestamptz,
            message_key text, message jsonb, slack_channel text, slack_ts text, no_data_key text)
     on conflict (rule_id, group_key) do update set
       status = excluded.status, state = excluded.state, last_value = excluded.last_value,
       evaluated_at = excluded.evaluated_at, message_key = excluded.message_key,
       message = excluded.message, slack_channel = excluded.slack_channel,
       slack_ts = excluded.slack_ts, no_data_key = excluded.no_data_key`,
    [
      JSON.stringify(
        rows.map((r) => ({
          rule_id: r.ruleId,
          group_key: r.groupKey,
          state: r.state,
          evaluated_at: r.evaluatedAt.toISOString(),
          message_key: r.messageKey,
          message: r.message,
          slack_channel: r.slackChannel,
          slack_ts: r.slackTs,
          no_data_key: r.noDataKey,
        })),
      ),
    ],
  );
}

export async function deleteStates(
  tx: Queries,
  keys: ReadonlyArray<{ ruleId: string; groupKey: string }>,
): Promise<void> {
  if (keys.length === 0) return;
  await tx.query(
    `delete from alert_states s
     using unnest($1::text[], $2::text[]) as d(rule_id, group_key)
     where s.rule_id = d.rule_id and s.group_key = d.group_key`,
    [keys.map((k) => k.ruleId), keys.map((k) => k.groupKey)],
  );
}

export async function deleteAllStates(tx: Queries, ruleId: string): Promise<void> {
  await tx.query('delete from alert_states where rule_id = $1', [ruleId]);
}

/**
 * Claims the evaluation of each rule at its fire time: locks the rules (in force, not paused)
 * whose last evaluated firing is older, and returns their ids. A second replica running the
 * same firing waits for the lock, then finds the firing taken.
 */
export async function lockDueRules(
  tx: Queries,
  due: ReadonlyArray<{ id: string; fireTime: Date }>,
): Promise<Set<string>> {
  if (due.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(
    `select r.id from alert_rules r
     join unnest($1::text[], $2::timestamptz[]) as d(id, t) on r.id = d.id
     where r.removed_at is null and not r.paused
       and (r.last_fire_time is null or r.last_fire_time < d.t)
     order by r.id
     for update of r`,
    [due.map((d) => d.id), due.map((d) => d.fireTime.toISOString())],
  );
  return new Set(rows.map((r) => r.id));
}

export async function setLastFireTimes(
  tx: Queries,
  done: ReadonlyArray<{ id: string; fireTime: Date }>,
): Promise<void> {
  if (done.length === 0) return;
  await tx.query(
    `update alert_rules r set last_fire_time = d.t
     from unnest($1::text[], $2::timestamptz[]) as d(id, t)
     where r.id = d.id`,
    [done.map((d) => d.id), done.map((d) => d.fireTime.toISOString())],
  );
}

/** Keeps where an alert message landed, once the deliverer has posted it. */
export async function recordMessageLanded(
  tx: Queries,
  messageKey: string,
  where: { channel: string | null; ts: string | null },
): Promise<void> {
  await tx.query(
    'update alert_states set slack_channel = $2, slack_ts = $3 where message_key = $1',
    [messageKey, where.channel, where.ts],
  );
}
