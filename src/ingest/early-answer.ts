// Answering an HTTP request before its body was read (401, 404, 413…), so that the client gets
// to read the answer. Cutting the connection while the client is still sending makes the kernel
// answer the unread bytes with a reset, and a client that sends its whole body before reading
// (curl, most HTTP libraries) then sees only the reset, never the answer. So the answer goes out
// at once (with `Connection: close`), the rest of the body is read and thrown away (never
// buffered), and only then does the response end and the connection close; past LINGER_BYTES or
// LINGER_MS it is cut anyway. Used by the push API and the app's HTTP server (src/slack).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Body bytes discarded after an early answer before the connection is cut. */
export const LINGER_BYTES = 16 * 1024 * 1024;
/** How long the rest of a body may take after an early answer. */
export const LINGER_MS = 5_000;

/** Sends `status` with `body` as JSON, then closes once the request's body is over. */
export function answerEarly(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: object,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    Connection: 'close',
  });
  if (req.readableEnded) {
    res.end(text);
    return;
  }
  // The answer now; end() (which closes the connection) waits for the end of the body.
  res.write(text);
  let discarded = 0;
  const settle = (cut: boolean) => {
    clearTimeout(timer);
    res.end();
    if (cut) req.destroy();
  };
  const timer = setTimeout(() => settle(true), LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) settle(true);
  });
  req.on('end', () => settle(false));
  req.on('error', () => clearTimeout(timer));
  req.resume();
}
