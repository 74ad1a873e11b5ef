// Messages addressed by channel name (`#fresh`), over real HTTP against the Slack stand-in, on
// PGlite and (with TEST_DATABASE_URL) the Postgres server. The name is resolved to its id before
// the first post, so a first post that hangs past the client's timeout can be looked for, and
// the channel gets it exactly once (it once got it three times: the look-up needs an id, which
// only an earlier sent post used to teach).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createDeliverer } from '../../src/outbox/deliverer.ts';
import { createSlackWebApi, type SlackWebApi } from '../../src/outbox/slack-api.ts';
import { enqueue, findByKey } from '../../src/outbox/store.ts';
import type { Db } from '../../src/store/db.ts';
import type { SlackStandin } from '../helpers/slack-standin.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { BOT_TOKEN, postCounts, posts, startStandin } from './helpers.ts';

const TIMEOUT_MS = 300;

let standin: SlackStandin;
beforeAll(async () => {
  standin = await startStandin();
});
afterAll(async () => {
  await standin?.close();
});

describe.each(storeKinds())('$name store: posts to a channel name', (kind) => {
  let db: Db;
  let seq = 0;
  let fresh: string;
  beforeAll(async () => {
    db = await kind.create();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    seq++;
    sent = 0;
    standin.reset();
    await db.query(`update outbox set status = 'dead' where status in ('pending', 'sending')`);
    // A channel of its own per test, which exists before anything is posted (as in Slack).
    fresh = `fresh${seq}`;
    standin.conversations.channelNamed(fresh);
  });

  const key = (name: string) => `${kind.name}:${seq}:${name}`;
  /** Calls the deliverer made; a hung one is recorded by the stand-in only when it lands. */
  let sent = 0;
  const counting: SlackWebApi = {
    apiCall(method, args) {
      sent++;
      const api = createSlackWebApi({
        token: BOT_TOKEN,
        apiUrl: standin.apiUrl,
        timeoutMs: TIMEOUT_MS,
      });
      return api.apiCall(method, args);
    },
  };
  const deliver = () =>
    createDeliverer({
      db,
      slack: counting,
      logger: createLogger('silent'),
      replicaId: 'replica-a',
      // A post with no answer is looked for only after it has had time to land.
      retry: { baseMs: 20, maxMs: 200, settleMs: 1_500 },
      pollMs: 50,
    }).drain({ timeoutMs: 10_000 });
  const post = (k: string) =>
    enqueue(db, { idempotencyKey: k, channel: `#${fresh}`, kind: 'post', payload: { text: k } });

  it('the first post hangs past the timeout: one message, found by the look-up', async () => {
    await post(key('first'));
    standin.delayNext(1, 2 * TIMEOUT_MS, { name: 'chat.postMessage' });
    await deliver();
    // Every call the deliverer made has reached the stand-in, the hung post included.
    await vi.waitFor(() => expect(standin.apiCalls()).toHaveLength(sent), { timeout: 5_000 });

    expect(postCounts(standin).get(key('first'))).toBe(1);
    const id = standin.conversations.channelNamed(fresh)!.id;
    expect(posts(standin).map((p) => p.body.channel)).toEqual([id]);
    expect(standin.apiCalls('conversations.history').map((c) => c.body.channel)).toEqual([id]);
    expect(await findByKey(db, key('first'))).toMatchObject({
      status: 'sent',
      maybeSent: true,
      slackChannel: id,
    });
  });

  it('the id is kept: later messages to the name do not resolve it again', async () => {
    await post(key('one'));
    await deliver();
    await post(key('two'));
    await deliver();
    expect(standin.apiCalls('conversations.list')).toHaveLength(1);
    expect(postCounts(standin).get(key('two'))).toBe(1);
  });

  it('without the channels:read scope the message still goes out, by name', async () => {
    standin.setApiHandler('conversations.list', () => ({ ok: false, error: 'missing_scope' }));
    await post(key('no-scope'));
    await deliver();
    expect(posts(standin).map((p) => p.body.channel)).toEqual([`#${fresh}`]);
  });
});
