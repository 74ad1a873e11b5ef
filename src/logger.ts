// The one logger: pino, JSON lines, with secrets kept out twice over — `redact` blanks the keys
// that hold them, and every written line is scrubbed of token-shaped strings and of the
// configured secret values (a token can hide in an error message or a URL, not only in a key).
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export const REDACTED = '[Redacted]';

/** Keys that hold secrets, at the top level and up to three objects deep. */
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'clientSecret',
  'ingestToken',
  'password',
  'authorization',
  'cookie',
  'response_url',
  'responseUrl',
  '"x-slack-signature"',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'KPIBOT_INGEST_TOKEN',
  'DATABASE_URL',
  'databaseUrl',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of SECRET_KEYS) {
    const k = key.startsWith('"') ? `[${key}]` : `.${key}`;
    const top = key.startsWith('"') ? `[${key}]` : key;
    paths.push(top, `*${k}`, `*.*${k}`, `*.*.*${k}`);
  }
  return paths;
}

/**
 * Slack tokens (`xoxb-…`, `xoxp-…`, `xapp-…`…), bearer credentials and the password part of
 * a URL, wherever they appear in a line.
 */
const TOKEN_PATTERNS: Array<[RegExp, string]> = [
  [/\bxox[abeoprs]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  [/\b(Bearer|Basic) [A-Za-z0-9._~+/=-]+/g, `$1 ${REDACTED}`],
  [/(\/\/[^/\s:@"]+:)[^@\s/"]+@/g, `$1${REDACTED}@`],
];

export interface LoggerOptions {
  /** Secret values (tokens, signing secret, database password) to scrub from every line. */
  secrets?: Array<string | undefined>;
  name?: string;
}

/** Returns a function that removes known secret values and token-shaped strings from a line. */
export function createScrubber(secrets: Array<string | undefined> = []): (line: string) => string {
  // Each secret as written raw and as it appears inside a JSON string; the longest first, so a
  // secret that contains another is removed whole. Very short values would blank ordinary text.
  const needles = [
    ...new Set(
      secrets
        .filter((s): s is string => typeof s === 'string' && s.length >= 8)
        .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]),
    ),
  ].sort((a, b) => b.length - a.length);
  return (line) => {
    let out = line;
    for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    for (const [pattern, replacement] of TOKEN_PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

function scrubbing(target: DestinationStream, scrub: (line: string) => string): DestinationStream {
  return { write: (line: string) => target.write(scrub(line)) };
}

/**
 * A pino logger writing JSON lines to `destination`: a file descriptor (1 = stdout, the
 * default; 2 = stderr) or any stream with `write(line)`, which is how tests capture output.
 */
export function createLogger(
  level: LogLevel,
  destination: number | DestinationStream = 1,
  opts: LoggerOptions = {},
): Logger {
  const target =
    typeof destination === 'number'
      ? pino.destination({ dest: destination, sync: true })
      : destination;
  return pino(
    {
      level,
      ...(opts.name ? { name: opts.name } : {}),
      base: { pid: process.pid },
      redact: { paths: redactPaths(), censor: REDACTED },
    },
    scrubbing(target, createScrubber(opts.secrets)),
  );
}
