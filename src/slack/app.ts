// The Bolt app: receivers (HTTP or Socket Mode), the Web API client, the listeners, and the one
// HTTP server on PORT (/healthz, /metrics, routes from other modules, and /slack/events in HTTP
// mode).
// Transport only: what a command means is decided by `run` (the /kpi grammar in src/commands).
import type { RequestListener } from 'node:http';
import { App, HTTPReceiver, type Receiver, SocketModeReceiver } from '@slack/bolt';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { type AppMetrics, metricsHandler } from '../metrics.ts';
import { normaliseApiUrl } from '../outbox/slack-api.ts';
import type { SlackRequestLedger } from '../store/slack-requests.ts';
import { boltLogger } from './bolt-logger.ts';
import { type SlackMode, slackCredentials } from './credentials.ts';
import { type HealthDb, healthzHandler, storeIsHealthy } from './healthz.ts';
import { createAppHttpServer, type Route, SLACK_BODY_LIMIT_BYTES } from './http-server.ts';
import { InFlight } from './in-flight.ts';
import { type ListenerDeps, registerListeners } from './listeners/index.ts';
import { guardSlackRequests } from './request-guard.ts';

export type { SlackMode } from './credentials.ts';
export type { Route, RouteHandler } from './http-server.ts';

export interface SlackAppOptions {
  config: Pick<Config, 'slack' | 'port' | 'locale' | 'admins'>;
  /** The store, for /healthz only (`SELECT 1`, or a recent successful query). */
  db: HealthDb;
  /** HTTP mode: the Slack requests already seen, shared by the replicas (replays refused). */
  requests: SlackRequestLedger;
  logger: Logger;
  /** Runs a `/kpi` command: the grammar shared with the CLI (`runCommand` over the services). */
  run: ListenerDeps['run'];
  /** Extra routes on the app's port, e.g. the push API's `POST /api/v1/facts`. */
  routes?: readonly Route[];
  /** Interface to listen on (default: all). */
  host?: string;
  /** Retry policy for response_url posts (tests shorten it). */
  responseUrl?: ListenerDeps['responseUrl'];
  /** Handles the alert buttons (Acknowledge, Snooze). */
  alertAction?: ListenerDeps['alertAction'];
  /** The app's metrics: counted by the listeners, served on GET /metrics. */
  metrics?: AppMetrics;
}

export interface StartedSlackApp {
  mode: SlackMode;
  port: number;
  /** From `auth.test`: who the bot is, for the start-up line. */
  botUser?: string;
  team?: string;
}

export interface SlackApp {
  readonly app: App;
  readonly mode: SlackMode;
  start(): Promise<StartedSlackApp>;
  /**
   * Graceful stop: refuse new work (health turns 503), stop the receivers, wait up to `graceMs`
   * for requests and answers in flight. Does not close the store (the caller owns it).
   */
  stop(graceMs?: number): Promise<void>;
}

/** Start-up failed for a reason the operator can fix (bad token, port in use): no stack needed. */
export class SlackStartError extends Error {
  override name = 'SlackStartError';
}

/**
 * Web API calls made while someone waits (posting a shared answer): a few quick retries, not the
 * client's default of ten over half an hour. A 429 waits for its Retry-After, then counts as one.
 */
const INTERACTIVE_RETRIES = {
  retries: 3,
  factor: 2,
  minTimeout: 250,
  maxTimeout: 2000,
  randomize: true,
};
const WEB_API_TIMEOUT_MS = 10_000;

