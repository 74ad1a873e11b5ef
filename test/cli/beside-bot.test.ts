// `kpibot` run beside the running bot (`npm start`) on the same embedded store, as a person
// would: the bot holds the store; ask, kpis, status and summary go through it and print what the
// CLI prints on its own; an import lands once, in the bot's store, and its next answer has it;
// a command that cannot go through it, and a second bot, stop with a clear message and change
// nothing. The end: the bot stopped, the folder opens, every row count is what it should be.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINT_FILE } from '../../src/cli/endpoint-protocol.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { LOCK_FILE } from '../../src/store/lock.ts';
import {
  type AppProcess,
  cleanEnv,
  exitReport,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import { type Run, runKpibot } from '../helpers/run-kpibot.ts';
import { createStoreFolder, rowCounts, storeRowCounts } from '../helpers/store-folder.ts';

const NOW = '2026-11-23T08:00:00+01:00'; // a Monday morning in Stockholm
const RAN = 'ran a kpibot command for the CLI beside the bot';

let dataDir: string;
let cleanup: () => void;
let bot: AppProcess;
let seeded: Record<string, number>;
const env = () =>
  cleanEnv({ KPIBOT_DATA_DIR: dataDir, KPIBOT_NOW: NOW, KPIBOT_TIMEZONE: 'Europe/Stockholm' });

function kpibot(...args: string[]): Promise<Run> {
  return runKpibot(args, { cwd: dataDir, env: env() });
}

const commandsRun = () => bot.output().split(RAN).length - 1;

/** Six weeks of ad spend and revenue on two channels, written before the bot starts. */
async function seed(): Promise<Record<string, number>> {
  const db = await openStore({ dataDir });
  const facts: FactInput[] = [];
  for (
    let d = new Date('2026-10-12');
    d <= new Date('2026-11-22');
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const day = d.toISOString().slice(0, 10);
    for (const [i, channel] of ['google-ads', 'meta'].entries()) {
      facts.push({ day, measure: 'ad_spend', value: 100 + i * 50, channel, campaign: '' });
      facts.push({
        day,
        measure: 'revenue',
        value: 420 + d.getUTCDate() + i,
        channel,
        campaign: '',
      });
    }
  }
  await db.transaction((tx) => upsertFacts(tx, facts, { source: 'seed' }));
  try {
    return await rowCounts(db);
  } finally {
    await db.close();
  }
}

const forwarded = new Map<string, Run>();
const QUESTIONS: string[][] = [
  ['ask', 'roas last-week vs previous by channel'],
  ['ask', 'roas last-week', '--json'],
  ['kpis'],
  ['status'],
  ['summary', 'last-week'],
];

beforeAll(async () => {
  ({ dataDir, cleanup } = await createStoreFolder());
  seeded = await seed();
});

// A hook of its own (each has the 30 s limit): the bot's start-up, until it listens.
beforeAll(async () => {
  bot = startAppProcess({ ...env(), PORT: '0', LOG_LEVEL: 'info' }, dataDir);
  await bot.ready;
});

afterAll(async () => {
  await stopAppProcess(bot);
  cleanup?.();
});

describe('kpibot beside the running bot, one embedded store', () => {
  it('the bot holds the store and says where the CLI reaches it', () => {
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    expect(existsSync(join(dataDir, ENDPOINT_FILE))).toBe(true);
  });

  it('an import lands once, in the bot’s store, and its next answer has it', async () => {
    const csv = join(dataDir, '..', 'lock-facts.csv');
    writeFileSync(csv, 'date,measure,value,channel\n2026-11-22,ad_spend,123.5,lockchan\n');
    const imported = await kpibot('import', csv);
    expect(imported, imported.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain('imported 1 facts from 2026-11-22 to 2026-11-22');
    const answer = await kpibot('ask', 'ad_spend 2026-11-22 channel=lockchan', '--json');
    expect(JSON.parse(answer.stdout)).toMatchObject({ value: 123.5 });
    forwarded.set('after import', answer);
    // A file it cannot read: the importer's own message, exit 2, nothing sent to the store.
    const missing = await kpibot('import', join(dataDir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`Cannot read ${join(dataDir, 'nope.csv')}: ENOENT`);
  });

  it.each(QUESTIONS.map((argv) => ({ argv, line: argv.join(' ') })))(
    'kpibot $line answers through the bot',
    async ({ argv, line }) => {
      const before = commandsRun();
      const run = await kpibot(...argv);
      expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
      expect(commandsRun()).toBe(before + 1); // the bot ran it
      forwarded.set(line, run);
    },
  );

  it('a typo through the bot: the same suggestion and exit code 2 as on its own', async () => {
    const typo = await kpibot('ask', 'roaas last-week');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toMatch(/Menade du: roas/); // sv-SE
  });

  it('a command that cannot go through the bot stops clearly: folder, pid, exit 2', async () => {
    const demo = await kpibot('demo');
    expect(demo.code).toBe(2);
    expect(demo.stderr).toContain(`The store in ${dataDir} is in use`);
    expect(demo.stderr).toContain(`pid ${bot.child.pid}`);
    expect(demo.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('a second bot on the same folder refuses to start; the first still answers', async () => {
    const second = startAppProcess({ ...env(), PORT: '0' }, dataDir);
    expect(await second.exited).toBe(2);
    expect(second.output()).toContain(`The store in ${dataDir} is in use`);
    expect(second.output()).toContain(`pid ${bot.child.pid}`);
    const again = await kpibot('status');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ad_spend\s+import\s+2026-11-22/); // the import, seen by the bot
  });

  it('stopped, the bot leaves the folder whole, the import in it once', async () => {
    await stopAppProcess(bot);
    expect(await bot.exited, exitReport(bot)).toBe(0);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dataDir, ENDPOINT_FILE))).toBe(false);
    // The integrity check: it opens; exactly the one imported fact more than was seeded (a new
    // channel and source with it); the refused demo and second bot wrote nothing. (The bot's
    // own start-up writes its default alert rules and a task run: not counted here.)
    const counts = await storeRowCounts(dataDir);
    expect(counts.facts).toBe(seeded.facts! + 1);
    expect(counts.dimension_values).toBe(seeded.dimension_values! + 1);
    expect(counts.measure_freshness).toBe(seeded.measure_freshness! + 1);
    expect(counts.schema_migrations).toBe(seeded.schema_migrations);
    expect(counts.outbox).toBe(0);

    const alone = await kpibot('ask', 'ad_spend 2026-11-22 channel=lockchan', '--json');
    expect(alone).toEqual(forwarded.get('after import'));
  });

  // One at a time: two CLIs at once on the embedded store would be one too many.
  it.each(
    QUESTIONS.filter((q) => q[0] !== 'status').map((argv) => ({ argv, line: argv.join(' ') })),
  )('on its own, kpibot $line prints what the bot printed for it', async ({ argv, line }) => {
    expect(await kpibot(...argv)).toEqual(forwarded.get(line));
  });
});
