// Starting the app as users do (`npm start` = `node bin/start.js`) when it cannot connect:
// one screen of guidance or one clear line, exit code 1, never a stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, exitReport, startAppProcess, stopAppProcess } from '../helpers/app-process.ts';

const STACK_LINE = /\n\s+at .+:\d+:\d+/;

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'kpibot-start-'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('with half the Slack credentials prints one screen of guidance and exits 1', async () => {
    const app = startAppProcess(
      cleanEnv({ KPIBOT_DATA_DIR: join(workDir, 'data'), SLACK_SIGNING_SECRET: 'not-enough' }),
      workDir,
    );
    const code = await app.exited;
    const out = app.output();
    expect(code).toBe(1);
    for (const hint of [
      'SLACK_BOT_TOKEN',
      'SLACK_APP_TOKEN',
      'manifest.yml',
      'README.md',
      'npm start',
      'npx kpibot ask "roas last-week"',
    ]) {
      expect(out).toContain(hint);
    }
    expect(out).not.toMatch(STACK_LINE);
    expect(out.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
  });

  it('without any Slack credentials starts the local workspace and prints its address', async () => {
    const app = startAppProcess(
      cleanEnv({ KPIBOT_DATA_DIR: join(workDir, 'local-data'), PORT: '0', LOG_LEVEL: 'warn' }),
      workDir,
    );
    try {
      await app.ready;
      expect(app.output()).toContain('kpibot is running in local mode');
      const page = await fetch(`http://localhost:${app.port}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('kpibot');
    } finally {
      await stopAppProcess(app);
    }
    expect(await app.exited, exitReport(app)).toBe(0);
  });

  it('names only what is missing', async () => {
    const app = startAppProcess(
      cleanEnv({ KPIBOT_DATA_DIR: join(workDir, 'data'), SLACK_BOT_TOKEN: 'xoxb-1-2-3' }),
      workDir,
    );
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(
      /^kpibot cannot connect to Slack yet: SLACK_SIGNING_SECRET is not set\./,
    );
  });

  it('with invalid configuration names the key, exits 1, no stack', async () => {
    const app = startAppProcess(cleanEnv({ PORT: 'eighty' }), workDir);
    expect(await app.exited).toBe(1);
    expect(app.output()).toContain('PORT');
    expect(app.output()).not.toMatch(STACK_LINE);
  });
});
