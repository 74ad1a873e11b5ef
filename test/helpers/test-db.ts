// Isolated, migrated stores for tests, fast.
//
// PGlite: initdb takes seconds, so it is paid once per machine, not per test file: a migrated
// data folder is dumped to a tarball in os.tmpdir(), keyed by a hash of the migrations and the
// PGlite version, and each createTestDb() boots an in-memory PGlite from it (well under a second).
// The tarball is built by the vitest globalSetup (test/setup/pglite-template.ts) or, failing that,
// by the first test file that needs it.
//
// TEST_DATABASE_URL=postgres://… : createTestDb() gives a store on that server in a fresh random
// schema, dropped again by close().
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { describe, it } from 'vitest';
import { type Db, openStore, PGLITE_PARSERS, pgliteDb } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrations.ts';
import { ensurePgliteTemplate } from '../setup/pglite-template.ts';

export type StoreKindName = 'pglite' | 'postgres';

export interface StoreKind {
  name: StoreKindName;
  create(): Promise<Db>;
}

/** A fresh, migrated, empty store: PGlite, or a throwaway schema on TEST_DATABASE_URL. */
export function createTestDb(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL;
  return url ? createPostgresTestDb(url) : createPgliteTestDb();
}

let warned = false;

/**
 * The stores to run a suite against, for `describe.each(storeKinds())('$name store', …)`:
 * always PGlite, plus the Postgres server when TEST_DATABASE_URL is set. When it is not, this
 * registers a visibly skipped suite (and warns once), so call it while tests are being collected.
 */
export function storeKinds(): StoreKind[] {
  const kinds: StoreKind[] = [{ name: 'pglite', create: createPgliteTestDb }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    kinds.push({ name: 'postgres', create: () => createPostgresTestDb(url) });
  } else {
    if (!warned) {
      warned = true;
      console.warn(
        'postgres store tests SKIPPED: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)',
      );
    }
    describe.skip('postgres store (TEST_DATABASE_URL not set)', () => {
      it('runs these store tests on a Postgres server too', () => {});
    });
  }
  return kinds;
}

// ---------------------------------------------------------------------------------------------
// PGlite from the template tarball

export async function createPgliteTestDb(): Promise<Db> {
  const template = await ensurePgliteTemplate();
  templateBytes ??= readFileSync(template);
  const pglite = await PGlite.create({
    loadDataDir: new Blob([templateBytes]),
    parsers: PGLITE_PARSERS,
  });
  const db = pgliteDb(pglite);
  await migrate(db); // a no-op on the template; keeps the helper honest if it were stale
  return db;
}

let templateBytes: Buffer | undefined;

/** A migrated PGlite store in the folder `dataDir` (from the template: no initdb), closed. */
export async function createPgliteFolder(dataDir: string): Promise<void> {
  templateBytes ??= readFileSync(await ensurePgliteTemplate());
  const pglite = await PGlite.create(dataDir, { loadDataDir: new Blob([templateBytes]) });
  await pglite.close();
}

// ---------------------------------------------------------------------------------------------
// Postgres server: a throwaway schema

export async function createPostgresTestDb(databaseUrl: string): Promise<Db> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openStore({ databaseUrl, dataDir: '', schema });
  return {
    dialect: db.dialect,
    query: <R>(sql: string, params?: unknown[]) => db.query<R>(sql, params),
    exec: (sql) => db.exec(sql),
    transaction: (fn) => db.transaction(fn),
    close: async () => {
      try {
        await db.exec(`drop schema if exists "${schema}" cascade`);
      } finally {
        await db.close();
      }
    },
  };
}

/**
 * `n` stores on one throwaway schema of the server, each with its own connection pool: replicas
 * of the app sharing one database. `close()` closes them all and drops the schema.
 */
export async function createPostgresReplicas(
  databaseUrl: string,
  n: number,
): Promise<{ dbs: Db[]; close(): Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const dbs: Db[] = [];
  for (let i = 0; i < n; i++) dbs.push(await openStore({ databaseUrl, dataDir: '', schema }));
  return {
    dbs,
    close: async () => {
      try {
        await dbs[0]?.exec(`drop schema if exists "${schema}" cascade`);
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
      }
    },
  };
}

/**
 * TEST_DATABASE_URL, or undefined after a warning naming what is skipped: for suites that only
 * make sense on a server (several replicas, concurrent transactions), with `describe.skipIf`.
 */
export function serverUrlOrWarn(what: string): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    console.warn(
      `${what} SKIPPED: TEST_DATABASE_URL is not set (e.g. TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test)`,
    );
  }
  return url;
}
