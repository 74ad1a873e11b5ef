// The store's adapters: PGlite (embedded, a folder) or a Postgres server (pg), behind port.ts.
// Same SQL dialect on both; every query is parameterised. Migrations run on open.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { acquireStoreLock } from './lock.ts';
import { migrate } from './migrations.ts';
import { createFromTemplate, prepareStoreFolder } from './pglite-folder.ts';
import type { Db, StoreLogger } from './port.ts';
import { installedStoreTemplate } from './template.ts';

export type { Db, StoreLogger } from './port.ts';

export interface OpenStoreOptions {
  /** `postgres://…`: use a Postgres server instead of the embedded PGlite. */
  databaseUrl?: string;
  /** PGlite's data folder (created if missing); ignored when `databaseUrl` is set. */
  dataDir: string;
  /**
   * Server only: every connection uses this schema (`search_path`); created if missing.
   * Lower-case letters, digits and `_` only. Used to isolate tests on a shared server.
   */
  schema?: string;
  logger?: StoreLogger;
  /**
   * PGlite only: what a new folder starts from. Unset: this install's template (src/store/
   * template.ts), else initdb; `null`: initdb; a path: that template (a tar or tar.gz).
   */
  template?: string | null;
}

const DATE_OID = 1082;
const INT8_OID = 20;

const identity = (value: string): string => value;

/** PGlite result parsers: DATE stays `YYYY-MM-DD` (int8 and float8 are numbers by default). */
export const PGLITE_PARSERS = { [DATE_OID]: identity } as const;

/**
 * PGlite's start-up parameters plus a smaller buffer pool. Postgres' default 128 MB of shared
 * buffers is allocated and touched inside PGlite's WebAssembly memory when it starts, so it is
 * resident from the first query on (~110 MB more RSS than 32 MB). The data files sit in the OS
 * page cache anyway: aggregations over 5 million facts ran as fast with 32 MB (16 MB began to
 * cost). WebAssembly memory never shrinks, so this is also the floor a long-running bot keeps.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'shared_buffers=32MB',
  // The WAL a checkpoint keeps for reuse is capped by max_wal_size (default 1 GB): after a
  // million-row import the folder held 268 MB of recycled WAL segments next to 193 MB of data,
  // and no later checkpoint gives them back. With 64 MB the import checkpoints every 64 MB
  // instead (measured: the same CPU time) and the folder keeps 67 MB of WAL (470 → 269 MB).
  '-c',
  'max_wal_size=64MB',
  '-c',
  'min_wal_size=32MB',
];

/** Opens the store (PGlite in `dataDir`, or the server at `databaseUrl`) and migrates it. */
/**
 * Opens the store (PGlite in `dataDir`, or the server at `databaseUrl`) and migrates it. The
 * embedded store is first locked for this process (StoreInUseError when another one holds it);
 * the lock is released by close(). A server is shared: nothing is locked.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Db> {
  if (opts.databaseUrl) {
    return migrated(await openPostgres(opts.databaseUrl, opts.schema, opts.logger), opts);
  }
  const lock = acquireStoreLock(opts.dataDir);
  try {
    const db = await openLockedFolder(opts.dataDir, opts.logger, opts.template);
    return {
      ...db,
      close: async () => {
        await db.close();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/**
 * PGlite in `dataDir`, migrated, for a caller that already holds the folder's lock
 * (acquireStoreLock): the store thread, whose lock belongs to the main thread. `given`: as
 * OpenStoreOptions.template.
 */
export async function openLockedFolder(
  dataDir: string,
  logger?: StoreLogger,
  given?: string | null,
): Promise<Db> {
  const folder = prepareStoreFolder(dataDir);
  const template = folder.isNew ? (given === undefined ? installedStoreTemplate() : given) : null;
  if (template) await createFromTemplate(dataDir, template);
  const pglite = await PGlite.create(dataDir, {
    parsers: PGLITE_PARSERS,
    startParams: [...PGLITE_START_PARAMS],
  }).catch(folder.failed);
  return migrated(pgliteDb(pglite), { logger });
}

