// Backup and restore. Embedded store: `backupStore` snapshots the open store while a writer is
// busy (every transaction is in the backup whole or not at all), `restoreStore` brings facts,
// alert rules, alert state, audit, task runs and the outbox back into an empty folder, refuses a
// folder holding a store without --force, and with it moves that store aside; `kpibot backup`
// and `kpibot restore` do the same from the command line, and the running bot writes one
// nightly (a scheduled task), keeping the newest few. PostgreSQL server (TEST_DATABASE_URL):
// the README's pg_dump / pg_restore round-trips the same data.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { enqueue } from '../../src/outbox/store.ts';
import { BACKUP_TASK, backupTask } from '../../src/scheduler/backup-task.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { BackupError, backupStore, restoreStore } from '../../src/store/backup.ts';
import { type Db, openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { createPgliteFolder, createPostgresTestDb } from '../helpers/test-db.ts';

const run = promisify(execFile);
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kpibot-backup-'));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** One of everything a restore must bring back. */
async function seed(db: Db): Promise<void> {
  await upsertFacts(db, [
    { day: '2026-05-01', measure: 'revenue', value: 1200.5, channel: 'meta', campaign: 'spring' },
    { day: '2026-05-01', measure: 'ad_spend', value: 300, channel: 'meta', campaign: 'spring' },
  ]);
  await db.query(
    `insert into alert_rules (id, source, definition, created_by, created_at, updated_at)
     values ('roas-floor', 'slack', '{"kpi":"roas","threshold":3}', 'U1', now(), now())`,
  );
  await db.query(
    `insert into alert_states (rule_id, group_key, status, state, last_value, evaluated_at,
                               message_key, slack_channel, slack_ts)
     values ('roas-floor', 'meta', 'firing', '{"since":"2026-05-01"}', 2.4, now(),
             'alert:roas-floor:meta', 'C0MARKETING', '1777.000100')`,
  );
  await db.query(
    `insert into audit_log (at, actor, action, subject, subject_id)
     values (now(), 'U1', 'create', 'alert', 'roas-floor')`,
  );
  await enqueue(db, {
    idempotencyKey: 'alert:roas-floor:meta',
    channel: '#marketing',
    kind: 'post',
    payload: { text: 'ROAS is 2.4×, below 3×' },
  });
  await db.query(
    `insert into task_runs (task, fire_time, claimed_by, claimed_at, finished_at)
     values ('alert:roas-floor', '2026-05-01T07:00:00Z', 'r1', now(), now())`,
  );
}

const TABLES: Record<string, string> = {
  facts: 'measure, day, channel, campaign',
  daily_totals: 'measure, day, channel',
  alert_rules: 'id',
  alert_states: 'rule_id, group_key',
  audit_log: 'id',
  outbox: 'id',
  task_runs: 'task, fire_time',
};

/** Every row of the tables above, as JSON. */
async function contents(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const rows = await db.query<{ j: unknown }>(
      `select to_jsonb(t) as j from ${table} t order by ${order}`,
    );
    out[table] = rows.map((r) => r.j);
  }
  return out;
}

