// A 429 without Retry-After, over real HTTP against the Slack stand-in, on PGlite and (with
// TEST_DATABASE_URL) the Postgres server: the deliverer backs off exponentially instead of
// retrying at once (a missing header once read as "Retry-After: 0"), and posts exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createDeliverer } from '../../src/outbox/deliverer.ts';
import { createSlackWebApi } from '../../src/outbox/slack-api.ts';
import { enqueue, findByKey } from '../../src/outbox/store.ts';
import type { Db } from '../../src/store/db.ts';
import type { SlackStandin } from '../helpers/slack-standin.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { BOT_TOKEN, postCounts, startStandin } from './helpers.ts';

const BASE_MS = 150;

let standin: SlackStandin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin?.close();
});

describe.each(storeKinds())('$name store: 429 without Retry-After', (kind) => {
  let db: Db;
  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('backs off exponentially (never at once) and posts once', async () => {
    standin.reset();
    const key = `${kind.name}:rate-limited`;
    await enqueue(db, {
      idempotencyKey: key,
      channel: 'C0LIMIT',
      kind: 'post',
      payload: { text: 'x' },
    });
    standin.failNext(3, { status: 429 }, { name: 'chat.postMessage' });
    const deliverer = createDeliverer({
      db,
      slack: createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl, timeoutMs: 5_000 }),
      logger: createLogger('silent'),
      replicaId: 'replica-a',
      retry: { baseMs: BASE_MS, maxMs: 10_000, maxAttempts: 5 },
      random: () => 0.5, // no jitter: the waits are exactly the backoff
      pollMs: 50,
    });
    await deliverer.drain({ timeoutMs: 10_000 });

    const calls = standin.apiCalls('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 429, 429, 200]);
    expect(calls[0]!.headers['retry-after']).toBeUndefined();
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    // base, 2 × base, 4 × base (a timer may fire a few ms early; allow 5 %)
    for (const [i, gap] of gaps.entries()) {
      expect(gap, `wait before retry ${i + 1}`).toBeGreaterThanOrEqual(0.95 * BASE_MS * 2 ** i);
    }
    expect(postCounts(standin).get(key)).toBe(1);
    expect(await findByKey(db, key)).toMatchObject({ status: 'sent' });
  });
});
