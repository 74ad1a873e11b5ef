import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

function dirWith(yaml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-config-'));
  if (yaml !== undefined) writeFileSync(join(dir, 'kpibot.config.yml'), yaml);
  return dir;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('uses documented defaults without a file', () => {
    const config = loadConfig({}, dirWith());
    expect(config).toMatchObject({
      configFile: null,
      timeZone: 'Europe/Stockholm',
      weekStartsOn: 1,
      locale: 'sv-SE',
      currency: 'SEK',
      businessModel: 'ecommerce',
      defaultPeriod: 'last-7-days',
      port: 3000,
      admins: [],
    });
    expect(config.store.databaseUrl).toBeUndefined();
    expect(config.store.dataDir).toMatch(/data$/);
  });

  it('reads kpibot.config.yml and lets env override locale settings', () => {
    const dir = dirWith(
      [
        'timezone: America/New_York',
        'weekStart: sunday',
        'locale: en-US',
        'currency: USD',
        'businessModel: services',
        'tiers: { impressions: business }',
        'kpis:',
        '  - id: profit_margin',
        '    formula: (revenue - marketing_cost) / revenue',
        '    unit: percent',
      ].join('\n'),
    );
    const config = loadConfig({ KPIBOT_CURRENCY: 'EUR', KPIBOT_ADMINS: 'U1, U2' }, dir);
    expect(config).toMatchObject({
      timeZone: 'America/New_York',
      weekStartsOn: 0,
      locale: 'en-US',
      currency: 'EUR',
      businessModel: 'services',
      tiers: { impressions: 'business' },
      admins: ['U1', 'U2'],
    });
    expect(config.customKpis[0]).toMatchObject({
      id: 'profit_margin',
      good: 'up',
      tier: 'business',
    });
  });

  it.each([
    // each message names the key and what is allowed
    ['timezone: Europe/Stokholm', /timezone: must be an IANA timezone/],
    ['currency: KRONOR', /currency: must be an ISO 4217 currency code/],
    ['businessModel: saas', /businessModel: .*"ecommerce"|businessModel: .*ecommerce/],
    ['weekStart: funday', /weekStart:/],
    ['tiers: { roas: vanity }', /tiers\.roas:/],
    ['kpis: [{ id: Bad-Id, formula: revenue, unit: count }]', /kpis\.0\.id: must be lowercase/],
    ['colour: blue', /colour|Unrecognized key/],
  ])('rejects %j', (yaml, message) => {
    expect(errorOf(() => loadConfig({}, dirWith(yaml)))).toMatch(message);
  });

  it('rejects bad environment values, naming the variable', () => {
    expect(errorOf(() => loadConfig({ PORT: 'eighty' }, dirWith()))).toMatch(/PORT:/);
    expect(errorOf(() => loadConfig({ DATABASE_URL: 'mysql://x' }, dirWith()))).toMatch(
      /DATABASE_URL: must be a postgres/,
    );
    expect(errorOf(() => loadConfig({ KPIBOT_INGEST_TOKEN: 'short' }, dirWith()))).toMatch(
      /KPIBOT_INGEST_TOKEN: must be at least 16/,
    );
  });

  it('rejects a KPIBOT_CONFIG path that does not exist and unparsable YAML', () => {
    expect(errorOf(() => loadConfig({ KPIBOT_CONFIG: 'nope.yml' }, dirWith()))).toMatch(
      /does not exist/,
    );
    expect(errorOf(() => loadConfig({}, dirWith('timezone: [unclosed')))).toMatch(/Could not read/);
  });

  it('parses KPIBOT_NOW', () => {
    expect(
      loadConfig({ KPIBOT_NOW: '2026-11-23T08:00:00+01:00' }, dirWith()).now?.toISOString(),
    ).toBe('2026-11-23T07:00:00.000Z');
  });

  it('reads channels: as lists or { name, aliases }, and names the key of a conflict', () => {
    const config = loadConfig(
      {},
      dirWith(
        'channels:\n  meta: [paid-social]\n  tiktok:\n    name: TikTok\n    aliases: [tik tok]\n',
      ),
    );
    expect(config.channels).toEqual({
      meta: { aliases: ['paid-social'] },
      tiktok: { name: 'TikTok', aliases: ['tik tok'] },
    });
    expect(loadConfig({}, dirWith()).channels).toEqual({});
    expect(errorOf(() => loadConfig({}, dirWith('channels:\n  snap: [tt, "  "]\n')))).toContain(
      '  - channels.snap.aliases.1: an alias must not be empty',
    );
    const message = errorOf(() =>
      loadConfig({}, dirWith('channels:\n  tiktok: [tt]\n  snap: [tt]\n  Bad: []\n')),
    );
    expect(message).toContain(
      '  - channels.snap.aliases.0: "tt" is an alias of tiktok too; give it to one channel',
    );
    expect(message).toContain(
      '  - channels.Bad: a channel is lower-case letters, digits and -, e.g. tiktok',
    );
  });
});
