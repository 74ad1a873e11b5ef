// The running bot's door for a `kpibot` beside it (endpoint-protocol.ts): POST /v1/run on
// 127.0.0.1 with the bearer token from the data folder runs ask, summary, status, kpis or import
// on the bot's own store (commands.ts) and answers what it printed and its exit code. So an
// import lands once, in the store the bot answers from, and nobody opens the folder twice.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { ImportError, type ImportInput } from '../ingest/import.ts';
import type { Logger } from '../logger.ts';
import type { ImportMetrics } from '../metrics.ts';
import type { Services } from '../services.ts';
import { sendJson } from '../slack/http-server.ts';
import { type CommandIo, storeCommand } from './commands.ts';
import {
  MAX_RETURNED_FILE_BYTES,
  MAX_RUN_BODY_BYTES,
  RUN_PATH,
  type RunReply,
  removeEndpointFile,
  runRequestSchema,
  writeEndpointFile,
} from './endpoint-protocol.ts';

export interface CliEndpoint {
  readonly url: string;
  /** Removes the endpoint file, stops listening and waits for commands in flight. */
  close(): Promise<void>;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Listens on 127.0.0.1 (a free port) and leaves the address in the store's data folder. */
export async function startCliEndpoint(
  services: Services,
  dataDir: string,
  logger: Logger,
  metrics?: ImportMetrics,
): Promise<CliEndpoint> {
  const token = randomBytes(32).toString('base64url');
  const expected = sha256(token);
  const server = createServer((req, res) => {
    handle(req, res, expected, services, logger, metrics).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) logger.error({ err }, 'cli endpoint: the command failed');
      sendJson(res, status, {
        error:
          err instanceof HttpError
            ? err.message
            : 'the command failed in the running bot; its log has the details',
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeEndpointFile(dataDir, { pid: process.pid, host: hostname(), url, token });
  return {
    url,
    close: async () => {
      removeEndpointFile(dataDir, token);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  expected: Buffer,
  services: Services,
  logger: Logger,
  metrics: ImportMetrics | undefined,
): Promise<void> {
  if (req.method !== 'POST' || req.url !== RUN_PATH) throw new HttpError(404, 'not found');
  const auth = req.headers.authorization ?? '';
  const given = sha256(auth.startsWith('Bearer ') ? auth.slice(7) : '');
  if (!timingSafeEqual(given, expected)) throw new HttpError(401, 'wrong or missing token');

  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(400, 'the body is not JSON');
  }
  const parsed = runRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `invalid request: ${parsed.error.message}`);
  const { argv, files } = parsed.data;

  let command: ReturnType<typeof storeCommand>;
  try {
    command = storeCommand(argv);
  } catch (err) {
    throw new HttpError(400, (err as Error).message);
  }
  if (!command) throw new HttpError(400, `"${argv[0]}" is not a command the bot runs for the CLI`);

  const sent = new Map(files.map((f) => [f.path, f]));
  const out: string[] = [];
  const err: string[] = [];
  const made: RunReply['files'] = [];
  const io: CommandIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    importInput: (file): ImportInput => {
      const f = sent.get(file);
      if (!f) throw new ImportError(`${file} was not sent to the running bot`);
      if ('error' in f) throw new ImportError(f.error);
      return { stream: Readable.from([Buffer.from(f.data, 'base64')]), name: basename(file) };
    },
    // Kept for the CLI, which writes the file where it runs (the bot writes none).
    writeFile: async (path, data) => {
      if (data.length > MAX_RETURNED_FILE_BYTES)
        throw new Error(
          `${path} would be ${data.length} bytes, over the limit of a file sent back`,
        );
      made.push({ path, data: data.toString('base64') });
    },
    onImportReport: (report) => {
      if (!report.dryRun)
        metrics?.imported('csv', report.ok ? 'ok' : 'rejected', report.factsWritten);
    },
  };
  const started = Date.now();
  const code = await command(services, io);
  logger.info(
    { command: argv[0], code, ms: Date.now() - started },
    'ran a kpibot command for the CLI beside the bot',
  );
  sendJson(res, 200, {
    code,
    stdout: out.join(''),
    stderr: err.join(''),
    files: made,
  } satisfies RunReply);
}

async function readBody(req: IncomingMessage): Promise<string> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_RUN_BODY_BYTES) {
    throw new HttpError(413, 'the request is too large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_RUN_BODY_BYTES) throw new HttpError(413, 'the request is too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
