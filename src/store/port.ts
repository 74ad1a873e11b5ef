// The store's port: what the rest of the code may ask of a store, PGlite or a Postgres server
// (db.ts opens one; migrations.ts needs only this).

export interface Db {
  /** One statement with `$1…` parameters; rows come back with dates as `YYYY-MM-DD` strings. */
  query<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Several `;`-separated statements, no parameters (DDL, maintenance). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
   * Called inside a transaction (on its `tx`, or on the outer Db from within the callback) it
   * simply runs in that same transaction (no savepoint).
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly dialect: 'pglite' | 'postgres';
  /** Embedded store only: a consistent gzipped tarball of its data folder (src/store/backup.ts). */
  snapshot?(): Promise<Blob>;
}

export interface StoreLogger {
  info(obj: object, msg: string): void;
}
