// The outbox table (migration 101): messages the bot must not lose, written in the same
// transaction as the change that causes them, and the claims the deliverer makes on them.
//
// Order: messages of one `channel` are delivered strictly in id order — only the oldest open
// message of a channel (its head) can be claimed. A dead message (undeliverable) stops being the
// head, so one bad message never blocks a channel.
//
// Claims: a head is claimed by setting status `sending` with a lease; a second replica cannot
// claim it until the lease has run out. A claim taken over after its lease expired belongs to a
// replica that may have died between posting and recording it: it is taken over with
// `maybe_sent` set, and the deliverer looks for the earlier post before posting again.
import type { Db } from '../store/db.ts';
import { isChannelId } from './channels.ts';

type Queries = Pick<Db, 'query'>;

export type OutboxKind = 'post' | 'thread-reply' | 'update';
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'dead';

/** The message: `text` (the fallback) and `blocks`, plus any other chat.* argument. */
export interface OutboxPayload {
  text: string;
  blocks?: unknown[];
  [arg: string]: unknown;
}

export interface EnqueueInput {
  /** The producer's name for this message; a second enqueue of the same key does nothing. */
  idempotencyKey: string;
  /** Slack channel id (or `#name` for posts); also the ordering key. */
  channel: string;
  kind: OutboxKind;
  payload: OutboxPayload;
  /** thread-reply: the key of the message to reply under (posted first, in order). */
  threadOf?: string;
  /** update: the key of the message to chat.update. */
  updateOf?: string;
}

