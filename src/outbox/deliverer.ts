// The deliverer: sends outbox messages to Slack, in order per channel, once.
//
// One pass: claim the due head of up to `parallel` channels (store.ts), attempt each, record
// the outcome. An attempt is a few small stages:
//   plan    → which Web API call (a thread reply needs its parent's ts, an update its target's;
//             a parent not yet sent means wait, one that will never be sent means post alone;
//             a channel name is resolved to its id first, channels.ts)
//   dedup   → if an earlier attempt may have reached Slack, look for it first (reconcile.ts)
//   send    → the call
//   record  → sent (with the ts), or retry/dead as policy.ts decides
// A 429 pauses every send of this process until Retry-After has passed (Slack's limits are
// per method and workspace, not per message). Errors of the store are logged and left to the
// lease: the claim runs out and the message is taken over as "maybe sent".
import type { Logger } from '../logger.ts';
import type { OutboxMetrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import { findChannelId } from './channels.ts';
import { classifySlackError, isConfigurationError, type SlackFailure } from './errors.ts';
import { afterFailure, DEFAULT_RETRY_POLICY, type RetryPolicy } from './policy.ts';
import { findEarlierPost, type LookupTarget, outboxMetadata } from './reconcile.ts';
import type { SlackWebApi } from './slack-api.ts';
import {
  claimHeads,
  findByKey,
  knownChannelId,
  markDead,
  markRetry,
  markSent,
  nextDueAt,
  noteChannelId,
  type OutboxRow,
  type SentInfo,
} from './store.ts';

export interface DelivererOptions {
  db: Db;
  slack: SlackWebApi;
  logger: Logger;
  /** This process's name in `outbox.claimed_by`. */
  replicaId: string;
  now?: () => Date;
  /** How long a claim holds before another replica may take the message over (default 60 s). */
  leaseMs?: number;
  /** Idle: look for new messages this often (default 5 s); `wake()` looks at once. */
  pollMs?: number;
  /** Channels served at once (default 4). */
  parallel?: number;
  retry?: Partial<RetryPolicy>;
  random?: () => number;
  /** Runs in the transaction that records a delivery, e.g. to keep the alert message's ts. */
  onSent?: (tx: Db, row: OutboxRow, sent: SentInfo) => Promise<void>;
  metrics?: OutboxMetrics;
}

export interface Deliverer {
  /** Starts the background loop. */
  start(): void;
  /** Stops the loop and waits for attempts in flight. */
  stop(): Promise<void>;
  /** New messages were enqueued: look now instead of at the next poll. */
  wake(): void;
  /** One pass: claims the due heads and attempts them; resolves with how many were attempted. */
  runOnce(): Promise<number>;
  /** Runs passes until no message is open; rejects after `timeoutMs` (default 30 s). */
  drain(opts?: { timeoutMs?: number }): Promise<void>;
}

type Plan =
  | {
      kind: 'send';
      method: string;
      args: Record<string, unknown>;
      /** Where to look for an earlier post (posts and replies; updates are idempotent). */
      lookup?: LookupTarget;
      /** Why the plan differs from what was asked (a reply posted alone…). */
      note?: string;
    }
  | { kind: 'skip'; reason: string }
  | { kind: 'wait'; reason: string }
  /** Could not get ready to send (the name look-up failed): try again later, nothing sent. */
  | { kind: 'retry'; failure: SlackFailure; stage: string };

/** Where a post goes: its channel id, or (the name could not be resolved) only the name. */
type Target = { channelId: string | undefined } | Extract<Plan, { kind: 'retry' }>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function createDeliverer(opts: DelivererOptions): Deliverer {
  const { db, slack, replicaId } = opts;
  const log = opts.logger.child({ component: 'outbox', replica: replicaId });
  const now = opts.now ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 5_000;
  const parallel = opts.parallel ?? 4;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
  const random = opts.random ?? Math.random;

  let running = false;
  let loop: Promise<void> | undefined;
  let pausedUntil = 0;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  /**
   * The channel id to post to and look in: the one this message (or an earlier one to the same
   * name) kept, else the name resolved now and kept on the row before anything is posted.
   */
  async function target(row: OutboxRow): Promise<Target> {
    const known = row.slackChannel ?? (await knownChannelId(db, row.channel));
    if (known) return { channelId: known };
    const where = { key: row.idempotencyKey, channel: row.channel };
    let channelId: string | undefined;
    try {
      channelId = await findChannelId(slack, row.channel);
    } catch (err) {
      const failure = classifySlackError(err);
      const passing =
        failure.kind === 'rate_limited' ||
        (failure.kind === 'retryable' && !failure.limited && !isConfigurationError(failure.detail));
      if (passing) {
        const notSent = failure.kind === 'retryable' ? { ...failure, maybeSent: false } : failure;
        return { kind: 'retry', failure: notSent, stage: 'conversations.list' };
      }
      // No channels:read scope (an older install), or an answer we cannot use: post by name.
      log.warn(
        { ...where, error: failure.detail },
        'outbox: cannot resolve the channel name; posting by name (a lost answer cannot be looked for)',
      );
      return { channelId: undefined };
    }
    if (!channelId) {
      log.warn(where, 'outbox: no channel of that name among those the bot can see');
      return { channelId: undefined };
    }
    await noteChannelId(db, row, replicaId, channelId);
    return { channelId };
  }

  async function plan(row: OutboxRow): Promise<Plan> {
    const metadata = outboxMetadata(row.idempotencyKey);
    const post = async (note?: string): Promise<Plan> => {
      const to = await target(row);
      if ('kind' in to) return to;
      const { channelId } = to;
      return {
        kind: 'send',
        method: 'chat.postMessage',
        args: {
          unfurl_links: false,
          unfurl_media: false,
          ...row.payload,
          channel: channelId ?? row.channel,
          metadata,
        },
        ...(channelId
          ? { lookup: { channelId, key: row.idempotencyKey, since: row.createdAt } }
          : {}),
        ...(note ? { note } : {}),
      };
    };
    if (row.kind === 'post') return post();

    const refKey = row.kind === 'thread-reply' ? row.threadOf : row.updateOf;
    const ref = refKey ? await findByKey(db, refKey) : undefined;
    if (ref && (ref.status === 'pending' || ref.status === 'sending')) {
      return { kind: 'wait', reason: `waiting for ${refKey} to be sent first` };
    }
    const landed = ref?.status === 'sent' && ref.slackTs !== null ? ref : undefined;

    if (row.kind === 'update') {
      if (!landed) return { kind: 'skip', reason: `nothing to update: ${refKey} was never posted` };
      return {
        kind: 'send',
        method: 'chat.update',
        args: {
          ...row.payload,
          channel: landed.slackChannel ?? landed.channel,
          ts: landed.slackTs,
        },
      };
    }
    if (!landed) return post(`posted alone: ${refKey} was never posted`);
    const channel = landed.slackChannel ?? landed.channel;
    return {
      kind: 'send',
      method: 'chat.postMessage',
      args: {
        unfurl_links: false,
        unfurl_media: false,
        ...row.payload,
        channel,
        thread_ts: landed.slackTs,
        metadata,
      },
      lookup: {
        channelId: channel,
        key: row.idempotencyKey,
        since: row.createdAt,
        threadTs: landed.slackTs!,
      },
    };
  }

  async function record(row: OutboxRow, sent: SentInfo): Promise<void> {
    const marked = await db.transaction(async (tx) => {
      const ok = await markSent(tx, row, replicaId, sent, now());
      if (ok && opts.onSent) await opts.onSent(tx, row, sent);
      return ok;
    });
    if (marked) opts.metrics?.sent();
    if (!marked) log.warn({ key: row.idempotencyKey }, 'outbox: claim lost before marking sent');
    else log.info({ key: row.idempotencyKey, ts: sent.ts, note: sent.note }, 'outbox: sent');
  }

  async function fail(row: OutboxRow, failure: SlackFailure, stage: string): Promise<void> {
    const decision = afterFailure(failure, row.attempts, now(), policy, random);
    opts.metrics?.failed(failure.detail, decision.action);
    const where = {
      key: row.idempotencyKey,
      attempt: row.attempts,
      stage,
      reason: decision.reason,
    };
    if (decision.action === 'dead') {
      log.error(where, 'outbox: giving up on a message');
      await markDead(db, row, replicaId, decision.reason);
      return;
    }
    if (failure.kind === 'rate_limited') {
      pausedUntil = Math.max(pausedUntil, decision.at.getTime());
    }
    log.warn(where, 'outbox: will retry');
    await markRetry(db, row, replicaId, {
      at: decision.at,
      error: decision.reason,
      maybeSent: decision.maybeSent,
      countAttempt: decision.countAttempt,
    });
  }

  async function attempt(row: OutboxRow): Promise<void> {
    const p = await plan(row);
    if (p.kind === 'skip') {
      await record(row, { ts: null, channel: null, note: p.reason });
      return;
    }
    if (p.kind === 'retry') {
      await fail(row, p.failure, p.stage);
      return;
    }
    if (p.kind === 'wait') {
      await markRetry(db, row, replicaId, {
        at: new Date(now().getTime() + Math.min(pollMs, 1_000)),
        error: p.reason,
        maybeSent: false,
        countAttempt: false,
      });
      return;
    }
    if (row.maybeSent && p.lookup) {
      try {
        const ts = await findEarlierPost(slack, p.lookup);
        if (ts) {
          await record(row, { ts, channel: p.lookup.channelId, note: 'found the earlier post' });
          return;
        }
      } catch (err) {
        const failure = classifySlackError(err);
        if (
          failure.kind === 'rate_limited' ||
          (failure.kind === 'retryable' && failure.maybeSent)
        ) {
          await fail(row, failure, 'lookup');
          return;
        }
        // Cannot read the channel back (missing channels:history, a channel name…): post
        // again rather than lose the message.
        log.warn(
          { key: row.idempotencyKey, error: failure.detail },
          'outbox: cannot look for an earlier post; posting again (at least once)',
        );
      }
    } else if (row.maybeSent && p.method === 'chat.postMessage') {
      log.warn(
        { key: row.idempotencyKey, channel: row.channel },
        'outbox: the channel name was never resolved, so an earlier post cannot be looked for',
      );
    }
    let answer: Record<string, unknown>;
    try {
      answer = await slack.apiCall(p.method, p.args);
    } catch (err) {
      await fail(row, classifySlackError(err), p.method);
      return;
    }
    await record(row, {
      ts: str(answer.ts) ?? str(p.args.ts) ?? null,
      channel: str(answer.channel) ?? str(p.args.channel) ?? null,
      ...(p.note ? { note: p.note } : {}),
    });
  }

  async function runOnce(): Promise<number> {
    if (Date.now() < pausedUntil) return 0;
    const rows = await claimHeads(db, { replicaId, now: now(), leaseMs, limit: parallel });
    await Promise.all(
      rows.map((row) =>
        attempt(row).catch((err: unknown) => {
          // The store failed mid-attempt: the claim stays and expires; taken over as maybe sent.
          log.error({ err, key: row.idempotencyKey }, 'outbox: attempt failed in the store');
        }),
      ),
    );
    return rows.length;
  }

  /** How long to sleep when a pass found nothing to do. */
  async function idleMs(): Promise<number> {
    const paused = pausedUntil - Date.now();
    if (paused > 0) return paused;
    const next = await nextDueAt(db);
    if (!next) return pollMs;
    return Math.max(10, Math.min(pollMs, next.getTime() - now().getTime()));
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function run(): Promise<void> {
    while (running) {
      let wait = 0;
      try {
        const attempted = await runOnce();
        if (attempted === 0) wait = await idleMs();
      } catch (err) {
        log.error({ err }, 'outbox: delivery pass failed');
        wait = pollMs;
      }
      if (running && wait > 0) await sleep(wait);
    }
  }

  async function openCount(): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      `select count(*)::int as n from outbox where status in ('pending', 'sending')`,
    );
    return row?.n ?? 0;
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
      loop = undefined;
    },
    wake() {
      if (wakeUp) wakeUp();
      else woken = true;
    },
    runOnce,
    async drain({ timeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while ((await openCount()) > 0) {
        if (Date.now() > deadline) {
          throw new Error(`outbox: messages still open after ${timeoutMs} ms`);
        }
        const attempted = await runOnce();
        if (attempted === 0) {
          const wait = Math.min(200, await idleMs());
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    },
  };
}
