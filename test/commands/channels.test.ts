// Channel aliases where people write channels: questions (`channel=facebook` reads as meta, and
// the answer says so), alert rules from `/kpi alert add` and from kpibot.config.yml; and
// `/kpi channels`, the vocabulary beside the store's channels.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsConfigSchema } from '../../src/alerts/rule.ts';
import { loadRules } from '../../src/alerts/store.ts';
import { rulesFromConfig } from '../../src/alerts/sync.ts';
import { runCommand } from '../../src/commands/registry.ts';
import { renderForSlack } from '../../src/commands/views/slack.ts';
import { renderText } from '../../src/commands/views/text.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import { createServices, type Services } from '../../src/services.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { createTestDb } from '../helpers/test-db.ts';

const NOW = new Date('2026-01-10T09:00:00Z');
const ADMIN: CommandContext = {
  userId: 'UADMIN1',
  channelId: 'C0MARKET',
  now: NOW,
  isAdmin: async () => true,
};

let services: Services;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpibot-channels-'));
  const config = loadConfig({ KPIBOT_DATA_DIR: join(dir, 'data') }, dir);
  services = await createServices(config, createLogger('silent', 2), await createTestDb());
  // Meta's facts on two days (an import), a third day pushed; organic and an unknown channel.
  await upsertFacts(
    services.db,
    [
      { day: '2026-01-05', measure: 'ad_spend', value: 1000, channel: 'meta', campaign: 'A' },
      { day: '2026-01-05', measure: 'revenue', value: 4500, channel: 'meta', campaign: 'A' },
      { day: '2026-01-06', measure: 'ad_spend', value: 500, channel: 'meta', campaign: 'B' },
      { day: '2026-01-06', measure: 'revenue', value: 1200, channel: 'meta', campaign: 'B' },
      { day: '2026-01-05', measure: 'ad_spend', value: 800, channel: 'organic', campaign: '' },
      { day: '2026-01-05', measure: 'revenue', value: 100, channel: 'organic', campaign: '' },
    ],
    { source: 'import' },
  );
  await upsertFacts(
    services.db,
    [
      { day: '2026-01-07', measure: 'ad_spend', value: 300, channel: 'meta', campaign: 'A' },
      { day: '2026-01-07', measure: 'sessions', value: 40, channel: 'tiktok', campaign: '' },
    ],
    { source: 'api' },
  );
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a question that names a channel by an alias', () => {
  it('reads channel=facebook as meta and says so', async () => {
    const outcome = await runCommand(
      'roas 2026-01-05..2026-01-06 channel=facebook',
      { userId: 'U1', now: NOW },
      services,
    );
    if (outcome.kind !== 'answer') throw new Error(JSON.stringify(outcome));
    // Meta only: revenue (4500 + 1200) / ad_spend (1000 + 500); organic's 800 / 100 left out.
    expect(outcome.result.answers[0]?.value).toBeCloseTo(5700 / 1500, 12);
    expect(outcome.result.filters).toEqual({ channel: ['meta'] });
    expect(outcome.result.channelReadings).toEqual([{ written: 'facebook', channel: 'meta' }]);
    expect(renderText(outcome, 'en')).toMatch(/^\(channel facebook reads as meta\)\n\n/);
    const slack = JSON.stringify(renderForSlack(outcome, { locale: 'en', withShareButton: false }));
    expect(slack).toContain('filtered: channel = meta (`facebook` reads as `meta`)');
  });

  it('says nothing about channels written by their own name', async () => {
    const outcome = await runCommand(
      'roas 2026-01-05..2026-01-06 channel=meta',
      { userId: 'U1', now: NOW },
      services,
    );
    if (outcome.kind !== 'answer') throw new Error(JSON.stringify(outcome));
    expect(outcome.result.answers[0]?.value).toBeCloseTo(5700 / 1500, 12);
    expect(outcome.result.channelReadings).toBeUndefined();
    expect(renderText(outcome, 'en')).not.toContain('reads as');
  });
});

describe('an alert rule that names a channel by an alias', () => {
  it('is stored on the canonical channel, and the reply says so', async () => {
    const outcome = await runCommand(
      'alert add roas < 3x over last-7-days channel=facebook in #marketing',
      ADMIN,
      services,
    );
    if (outcome.kind !== 'message') throw new Error(JSON.stringify(outcome));
    expect(outcome.tone).toBe('ok');
    expect(outcome.lines).toContain('Kanaler: `facebook` läses som `meta`.');
    const [stored] = await loadRules(services.db);
    expect(stored?.rule.filters).toEqual({ channel: ['meta'] });
  });

  it('from kpibot.config.yml, likewise', () => {
    const entries = alertsConfigSchema.parse([
      {
        id: 'meta-roas',
        kpi: 'roas',
        comparator: '<',
        threshold: '3x',
        filters: { channel: 'Facebook, instagram' },
        channel: '#marketing',
      },
    ]);
    const { rules, errors } = rulesFromConfig(services, entries, NOW);
    expect(errors).toEqual([]);
    expect(rules[0]?.filters).toEqual({ channel: ['meta'] });
  });
});

describe('/kpi channels', () => {
  it('lists channels with data (aliases, sources, last day), unknown ones, then the rest', async () => {
    const outcome = await runCommand('channels', { userId: 'U1' }, services);
    if (outcome.kind !== 'message') throw new Error(JSON.stringify(outcome));
    expect(outcome.title).toBe('Channels');
    const [meta, organic, tiktok, idle] = outcome.lines;
    expect(meta).toBe(
      '*`meta`* Meta (Facebook, Instagram) — also `facebook`, `instagram`, `fb`, `ig`, `facebook-ads`, `instagram-ads`, `meta-ads` · from api, import · last day 2026-01-07 (5 facts)',
    );
    expect(organic).toBe(
      '*`organic`* Organic search — also `seo`, `organic-search` · from import · last day 2026-01-05 (2 facts)',
    );
    expect(tiktok).toBe(
      '`tiktok` — not in the vocabulary: add it to `channels:` to name it · from api · last day 2026-01-07 (1 fact)',
    );
    expect(idle).toMatch(/^No data yet: `google-ads` — also `google`, /);
    expect(outcome.lines).toHaveLength(4);
  });
});
