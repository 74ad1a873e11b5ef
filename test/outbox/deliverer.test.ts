// The outbox deliverer against the Slack stand-in over real HTTP, on PGlite and (with
// TEST_DATABASE_URL) the Postgres server: order per channel, thread replies and updates,
// 5xx and 429 (Retry-After honoured) delaying but never losing or duplicating, a lost answer
// and a replica dying between posting and recording — exactly one message each time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createDeliverer, type DelivererOptions } from '../../src/outbox/deliverer.ts';
import { SlackCallError } from '../../src/outbox/errors.ts';
import { createSlackWebApi, type SlackWebApi } from '../../src/outbox/slack-api.ts';
import {
  claimHeads,
  type EnqueueInput,
  enqueue,
  enqueueMany,
  findByKey,
  listOutbox,
} from '../../src/outbox/store.ts';
import type { Db } from '../../src/store/db.ts';
import type { SlackStandin } from '../helpers/slack-standin.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { secondConnection } from '../scheduler/store.ts';
import { BOT_TOKEN, keyOf, postCounts, posts, startStandin, tsOf } from './helpers.ts';

const logger = createLogger('silent');
const FAST = { baseMs: 20, maxMs: 200, maxAttempts: 5, settleMs: 50 };

let standin: SlackStandin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin?.close();
});

function api(): SlackWebApi {
  return createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl, timeoutMs: 5_000 });
}

const post = (key: string, channel = 'C1', text = key): EnqueueInput => ({
  idempotencyKey: key,
  channel,
  kind: 'post',
  payload: { text },
});

