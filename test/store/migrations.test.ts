// Migrations: applied once, in order, idempotent on every open, safe when replicas race.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { openStore } from '../../src/store/db.ts';
import { countFacts, upsertFacts } from '../../src/store/facts.ts';
import { MIGRATIONS, type Migration, migrate } from '../../src/store/migrations.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { ensurePgliteTemplate } from '../setup/pglite-template.ts';

function recordingLogger() {
  const lines: Array<{ obj: object; msg: string }> = [];
  return { lines, info: (obj: object, msg: string) => lines.push({ obj, msg }) };
}

describe.each(storeKinds())('$name store: migrations', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records every migration once', async () => {
    const rows = await db.query<{ version: number; name: string }>(
      'select version, name from schema_migrations order by version',
    );
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('is idempotent: migrating an up-to-date store applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    expect(await migrate(db)).toEqual([]);
    const [row] = await db.query<{ n: number }>('select count(*) as n from schema_migrations');
    expect(row?.n).toBe(MIGRATIONS.length);
  });

  it('applies pending migrations in version order, and only those', async () => {
    const extra: Migration[] = [
      { version: 1001, name: 'second', sql: 'alter table probe add column b int' },
      { version: 1000, name: 'first', sql: 'create table probe (a int)' },
    ];
    const logger = recordingLogger();
    expect(await migrate(db, { migrations: [...MIGRATIONS, ...extra], logger })).toEqual([
      1000, 1001,
    ]);
    expect(logger.lines.map((l) => l.obj)).toEqual([
      { version: 1000, name: 'first' },
      { version: 1001, name: 'second' },
    ]);
    expect(await migrate(db, { migrations: [...MIGRATIONS, ...extra] })).toEqual([]);
    await db.query('insert into probe (a, b) values (1, 2)');
  });

  it('rolls back a failing migration completely', async () => {
    const broken: Migration[] = [
      ...MIGRATIONS,
      { version: 2000, name: 'ok part', sql: 'create table half (a int)' },
      { version: 2001, name: 'broken', sql: 'create table half (a int)' },
    ];
    await expect(migrate(db, { migrations: broken })).rejects.toThrow(/already exists/);
    const rows = await db.query('select 1 from schema_migrations where version >= 2000');
    expect(rows).toEqual([]);
    const tables = await db.query(
      `select 1 from information_schema.tables where table_name = 'half' and table_schema = current_schema()`,
    );
    expect(tables).toEqual([]);
  });
});

describe('pglite store: openStore on a data folder', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kpibot-store-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('creates the folder by initdb without a template, migrates it, reopens it without re-applying', async () => {
    const dataDir = join(root, 'nested', 'data');
    const first = recordingLogger();
    const db1 = await openStore({ dataDir, logger: first, template: null });
    try {
      await upsertFacts(db1, [
        { measure: 'revenue', day: '2026-01-01', channel: '', campaign: '', value: 1 },
      ]);
    } finally {
      await db1.close();
    }
    expect(first.lines.map((l) => l.obj)).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, name: m.name })),
    );

    const second = recordingLogger();
    const db2 = await openStore({ dataDir, logger: second });
    try {
      expect(second.lines).toEqual([]);
      expect(await countFacts(db2)).toBe(1);
    } finally {
      await db2.close();
    }
  });

  it('starts a new folder from the template: migrated already, nothing to apply', async () => {
    const dataDir = join(root, 'from-template');
    const logger = recordingLogger();
    const template = await ensurePgliteTemplate();
    const db = await openStore({ dataDir, logger, template });
    try {
      expect(logger.lines).toEqual([]);
      const rows = await db.query<{ version: number }>(
        'select version from schema_migrations order by version',
      );
      expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
      // The start-up parameters hold for a folder store: a small buffer pool, and WAL kept for
      // reuse capped (a 1M-row import otherwise left 268 MB of recycled segments in pg_wal).
      const settings = await db.query<{ name: string; setting: string; unit: string }>(
        `select name, setting, unit from pg_settings
          where name in ('max_wal_size', 'min_wal_size', 'shared_buffers') order by name`,
      );
      expect(settings).toEqual([
        { name: 'max_wal_size', setting: '64', unit: 'MB' },
        { name: 'min_wal_size', setting: '32', unit: 'MB' },
        { name: 'shared_buffers', setting: String((32 * 1024) / 8), unit: '8kB' },
      ]);
      await upsertFacts(db, [
        { measure: 'revenue', day: '2026-01-01', channel: '', campaign: '', value: 2 },
      ]);
      expect(await countFacts(db)).toBe(1);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
  });

  it('starts again a creation from the template that was cut short (its marker left)', async () => {
    const dataDir = join(root, 'cut-short');
    mkdirSync(join(dataDir, 'base'), { recursive: true });
    writeFileSync(join(dataDir, 'kpibot-creating'), '');
    writeFileSync(join(dataDir, 'base', 'half-written'), 'x');
    const db = await openStore({ dataDir, template: await ensurePgliteTemplate() });
    try {
      expect(await countFacts(db)).toBe(0);
    } finally {
      await db.close();
    }
    expect(existsSync(join(dataDir, 'kpibot-creating'))).toBe(false);
    expect(existsSync(join(dataDir, 'base', 'half-written'))).toBe(false);
  });

  it('ignores the template for a folder that holds a store already', async () => {
    const dataDir = join(root, 'nested', 'data'); // made by the first test, with 1 fact
    const db = await openStore({ dataDir, template: await ensurePgliteTemplate() });
    try {
      expect(await countFacts(db)).toBe(1);
    } finally {
      await db.close();
    }
  });
});

const url = process.env.TEST_DATABASE_URL;

describe.runIf(url)('postgres store: openStore with a schema', () => {
  const schema = `test_mig_${process.pid}_${Date.now() % 100000}`;
  afterAll(async () => {
    const db = await openStore({ databaseUrl: url, dataDir: '' });
    await db.exec(`drop schema if exists ${schema} cascade`);
    await db.close();
  });

  it('lets two replicas open a fresh schema at once: one migrates, both work', async () => {
    const loggers = [recordingLogger(), recordingLogger()];
    const [a, b] = await Promise.all(
      loggers.map((logger) => openStore({ databaseUrl: url, dataDir: '', schema, logger })),
    );
    try {
      const applied = loggers.map((l) => l.lines.filter((x) => x.msg.includes('applied')).length);
      expect(applied.sort()).toEqual([0, MIGRATIONS.length]);
      await upsertFacts(a!, [
        { measure: 'revenue', day: '2026-01-01', channel: '', campaign: '', value: 1 },
      ]);
      expect(await countFacts(b!)).toBe(1);
      const [where] = await b!.query<{ schema: string }>(
        `select table_schema as schema from information_schema.tables where table_name = 'facts' and table_schema = $1`,
        [schema],
      );
      expect(where?.schema).toBe(schema);
    } finally {
      await a!.close();
      await b!.close();
    }
    const again = recordingLogger();
    const c = await openStore({ databaseUrl: url, dataDir: '', schema, logger: again });
    await c.close();
    expect(again.lines).toEqual([]);
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(
      openStore({ databaseUrl: url, dataDir: '', schema: 'x"; drop table facts; --' }),
    ).rejects.toThrow(/Invalid schema name/);
  });
});
