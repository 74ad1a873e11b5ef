// How a `kpibot` beside the running bot reaches it when the embedded store is in use. The bot
// listens on 127.0.0.1 (a random port) and leaves its address, a random bearer token and its pid
// in `kpibot-cli.json` in the data folder, readable by its own user only. The CLI posts the
// command line (and an import's files) there and prints what comes back.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ENDPOINT_FILE = 'kpibot-cli.json';
export const RUN_PATH = '/v1/run';
/** An import through the bot sends its files whole, base64 in JSON: at most this much in all. */
export const MAX_FORWARDED_FILE_BYTES = 64 * 1024 * 1024;
export const MAX_RUN_BODY_BYTES = Math.ceil((MAX_FORWARDED_FILE_BYTES * 4) / 3) + 1024 * 1024;

const endpointSchema = z.strictObject({
  pid: z.number().int().positive(),
  host: z.string(),
  url: z.url({ protocol: /^http$/, hostname: /^127\.0\.0\.1$/ }),
  token: z.string().min(32),
});

export type EndpointRecord = z.infer<typeof endpointSchema>;

export const runRequestSchema = z.strictObject({
  /** The command line after `kpibot`, e.g. ["ask", "roas last-week", "--json"]. */
  argv: z.array(z.string().max(100_000)).min(1).max(1_000),
  /** An import's FILE arguments: each one's bytes, or why the CLI could not read it. */
  files: z
    .array(
      z.union([
        z.strictObject({ path: z.string().min(1), data: z.base64() }),
        z.strictObject({ path: z.string().min(1), error: z.string().min(1) }),
      ]),
    )
    .max(1_000)
    .default([]),
});

export type RunRequest = z.input<typeof runRequestSchema>;

/** A chart (`ask --chart`) comes back at most this large; the CLI writes it where it runs. */
export const MAX_RETURNED_FILE_BYTES = 8 * 1024 * 1024;

/**
 * What the command printed and its exit code, as if it had run in the CLI, and the files it
 * made (`ask --chart FILE`): the bot writes none itself, the CLI writes them at their paths.
 */
export const runReplySchema = z.strictObject({
  code: z.number().int().min(0).max(255),
  stdout: z.string(),
  stderr: z.string(),
  files: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        data: z.base64().max(Math.ceil((MAX_RETURNED_FILE_BYTES * 4) / 3)),
      }),
    )
    .max(16)
    .default([]),
});

export type RunReply = z.infer<typeof runReplySchema>;

/** Answers other than 200: what went wrong, for the person at the terminal. */
export const errorReplySchema = z.object({ error: z.string() });

/** Written whole (a private temporary file renamed into place), mode 0600. */
export function writeEndpointFile(dataDir: string, record: EndpointRecord): void {
  const path = join(dataDir, ENDPOINT_FILE);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(record)}\n`, { flag: 'wx', mode: 0o600 });
  renameSync(tmp, path);
}

/** The endpoint a bot left in `dataDir`, or undefined (none, or not one this code wrote). */
export function readEndpointFile(dataDir: string): EndpointRecord | undefined {
  try {
    const parsed = endpointSchema.safeParse(
      JSON.parse(readFileSync(join(dataDir, ENDPOINT_FILE), 'utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // missing or not JSON
  }
}

/** Removes the endpoint file if it is still the one with `token`. */
export function removeEndpointFile(dataDir: string, token: string): void {
  if (readEndpointFile(dataDir)?.token === token) {
    rmSync(join(dataDir, ENDPOINT_FILE), { force: true });
  }
}
