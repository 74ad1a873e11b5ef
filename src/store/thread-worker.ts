// The store's own thread (see thread.ts): opens PGlite here and runs what the main thread
// asks, one message per query. Transactions stay open across messages until the main thread
// ends them.
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type Db, openLockedFolder } from './db.ts';
import type { Reply, Request, SerialisedError, StoreThreadData } from './thread.ts';

if (!parentPort) throw new Error('thread-worker.ts runs only as a worker thread');
const port = parentPort;
const data = workerData as StoreThreadData;

function serialise(err: unknown): SerialisedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & { code?: unknown; detail?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
  };
}

const send = (reply: Reply) => port.postMessage(reply);

interface OpenTransaction {
  tx: Db;
  finish(commit: boolean): void;
  /** Resolves once the transaction has committed (or rejects) / rolled back. */
  settled: Promise<void>;
}

/** A transaction held open until the main thread says commit or roll back. */
async function beginTransaction(db: Db): Promise<OpenTransaction> {
  const rollback = new Error('rolled back by the main thread');
  let onOpen: (tx: Db) => void = () => {};
  let onOpenFailed: (err: unknown) => void = () => {};
  const opened = new Promise<Db>((resolve, reject) => {
    onOpen = resolve;
    onOpenFailed = reject;
  });
  let finish: (commit: boolean) => void = () => {};
  const settled = db
    .transaction(
      (tx) =>
        new Promise<void>((resolve, reject) => {
          finish = (commit) => (commit ? resolve() : reject(rollback));
          onOpen(tx);
        }),
    )
    .catch((err: unknown) => {
      if (err !== rollback) throw err;
    });
  // BEGIN itself failing rejects the opening (later, this is a no-op).
  settled.catch(onOpenFailed);
  const tx = await opened;
  return { tx, finish: (commit) => finish(commit), settled };
}

/**
 * On Linux the nice value is per thread: this lowers the store thread's alone, so when the CPU
 * is short the main thread (acking slash commands within Slack's 3 s) runs first. Elsewhere it
 * would lower the whole process, which buys nothing: skipped there.
 */
function yieldToTheMainThread(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // not permitted here: run at the normal priority
  }
}

async function main(): Promise<void> {
  yieldToTheMainThread();
  let db: Db;
  try {
    // The main thread locked the folder before starting this thread (thread.ts).
    db = await openLockedFolder(data.dataDir, {
      info: (obj, msg) => send({ type: 'log', obj: { ...obj }, msg }),
    });
  } catch (err) {
    send({ type: 'open-failed', error: serialise(err) });
    return;
  }
  const open = new Map<number, OpenTransaction>();
  const on = (tx: number | undefined): Db => {
    if (tx === undefined) return db;
    const t = open.get(tx);
    if (!t) throw new Error('store: this transaction has already ended');
    return t.tx;
  };

  port.on('message', (req: Request) => {
    const run = async (): Promise<unknown> => {
      switch (req.op) {
        case 'query':
          return on(req.tx).query(req.sql, req.params);
        case 'exec':
          return on(req.tx).exec(req.sql);
        case 'begin': {
          open.set(req.id, await beginTransaction(db));
          return req.id;
        }
        case 'end': {
          const t = open.get(req.tx);
          if (!t) throw new Error('store: this transaction has already ended');
          open.delete(req.tx);
          t.finish(req.commit);
          await t.settled;
          return undefined;
        }
        case 'close':
          await db.close();
          return undefined;
      }
    };
    run().then(
      (result) => {
        send({ type: 'result', id: req.id, ok: true, result });
        if (req.op === 'close') port.close();
      },
      (err: unknown) => send({ type: 'result', id: req.id, ok: false, error: serialise(err) }),
    );
  });
  send({ type: 'ready', dialect: db.dialect });
}

await main();