export interface OutboxRow {
  id: number;
  idempotencyKey: string;
  kind: OutboxKind;
  channel: string;
  payload: OutboxPayload;
  threadOf: string | null;
  updateOf: string | null;
  status: OutboxStatus;
  attempts: number;
  maybeSent: boolean;
  nextAttemptAt: Date;
  claimedBy: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  slackTs: string | null;
  slackChannel: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

interface DbRow {
  id: number | string;
  idempotency_key: string;
  kind: OutboxKind;
  channel: string;
  payload: OutboxPayload;
  thread_of: string | null;
  update_of: string | null;
  status: OutboxStatus;
  attempts: number;
  maybe_sent: boolean;
  next_attempt_at: Date;
  claimed_by: string | null;
  lease_until: Date | null;
  last_error: string | null;
  slack_ts: string | null;
  slack_channel: string | null;
  created_at: Date;
  sent_at: Date | null;
}

function toRow(r: DbRow): OutboxRow {
  return {
    id: Number(r.id),
    idempotencyKey: r.idempotency_key,
    kind: r.kind,
    channel: r.channel,
    payload: r.payload,
    threadOf: r.thread_of,
    updateOf: r.update_of,
    status: r.status,
    attempts: r.attempts,
    maybeSent: r.maybe_sent,
    nextAttemptAt: new Date(r.next_attempt_at),
    claimedBy: r.claimed_by,
    leaseUntil: r.lease_until && new Date(r.lease_until),
    lastError: r.last_error,
    slackTs: r.slack_ts,
    slackChannel: r.slack_channel,
    createdAt: new Date(r.created_at),
    sentAt: r.sent_at && new Date(r.sent_at),
  };
}

function validate(m: EnqueueInput): void {
  if (!m.idempotencyKey) throw new RangeError('outbox: a message needs an idempotency key');
  if (!m.channel) throw new RangeError(`outbox: ${m.idempotencyKey} has no channel`);
  if (m.kind === 'thread-reply' && !m.threadOf) {
    throw new RangeError(`outbox: thread-reply ${m.idempotencyKey} needs threadOf`);
  }
  if (m.kind === 'update' && !m.updateOf) {
    throw new RangeError(`outbox: update ${m.idempotencyKey} needs updateOf`);
  }
}

/**
 * Adds messages, in order, inside the caller's transaction (pass its `tx`). A key already in
 * the outbox is left alone. Returns how many were added. One statement for any number.
 */
export async function enqueueMany(
  tx: Queries,
  messages: readonly EnqueueInput[],
  now: Date = new Date(),
): Promise<number> {
  if (messages.length === 0) return 0;
  for (const m of messages) validate(m);
  const rows = await tx.query<{ id: number }>(
    `insert into outbox
       (idempotency_key, kind, channel, payload, thread_of, update_of, next_attempt_at, created_at)
     select m.doc->>'idempotency_key', m.doc->>'kind', m.doc->>'channel', m.doc->'payload',
       m.doc->>'thread_of', m.doc->>'update_of', $2, $2
     from jsonb_array_elements($1::jsonb) with ordinality as m(doc, i)
     order by m.i
     on conflict (idempotency_key) do nothing
     returning id`,
    [
      JSON.stringify(
        messages.map((m) => ({
          idempotency_key: m.idempotencyKey,
          kind: m.kind,
          channel: m.channel,
          payload: m.payload,
          thread_of: m.threadOf ?? null,
          update_of: m.updateOf ?? null,
        })),
      ),
      now.toISOString(),
    ],
  );
  return rows.length;
}

/** Adds one message inside the caller's transaction; false when its key was already there. */
export async function enqueue(tx: Queries, message: EnqueueInput, now?: Date): Promise<boolean> {
  return (await enqueueMany(tx, [message], now)) === 1;
}

export interface ClaimOptions {
  replicaId: string;
  now: Date;
  leaseMs: number;
  /** At most this many channels' heads at once. */
  limit: number;
}

const HEADS = `
  heads as (
    select distinct on (channel) id, status, lease_until, next_attempt_at
    from outbox
    where status in ('pending', 'sending')
    order by channel, id
  )`;

/**
 * Claims the due head of each channel (up to `limit`). A head is due when its next attempt
 * time has come and it is pending, or its sender's lease ran out (then it may have been sent:
 * `maybe_sent` is set). Safe against concurrent claims: the row is re-checked under its lock.
 */
export async function claimHeads(db: Queries, opts: ClaimOptions): Promise<OutboxRow[]> {
  const rows = await db.query<DbRow>(
    `with ${HEADS},
     due as (
       select id from heads
       where next_attempt_at <= $1::timestamptz
         and (status = 'pending' or lease_until < $1::timestamptz)
       order by id
       limit $4
     )
     update outbox o
     set status = 'sending',
         claimed_by = $2,
         lease_until = $1::timestamptz + make_interval(secs => $3::float8 / 1000),
         attempts = o.attempts + 1,
         maybe_sent = o.maybe_sent or o.status = 'sending'
     from due
     where o.id = due.id
       and (o.status = 'pending' or (o.status = 'sending' and o.lease_until < $1::timestamptz))
       and o.next_attempt_at <= $1::timestamptz
     returning o.*`,
    [opts.now.toISOString(), opts.replicaId, opts.leaseMs, opts.limit],
  );
  return rows.map(toRow).sort((a, b) => a.id - b.id);
}

/** When the next head becomes due (pending) or its lease runs out (sending); undefined if none. */
export async function nextDueAt(db: Queries): Promise<Date | undefined> {
  const [row] = await db.query<{ at: Date | null }>(
    `with ${HEADS}
     select min(case when status = 'sending' then greatest(next_attempt_at, lease_until)
                     else next_attempt_at end) as at
     from heads`,
  );
  return row?.at ? new Date(row.at) : undefined;
}

export interface SentInfo {
  /** The message's ts (post, reply) or the updated message's ts (update); null when skipped. */
  ts: string | null;
  /** The channel id Slack answered with. */
  channel: string | null;
  /** Set when nothing was sent on purpose (e.g. an update of a message never posted). */
  note?: string;
}

/**
 * Records a delivery. Only the claimant's own claim is marked (fencing): false when the lease
 * was lost to another replica meanwhile (that one will find this post and mark it instead).
 */
export async function markSent(
  db: Queries,
  row: Pick<OutboxRow, 'id'>,
  replicaId: string,
  sent: SentInfo,
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `update outbox
     set status = 'sent', slack_ts = $3, slack_channel = $4, sent_at = $5::timestamptz,
         lease_until = null, last_error = $6
     where id = $1 and status = 'sending' and claimed_by = $2
     returning id`,
    [row.id, replicaId, sent.ts, sent.channel, now.toISOString(), sent.note ?? null],
  );
  return rows.length === 1;
}

