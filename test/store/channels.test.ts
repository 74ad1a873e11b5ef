// Re-labelling after a change of the vocabulary (`kpibot channels apply`): the facts of a name
// the vocabulary now calls otherwise move to their channel in one transaction, exactly once;
// totals per measure and day stay, per-channel totals move, and daily_totals follows. A dry run
// says what would move and changes nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommandIo, storeCommand } from '../../src/cli/commands.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createServices, type Services } from '../../src/services.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { storeKinds } from '../helpers/test-db.ts';
import { snapshot } from '../ingest/helpers.ts';

const FACTS = [
  // stored before the team said `meta: [paid-social]`
  { day: '2026-01-05', measure: 'ad_spend', value: 100, channel: 'paid-social', campaign: 'A' },
  { day: '2026-01-06', measure: 'ad_spend', value: 110, channel: 'paid-social', campaign: 'A' },
  { day: '2026-01-05', measure: 'revenue', value: 300, channel: 'paid-social', campaign: 'A' },
  { day: '2026-01-05', measure: 'avg_position', value: 4, channel: 'paid-social', campaign: 'A' },
  { day: '2026-01-05', measure: 'ad_spend', value: 50, channel: 'meta', campaign: 'A' },
  { day: '2026-01-05', measure: 'ad_spend', value: 70, channel: 'meta', campaign: 'B' },
  { day: '2026-01-05', measure: 'avg_position', value: 2, channel: 'meta', campaign: 'A' },
  // stored before `tiktok` was a channel
  { day: '2026-01-05', measure: 'sessions', value: 40, channel: 'TikTok', campaign: '' },
  { day: '2026-01-05', measure: 'sessions', value: 500, channel: 'organic', campaign: '' },
  { day: '2026-01-05', measure: 'sessions', value: 7, channel: 'snapchat', campaign: '' },
];

const CONFIG = 'channels:\n  meta: [paid-social]\n  tiktok: { name: TikTok }\n';

async function run(services: Services, argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const io: CommandIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t) };
  const command = storeCommand(argv);
  if (!command) throw new Error(`not a store command: ${argv.join(' ')}`);
  return { code: await command(services, io), out: out.join('') };
}

describe.each(storeKinds())('$name store: kpibot channels apply', (kind) => {
  let services: Services;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kpibot-relabel-'));
    writeFileSync(join(dir, 'kpibot.config.yml'), CONFIG);
    const config = loadConfig({ KPIBOT_DATA_DIR: join(dir, 'data') }, dir);
    services = await createServices(config, createLogger('silent', 2), await kind.create());
    await upsertFacts(services.db, FACTS, { source: 'import' });
  });
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const totals = (by: 'measure' | 'channel') =>
    services.db.query<{ key: string; total: number; n: number }>(
      `select ${by === 'measure' ? 'measure' : "measure || ' ' || channel"} as key,
              sum(total) as total, sum(n)::int as n
       from daily_totals group by 1 order by 1`,
    );
  const totalsFromFacts = () =>
    services.db.query(
      `select measure, day::text as day, channel, sum(value) as total, count(*)::int as n
       from facts group by 1, 2, 3 order by 1, 2, 3`,
    );
  const dailyTotals = () =>
    services.db.query(
      'select measure, day::text as day, channel, total, n from daily_totals order by 1, 2, 3',
    );

  it('a dry run says what would move and changes nothing', async () => {
    const before = await snapshot(services.db);
    const { code, out } = await run(services, ['channels', 'apply', '--dry-run']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Dry run: 5 facts would move (nothing changed):',
        '  TikTok → tiktok: 1 fact',
        '  paid-social → meta: 4 facts (2 added to facts already on meta)',
        '',
      ].join('\n'),
    );
    expect(await snapshot(services.db)).toEqual(before);
  });

  it('moves them once: totals per measure unchanged, per-channel totals moved', async () => {
    const byMeasure = await totals('measure');
    const { code, out } = await run(services, ['channels', 'apply']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'Moved 5 facts:',
        '  TikTok → tiktok: 1 fact',
        '  paid-social → meta: 4 facts (2 added to facts already on meta)',
        '',
      ].join('\n'),
    );
    // Per measure, the sums are what they were (avg_position's facts met on one key: averaged).
    const after = await totals('measure');
    const sum = (rows: typeof after, key: string) => rows.find((r) => r.key === key)?.total;
    for (const m of ['ad_spend', 'revenue', 'sessions']) {
      expect(sum(after, m), m).toBe(sum(byMeasure, m));
    }
    expect(sum(byMeasure, 'ad_spend')).toBe(100 + 110 + 50 + 70);
    // Per channel, by hand: meta has its own and paid-social's; paid-social and TikTok are gone.
    expect(await totals('channel')).toEqual([
      { key: 'ad_spend meta', total: 50 + 70 + 100 + 110, n: 3 },
      { key: 'avg_position meta', total: (2 + 4) / 2, n: 1 },
      { key: 'revenue meta', total: 300, n: 1 },
      { key: 'sessions organic', total: 500, n: 1 },
      { key: 'sessions snapchat', total: 7, n: 1 }, // unknown: kept as it is
      { key: 'sessions tiktok', total: 40, n: 1 },
    ]);
    expect(
      await services.db.query(
        `select day::text as day, campaign, value from facts
         where measure = 'ad_spend' and channel = 'meta' order by 1, 2`,
      ),
    ).toEqual([
      { day: '2026-01-05', campaign: 'A', value: 150 },
      { day: '2026-01-05', campaign: 'B', value: 70 },
      { day: '2026-01-06', campaign: 'A', value: 110 },
    ]);
    // daily_totals is what the facts add up to.
    expect(await dailyTotals()).toEqual(await totalsFromFacts());
    expect(
      (
        await services.db.query<{ value: string }>(
          `select value from dimension_values where dimension = 'channel' order by value`,
        )
      ).map((r) => r.value),
    ).toEqual(['meta', 'organic', 'snapchat', 'tiktok']);
  });

  it('run again, moves nothing', async () => {
    const before = await snapshot(services.db);
    const { out } = await run(services, ['channels', 'apply']);
    expect(out).toBe('Every stored channel has its canonical name: nothing to move.\n');
    expect(await snapshot(services.db)).toEqual(before);
  });

  it('kpibot channels lists the team’s channel with the built-in ones', async () => {
    const { code, out } = await run(services, ['channels']);
    expect(code).toBe(0);
    expect(out).toContain(
      '*`tiktok`* TikTok (kpibot.config.yml) · from import · last day 2026-01-05 (1 fact)',
    );
    expect(out).not.toContain('paid-social`*');
  });
});

describe('kpibot channels: arguments', () => {
  it.each([
    [
      ['channels', '--dry-run'],
      '--dry-run goes with apply. Usage: kpibot channels [apply [--dry-run]]',
    ],
    [['channels', 'move'], 'Usage: kpibot channels [apply [--dry-run]]'],
    [['channels', 'apply', 'now'], 'Usage: kpibot channels [apply [--dry-run]]'],
  ])('%j is refused before the store is opened', (argv, message) => {
    expect(() => storeCommand(argv)).toThrow(message);
  });
});
