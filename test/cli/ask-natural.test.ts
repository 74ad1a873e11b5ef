// Issue 16's table through `kpibot ask`, run as a user runs it, on the demo data on the 3rd of
// December (today has no data yet). Expected text: test/helpers/issue-rows.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoFacts, issueRows, NOW } from '../helpers/issue-rows.ts';

const run = promisify(execFile);
let dataDir: string;

function kpibot(...args: string[]) {
  return run('node', ['bin/kpibot.js', ...args], {
    env: {
      ...process.env,
      KPIBOT_DATA_DIR: dataDir,
      KPIBOT_NOW: NOW,
      KPIBOT_TIMEZONE: 'Europe/Stockholm',
    },
  });
}

/** stdout and exit code, whether the command succeeded or not. */
async function ask(question: string): Promise<{ stdout: string; code: number }> {
  try {
    const { stdout } = await kpibot('ask', question);
    return { stdout, code: 0 };
  } catch (err) {
    const failed = err as { stdout: string; code: number };
    return { stdout: failed.stdout, code: failed.code };
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kpibot-cli-natural-'));
  const { stdout } = await kpibot('demo');
  expect(stdout).toMatch(/Loaded [\d,]+ demo facts/);
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('kpibot ask: questions as people type them (issue 16)', () => {
  it('--json carries the reading of a free-form question, and the same numbers', async () => {
    const { stdout } = await kpibot('ask', 'vad var roas förra veckan', '--json');
    const strict = JSON.parse((await kpibot('ask', 'roas last-week', '--json')).stdout);
    expect(JSON.parse(stdout)).toEqual({ ...strict, reading: 'roas last-week' });
    expect(strict.reading).toBeUndefined();
  });

  it.each(issueRows(demoFacts()))('$typed', async (row) => {
    const { stdout, code } = await ask(row.typed);
    expect(code).toBe(row.refused ? 2 : 0);
    if (row.reading)
      expect(stdout.split('\n')[0]).toBe(`Tolkat som: ${row.reading}`); // sv-SE
    else expect(stdout).not.toContain('Tolkat som');
    if (row.retry) expect(stdout).toContain(`Kör: kpibot ask "${row.retry}"`); // sv-SE
    for (const text of row.says) expect(stdout).toContain(text);
    for (const text of row.never ?? []) expect(stdout).not.toContain(text);
  });
});
