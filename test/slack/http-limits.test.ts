// Bodies over a route's limit, declared by Content-Length, get a 413 the client can read (a
// short JSON message, then the connection closes), never a connection reset: for Slack's
// /slack/events and for the push API, through the app's one HTTP server over real HTTP.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushHandler, MAX_PUSH_BYTES, PUSH_API_PATH } from '../../src/ingest/push-api.ts';
import { createLogger } from '../../src/logger.ts';
import {
  type AppHttpServer,
  createAppHttpServer,
  SLACK_BODY_LIMIT_BYTES,
  SLACK_EVENTS_PATH,
} from '../../src/slack/http-server.ts';
import type { Db } from '../../src/store/db.ts';
import { createTestDb } from '../helpers/test-db.ts';

const TOKEN = 'limits-ingest-token-0123456789abcdef';

interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/**
 * Sends a request of `size` body bytes (with a Content-Length) the way curl or a pipeline's
 * HTTP client does: the whole body first, reading nothing until it is written (or the server
 * refused more), then the answer. Rejects when the connection was reset before an answer could
 * be read: the failure this guards against.
 */
function post(url: string, size: number, headers: Record<string, string>): Promise<Answer> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    socket.pause();
    const received: Buffer[] = [];
    socket.on('data', (c: Buffer) => received.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(received).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const header = (name: string) =>
        lines
          .find((l) => l.toLowerCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .trim();
      resolve({ status: Number(statusLine.split(' ')[1]), connection: header('connection'), body });
    });
    const head = Object.entries({ ...headers, host: hostname, 'content-length': String(size) })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST ${pathname} HTTP/1.1\r\n${head}\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          socket.once('drain', pump);
          return;
        }
      }
      socket.resume();
    };
    pump();
  });
}

let db: Db;
let http: AppHttpServer;
let base: string;
let slackCalls = 0;

beforeAll(async () => {
  db = await createTestDb();
  const logger = createLogger('silent');
  http = createAppHttpServer({
    logger,
    routes: [
      {
        method: 'POST',
        path: PUSH_API_PATH,
        maxBodyBytes: MAX_PUSH_BYTES,
        handler: createPushHandler({ db, token: TOKEN, logger }),
      },
    ],
    slackEvents: (_req, res) => {
      slackCalls++;
      res.writeHead(200).end();
    },
  });
  base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
});
afterAll(async () => {
  await http?.close(0);
  await db?.close();
});

describe('a body over the limit with a Content-Length', () => {
  it('gets 413 on /slack/events (a slash command), then the connection closes', async () => {
    const answer = await post(`${base}${SLACK_EVENTS_PATH}`, 8 * SLACK_BODY_LIMIT_BYTES, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body).error).toMatch(/larger than/);
    expect(slackCalls).toBe(0);
  });

  it('gets 413 on the push API, then the connection closes', async () => {
    const answer = await post(`${base}${PUSH_API_PATH}`, 3 * MAX_PUSH_BYTES, {
      'content-type': 'application/json',
      authorization: `Bearer ${TOKEN}`,
    });
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body).error).toMatch(/larger than/);
  });
});
