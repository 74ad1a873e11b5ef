// One owner for the embedded store: an exclusive lock file in the data folder, taken before PGlite
// touches the folder, released on close and on exit, taken over once its owner is gone.
//
// `kpibot.lock` names the owner (pid, host, boot, start time, command, a random nonce). It is
// created whole: written to a private temporary file, then hard-linked to its name, which fails
// when the name exists, so nobody ever reads a half-written lock. A lock whose owner is gone is
// taken over by the process that creates `kpibot.lock.takeover-<nonce>` first (the same
// exclusive creation, so that marker can be taken over too): only that process removes the stale
// lock, after checking it is still the same one, so two takers never both win. PGlite writes a
// postmaster.pid but does not honour one, hence this file.
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { ErrorCode, UserError } from '../errors.ts';
import { currentProcess, liveness } from './process-identity.ts';

export const LOCK_FILE = 'kpibot.lock';

const ownerSchema = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  bootId: z.string().optional(),
  startTicks: z.string().optional(),
  /** What the owner runs, e.g. `start.js` or `kpibot.js ask roas last-week`. */
  command: z.string(),
  /** When it took the lock (ISO 8601). */
  since: z.string(),
  nonce: z.string().min(1),
});

export type LockOwner = z.infer<typeof ownerSchema>;

/** The store's folder is locked by a process that still runs (or runs on another host). */
export class StoreInUseError extends UserError {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
    readonly lockPath: string,
  ) {
    const elsewhere = liveness(owner) === 'unknown';
    super(
      ErrorCode.StoreInUse,
      [
        `The store in ${dataDir} is in use by another kpibot process (pid ${owner.pid}${elsewhere ? ` on host ${owner.host}` : ''}, "${owner.command}", since ${owner.since}).`,
        'Two processes writing one embedded store can corrupt it, so this one did not open it and changed nothing.',
        `Stop that process first, or set KPIBOT_DATA_DIR to another folder, or use a PostgreSQL server (DATABASE_URL), which many processes may share.`,
        ...(elsewhere ? [`If no kpibot runs on ${owner.host} any more, delete ${lockPath}.`] : []),
      ].join('\n'),
    );
  }
}

export interface StoreLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** Removes the lock if it is still this one; safe to call twice. */
  release(): void;
}

/** Attempts before giving up on a lock that keeps changing hands; a few ms apart. */
const MAX_ATTEMPTS = 20;
const RETRY_MS = 5;
/** `kpibot.lock.takeover-….takeover-…` nests no deeper than this. */
const MAX_TAKEOVER_DEPTH = 2;

const held = new Set<StoreLock>();
let exitHookInstalled = false;

/**
 * Takes the lock of the store in `dataDir` (creating the folder), or throws StoreInUseError
 * naming the process that holds it. Synchronous: nothing else can run in between.
 */
export function acquireStoreLock(dataDir: string): StoreLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const owner: LockOwner = {
    ...currentProcess(),
    command: commandLine(),
    since: new Date().toISOString(),
    nonce: randomBytes(12).toString('hex'),
  };
  const holder = createLockFile(path, owner, 0);
  if (holder) throw new StoreInUseError(dataDir, holder, path);
  const lock: StoreLock = {
    path,
    owner,
    release: () => {
      held.delete(lock);
      if (readLock(path)?.id === owner.nonce) rmSync(path, { force: true });
    },
  };
  held.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // process.exit(), the end of the event loop, an uncaught error: never leave a lock behind.
    process.on('exit', () => {
      for (const l of held) l.release();
    });
  }
  return lock;
}

function commandLine(): string {
  const [, script, ...args] = process.argv;
  return [script ? basename(script) : 'node', ...args].join(' ').slice(0, 200);
}

interface SeenLock {
  /** Undefined when the file is not a lock this code wrote (then it is taken over). */
  owner: LockOwner | undefined;
  /** The owner's nonce, or a hash of the file's bytes. */
  id: string;
}

function readLock(path: string): SeenLock | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let owner: LockOwner | undefined;
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(text));
    owner = parsed.success ? parsed.data : undefined;
  } catch {
    owner = undefined; // not JSON
  }
  return {
    owner,
    id: owner?.nonce ?? `x${createHash('sha256').update(text).digest('hex').slice(0, 24)}`,
  };
}

/**
 * Creates the lock file at `path` for `owner`, taking over a stale one. Returns the live holder
 * when the lock is someone else's, undefined when it is now `owner`'s.
 */
function createLockFile(path: string, owner: LockOwner, depth: number): LockOwner | undefined {
  let holder: LockOwner | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (attempt > 0) pause(RETRY_MS);
    if (linkNew(path, owner)) return undefined;
    const seen = readLock(path);
    if (!seen) continue; // released in the meantime
    if (seen.owner && liveness(seen.owner) !== 'gone') return seen.owner;
    if (depth >= MAX_TAKEOVER_DEPTH) {
      throw new Error(`Could not take over the stale lock ${path}: delete it and try again.`);
    }
    const marker = `${path}.takeover-${seen.id}`;
    holder = createLockFile(marker, owner, depth + 1);
    if (holder) continue; // another process is taking it over: look again
    try {
      if (readLock(path)?.id === seen.id) rmSync(path, { force: true });
    } finally {
      rmSync(marker, { force: true });
    }
  }
  if (holder) return holder;
  throw new Error(`Could not take the lock ${path}: it kept changing hands. Try again.`);
}

/** Writes the lock whole under a private name, then links it into place unless `path` exists. */
function linkNew(path: string, owner: LockOwner): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Blocks for `ms`: only while another process is half-way through a takeover. */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}
