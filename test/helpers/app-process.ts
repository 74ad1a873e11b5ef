// Starts the app the way users do (`node bin/start.js`) in a child process, collecting its
// output, and resolves once it says where it listens.
import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface AppProcess {
  child: ChildProcess;
  /** The port it listens on, once `ready` has resolved. */
  port: number;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  exited: Promise<number | null>;
  /** The signal that ended it, once `exited` has resolved with null. */
  signal?: NodeJS.Signals | null;
  /** Resolves when it prints its address; rejects if it exits first. */
  ready: Promise<void>;
}

/**
 * The apps this test process started and that still run. A test cut off by its timeout never
 * reaches its own stop: they are killed when the test process exits, never left running.
 */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** The current environment without any kpibot or Slack settings, plus `extra`. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SLACK_|KPIBOT_|DATABASE_URL$|PORT$|LOG_LEVEL$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/**
 * cleanEnv for the app in HTTP mode on a free port, its Web API calls going to the Slack
 * stand-in, with these credentials; `extra` for the rest (data folder, clock, locale…).
 */
export function standinEnv(
  standin: { apiUrl: string },
  creds: { signingSecret: string; botToken: string },
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  return cleanEnv({
    SLACK_BOT_TOKEN: creds.botToken,
    SLACK_SIGNING_SECRET: creds.signingSecret,
    SLACK_API_URL: standin.apiUrl,
    PORT: '0',
    ...extra,
  });
}

/**
 * Starts `node bin/start.js` (or `node <args…>`, e.g. another app for a benchmark's baseline)
 * with `env` in `cwd`.
 */
export function startAppProcess(
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: readonly string[] = [join(ROOT, 'bin/start.js')],
): AppProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  const app = {
    child,
    port: 0,
    output: () => out,
  } as AppProcess;
  app.exited = new Promise<number | null>((done) =>
    child.on('exit', (code, signal) => {
      app.signal = signal;
      done(code);
    }),
  );
  app.ready = new Promise<void>((ok, fail) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/http:\/\/localhost:(\d+)/);
      if (match && app.port === 0) {
        app.port = Number(match[1]);
        ok();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void app.exited.then((code) =>
      fail(new Error(`app exited with ${code} before listening:\n${out}`)),
    );
  });
  app.ready.catch(() => {});
  return app;
}

/** Stops the app with SIGTERM (if still running) and waits for it to exit. */
export async function stopAppProcess(app: AppProcess | undefined): Promise<void> {
  if (!app) return;
  if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGTERM');
  await app.exited;
}

/**
 * How the app ended, for an assertion message: the exit code or signal, and the end of what it
 * wrote (a crash at shutdown shows there, not in the test).
 */
export function exitReport(app: AppProcess | undefined): string {
  if (!app) return 'the app was not running';
  const how =
    app.child.exitCode !== null ? `exit code ${app.child.exitCode}` : `signal ${app.signal}`;
  return `app ended with ${how}; its last output:\n${app.output().slice(-4000)}`;
}
