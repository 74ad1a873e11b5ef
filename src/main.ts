// `npm start`: configuration → logger → store and catalog → Slack app → listen. Stops cleanly on
// SIGTERM/SIGINT: no new requests, answers in flight finished, store closed.

import type { Background } from './background.ts';
import {
  type Config,
  ConfigError,
  configSecrets,
  loadConfig,
  requireSourceUrls,
} from './config.ts';
import { wantsLocalMode } from './local/mode.ts';
import type { LocalSession } from './local/session.ts';
import { createLogger, type Logger } from './logger.ts';
import type { ImportMetrics } from './metrics.ts';
import type { Services } from './services.ts';
import type { Route, SlackApp } from './slack/app.ts';
import { slackCredentials } from './slack/credentials.ts';
import type { HealthDb } from './slack/healthz.ts';
import type { Db } from './store/db.ts';
import { StoreInUseError } from './store/lock.ts';
import { slackRequestLedger } from './store/slack-requests.ts';

/** How long a shutdown waits for requests and answers in flight. */
const SHUTDOWN_GRACE_MS = 10_000;

export function credentialsGuide(missing: string[]): string {
  return `kpibot cannot connect to Slack yet: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set.

1. Create the Slack app: https://api.slack.com/apps → Create New App → From a manifest,
   and paste manifest.yml (replace YOUR-HOST with your public host name).
2. Install it to your workspace, then set:
     SLACK_BOT_TOKEN=xoxb-…      OAuth & Permissions → Bot User OAuth Token
     SLACK_SIGNING_SECRET=…      Basic Information → App Credentials → Signing Secret
   No public URL (local use)? Use Socket Mode: set socket_mode_enabled: true in the
   manifest and also
     SLACK_APP_TOKEN=xapp-…      Basic Information → App-Level Tokens (scope connections:write)
3. npm start   (HTTP mode listens on PORT, default 3000; Slack posts to /slack/events)

Try kpibot without Slack:
  unset every SLACK_* variable and run npm start: a local workspace that plays Slack opens
  at http://localhost:3000, with demo data
  npx kpibot ask "roas last-week"   ask on the command line what /kpi would answer

README.md, "Connecting to Slack", has the details.
`;
}

/** Routes other modules serve on the app's port, next to /slack/events, /healthz and /metrics. */
async function extraRoutes(
  services: Services,
  logger: Logger,
  metrics: ImportMetrics,
): Promise<Route[]> {
  const { createPushHandler, MAX_PUSH_BYTES, PUSH_API_PATH } = await import('./ingest/push-api.ts');
  return [
    {
      method: 'POST',
      path: PUSH_API_PATH,
      maxBodyBytes: MAX_PUSH_BYTES,
      handler: createPushHandler({
        db: services.db,
        token: services.config.ingestToken,
        channels: services.channels,
        logger: logger.child({ component: 'push-api' }),
        metrics,
      }),
    },
  ];
}

/**
 * The services the app shares, with the store where it does not hold up Slack: the embedded
 * PGlite on a thread of its own (a query there would otherwise stop the event loop, and with it
 * every slash command's 3-second ack), a Postgres server (DATABASE_URL) in this thread.
 */
