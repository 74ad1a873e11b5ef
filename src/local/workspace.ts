// The local workspace: the Slack stand-in plus a web page on the same port that looks and behaves
// like a Slack channel. What a person does on the page goes to the app exactly as Slack sends it
// (signed slash commands and block_actions to /slack/events); what the app posts through the Web
// API and response_urls shows up on the page live (server-sent events).
//
// The app does not know it is local: it is configured with SLACK_API_URL = `apiUrl`, a bot token
// and a signing secret like any other Slack workspace.
import { SLACKBOT } from './conversations.ts';
import { LOCAL_USER } from './mode.ts';
import { type PageAssets, pageRoutes, type WorkspaceOps } from './page-routes.ts';
import { actingPerson, type TypedResult, type WorkspaceLogger } from './person.ts';
import { type SlackStandin, startSlackStandin } from './standin.ts';
import { userInfo } from './web-api.ts';

/** What "Run scheduled jobs now" calls; a string it resolves with is shown on the page. */
export type RunJobsHook = () => Promise<unknown>;

export interface LocalWorkspaceOptions {
  /** The app's base URL (`http://127.0.0.1:3001`); set later with `connectApp` when not known yet. */
  appUrl?: string;
  signingSecret: string;
  botToken: string;
  /** Port for the page and the Web API (0: any free port). */
  port: number;
  /** Interface to listen on; default 127.0.0.1 (the page signs requests for whoever opens it). */
  host?: string;
  logger?: WorkspaceLogger;
  /** Runs the scheduler's jobs now (alert checks, the weekly summary). Without it the button is off. */
  onRunJobs?: RunJobsHook;
  /** How the page shows dates: the workspace's locale and timezone (default: the browser's). */
  locale?: string;
  timeZone?: string;
  /** Slash commands the app has (manifest.yml); others get Slack's "not a valid command". */
  commands?: readonly string[];
  /** Channels that exist from the start. */
  channels?: readonly string[];
  /** The person using the page. */
  me?: { id: string; name: string; realName?: string };
  /** Where the page's files are (default: ./page beside this module). */
  assets?: PageAssets;
  /** Do not keep the process alive just for the workspace. */
  unref?: boolean;
}

export interface LocalWorkspace {
  /** The page, for people: `http://localhost:<port>/`. */
  readonly url: string;
  /** SLACK_API_URL for the app. */
  readonly apiUrl: string;
  readonly port: number;
  /** The stand-in underneath (recorded calls, conversations), for tests. */
  readonly standin: SlackStandin;
  /** Tells the workspace where the app listens (its /slack/events gets the signed requests). */
  connectApp(appUrl: string): void;
  /** Sets (or removes) what "Run scheduled jobs now" does. */
  setRunJobsHook(hook: RunJobsHook | undefined): void;
  /** Runs the hook as the button does; resolves with the text the page shows. */
  runJobsNow(): Promise<{ ok: boolean; message: string }>;
  /** What the page would do for typed text in a channel (a slash command or a message). */
  type(channelId: string, text: string): Promise<TypedResult>;
  stop(): Promise<void>;
}

export type { TypedResult } from './person.ts';

const DEFAULT_RAN = 'Scheduled jobs ran: what they posted is in its channel.';

export async function startLocalWorkspace(opts: LocalWorkspaceOptions): Promise<LocalWorkspace> {
  const me = { ...LOCAL_USER, ...opts.me };
  const commands = opts.commands ?? ['/kpi'];
  const standin = await startSlackStandin({
    signingSecret: opts.signingSecret,
    botToken: opts.botToken,
    port: opts.port,
    host: opts.host ?? '127.0.0.1',
    teamName: 'kpibot local',
    teamDomain: 'kpibot-local',
    teamId: 'T0LOCAL',
    defaultUser: { id: me.id, name: me.name },
    ...(opts.channels ? { channels: opts.channels } : {}),
    maxRecordedCalls: 2000,
    ...(opts.unref ? { unref: true } : {}),
  });
  standin.users.set(me.id, { id: me.id, name: me.name, real_name: me.realName, is_admin: true });
  const log = opts.logger;
  let runJobs = opts.onRunJobs;
  let running = false;
  let lastRun: string | undefined;

  const connectApp = (appUrl: string) => {
    standin.eventsUrl = `${appUrl.replace(/\/+$/, '')}/slack/events`;
    routes.broadcastState();
  };

  const person = actingPerson(standin, me, commands, log);
  const ops: WorkspaceOps = {
    me,
    standin,
    settings: { locale: opts.locale, timeZone: opts.timeZone, commands },
    jobs: () => ({ available: runJobs !== undefined, running, last: lastRun }),
    appConnected: () => standin.eventsUrl !== undefined,
    userName: (id) => {
      if (id === standin.bot.userId) return standin.bot.name;
      if (id === SLACKBOT) return 'Slackbot';
      const user = standin.users.get(id);
      return user ? userInfo(user).profile.real_name : undefined;
    },
    ...person,
    runJobsNow,
  };

  async function runJobsNow(): Promise<{ ok: boolean; message: string }> {
    if (!runJobs) return { ok: false, message: 'No scheduler is connected to this workspace.' };
    if (running) return { ok: false, message: 'The scheduled jobs are already running.' };
    running = true;
    routes.broadcastState();
    let result: { ok: boolean; message: string };
    try {
      const said = await runJobs();
      result = {
        ok: true,
        message: typeof said === 'string' && said ? said : DEFAULT_RAN,
      };
    } catch (err) {
      log?.error({ err }, 'local workspace: running the scheduled jobs failed');
      result = {
        ok: false,
        message: `Running the scheduled jobs failed: ${(err as Error).message}`,
      };
    } finally {
      running = false;
    }
    lastRun = result.message;
    routes.broadcastState();
    return result;
  }

  const routes = pageRoutes(ops, opts.assets, opts.host);
  for (const route of routes.routes) standin.addRoute(route);
  if (opts.appUrl) connectApp(opts.appUrl);

  const port = standin.port;
  const host = opts.host ?? '127.0.0.1';
  const pageHost = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(host) ? 'localhost' : host;
  return {
    url: `http://${pageHost}:${port}/`,
    apiUrl: standin.apiUrl,
    port,
    standin,
    connectApp,
    setRunJobsHook(hook) {
      runJobs = hook;
      routes.broadcastState();
    },
    runJobsNow,
    type: (channelId, text) => ops.type(channelId, text),
    async stop() {
      routes.close();
      await standin.close();
    },
  };
}