describe('embedded store: backup and restore', () => {
  let source: string;
  let db: Db;
  let file: string;
  let expected: Record<string, unknown[]>;
  let pairs: number;

  beforeAll(async () => {
    source = join(root, 'source');
    await createPgliteFolder(source);
    db = await openStore({ dataDir: source });
    await seed(db);
    expected = await contents(db);
  });

  describe('a backup taken while a writer is busy', () => {
    beforeAll(async () => {
      file = join(root, 'kpibot.backup');

      // The bot at work: each transaction writes a message and its claim, both or neither.
      let writing = true;
      const writer = (async () => {
        for (let i = 0; writing; i++) {
          await db.transaction(async (tx) => {
            await enqueue(tx, {
              idempotencyKey: `pair-${i}`,
              channel: 'C1',
              kind: 'post',
              payload: { text: 'x' },
            });
            await tx.query(
              `insert into task_runs (task, fire_time, claimed_by, claimed_at)
             values ($1, now(), 'writer', now())`,
              [`pair-${i}`],
            );
          });
        }
      })();
      await backupStore(db, file);
      writing = false;
      await writer;
      const [row] = await db.query<{ n: number }>(
        `select count(*)::int as n from task_runs where task like 'pair-%'`,
      );
      pairs = row!.n;
    });
    it('round-trips facts, alert rules, alert state, audit, task runs and the outbox', async () => {
      const target = join(root, 'restored');
      expect(await restoreStore(file, target)).toEqual({});
      const restored = await openStore({ dataDir: target });
      try {
        const [counts] = await restored.query<{ messages: number; claims: number }>(
          `select (select count(*) from outbox where idempotency_key like 'pair-%')::int as messages,
                (select count(*) from task_runs where task like 'pair-%')::int as claims`,
        );
        // A consistent snapshot: no transaction half in it, and it was taken mid-work.
        expect(counts!.messages).toBe(counts!.claims);
        expect(counts!.messages).toBeLessThanOrEqual(pairs);
      } finally {
        await restored.close();
      }
      expect(await contentsOf(target)).toEqual(expected);
    });

    it('refuses a folder that holds a store, unless forced; then moves that store aside', async () => {
      const target = join(root, 'occupied');
      await restoreStore(file, target);
      await expect(restoreStore(file, target)).rejects.toThrow(BackupError);
      await expect(restoreStore(file, target)).rejects.toThrow('pass --force');
      const { previous } = await restoreStore(file, target, { force: true });
      expect(previous && readdirSync(previous)).toContain('PG_VERSION');
      expect(readdirSync(root).filter((n) => n.includes('.restoring-'))).toEqual([]);
    });

    it('a file that is not a backup: refused, the target left alone', async () => {
      const target = join(root, 'never');
      await expect(
        restoreStore(join(import.meta.dirname, 'backup.test.ts'), target),
      ).rejects.toThrow('not a kpibot backup');
      expect(existsSync(target)).toBe(false);
    });

    it('the running bot backs up nightly, keeping the newest backup.keep', async () => {
      const dir = join(root, 'nightly');
      mkdirSync(dir);
      const older = ['2026-05-01', '2026-05-02', '2026-05-03'].map(
        (day) => `kpibot-${day}T01-00-00-000Z.tar.gz`,
      );
      for (const name of [...older, 'notes.txt']) writeFileSync(join(dir, name), 'x');
      const now = () => new Date('2026-05-04T01:30:00Z'); // after the 01:00 UTC firing: caught up
      const logger = createLogger('silent');
      const scheduler = createScheduler({ db, logger, timeZone: 'UTC', replicaId: 'bot', now });
      scheduler.add(backupTask({ db, logger, backup: { dir, keep: 2 }, cron: '0 1 * * *' })!);
      await scheduler.start();
      await scheduler.idle();
      await scheduler.stop();
      const written = 'kpibot-2026-05-04T01-00-00-000Z.tar.gz';
      expect(readdirSync(dir).sort()).toEqual([older[2], written, 'notes.txt']);
      expect(await contentsOf(await restoreInto(join(dir, written), 'from-nightly'))).toEqual(
        expected,
      );
    });

    it('kpibot backup FILE, from the command line', async () => {
      const dir = join(root, 'cli-store');
      await restoreStore(file, dir);
      const out = join(root, 'cli.backup');
      const backup = await run('node', ['bin/kpibot.js', 'backup', out], { env: cliEnv(dir) });
      expect(backup.stdout).toContain(`to ${out}`);
      expect(await contentsOf(await restoreInto(out, 'from-cli-backup'))).toEqual(expected);
    });

    it('kpibot restore FILE, from the command line: refused over a store, else restored', async () => {
      const dir = join(root, 'cli-target');
      const refused = await run('node', ['bin/kpibot.js', 'restore', file], {
        env: cliEnv(source),
      }).catch((err: { code: number; stderr: string }) => err);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('--force') });
      await run('node', ['bin/kpibot.js', 'restore', file, '--data-dir', dir], {
        env: cliEnv(source),
      });
      expect(await contentsOf(dir)).toEqual(expected);
    });
  });

  afterAll(async () => {
    await db?.close();
  });
});

const cliEnv = (dataDir: string) => ({
  ...process.env,
  KPIBOT_DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
});

async function restoreInto(file: string, name: string): Promise<string> {
  const dir = join(root, name);
  await restoreStore(file, dir);
  return dir;
}

/**
 * What the store in `dir` holds, less the writer's rows (see the first test for those) and the
 * nightly backup's own claim.
 */
async function contentsOf(dir: string): Promise<Record<string, unknown[]>> {
  const db = await openStore({ dataDir: dir });
  try {
    await db.exec(`delete from outbox where idempotency_key like 'pair-%';
                   delete from task_runs where task like 'pair-%' or task = '${BACKUP_TASK}'`);
    return await contents(db);
  } finally {
    await db.close();
  }
}

const url = process.env.TEST_DATABASE_URL;
describe.skipIf(!url)('PostgreSQL server: pg_dump and pg_restore (README)', () => {
  it('round-trips facts, alert rules, alert state, audit, task runs and the outbox', async () => {
    const db = await createPostgresTestDb(url!);
    try {
      await seed(db);
      const before = await contents(db);
      const [row] = await db.query<{ schema: string }>('select current_schema() as schema');
      const file = join(root, 'pg.dump');
      await run('pg_dump', ['--format=custom', `--schema=${row!.schema}`, `--file=${file}`, url!]);
      await db.exec(`drop schema "${row!.schema}" cascade`);
      await run('pg_restore', ['--dbname', url!, file]);
      expect(await contents(db)).toEqual(before);
    } finally {
      await db.close();
    }
  });
});
if (!url) console.warn('pg_dump/pg_restore test SKIPPED: TEST_DATABASE_URL is not set');
