// One owner for the embedded store: the lock file in the data folder, with real processes —
// taken before PGlite opens the folder, refused while its owner runs, taken over once the owner
// was SIGKILLed (or its pid now names another process), won by exactly one of several takers.
// Every test ends with the folder's integrity check: it opens and its row counts are unchanged.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import { acquireStoreLock, LOCK_FILE, StoreInUseError } from '../../src/store/lock.ts';
import { currentProcess, liveness } from '../../src/store/process-identity.ts';
import { createStoreFolder, storeRowCounts } from '../helpers/store-folder.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(ROOT, 'test/store/fixtures/lock-child.ts');

interface Child {
  process: ChildProcess;
  /** The next JSON line it prints. */
  next(): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [join(ROOT, 'bin/run-ts.js'), CHILD], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const queue: string[] = [];
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else queue.push(line);
  });
  return {
    process: child,
    next: () =>
      new Promise((ok) => {
        const line = queue.shift();
        if (line !== undefined) ok(JSON.parse(line));
        else waiting.push((l) => ok(JSON.parse(l)));
      }),
    exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal }))),
  };
}

const cleanups: Array<() => unknown> = [];
/** The row counts of a new, empty store folder (each test's folder starts as one). */
let empty: Record<string, number>;
beforeAll(async () => {
  const f = await createStoreFolder();
  empty = await storeRowCounts(f.dataDir);
  f.cleanup();
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function folder(): Promise<string> {
  const f = await createStoreFolder();
  cleanups.push(f.cleanup);
  return f.dataDir;
}

function writeLock(dataDir: string, owner: object): void {
  writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(owner));
}

const lockOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'));

describe('the store lock', () => {
  it('is taken before the store opens, names its owner, refuses a second opener, goes on close', async () => {
    const dataDir = await folder();
    const db = await openStore({ dataDir });
    const me = currentProcess();
    expect(lockOf(dataDir)).toMatchObject({
      pid: process.pid,
      host: me.host,
      nonce: expect.any(String),
    });
    if (me.startTicks) expect(lockOf(dataDir).startTicks).toBe(me.startTicks);

    const second = openStore({ dataDir });
    await expect(second).rejects.toBeInstanceOf(StoreInUseError);
    await expect(second).rejects.toThrow(dataDir);
    await expect(second).rejects.toThrow(`pid ${process.pid}`);
    await db.close();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(await storeRowCounts(dataDir)).toEqual(empty);
  });

  it('a lock left by a SIGKILLed process is taken over, and the store is intact', async () => {
    const dataDir = await folder();
    const child = startChild({ DIR: dataDir, MODE: 'store', FACTS: '50' });
    expect(await child.next()).toEqual({ ready: true });
    await expect(openStore({ dataDir })).rejects.toThrow(`pid ${child.process.pid}`);
    child.process.kill('SIGKILL');
    expect((await child.exited).signal).toBe('SIGKILL');
    expect(lockOf(dataDir).pid).toBe(child.process.pid); // left behind

    const counts = await storeRowCounts(dataDir); // takes the stale lock over
    expect(counts.facts).toBe(50);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('a lock whose pid now belongs to another process (started later) is stale', () => {
    const me = currentProcess();
    // The same pid, another start time: the owner is gone and its pid was reused.
    const reused = { ...me, startTicks: me.startTicks ? `${me.startTicks}0` : undefined };
    expect(liveness(me)).toBe('running');
    if (me.startTicks) expect(liveness(reused)).toBe('gone');
    expect(liveness({ ...me, bootId: me.bootId ? 'another-boot' : undefined })).toBe(
      me.bootId ? 'gone' : 'running',
    );
    expect(liveness({ ...me, host: `${me.host}-elsewhere` })).toBe('unknown');
  });

  it('takes over a reused pid and a junk file, but not a lock from another host', async () => {
    const dataDir = await folder();
    const me = currentProcess();
    const base = { command: 'kpibot.js demo', since: '2026-01-01T00:00:00.000Z', nonce: 'n1' };
    if (me.startTicks) {
      writeLock(dataDir, { ...me, ...base, startTicks: `${me.startTicks}0` });
      acquireStoreLock(dataDir).release();
    }
    writeFileSync(join(dataDir, LOCK_FILE), '{"half": ');
    acquireStoreLock(dataDir).release();

    writeLock(dataDir, { ...me, ...base, host: 'build-server-7' });
    let refused: unknown;
    try {
      acquireStoreLock(dataDir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(StoreInUseError);
    expect((refused as Error).message).toContain('on host build-server-7');
    expect((refused as Error).message).toContain(`delete ${join(dataDir, LOCK_FILE)}`);
    expect(lockOf(dataDir).host).toBe('build-server-7'); // untouched
    writeFileSync(join(dataDir, LOCK_FILE), '');
    expect(await storeRowCounts(dataDir)).toEqual(empty);
  });

  it('of several processes taking over one stale lock at once, exactly one wins', async () => {
    const dataDir = await folder();
    // A stale lock: its owner has exited.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((done) => gone.on('exit', done));
    writeLock(dataDir, {
      ...currentProcess(),
      pid: gone.pid,
      startTicks: undefined,
      command: 'start.js',
      since: new Date().toISOString(),
      nonce: 'gone',
    });

    const takers = Array.from({ length: 4 }, () => startChild({ DIR: dataDir, MODE: 'lock' }));
    cleanups.push(async () => {
      for (const t of takers) t.process.stdin?.end();
      await Promise.all(takers.map((t) => t.exited));
    });
    for (const t of takers) expect(await t.next()).toEqual({ loaded: true });
    for (const t of takers) t.process.stdin?.write('go\n');
    const answers = await Promise.all(takers.map((t) => t.next()));
    const winners = takers.filter((_, i) => answers[i]?.won === true);
    expect(winners).toHaveLength(1);
    const winnerPid = winners[0]!.process.pid;
    for (const a of answers) if (a.won === false) expect(a.pid).toBe(winnerPid);
    expect(lockOf(dataDir).pid).toBe(winnerPid);

    for (const t of takers) t.process.stdin?.end();
    await Promise.all(takers.map((t) => t.exited));
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false); // released on exit
    expect(await storeRowCounts(dataDir)).toEqual(empty);
  });
});

const serverUrl = process.env.TEST_DATABASE_URL;
describe.runIf(serverUrl)('a PostgreSQL server (DATABASE_URL)', () => {
  it('is not locked: several openers share it, no lock file is written', async () => {
    const dataDir = await folder();
    const [a, b] = await Promise.all([
      openStore({ databaseUrl: serverUrl, dataDir }),
      openStore({ databaseUrl: serverUrl, dataDir }),
    ]);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(await a.query('select 1 as one')).toEqual([{ one: 1 }]);
    expect(await b.query('select 1 as one')).toEqual([{ one: 1 }]);
    await Promise.all([a.close(), b.close()]);
  });
});
