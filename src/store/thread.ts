// The embedded store (PGlite) on a thread of its own, behind the same `Db` port.
//
// Why: PGlite is Postgres compiled to WASM and runs a query synchronously on the thread that
// owns it. On the main thread, every query would stop the event loop, and queries queued by
// twenty concurrent /kpi commands run back to back: a slash command arriving meanwhile would
// wait for all of them before it could even be acknowledged (measured: 20 queries of 12 ms
// held an HTTP request for 230 ms). Slack drops a command not acknowledged within 3 seconds.
// On its own thread the store computes while the main thread keeps acking and answering.
//
// A Postgres server (DATABASE_URL) does not need this: `pg` waits on sockets, not the CPU.
import { Worker } from 'node:worker_threads';
import { type Begin, type Db, makeDb, type Queries, type StoreLogger } from './db.ts';
import { acquireStoreLock } from './lock.ts';

export interface StoreThreadData {
  dataDir: string;
}

export interface SerialisedError {
  name: string;
  message: string;
  code?: string;
  detail?: string;
}

export type Request =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** Distributes Omit over the union, so each request keeps its own fields. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export type Reply =
  | { type: 'ready'; dialect: Db['dialect'] }
  | { type: 'open-failed'; error: SerialisedError }
  | { type: 'log'; obj: object; msg: string }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerialisedError };

export interface StoreThreadOptions {
  dataDir: string;
  logger?: StoreLogger;
}

/** An error from the store thread, with the Postgres error code when there is one. */
export class StoreThreadError extends Error {
  code?: string;
  detail?: string;
  constructor(e: SerialisedError) {
    super(e.message);
    this.name = e.name;
    if (e.code !== undefined) this.code = e.code;
    if (e.detail !== undefined) this.detail = e.detail;
  }
}

/**
 * The worker's start: from the built JavaScript (dist/, `npm run build`), thread-worker.js
 * beside this file; from the TypeScript sources, tsx registered first, then thread-worker.ts.
 * The tsx API is resolved here, so the worker finds it wherever the process was started from.
 */
function bootstrapSource(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  const worker = new URL(`./thread-worker.${fromSources ? 'ts' : 'js'}`, import.meta.url).href;
  const load = fromSources
    ? `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
        .then((tsx) => tsx.register(), (err) => failed('could not load tsx', err))
        .then(() => import(${JSON.stringify(worker)}))`
    : `import(${JSON.stringify(worker)})`;
  return `
    const { parentPort } = require('node:worker_threads');
    const failed = (what, err) =>
      parentPort.postMessage({ type: 'open-failed', error: { name: 'Error', message: what + ': ' + err.message } });
    ${load}.catch((err) => failed('could not start the store thread', err));`;
}

/** The store on its thread; also says when a query last succeeded (for /healthz). */
export interface StoreThreadDb extends Db {
  /** Epoch milliseconds of the last successful reply from the store thread, if any. */
  lastSuccessAt(): number | undefined;
}

/**
 * Opens the PGlite store in `dataDir` (migrating it) on its own thread, after locking the folder
 * (StoreInUseError when another process holds it). close() releases the lock.
 */
export async function openStoreThread(opts: StoreThreadOptions): Promise<StoreThreadDb> {
  // Locked here, on the main thread: the process owns the lock, and its exit hook releases it.
  const lock = acquireStoreLock(opts.dataDir);
  const worker = new Worker(bootstrapSource(), {
    eval: true,
    workerData: { dataDir: opts.dataDir } satisfies StoreThreadData,
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let stopped: Error | undefined;
  let lastSuccessAt: number | undefined;

  const ready = new Promise<Db['dialect']>((resolve, reject) => {
    worker.on('message', (reply: Reply) => {
      switch (reply.type) {
        case 'ready':
          resolve(reply.dialect);
          return;
        case 'open-failed':
          reject(new StoreThreadError(reply.error));
          return;
        case 'log':
          opts.logger?.info(reply.obj, reply.msg);
          return;
        case 'result': {
          const waiting = pending.get(reply.id);
          pending.delete(reply.id);
          if (reply.ok) {
            lastSuccessAt = Date.now();
            waiting?.resolve(reply.result);
          } else waiting?.reject(new StoreThreadError(reply.error));
        }
      }
    });
    const fail = (err: Error) => {
      stopped = err;
      reject(err);
      for (const waiting of pending.values()) waiting.reject(err);
      pending.clear();
    };
    worker.on('error', (err) => fail(new Error(`store thread failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`store thread stopped (exit code ${code})`)));
  });

  const call = <T>(req: WithoutId<Request>): Promise<T> => {
    if (stopped) return Promise.reject(stopped);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ ...req, id });
    });
  };

  let dialect: Db['dialect'];
  try {
    dialect = await ready;
  } catch (err) {
    await worker.terminate();
    lock.release();
    throw err;
  }
  const db = threadDb(dialect, call, async () => {
    await call({ op: 'close' });
    await worker.terminate();
    lock.release();
  });
  return { ...db, lastSuccessAt: () => (stopped ? undefined : lastSuccessAt) };
}

type Call = <T>(req: WithoutId<Request>) => Promise<T>;

/**
 * The Db the rest of the app sees: makeDb's transaction rules (nested calls join the running
 * one; the outer `db` inside a callback joins it too) over queries sent to the store thread.
 */
function threadDb(dialect: Db['dialect'], call: Call, close: () => Promise<void>): Db {
  const queries = (tx?: number): Queries => ({
    query: <R>(sql: string, params?: unknown[]) =>
      call<R[]>({ op: 'query', sql, ...(params ? { params } : {}), ...(tx ? { tx } : {}) }),
    exec: (sql: string) => call<void>({ op: 'exec', sql, ...(tx ? { tx } : {}) }),
  });
  const begin: Begin = async (fn) => {
    const id = await call<number>({ op: 'begin' });
    let result: Awaited<ReturnType<typeof fn>>;
    try {
      result = await fn(queries(id));
    } catch (err) {
      await call({ op: 'end', tx: id, commit: false }).catch(() => {});
      throw err;
    }
    await call({ op: 'end', tx: id, commit: true });
    return result;
  };
  return makeDb(dialect, queries(), begin, close);
}
