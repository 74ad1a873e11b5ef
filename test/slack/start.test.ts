// Starting the app as users do (`npm start` = `node bin/start.js`) when it cannot connect:
// one screen of guidance or one clear line, exit code 1, never a stack trace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, startAppProcess } from '../helpers/app-process.ts';

const STACK_LINE = /\n\s+at .+:\d+:\d+/;

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'kpibot-start-'));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('without Slack credentials prints one screen of guidance and exits 1', async () => {
    const app = startAppProcess(cleanEnv({ KPIBOT_DATA_DIR: join(workDir, 'data') }), workDir);
    const code = await app.exited;
    const out = app.output();
    expect(code).toBe(1);
    for (const hint of [
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'manifest.yml',
      'README.md',
      'npx kpibot demo',
      'npx kpibot ask "roas last-week"',
    ]) {
      expect(out).toContain(hint);
    }
    expect(out).not.toMatch(STACK_LINE);
    expect(out.trimEnd().split('\n').length).toBeLessThanOrEqual(24);
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
