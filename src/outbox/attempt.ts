// One delivery attempt (deliverer.ts), in stages: plan (plan.ts) → dedup (if an earlier attempt
// may have reached Slack, look for it first, reconcile.ts) → send → record (sent with its ts,
// or retry/dead as policy.ts decides; a 429 pauses this process's sends, via `pauseUntil`).
import type { OutboxMetrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import { classifySlackError, type SlackFailure } from './errors.ts';
import { type PlanContext, planAttempt } from './plan.ts';
import { afterFailure, type RetryPolicy } from './policy.ts';
import { findEarlierPost } from './reconcile.ts';
import { markDead, markRetry, markSent, type OutboxRow, type SentInfo } from './store.ts';

export interface AttemptContext extends PlanContext {
  now: () => Date;
  policy: RetryPolicy;
  random: () => number;
  pollMs: number;
  /** Runs in the transaction that records a delivery. */
  onSent: ((tx: Db, row: OutboxRow, sent: SentInfo) => Promise<void>) | undefined;
  metrics: OutboxMetrics | undefined;
  /** Slack asked us to slow down: no send of this process before `at`. */
  pauseUntil: (at: Date) => void;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

async function record(ctx: AttemptContext, row: OutboxRow, sent: SentInfo): Promise<void> {
  const { db, log, replicaId, now, onSent } = ctx;
  const marked = await db.transaction(async (tx) => {
    const ok = await markSent(tx, row, replicaId, sent, now());
    if (ok && onSent) await onSent(tx, row, sent);
    return ok;
  });
  if (!marked) {
    log.warn({ key: row.idempotencyKey }, 'outbox: claim lost before marking sent');
    return;
  }
  ctx.metrics?.sent();
  log.info({ key: row.idempotencyKey, ts: sent.ts, note: sent.note }, 'outbox: sent');
}

async function fail(
  ctx: AttemptContext,
  row: OutboxRow,
  failure: SlackFailure,
  stage: string,
): Promise<void> {
  const { db, log, replicaId, now } = ctx;
  const decision = afterFailure(failure, row.attempts, now(), ctx.policy, ctx.random);
  ctx.metrics?.failed(failure.detail, decision.action);
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
    ctx.pauseUntil(decision.at);
  }
  log.warn(where, 'outbox: will retry');
  await markRetry(db, row, replicaId, {
    at: decision.at,
    error: decision.reason,
    maybeSent: decision.maybeSent,
    countAttempt: decision.countAttempt,
  });
}

/** Plans, sends and records one claimed message; store errors are left to the caller. */
export async function attemptDelivery(ctx: AttemptContext, row: OutboxRow): Promise<void> {
  const { db, slack, log, replicaId, now } = ctx;
  const p = await planAttempt(ctx, row);
  if (p.kind === 'skip') {
    await record(ctx, row, { ts: null, channel: null, note: p.reason });
    return;
  }
  if (p.kind === 'retry') {
    await fail(ctx, row, p.failure, p.stage);
    return;
  }
  if (p.kind === 'wait') {
    await markRetry(db, row, replicaId, {
      at: new Date(now().getTime() + Math.min(ctx.pollMs, 1_000)),
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
        await record(ctx, row, { ts, channel: p.lookup.channelId, note: 'found the earlier post' });
        return;
      }
    } catch (err) {
      const failure = classifySlackError(err);
      if (failure.kind === 'rate_limited' || (failure.kind === 'retryable' && failure.maybeSent)) {
        await fail(ctx, row, failure, 'lookup');
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
    await fail(ctx, row, classifySlackError(err), p.method);
    return;
  }
  await record(ctx, row, {
    ts: str(answer.ts) ?? str(p.args.ts) ?? null,
    channel: str(answer.channel) ?? str(p.args.channel) ?? null,
    ...(p.note ? { note: p.note } : {}),
  });
}
