// The embedded store's folder, guarded around PGlite's start. A damaged folder must fail with a
// message that says so (PGlite's own is "Aborted(). Build with -sASSERTIONS…") and must be left
// exactly as it was, for a backup or a closer look:
// - a folder with files but no PG_VERSION is refused before PGlite starts (PGlite would run
//   initdb over it: a new, empty store on top of whatever was there);
// - when PGlite fails to start on a store it found, the only file it writes on the way
//   (postmaster.pid) is put back as it was.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode, UserError } from '../errors.ts';
import { extractTar } from './tar.ts';

/** The store folder cannot be opened. Says which, that nothing was changed, and what to do. */
export class StoreDamagedError extends UserError {
  constructor(
    readonly dataDir: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(
      ErrorCode.StoreDamaged,
      [
        `The store folder ${dataDir} is damaged: ${problem}. Nothing in it was changed.`,
        `To restore it from a backup, move it aside (mv ${dataDir} ${dataDir}.damaged) and run`,
        '`kpibot restore BACKUP-FILE` (README.md, "Backup and restore").',
      ].join('\n'),
      options,
    );
  }
}

const PID_FILE = 'postmaster.pid';
/** Present while createFromTemplate unpacks: a folder left with it is half-made. */
const CREATING = 'kpibot-creating';

/**
 * kpibot's own files beside the store (`kpibot.lock` and its takeover and temporary files,
 * `kpibot-cli.json`): taken before PGlite opens a new folder, so they do not make it a store;
 * a snapshot of the folder holds them too, and a restore drops them.
 */
export const isKpibotFile = (name: string) =>
  name.startsWith('kpibot.') || name.startsWith('kpibot-');

export interface StoreFolder {
  /** No store in it yet (only kpibot's own files, if any): PGlite will create one. */
  isNew: boolean;
  /** For `PGlite.create(…).catch(folder.failed)`: puts the folder back, throws what it means. */
  failed(err: unknown): never;
}

/**
 * Creates the folder if missing and refuses one that holds files but no store. Call before
 * PGlite.create, and pass its failure to `failed`.
 */
export function prepareStoreFolder(dataDir: string): StoreFolder {
  mkdirSync(dataDir, { recursive: true });
  if (existsSync(join(dataDir, CREATING))) {
    // A creation from the template that did not finish (the process died): start it again.
    for (const name of readdirSync(dataDir)) {
      if (!isKpibotFile(name)) rmSync(join(dataDir, name), { recursive: true, force: true });
    }
    rmSync(join(dataDir, CREATING));
  }
  const isNew = readdirSync(dataDir).every(isKpibotFile);
  if (!isNew && !existsSync(join(dataDir, 'PG_VERSION'))) {
    throw new StoreDamagedError(dataDir, 'it holds files but no PG_VERSION');
  }
  const pidPath = join(dataDir, PID_FILE);
  const pid = existsSync(pidPath) ? readFileSync(pidPath) : undefined;
  return {
    isNew,
    failed(err) {
      // A store being created for the first time did not fail for being damaged.
      if (isNew) throw err;
      if (pid) writeFileSync(pidPath, pid);
      else rmSync(pidPath, { force: true });
      const detail = err instanceof Error ? err.message.split('.')[0] : String(err);
      throw new StoreDamagedError(dataDir, `PGlite could not open it (${detail})`, { cause: err });
    },
  };
}

/**
 * Makes the store in a new folder (prepareStoreFolder said `isNew`) from the template file, a
 * tar or gzipped tar of a data folder, unpacked as a stream: PGlite then opens it as a store it
 * found, without holding the archive in its own memory. The marker file goes first and last, so
 * a creation cut short is started again on the next open, never taken for a store.
 */
export async function createFromTemplate(dataDir: string, template: string): Promise<void> {
  const marker = join(dataDir, CREATING);
  writeFileSync(marker, '');
  await extractTar(template, dataDir);
  rmSync(marker);
}