export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const { config, logger, run } = opts;
  const credentials = slackCredentials(config.slack);
  if (!credentials.ok) throw new SlackStartError(`Missing ${credentials.missing.join(' and ')}`);
  const log = logger.child({ component: 'slack' });
  const bolt = boltLogger(logger);
  const clientOptions = {
    slackApiUrl: normaliseApiUrl(config.slack.apiUrl),
    retryConfig: INTERACTIVE_RETRIES,
    timeout: WEB_API_TIMEOUT_MS,
  };

  let receiver: Receiver;
  let slackEvents: RequestListener | undefined;
  if (credentials.mode === 'socket') {
    receiver = new SocketModeReceiver({
      appToken: credentials.appToken,
      logger: bolt,
      // apps.connections.open goes to the same (possibly overridden) Web API.
      installerOptions: { clientOptions },
    });
  } else {
    const httpReceiver = new HTTPReceiver({
      signingSecret: credentials.signingSecret,
      logger: bolt,
      // Ack as soon as the listener calls ack(); the answer follows through response_url.
      processBeforeResponse: false,
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
    });
    receiver = httpReceiver;
    // Replays, clock skew and Slack's retries are dealt with before Bolt sees a request.
    slackEvents = guardSlackRequests({
      signingSecret: credentials.signingSecret,
      ledger: opts.requests,
      logger: log,
      bodyLimit: SLACK_BODY_LIMIT_BYTES,
      next: httpReceiver.requestListener,
    });
  }

  const app = new App({
    token: credentials.botToken,
    receiver,
    logger: bolt,
    clientOptions,
    // auth.test runs in start(), where a bad token is a clean error rather than an unhandled rejection.
    deferInitialization: true,
    // No conversation store: nothing reads it, and Bolt's in-memory one made an Error with a
    // stack trace for every request (1.8 % of the main thread under load, bench/soak.ts).
    convoStore: false,
  });

  const inFlight = new InFlight();
  let draining = false;
  app.use(async ({ next }) => {
    await inFlight.track(next());
  });
  app.error(async (error) => {
    log.error({ err: error }, 'unhandled error in a Slack listener');
  });

  registerListeners(app, {
    run,
    locale: config.locale,
    admins: config.admins,
    logger: log,
    ...(opts.responseUrl ? { responseUrl: opts.responseUrl } : {}),
    ...(opts.alertAction ? { alertAction: opts.alertAction } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });

  const routes: Route[] = [
    {
      method: 'GET',
      path: '/healthz',
      handler: healthzHandler(
        () => storeIsHealthy(opts.db),
        () => draining,
      ),
    },
    ...(opts.metrics
      ? [{ method: 'GET', path: '/metrics', handler: metricsHandler(opts.metrics) }]
      : []),
    ...(opts.routes ?? []),
  ];
  const http = createAppHttpServer({
    routes,
    slackEvents,
    logger: log,
  });

  return {
    app,
    mode: credentials.mode,
    async start() {
      let identity: { botUser?: string; team?: string } = {};
      try {
        const auth = await app.client.auth.test();
        identity = { botUser: auth.user, team: auth.team };
        await app.init();
      } catch (err) {
        const code = (err as { data?: { error?: string } }).data?.error;
        throw new SlackStartError(
          code
            ? `Slack rejected SLACK_BOT_TOKEN (${code}). Check the token on your app's "OAuth & Permissions" page.`
            : `Could not reach Slack's Web API at ${clientOptions.slackApiUrl}: ${(err as Error).message}`,
        );
      }
      let port: number;
      try {
        port = await http.listen(config.port, opts.host);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new SlackStartError(
          code === 'EADDRINUSE'
            ? `Port ${config.port} is already in use: set PORT to a free port.`
            : `Could not listen on port ${config.port}: ${(err as Error).message}`,
        );
      }
      if (credentials.mode === 'socket') {
        try {
          await app.start();
        } catch (err) {
          await http.close(0);
          throw new SlackStartError(
            `Socket Mode could not connect (check SLACK_APP_TOKEN): ${(err as Error).message}`,
          );
        }
      }
      return { mode: credentials.mode, port, ...identity };
    },
    async stop(graceMs = 10_000) {
      draining = true;
      const deadline = Date.now() + graceMs;
      const closing = http.close(graceMs);
      if (credentials.mode === 'socket') await app.stop().catch(() => {});
      const finished = await inFlight.drained(Math.max(0, deadline - Date.now()));
      if (!finished)
        log.warn({ unfinished: inFlight.size }, 'stopped with Slack work still in flight');
      await closing;
    },
  };
}
