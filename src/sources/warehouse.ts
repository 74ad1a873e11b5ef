// Reading a source: one connection of its own, one READ ONLY transaction with a statement
// timeout, the one SELECT, rolled back. kpibot never writes to a source: the server refuses any
// write inside a read-only transaction, whatever the configured query says.
import pg from 'pg';
import { PG_TYPES } from '../store/db.ts';
import type { Statement } from './statement.ts';

/** Why a read failed, in words for the status and the log (no URL, no password: see sync.ts). */
export class SourceReadError extends Error {
  override name = 'SourceReadError';
  constructor(
    message: string,
    /** The server's SQLSTATE, or the socket's error code. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

const QUERY_CANCELED = '57014';

function describe(err: unknown, timeoutMs: number): SourceReadError {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (code === QUERY_CANCELED) {
    return new SourceReadError(
      `the query ran longer than its timeout (${timeoutMs / 1000} s)`,
      code,
    );
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code)) {
    return new SourceReadError(`the query failed: ${message} (SQLSTATE ${code})`, code);
  }
  return new SourceReadError(`could not read the source: ${message}`, code);
}

/**
 * The rows of `statement` on the database at `url`. Rejects with SourceReadError (a connection
 * that fails, a query error, the timeout). `signal` ends the connection early.
 */
export async function readSource(
  url: string,
  statement: Statement,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({
    connectionString: url,
    types: PG_TYPES,
    connectionTimeoutMillis: timeoutMs,
    application_name: 'kpibot',
  });
  // An idle client's socket error would otherwise be thrown as an uncaught 'error' event.
  client.on('error', () => {});
  const abort = () => void client.end().catch(() => {});
  signal?.addEventListener('abort', abort, { once: true });
  try {
    await client.connect();
    await client.query('begin transaction read only');
    // A number this code made, never text from the configuration.
    await client.query(`set local statement_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
    const result = await client.query(statement.sql, statement.params);
    await client.query('rollback');
    return result.rows as Record<string, unknown>[];
  } catch (err) {
    throw describe(err, timeoutMs);
  } finally {
    signal?.removeEventListener('abort', abort);
    await client.end().catch(() => {});
  }
}