export interface RetryInfo {
  at: Date;
  error: string;
  /** Whether the attempt may have reached Slack (sticky: never cleared once set). */
  maybeSent: boolean;
  /** False for attempts that do not count toward the limit (429: Slack refused, nothing sent). */
  countAttempt: boolean;
}

/** Puts a claimed message back to pending, to be tried again at `at`. */
export async function markRetry(
  db: Queries,
  row: Pick<OutboxRow, 'id'>,
  replicaId: string,
  retry: RetryInfo,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `update outbox
     set status = 'pending', next_attempt_at = $3::timestamptz, last_error = $4,
         maybe_sent = maybe_sent or $5, lease_until = null,
         attempts = case when $6 then attempts else greatest(attempts - 1, 0) end
     where id = $1 and status = 'sending' and claimed_by = $2
     returning id`,
    [row.id, replicaId, retry.at.toISOString(), retry.error, retry.maybeSent, retry.countAttempt],
  );
  return rows.length === 1;
}

/** Gives up on a claimed message: it stays in the table, with why, and the channel moves on. */
export async function markDead(
  db: Queries,
  row: Pick<OutboxRow, 'id'>,
  replicaId: string,
  error: string,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `update outbox set status = 'dead', last_error = $3, lease_until = null
     where id = $1 and status = 'sending' and claimed_by = $2
     returning id`,
    [row.id, replicaId, error],
  );
  return rows.length === 1;
}

/** Extends a claim while a slow send is still under way. */
export async function renewLease(
  db: Queries,
  row: Pick<OutboxRow, 'id'>,
  replicaId: string,
  until: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `update outbox set lease_until = $3::timestamptz
     where id = $1 and status = 'sending' and claimed_by = $2 returning id`,
    [row.id, replicaId, until.toISOString()],
  );
  return rows.length === 1;
}

/** Keeps the channel id a claimed message's channel name resolved to, before it is posted. */
export async function noteChannelId(
  db: Queries,
  row: Pick<OutboxRow, 'id'>,
  replicaId: string,
  channelId: string,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `update outbox set slack_channel = $3
     where id = $1 and status = 'sending' and claimed_by = $2 returning id`,
    [row.id, replicaId, channelId],
  );
  return rows.length === 1;
}

export async function findByKey(db: Queries, key: string): Promise<OutboxRow | undefined> {
  const [row] = await db.query<DbRow>('select * from outbox where idempotency_key = $1', [key]);
  return row && toRow(row);
}

/**
 * The channel id of `channel` (e.g. `#marketing` → `C0123`) as an earlier message to it learnt
 * it (resolved before its first post, or from Slack's answer).
 */
export async function knownChannelId(db: Queries, channel: string): Promise<string | undefined> {
  if (isChannelId(channel)) return channel;
  const [row] = await db.query<{ slack_channel: string }>(
    `select slack_channel from outbox
     where channel = $1 and slack_channel is not null order by id desc limit 1`,
    [channel],
  );
  return row?.slack_channel;
}

/** Messages of a channel (or all), oldest first: for tests and `kpibot` diagnostics. */
export async function listOutbox(
  db: Queries,
  filter: { channel?: string; status?: OutboxStatus } = {},
): Promise<OutboxRow[]> {
  const rows = await db.query<DbRow>(
    `select * from outbox
     where ($1::text is null or channel = $1) and ($2::text is null or status = $2)
     order by id`,
    [filter.channel ?? null, filter.status ?? null],
  );
  return rows.map(toRow);
}
