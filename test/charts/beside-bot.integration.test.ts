// `kpibot ask … --chart FILE` while the bot holds the store: the command runs in the bot, the
// PNG comes back in the reply and the CLI writes it where the CLI runs (the bot writes nothing),
// the same image the CLI makes on its own store.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pngSize, readText } from '../../src/charts/png.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import {
  type AppProcess,
  cleanEnv,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import { type Run, runKpibot } from '../helpers/run-kpibot.ts';
import { createStoreFolder } from '../helpers/store-folder.ts';

const NOW = '2026-11-23T08:00:00+01:00';
const QUESTION = 'roas last-week vs previous by channel';
let dataDir: string;
let cleanup: () => void;
let cliDir: string;
let bot: AppProcess | undefined;
let alone: Buffer;

const env = () =>
  cleanEnv({ KPIBOT_DATA_DIR: dataDir, KPIBOT_NOW: NOW, KPIBOT_TIMEZONE: 'Europe/Stockholm' });

function kpibot(...args: string[]): Promise<Run> {
  return runKpibot(args, { cwd: cliDir, env: env() });
}

/** Ten weeks of ad spend and revenue on two paid channels, and organic revenue (no ROAS). */
async function seed(): Promise<void> {
  const db = await openStore({ dataDir });
  const facts: FactInput[] = [];
  for (
    let d = new Date('2026-09-14');
    d <= new Date('2026-11-22');
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const day = d.toISOString().slice(0, 10);
    for (const [i, channel] of ['google-ads', 'meta'].entries()) {
      facts.push({ day, measure: 'ad_spend', value: 100 + i * 50, channel, campaign: '' });
      facts.push({
        day,
        measure: 'revenue',
        value: 420 + d.getUTCDate() * (i + 1),
        channel,
        campaign: '',
      });
    }
    facts.push({ day, measure: 'revenue', value: 90, channel: 'organic', campaign: '' });
  }
  try {
    await db.transaction((tx) => upsertFacts(tx, facts, { source: 'seed' }));
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  ({ dataDir, cleanup } = await createStoreFolder());
  cliDir = mkdtempSync(join(tmpdir(), 'kpibot-chart-cli-'));
  await seed();
  // The same question on the store with no bot holding it: the image to get back.
  const run = await kpibot('ask', QUESTION, '--chart', 'alone.png');
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  alone = readFileSync(join(cliDir, 'alone.png'));
  expect(readText(alone, 'Description')).toContain('organic inga data'); // sv-SE
});

// A hook of its own (each has the 30 s limit): the bot's start-up, until it listens.
beforeAll(async () => {
  bot = startAppProcess({ ...env(), PORT: '0', LOG_LEVEL: 'info' }, dataDir);
  await bot.ready;
});

afterAll(async () => {
  await stopAppProcess(bot);
  cleanup?.();
  rmSync(cliDir, { recursive: true, force: true });
});

describe('kpibot ask --chart beside the running bot', () => {
  it('answers through the bot and writes the chart where the CLI runs', async () => {
    const run = await kpibot('ask', QUESTION, '--chart', 'through-bot.png');
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('per kanal:'); // sv-SE
    expect(bot?.output()).toContain('ran a kpibot command for the CLI beside the bot');
    const png = readFileSync(join(cliDir, 'through-bot.png'));
    expect(existsSync(join(dataDir, 'through-bot.png'))).toBe(false);
    expect(pngSize(png)).toEqual(pngSize(alone));
    expect(readText(png, 'Description')).toBe(readText(alone, 'Description'));
  });

  it('a chart the CLI cannot write is told; the answer stands, exit 0', async () => {
    const run = await kpibot('ask', QUESTION, '--chart', join('missing-folder', 'x.png'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('per kanal:'); // sv-SE
    expect(run.stderr).toContain('chart not written (missing-folder/x.png)');
  });
});