async function openServices(
  config: Config,
  logger: Logger,
  metrics: ImportMetrics,
): Promise<{ services: Services; health: HealthDb }> {
  const [{ createServices }, { openStore }, { openStoreThread }] = await Promise.all([
    import('./services.ts'),
    import('./store/db.ts'),
    import('./store/thread.ts'),
  ]);
  const storeLogger = logger.child({ component: 'store' });
  const db: Db & HealthDb = config.store.databaseUrl
    ? await openStore({ ...config.store, logger: storeLogger })
    : await openStoreThread({ dataDir: config.store.dataDir, logger: storeLogger });
  const services = await createServices(config, logger, db);
  if (config.store.databaseUrl) return { services, health: db };
  // The embedded store is this process's alone: `kpibot ask…` beside it comes through here.
  const { startCliEndpoint } = await import('./cli/endpoint.ts');
  const endpoint = await startCliEndpoint(
    services,
    config.store.dataDir,
    logger.child({ component: 'cli-endpoint' }),
    metrics,
  );
  const closeStore = services.close;
  services.close = async () => {
    await endpoint.close();
    await closeStore();
  };
  return { services, health: db };
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

export async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
    requireSourceUrls(config); // the bot reads its sources: their variables must be set
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.message);
    throw err;
  }
  // No Slack credentials at all: play Slack locally (the page on PORT, the app on PORT + 1).
  // The app below is the same either way; only SLACK_API_URL and the credentials differ.
  let local: LocalSession | undefined;
  if (wantsLocalMode(config.slack)) {
    const { startLocalSession, LocalStartError } = await import('./local/session.ts');
    try {
      local = await startLocalSession(config);
    } catch (err) {
      if (err instanceof LocalStartError) return fail(err.message);
      throw err;
    }
    config = local.config;
  }
  const credentials = slackCredentials(config.slack);
  if (!credentials.ok) return fail(credentialsGuide(credentials.missing));

  // Loaded only now: the guidance above prints at once, without loading Bolt or the store.
  const [
    { runCommand },
    { createSlackApp, SlackStartError },
    { startBackground },
    { handleAlertAction },
    { createMetrics },
    { outboxStats },
  ] = await Promise.all([
    import('./commands/registry.ts'),
    import('./slack/app.ts'),
    import('./background.ts'),
    import('./alerts/actions.ts'),
    import('./metrics.ts'),
    import('./outbox/stats.ts'),
  ]);
  const logger = createLogger(config.logLevel, 1, { secrets: configSecrets(config) });
  // One registry for this app: the store's gauges are read from it once it is open.
  const metrics = createMetrics();
  let services: Services;
  let health: HealthDb;
  try {
    ({ services, health } = await openServices(config, logger, metrics));
  } catch (err) {
    await local?.stop();
    if (err instanceof StoreInUseError) {
      fail(err.message);
      return 2; // the person can fix this: another process runs on the same folder
    }
    logger.error({ err }, 'could not open the store');
    return fail(
      err instanceof ConfigError
        ? err.message
        : `kpibot could not open its store: ${(err as Error).message}`,
    );
  }

  metrics.setOutboxSource(() => outboxStats(services.db));

  if (local) {
    const { prepareDemo } = await import('./local/demo.ts');
    const demo = await prepareDemo(services);
    logger.info({ demo: demo.action, facts: demo.facts }, demo.message);
  }

  let slack: SlackApp;
  let background: Background;
  try {
    background = await startBackground(
      services,
      { botToken: credentials.botToken, apiUrl: config.slack.apiUrl },
      logger,
      metrics,
    );
  } catch (err) {
    await services.close().catch(() => {});
    logger.error({ err }, 'could not start the scheduler');
    return fail(`kpibot could not start its scheduler: ${(err as Error).message}`);
  }
  const hooks = { onSchedulesChanged: () => void background.refresh() };
  try {
    slack = createSlackApp({
      config,
      db: health,
      requests: slackRequestLedger(services.db),
      logger,
      run: (text, ctx) => runCommand(text, ctx, services, hooks),
      alertAction: (input) => handleAlertAction(services, input),
      routes: await extraRoutes(services, logger, metrics),
      metrics,
    });
    const started = await slack.start();
    // Before anything says the app is up: a SIGTERM sent on seeing the banner must find the
    // handler (without it the process dies at once, mid-write, with no clean close).
    handleSignals(slack, background, services, logger);
    logger.info(
      { mode: started.mode, port: started.port, bot: started.botUser, team: started.team },
      'kpibot started',
    );
    if (local) {
      local.appListening(started.port);
      local.setRunJobsHook(async () => {
        await background.runJobsNow();
        return 'Ran the alert checks and the scheduled summaries.';
      });
    }
    process.stderr.write(
      local
        ? local.banner(started.port)
        : started.mode === 'http'
          ? `kpibot is listening on http://localhost:${started.port} (Slack requests: POST /slack/events, health: GET /healthz)\n`
          : `kpibot is connected to Slack in Socket Mode; health on http://localhost:${started.port}/healthz\n`,
    );
  } catch (err) {
    await background.stop().catch(() => {});
    await services.close().catch(() => {});
    if (err instanceof SlackStartError) return fail(err.message);
    logger.error({ err }, 'start-up failed');
    return fail(`kpibot could not start: ${(err as Error).message}`);
  }

  return 0;
}

function handleSignals(
  slack: SlackApp,
  background: Background,
  services: Services,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) {
      logger.warn({ reason }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ reason }, 'shutting down: finishing requests in flight');
    try {
      await slack.stop(SHUTDOWN_GRACE_MS);
      await background.stop();
      await services.close();
      logger.info('stopped');
    } catch (err) {
      logger.error({ err }, 'error while shutting down');
      code = 1;
    }
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  // A bad request must never take the process down; a bug that escapes every handler is logged.
  process.on('unhandledRejection', (err) => {
    logger.error({ err }, 'unhandled promise rejection');
  });
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    void stop('uncaughtException', 1);
  });
}

main().then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `kpibot could not start: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
