// The one HTTP server on PORT, in both Slack modes: /healthz, the routes other modules add (the
// push API), and — in HTTP mode — Bolt's /slack/events. Owning the server (rather than letting
// each Bolt receiver make its own) gives one place for the body-size limit, the listening port
// when PORT=0, and a graceful close that waits for requests in flight.
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerEarly } from '../ingest/early-answer.ts';
import type { Logger } from '../logger.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A route another module serves on the app's port, e.g. `POST /api/v1/facts`. */
export interface Route {
  method: string;
  /** Exact path, without query string. */
  path: string;
  handler: RouteHandler;
  /** Requests declaring a larger `content-length` are refused with 413 before the handler runs. */
  maxBodyBytes?: number;
}

/** Bolt's default endpoint for slash commands and interactivity. */
export const SLACK_EVENTS_PATH = '/slack/events';
/** Slack's own payloads are small; this is generous for block_actions carrying a message. */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;
/** Default for other routes (bulk fact pushes). Handlers that stream must still count bytes. */
export const DEFAULT_ROUTE_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

export interface HttpServerOptions {
  routes: readonly Route[];
  /** HTTP mode: Bolt's receiver, for POST /slack/events. */
  slackEvents?: RequestListener;
  logger: Logger;
}

export interface AppHttpServer {
  readonly server: Server;
  /** Listens on `port` (0 = any free port); resolves the port actually bound. */
  listen(port: number, host?: string): Promise<number>;
  /**
   * Stops accepting connections and waits up to `graceMs` for open requests to finish, then
   * cuts what is left.
   */
  close(graceMs: number): Promise<void>;
}

/** A JSON answer (or, after headers went out, the end of the response). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function tooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(declared) && declared > limit;
}

export function createAppHttpServer(opts: HttpServerOptions): AppHttpServer {
  const { logger } = opts;
  const routes = [...opts.routes];
  if (opts.slackEvents) {
    const slack = opts.slackEvents;
    routes.push({
      method: 'POST',
      path: SLACK_EVENTS_PATH,
      handler: (req, res) => slack(req, res),
      maxBodyBytes: SLACK_BODY_LIMIT_BYTES,
    });
  }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const onPath = routes.filter((r) => r.path === path);
    const route =
      onPath.find((r) => r.method === method) ??
      (method === 'HEAD' ? onPath.find((r) => r.method === 'GET') : undefined);
    if (!route) {
      if (onPath.length > 0) {
        res.setHeader('allow', [...new Set(onPath.map((r) => r.method))].join(', '));
        sendJson(res, 405, { error: 'method not allowed' });
      } else {
        sendJson(res, 404, { error: 'not found' });
      }
      return;
    }
    const limit = route.maxBodyBytes ?? DEFAULT_ROUTE_BODY_LIMIT_BYTES;
    if (tooLarge(req, limit)) {
      logger.warn(
        { path, limit, contentLength: req.headers['content-length'] },
        'request body too large',
      );
      // Answered now, the connection closed once the body is over: a reset otherwise (early-answer.ts).
      answerEarly(req, res, 413, { error: `request body larger than ${limit} bytes` });
      return;
    }
    try {
      await route.handler(req, res);
    } catch (err) {
      logger.error({ err, path, method }, 'request handler failed');
      sendJson(res, 500, { error: 'internal error' });
    }
  });
  // A slow client must not hold a connection (and so the shutdown) for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    server,
    listen: (port, host) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: (graceMs) =>
      new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        // Stops accepting; idle keep-alive connections close now, busy ones when their response ends.
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
