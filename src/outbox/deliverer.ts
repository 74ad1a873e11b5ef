// The deliverer: sends outbox messages to Slack, in order per channel, once.
//
// One pass: claim the due head of up to `parallel` channels (store.ts), attempt each
// (attempt.ts: plan → dedup → send → record), and sleep until the next is due or `wake()`.
// A 429 pauses every send of this process until Retry-After has passed (Slack's limits are
// per method and workspace, not per message). Errors of the store are logged and left to the
// lease: the claim runs out and the message is taken over as "maybe sent".
import type { Logger } from '../logger.ts';
import type { OutboxMetrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import { type AttemptContext, attemptDelivery } from './attempt.ts';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './policy.ts';
import type { SlackWebApi } from './slack-api.ts';
import { claimHeads, nextDueAt, type OutboxRow, type SentInfo } from './store.ts';

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

  const ctx: AttemptContext = {
    db,
    slack,
    replicaId,
    log,
    now,
    policy,
    random,
    pollMs,
    onSent: opts.onSent,
    metrics: opts.metrics,
    pauseUntil: (at) => {
      pausedUntil = Math.max(pausedUntil, at.getTime());
    },
  };

  async function runOnce(): Promise<number> {
    // The pause was set on the injected clock (`now`), so it is read on the same clock.
    if (now().getTime() < pausedUntil) return 0;
    const rows = await claimHeads(db, { replicaId, now: now(), leaseMs, limit: parallel });
    await Promise.all(
      rows.map((row) =>
        attemptDelivery(ctx, row).catch((err: unknown) => {
          // The store failed mid-attempt: the claim stays and expires; taken over as maybe sent.
          log.error({ err, key: row.idempotencyKey }, 'outbox: attempt failed in the store');
        }),
      ),
    );
    return rows.length;
  }

  /** How long to sleep when a pass found nothing to do. */
  async function idleMs(): Promise<number> {
    const paused = pausedUntil - now().getTime();
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
