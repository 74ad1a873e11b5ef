// A replica killed with SIGKILL in the middle of delivering, then another one starting: exactly
// one message in Slack whether the kill came before the post or between the post and recording
// it. A real child process, a real kill, the store on disk (PGlite) or on the server.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { createDeliverer } from '../../src/outbox/deliverer.ts';
import { createSlackWebApi } from '../../src/outbox/slack-api.ts';
import { enqueueMany, findByKey } from '../../src/outbox/store.ts';
import { type Db, openStore } from '../../src/store/db.ts';
import type { SlackStandin } from '../helpers/slack-standin.ts';
import { BOT_TOKEN, keyOf, postCounts, posts, startStandin } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(ROOT, 'test/outbox/fixtures/crash-child.ts');

interface Target {
  name: string;
  env: Record<string, string>;
  open(): Promise<Db>;
  cleanup(): Promise<void>;
}

function pgliteTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-crash-'));
  return {
    name: 'pglite (folder)',
    env: { STORE_DIR: dir },
    open: () => openStore({ dataDir: dir }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function postgresTarget(url: string): Target {
  const schema = `test_crash_${randomBytes(5).toString('hex')}`;
  return {
    name: 'postgres',
    env: { STORE_URL: url, STORE_SCHEMA: schema },
    open: () => openStore({ databaseUrl: url, dataDir: '', schema }),
    cleanup: async () => {
      const db = await openStore({ databaseUrl: url, dataDir: '', schema });
      await db.exec(`drop schema if exists "${schema}" cascade`);
      await db.close();
    },
  };
}

const targets: Array<() => Target> = [pgliteTarget];
if (process.env.TEST_DATABASE_URL) {
  const url = process.env.TEST_DATABASE_URL;
  targets.push(() => postgresTarget(url));
} else {
  describe.skip('postgres (TEST_DATABASE_URL not set)', () => {
    it('kills a replica mid-delivery on the server too', () => {});
  });
}

function runChild(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/run-ts.js'), CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.on('exit', (code, signal) => done({ code, signal, err }));
  });
}

describe.each(targets.map((make) => ({ make, name: make.name })))(
  'SIGKILL mid-delivery',
  ({ make }) => {
    let standin: SlackStandin;
    let target: Target;

    beforeAll(async () => {
      standin = await startStandin();
    });
    afterAll(async () => {
      await standin?.close();
    });
    beforeEach(() => {
      standin.reset();
    });

    it.each(['after-send', 'after-claim'] as const)(
      'killed %s, restarted: exactly one message',
      async (kill) => {
        target = make();
        try {
          let db = await target.open();
          const created = new Date();
          await enqueueMany(
            db,
            ['crash-1', 'crash-2'].map((k) => ({
              idempotencyKey: k,
              channel: 'C0CRASH',
              kind: 'post' as const,
              payload: { text: k },
            })),
            created,
          );
          await db.close();

          const child = await runChild({
            ...target.env,
            SLACK_API_URL: standin.apiUrl,
            SLACK_TOKEN: BOT_TOKEN,
            KILL: kill,
          });
          expect(child.signal, child.err).toBe('SIGKILL');
          expect(posts(standin)).toHaveLength(kill === 'after-send' ? 1 : 0);

          // The restarted replica, once the dead one's lease has run out.
          db = await target.open();
          try {
            expect(await findByKey(db, 'crash-1')).toMatchObject({
              status: 'sending',
              claimedBy: 'doomed',
            });
            await createDeliverer({
              db,
              slack: createSlackWebApi({ token: BOT_TOKEN, apiUrl: standin.apiUrl }),
              logger: createLogger('silent'),
              replicaId: 'restarted',
              now: () => new Date(Date.now() + 61_000),
            }).drain();
            expect(postCounts(standin)).toEqual(
              new Map([
                ['crash-1', 1],
                ['crash-2', 1],
              ]),
            );
            expect(posts(standin).map(keyOf)).toEqual(['crash-1', 'crash-2']);
            expect(await findByKey(db, 'crash-1')).toMatchObject({
              status: 'sent',
              maybeSent: true,
            });
          } finally {
            await db.close();
          }
        } finally {
          await target.cleanup();
        }
      },
    );
  },
);
