// Local mode for `npm start` without Slack credentials: a bot token and a signing secret made up
// for this session, the local workspace on PORT (the page and the Web API stand-in), and the
// configuration that points the real app at it (SLACK_API_URL, SLACK_BOT_TOKEN,
// SLACK_SIGNING_SECRET; the app itself on PORT + 1). From there on the app starts exactly as in
// production, in HTTP mode: no code path of the app asks whether it is local.
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import type { WorkspaceLogger } from './person.ts';
import { type LocalWorkspace, type RunJobsHook, startLocalWorkspace } from './workspace.ts';

export { type DemoDataResult, ensureDemoData, prepareDemo } from './demo.ts';
export { wantsLocalMode } from './mode.ts';
export type { LocalWorkspace, RunJobsHook } from './workspace.ts';

/** The workspace could not start (port taken…): a message for the person, no stack needed. */
export class LocalStartError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.LocalStart, message, opts);
  }
}

export interface LocalSession {
  /** `config` with Slack pointed at the workspace and the app's own port. */
  readonly config: Config;
  /** The same overrides as environment variables. */
  readonly env: {
    SLACK_API_URL: string;
    SLACK_BOT_TOKEN: string;
    SLACK_SIGNING_SECRET: string;
    PORT: string;
  };
  readonly workspace: LocalWorkspace;
  /** Call once the app listens: signed requests go to its /slack/events from then on. */
  appListening(port: number): void;
  /** What "Run scheduled jobs now" does (the alert checks and the weekly summary). */
  setRunJobsHook(hook: RunJobsHook | undefined): void;
  /** What to print once everything runs. */
  banner(appPort: number): string;
  stop(): Promise<void>;
}

export interface LocalSessionOptions {
  logger?: WorkspaceLogger;
  onRunJobs?: RunJobsHook;
}

/** Starts the local workspace on `config.port` and returns the configuration for the app. */
export async function startLocalSession(
  config: Config,
  opts: LocalSessionOptions = {},
): Promise<LocalSession> {
  const signingSecret = randomBytes(24).toString('hex');
  const botToken = `xoxb-local-${randomBytes(16).toString('hex')}`;
  let workspace: LocalWorkspace;
  try {
    workspace = await startLocalWorkspace({
      port: config.port,
      signingSecret,
      botToken,
      locale: config.locale,
      timeZone: config.timeZone,
      // The app's own server keeps the process running; if the app fails to start, the
      // workspace must not keep it alive.
      unref: true,
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.onRunJobs ? { onRunJobs: opts.onRunJobs } : {}),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LocalStartError(
      code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use: set PORT to a free port (local mode uses PORT for the workspace page and PORT + 1 for the app).`
        : `Could not start the local workspace on port ${config.port}: ${(err as Error).message}`,
    );
  }
  // The page takes PORT (what people open); the app takes the next one (0 stays "any free port").
  const appPort = config.port === 0 ? 0 : config.port + 1;
  const env = {
    SLACK_API_URL: workspace.apiUrl,
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    PORT: String(appPort),
  };
  return {
    config: {
      ...config,
      port: appPort,
      slack: { botToken, signingSecret, apiUrl: workspace.apiUrl },
    },
    env,
    workspace,
    appListening: (port) => workspace.connectApp(`http://127.0.0.1:${port}`),
    setRunJobsHook: (hook) => workspace.setRunJobsHook(hook),
    banner: (port) => localBanner(workspace.url, port),
    stop: () => workspace.stop(),
  };
}

/** The start-up message of local mode: the page's address first, it is all most people need. */
export function localBanner(pageUrl: string, appPort: number): string {
  return `
kpibot is running in local mode (no Slack credentials are set, so it plays Slack itself).

  Open the local workspace: ${pageUrl}
  Type /kpi roas last-week in #marketing; "Run scheduled jobs now" runs the alert checks and
  the weekly summary.

The app listens on http://127.0.0.1:${appPort} (Slack requests: POST /slack/events, health: GET /healthz).
To connect a real Slack workspace, set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README.md,
"Connecting to Slack"). Stop with Ctrl+C.
`;
}
