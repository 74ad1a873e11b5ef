// Logging a failure without leaking: a short reference that the apology shows and the log line
// carries, and transport errors reduced to what helps (never the response_url, a capability).
import { randomBytes } from 'node:crypto';

/** An 8-character id shown to the person and logged with the details. */
export function newReference(): string {
  return randomBytes(4).toString('hex');
}

/** The parts of an error worth logging for a failed Slack call (no URLs, no request bodies). */
export function describeTransportError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const e = err as Error & {
    code?: unknown;
    statusCode?: unknown;
    status?: unknown;
    attempts?: unknown;
    data?: { error?: unknown };
  };
  const status = e.statusCode ?? e.status;
  return {
    type: e.name,
    message: e.message.replace(/https?:\/\/\S+/g, '<url>'),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(typeof e.attempts === 'number' ? { attempts: e.attempts } : {}),
    ...(e.data?.error !== undefined ? { slackError: e.data.error } : {}),
  };
}
