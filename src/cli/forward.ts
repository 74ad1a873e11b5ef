// `kpibot ask|summary|status|kpis|import` when the embedded store is in use: if the process that
// holds it is a running bot that takes commands (endpoint.ts), the command goes there and
// its output is printed as it comes back, exit code included. Otherwise (another CLI holds the
// store, the bot is still starting) the lock's message names the folder and the process, and
// nothing changed: exit code 2.
import { readFile } from 'node:fs/promises';
import { ImportUsageError, parseImportArgs } from '../ingest/cli.ts';
import { ImportError, importFileSize } from '../ingest/import.ts';
import type { StoreInUseError } from '../store/lock.ts';
import type { CommandIo } from './commands.ts';
import {
  errorReplySchema,
  MAX_FORWARDED_FILE_BYTES,
  RUN_PATH,
  type RunReply,
  type RunRequest,
  readEndpointFile,
  runReplySchema,
} from './endpoint-protocol.ts';

/** Something stops the command from going through the bot; the message says what to do. */
class NotForwarded extends Error {}

export async function forwardToBot(
  argv: readonly string[],
  inUse: StoreInUseError,
  io: CommandIo,
): Promise<number> {
  const refuse = (why: string) => {
    io.stderr(`${inUse.message}\n${why}\n`);
    return 2;
  };
  const endpoint = readEndpointFile(inUse.dataDir);
  if (!endpoint || endpoint.pid !== inUse.owner.pid || endpoint.host !== inUse.owner.host) {
    return refuse(
      'That process takes no commands from kpibot (it is not a running bot, or it is still starting): try again once it is up or has finished.',
    );
  }
  let body: RunRequest;
  try {
    body = { argv: [...argv], files: argv[0] === 'import' ? await filesOf(argv.slice(1)) : [] };
  } catch (err) {
    if (err instanceof NotForwarded) return refuse(err.message);
    throw err;
  }
  let response: Response;
  try {
    response = await fetch(`${endpoint.url}${RUN_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${endpoint.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (err) {
    const cause = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    return refuse(`The running bot did not answer at ${endpoint.url} (${cause}).`);
  }
  const answer: unknown = await response.json().catch(() => undefined);
  const reply = runReplySchema.safeParse(answer);
  if (response.ok && reply.success) {
    io.stdout(reply.data.stdout);
    io.stderr(reply.data.stderr);
    await writeReturnedFiles(reply.data.files, io);
    return reply.data.code;
  }
  const error = errorReplySchema.safeParse(answer);
  io.stderr(
    `kpibot: the running bot (pid ${endpoint.pid}) could not run the command: ${error.success ? error.data.error : `HTTP ${response.status}`}\n`,
  );
  return response.status >= 500 ? 1 : 2;
}

/**
 * An import's FILE arguments with their bytes, or the importer's own message for one it cannot
 * read (the bot prints it, as the CLI would have). Arguments that do not parse send no files:
 * the bot prints the same usage message the CLI would have.
 */
async function filesOf(args: readonly string[]): Promise<RunRequest['files']> {
  let paths: string[];
  try {
    paths = parseImportArgs(args).files;
  } catch (err) {
    if (err instanceof ImportUsageError) return [];
    throw err;
  }
  const files: NonNullable<RunRequest['files']> = [];
  let total = 0;
  for (const path of paths) {
    let size: number;
    try {
      size = await importFileSize(path);
    } catch (err) {
      if (!(err instanceof ImportError)) throw err;
      files.push({ path, error: err.message });
      continue;
    }
    total += size;
    if (total > MAX_FORWARDED_FILE_BYTES) {
      throw new NotForwarded(
        `An import through the running bot takes at most ${MAX_FORWARDED_FILE_BYTES / 1024 / 1024} MB of files; ${path} goes past that. Stop the bot and import again, or split the file.`,
      );
    }
    files.push({ path, data: (await readFile(path)).toString('base64') });
  }
  return files;
}

/** The files the command made in the bot (`ask --chart`), written here; one that fails is told. */
async function writeReturnedFiles(files: RunReply['files'], io: CommandIo): Promise<void> {
  for (const file of files) {
    try {
      if (!io.writeFile) throw new Error('nowhere to write it');
      await io.writeFile(file.path, Buffer.from(file.data, 'base64'));
    } catch (err) {
      io.stderr(`chart not written (${file.path}): ${(err as Error).message}\n`);
    }
  }
}