describe.each(storeKinds())('$name store: outbox delivery', (kind) => {
  let db: Db;
  let seq = 0;
  /** Keys and channels of their own per test: the tests share one store. */
  const key = (name: string) => `t${seq}:${name}`;
  const channel = (name: string) => `C${seq}${name.toUpperCase()}`;

  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    seq++;
    standin.reset();
    // Earlier tests' messages are done; make sure none is left open to interfere.
    await db.query(`update outbox set status = 'dead' where status in ('pending', 'sending')`);
  });

  function deliverer(opts: Partial<DelivererOptions> = {}) {
    return createDeliverer({
      db,
      slack: api(),
      logger,
      replicaId: 'replica-a',
      retry: FAST,
      pollMs: 50,
      ...opts,
    });
  }

  it('enqueue is idempotent on the key', async () => {
    expect(await enqueue(db, post(key('a')))).toBe(true);
    expect(await enqueue(db, post(key('a'), 'C9', 'other'))).toBe(false);
    const row = await findByKey(db, key('a'));
    expect(row?.channel).toBe('C1');
    expect(row?.payload.text).toBe(key('a'));
  });

  it('enqueue inside a transaction that rolls back leaves nothing', async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueue(tx, post(key('rolled-back')));
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await findByKey(db, key('rolled-back'))).toBeUndefined();
  });

  it('posts, replies in the thread and updates the original, keeping the ts', async () => {
    const c = channel('thread');
    await enqueueMany(db, [
      post(key('alert'), c, 'ROAS is below 3x'),
      {
        idempotencyKey: key('reply'),
        channel: c,
        kind: 'thread-reply',
        threadOf: key('alert'),
        payload: { text: 'resolved' },
      },
      {
        idempotencyKey: key('update'),
        channel: c,
        kind: 'update',
        updateOf: key('alert'),
        payload: { text: 'ROAS was below 3x (resolved)' },
      },
    ]);
    await deliverer().drain();

    const [alert, reply] = posts(standin);
    expect(keyOf(alert!)).toBe(key('alert'));
    expect(reply!.body.thread_ts).toBe(tsOf(alert!));
    expect(keyOf(reply!)).toBe(key('reply'));
    const update = standin.apiCalls('chat.update')[0]!;
    expect(update.body).toMatchObject({ channel: c, ts: tsOf(alert!) });
    expect(standin.messages.find((m) => m.ts === tsOf(alert!))?.text).toBe(
      'ROAS was below 3x (resolved)',
    );
    const row = await findByKey(db, key('alert'));
    expect(row).toMatchObject({ status: 'sent', slackTs: tsOf(alert!), slackChannel: c });
  });

  it('5xx and 429 delay delivery but never lose, duplicate or reorder; Retry-After is honoured', async () => {
    const c1 = channel('one');
    const c2 = channel('two');
    const keys1 = Array.from({ length: 5 }, (_, i) => key(`one-${i}`));
    const keys2 = Array.from({ length: 3 }, (_, i) => key(`two-${i}`));
    await enqueueMany(db, [...keys1.map((k) => post(k, c1)), ...keys2.map((k) => post(k, c2))]);
    standin.failNext(4, { status: 503 }, { name: 'chat.postMessage' });
    standin.failNext(1, { status: 429, retryAfterSeconds: 1 }, { name: 'chat.postMessage' });
    standin.failNext(2, { status: 500 }, { name: 'chat.postMessage' });

    await deliverer().drain({ timeoutMs: 20_000 });

    const counts = postCounts(standin);
    for (const k of [...keys1, ...keys2]) expect(counts.get(k), k).toBe(1);
    const order = (c: string) =>
      posts(standin)
        .filter((p) => p.body.channel === c)
        .map(keyOf);
    expect(order(c1)).toEqual(keys1);
    expect(order(c2)).toEqual(keys2);

    // After the 429 nothing new was sent until Retry-After had passed (a call already in
    // flight for another channel may land just after it).
    const calls = standin.apiCalls();
    const limited = calls.find((c) => c.status === 429)!;
    const after = calls.filter((c) => c.seq > limited.seq).map((c) => c.at - limited.at);
    expect(after.filter((ms) => ms > 100 && ms < 1000)).toEqual([]);
    expect(after.filter((ms) => ms >= 1000).length).toBeGreaterThan(0);
    expect(await listOutbox(db, { channel: c1, status: 'sent' })).toHaveLength(5);
  });

  it('Slack down for a long stretch: everything arrives afterwards, in order, once', async () => {
    const c = channel('outage');
    const keys = Array.from({ length: 4 }, (_, i) => key(`outage-${i}`));
    await enqueueMany(
      db,
      keys.map((k) => post(k, c)),
    );
    standin.failNext(15, { status: 503 });
    await deliverer().drain({ timeoutMs: 20_000 });
    expect(posts(standin).map(keyOf)).toEqual(keys);
    const [row] = await listOutbox(db, { channel: c });
    expect(row!.attempts).toBeGreaterThan(1);
  });

  it('an answer lost after Slack posted: found by its key, not posted again', async () => {
    const c = channel('lost');
    await enqueueMany(db, [post(key('lost'), c), post(key('after'), c)]);
    const real = api();
    let lost = false;
    const flaky: SlackWebApi = {
      async apiCall(method, args) {
        const answer = await real.apiCall(method, args);
        if (method === 'chat.postMessage' && !lost) {
          lost = true;
          throw new SlackCallError('slack_webapi_request_error', 'socket hang up', {
            original: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
          });
        }
        return answer;
      },
    };
    await deliverer({ slack: flaky }).drain();
    expect(postCounts(standin).get(key('lost'))).toBe(1);
    expect(posts(standin).map(keyOf)).toEqual([key('lost'), key('after')]);
    expect(standin.apiCalls('conversations.history')).toHaveLength(1);
    expect(await findByKey(db, key('lost'))).toMatchObject({
      status: 'sent',
      maybeSent: true,
      slackTs: tsOf(posts(standin)[0]!),
    });
  });

  it('a replica that died between posting and recording: the message is posted exactly once', async () => {
    const c = channel('crash');
    await enqueueMany(db, [post(key('crash'), c), post(key('next'), c)]);
    const t0 = new Date();
    // Replica A claims the head and posts it, then dies before recording it.
    const [claimed] = await claimHeads(db, {
      replicaId: 'dead',
      now: t0,
      leaseMs: 60_000,
      limit: 10,
    });
    expect(claimed?.idempotencyKey).toBe(key('crash'));
    await api().apiCall('chat.postMessage', {
      ...claimed!.payload,
      channel: c,
      metadata: {
        event_type: 'kpibot_outbox_message',
        event_payload: { idempotency_key: key('crash') },
      },
    });
    // Replica B, while A's lease holds: nothing to do in that channel.
    const b = deliverer({ replicaId: 'replica-b', now: () => new Date(t0.getTime() + 1000) });
    expect(await b.runOnce()).toBe(0);
    // After the lease: B takes over, finds A's post, and goes on with the next message.
    const later = deliverer({ replicaId: 'replica-b', now: () => new Date(t0.getTime() + 61_000) });
    await later.drain();
    expect(postCounts(standin).get(key('crash'))).toBe(1);
    expect(posts(standin).map(keyOf)).toEqual([key('crash'), key('next')]);
    expect(await findByKey(db, key('crash'))).toMatchObject({
      status: 'sent',
      claimedBy: 'replica-b',
    });
  });

  it('a replica that died after claiming but before posting: posted once by the next', async () => {
    const c = channel('early');
    await enqueue(db, post(key('early'), c));
    const t0 = new Date();
    await claimHeads(db, { replicaId: 'dead', now: t0, leaseMs: 60_000, limit: 10 });
    await deliverer({ now: () => new Date(t0.getTime() + 61_000) }).drain();
    expect(postCounts(standin).get(key('early'))).toBe(1);
    expect(standin.apiCalls('conversations.history')).toHaveLength(1);
  });

  it('an undeliverable message is given up and the channel goes on', async () => {
    const c = channel('dead');
    await enqueue(db, post(key('parent'), c));
    await deliverer().drain();
    // Someone deletes the alert message; its update can never land.
    const parent = standin.messages.find((m) => m.channel === c)!;
    parent.deleted = true;
    await enqueueMany(db, [
      {
        idempotencyKey: key('update'),
        channel: c,
        kind: 'update',
        updateOf: key('parent'),
        payload: { text: 'resolved' },
      },
      post(key('after'), c),
    ]);
    await deliverer().drain();
    expect(await findByKey(db, key('update'))).toMatchObject({
      status: 'dead',
      lastError: expect.stringContaining('message_not_found'),
    });
    expect(postCounts(standin).get(key('after'))).toBe(1);
  });

  it('a reply whose parent was never posted goes out on its own', async () => {
    const c = channel('orphan');
    await enqueue(db, {
      idempotencyKey: key('orphan'),
      channel: c,
      kind: 'thread-reply',
      threadOf: key('never-enqueued'),
      payload: { text: 'resolved' },
    });
    await deliverer().drain();
    const [p] = posts(standin);
    expect(keyOf(p!)).toBe(key('orphan'));
    expect(p!.body.thread_ts).toBeUndefined();
  });

  it('two replicas delivering at once: each message once, in order', async () => {
    const db2 = await secondConnection(db);
    try {
      const c = channel('race');
      const keys = Array.from({ length: 8 }, (_, i) => key(`race-${i}`));
      await enqueueMany(
        db,
        keys.map((k) => post(k, c)),
      );
      standin.failNext(2, { status: 502 });
      const a = deliverer({ replicaId: 'a' });
      const b = createDeliverer({
        db: db2,
        slack: api(),
        logger,
        replicaId: 'b',
        retry: FAST,
        pollMs: 50,
      });
      await Promise.all([a.drain({ timeoutMs: 20_000 }), b.drain({ timeoutMs: 20_000 })]);
      expect(posts(standin).map(keyOf)).toEqual(keys);
    } finally {
      await db2.close();
    }
  });

  it('the background loop delivers what is enqueued, promptly after wake()', async () => {
    const c = channel('loop');
    const d = deliverer({ pollMs: 10_000 });
    d.start();
    try {
      await new Promise((r) => setTimeout(r, 100));
      await enqueue(db, post(key('loop'), c));
      d.wake();
      const call = await standin.waitForApi('chat.postMessage', { timeoutMs: 3_000 });
      expect(keyOf(call)).toBe(key('loop'));
    } finally {
      await d.stop();
    }
  });
});
