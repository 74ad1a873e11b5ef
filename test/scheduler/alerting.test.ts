// Alerting wired to the scheduler and the deliverer, with real node-cron timers: two replicas
// (two connection pools on the Postgres server; PGlite shares its one connection) running the
// same schedule produce one evaluation and one notification per firing, delivered once to the
// Slack stand-in; a firing missed while no replica ran is caught up once on start.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERT_ACTION_PATTERN } from '../../src/alerts/message.ts';
import type { AlertRule } from '../../src/alerts/rule.ts';
import { type Alerting, alertTaskName, startAlerting } from '../../src/alerts/start.ts';
import { insertRule } from '../../src/alerts/store.ts';
import { todayIn } from '../../src/kpi/periods.ts';
import { createSlackWebApi } from '../../src/outbox/slack-api.ts';
import { listOutbox } from '../../src/outbox/store.ts';
import type { Db } from '../../src/store/db.ts';
import { alertDeps, roasFacts, STHLM } from '../alerts/helpers.ts';
import type { SlackStandin } from '../helpers/slack-standin.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { BOT_TOKEN, postCounts, posts, startStandin } from '../outbox/helpers.ts';
import { secondConnection } from './store.ts';

const EVERY_2_S = '*/2 * * * * *';

function rule(id: string, extra: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    kpi: 'roas',
    comparator: '<',
    threshold: 3,
    window: 'last-7-days',
    filters: {},
    channel: 'C0ALERTS',
    schedule: EVERY_2_S,
    for: 1,
    repeatIntervalMinutes: 60,
    hysteresis: 0.15,
    paused: false,
    createdBy: 'UADMIN1',
    createdAt: new Date().toISOString(),
    ...extra,
  };
}

const waitUntil = async (check: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.each(storeKinds())('$name store: alerting on a schedule', (kind) => {
  let db: Db;
  let standin: SlackStandin;
  const running: Alerting[] = [];

  beforeAll(async () => {
    db = await kind.create();
    standin = await startStandin();
  });
  afterAll(async () => {
    await standin?.close();
    await db?.close();
  });
  beforeEach(async () => {
    standin.reset();
    await db.exec(`
      delete from alert_rules; delete from audit_log; delete from outbox; delete from facts;
      delete from task_runs;
    `);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((a) => a.stop()));
  });

  async function replica(store: Db, name: string, onCycle?: () => Promise<void>) {
    const alerting = await startAlerting({
      ...alertDeps(store, () => new Date()),
      replicaId: name,
      slack: createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl }),
      delivery: { pollMs: 100, retry: { baseMs: 20, maxMs: 200 } },
      onCycle: () => {
        void onCycle?.();
      },
    });
    running.push(alerting);
    return alerting;
  }

  it('two replicas on one schedule: one notification per firing, delivered once', async () => {
    const db2 = await secondConnection(db);
    try {
      const today = todayIn({ now: new Date(), timeZone: STHLM, weekStartsOn: 1 });
      await roasFacts(db, today, 10, { meta: 2 });
      await insertRule(db, rule('flip'), 'slack', new Date());
      // After each evaluation the data flips, so every firing has something to say:
      // firing, resolved, firing, resolved…
      let cycles = 0;
      let breaching = true;
      const flip = async () => {
        cycles++;
        breaching = !breaching;
        await roasFacts(db, today, 10, { meta: breaching ? 2 : 4 });
      };
      await replica(db, 'replica-a', flip);
      await replica(db2, 'replica-b', flip);
      await waitUntil(() => cycles >= 4, 20_000, 'four firings');
      await Promise.all(running.splice(0).map((a) => a.stop()));

      const runs = await db.query<{ fire_time: Date; claimed_by: string }>(
        'select fire_time, claimed_by from task_runs where task = $1 order by fire_time',
        [alertTaskName(EVERY_2_S, STHLM)],
      );
      const outbox = await listOutbox(db);
      const notifications = outbox.filter((m) => !m.idempotencyKey.endsWith(':update'));
      // One notification per evaluated firing, and every firing evaluated once.
      const perFiring = new Map<string, number>();
      for (const m of notifications) {
        const at = m.idempotencyKey.split(':').slice(-3).join(':');
        perFiring.set(at, (perFiring.get(at) ?? 0) + 1);
      }
      expect([...perFiring.values()].every((n) => n === 1)).toBe(true);
      expect(perFiring.size).toBeGreaterThanOrEqual(4);
      expect(perFiring.size).toBeLessThanOrEqual(runs.length);
      expect(cycles).toBe(runs.length);
      expect(new Set(runs.map((r) => r.claimed_by)).size).toBeGreaterThanOrEqual(1);

      // Delivered: each message once, in order; resolutions in the alert's thread.
      const a = standinDeliverer();
      await a.drain();
      for (const [, n] of postCounts(standin)) expect(n).toBe(1);
      const kinds = posts(standin).map((p) => (p.body.thread_ts ? 'reply' : 'post'));
      expect(kinds.slice(0, 4)).toEqual(['post', 'reply', 'post', 'reply']);
    } finally {
      await db2.close();
    }
  });

  function standinDeliverer() {
    return {
      drain: async () => {
        const { createDeliverer } = await import('../../src/outbox/deliverer.ts');
        const { logger } = await import('../alerts/helpers.ts');
        await createDeliverer({
          db,
          slack: createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl }),
          logger,
          replicaId: 'drain',
          pollMs: 50,
        }).drain();
      },
    };
  }

  it('a firing missed while no replica ran is evaluated once on start', async () => {
    const today = todayIn({ now: new Date(), timeZone: STHLM, weekStartsOn: 1 });
    await roasFacts(db, today, 10, { meta: 2 });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    await insertRule(
      db,
      rule('hourly', { schedule: '0 * * * *', createdAt: twoDaysAgo }),
      'slack',
      new Date(),
    );

    let cycles = 0;
    await replica(db, 'first', async () => {
      cycles++;
    });
    await waitUntil(() => cycles === 1, 10_000, 'the catch-up');
    const outbox = await listOutbox(db);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.idempotencyKey).toMatch(/^alert:hourly::firing:/);
    await waitUntil(() => posts(standin).length === 1, 5_000, 'the post');

    // Another start (a second replica, or a restart): nothing more.
    await replica(db, 'second', async () => {
      cycles++;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(cycles).toBe(1);
    expect(await listOutbox(db)).toHaveLength(1);
  });

  it('the alert message carries the buttons the Slack app registers', async () => {
    const today = todayIn({ now: new Date(), timeZone: STHLM, weekStartsOn: 1 });
    await roasFacts(db, today, 10, { meta: 2 });
    await insertRule(db, rule('buttons'), 'slack', new Date());
    await replica(db, 'solo');
    await waitUntil(() => posts(standin).length === 1, 10_000, 'the alert');
    const blocks = posts(standin)[0]!.body.blocks as Array<{
      type: string;
      elements?: Array<{ action_id: string }>;
    }>;
    const ids = blocks.flatMap((b) =>
      b.type === 'actions' ? b.elements!.map((e) => e.action_id) : [],
    );
    expect(ids).toHaveLength(4);
    for (const id of ids) expect(id).toMatch(ALERT_ACTION_PATTERN);
  });
});