async function migrated(db: Db, opts: Pick<OpenStoreOptions, 'schema' | 'logger'>): Promise<Db> {
  try {
    await migrate(db, { schema: opts.schema, logger: opts.logger });
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

// ---------------------------------------------------------------------------------------------
// Transactions, the same on both dialects

export type Queries = Pick<Db, 'query' | 'exec'>;
export type Begin = <T>(fn: (q: Queries) => Promise<T>) => Promise<T>;

interface Ambient {
  tx: Db;
  open: boolean;
}

/**
 * A Db over plain `queries` and a `begin` that runs a callback in a real transaction. The
 * running transaction is also tracked per async context, so code inside a transaction that
 * reaches for the outer `db` (instead of `tx`) joins the transaction rather than running
 * outside it (on PGlite, one connection, it would otherwise wait for itself forever).
 * A `tx` used after its transaction ended throws instead of running on a stray connection.
 */
export function makeDb(
  dialect: Db['dialect'],
  queries: Queries,
  begin: Begin,
  close: () => Promise<void>,
): Db {
  const ambient = new AsyncLocalStorage<Ambient>();
  const current = (): Db | undefined => {
    const a = ambient.getStore();
    return a?.open ? a.tx : undefined;
  };
  return {
    dialect,
    query: <R>(sql: string, params?: unknown[]) => (current() ?? queries).query<R>(sql, params),
    exec: (sql) => (current() ?? queries).exec(sql),
    transaction: (fn) => {
      const outer = current();
      if (outer) return fn(outer);
      return begin((q) => {
        const check = () => {
          if (!state.open) throw new Error('store: this transaction has already ended');
        };
        const tx: Db = {
          dialect,
          query: async <R>(sql: string, params?: unknown[]) => {
            check();
            return q.query<R>(sql, params);
          },
          exec: async (sql) => {
            check();
            return q.exec(sql);
          },
          transaction: async (inner) => {
            check();
            return inner(tx);
          },
          close: () => Promise.reject(new Error('store: close() called inside a transaction')),
        };
        const state: Ambient = { tx, open: true };
        return ambient
          .run(state, () => fn(tx))
          .finally(() => {
            state.open = false;
          });
      });
    },
    close: () =>
      current() ? Promise.reject(new Error('store: close() called inside a transaction')) : close(),
  };
}

// ---------------------------------------------------------------------------------------------
// PGlite

/** The part of PGlite's API (instance or transaction) a query needs. */
interface PgliteQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
}

function pgliteQueries(target: PgliteQueryable): Queries {
  return {
    query: async <R>(sql: string, params?: unknown[]) =>
      (await target.query<R>(sql, params ?? [])).rows,
    exec: async (sql: string) => {
      await target.exec(sql);
    },
  };
}

/**
 * Wraps an open PGlite instance (created with `parsers: PGLITE_PARSERS`). PGlite is one
 * connection: a transaction holds it, and queries from outside wait until it ends.
 */
export function pgliteDb(pglite: PGlite): Db {
  const db = makeDb(
    'pglite',
    pgliteQueries(pglite),
    (fn) => pglite.transaction((tx) => fn(pgliteQueries(tx))),
    () => pglite.close(),
  );
  // Inside a transaction of its own: no other transaction is half done while the files are read.
  db.snapshot = () => pglite.transaction(() => pglite.dumpDataDir('gzip'));
  return db;
}

// ---------------------------------------------------------------------------------------------
// Postgres server (pg)

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Type parsers for one pool or client (the global pg.types stay untouched): DATE as `YYYY-MM-DD`,
 * int8 as a number. Also used by the SQL sources' reads (src/sources/warehouse.ts).
 */
export const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === DATE_OID) return identity;
    if (oid === INT8_OID) return Number;
    return format === 'binary'
      ? pg.types.getTypeParser(oid, 'binary')
      : pg.types.getTypeParser(oid);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function clientQueries(client: pg.Pool | pg.PoolClient): Queries {
  return {
    query: async <R>(sql: string, params?: unknown[]) => {
      const result = await client.query(sql, params ?? []);
      return result.rows as R[];
    },
    exec: async (sql: string) => {
      // Without parameters pg uses the simple-query protocol, which accepts several statements.
      await client.query(sql);
    },
  };
}

async function openPostgres(
  databaseUrl: string,
  schema: string | undefined,
  logger: StoreLogger | undefined,
): Promise<Db> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lower-case letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    types: PG_TYPES,
    // Applied by the server at connection start-up, so every pooled connection has it.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => logger?.info({ err: err.message }, 'store: idle connection lost'));

  const begin: Begin = async (fn) => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(clientQueries(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is gone: do not hand it back to the pool
      }
      throw err;
    } finally {
      client.release(broken);
    }
  };
  return makeDb('postgres', clientQueries(pool), begin, () => pool.end());
}
