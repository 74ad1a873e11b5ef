// Channels as facts are written: a GA4 export's channel groups land on the channels the KPIs use,
// a Meta export and a push of `facebook` rows land on one channel, and a channel the vocabulary
// does not know is kept as given and reported once per import.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { runImportCommand } from '../../src/ingest/cli.ts';
import { importCsv } from '../../src/ingest/import.ts';
import { createPushHandler } from '../../src/ingest/push-api.ts';
import { createLogger } from '../../src/logger.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { clearFacts, fixture } from './helpers.ts';

const TOKEN = 'test-ingest-token-0123456789abcdef';
const NOW = new Date('2026-01-10T09:00:00Z');

let services: Services;
let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpibot-ingest-channels-'));
  const config = loadConfig({ KPIBOT_DATA_DIR: join(dir, 'data') }, dir);
  services = await createServices(config, createLogger('silent', 2), await createTestDb());
  server = createServer(
    createPushHandler({
      db: services.db,
      token: TOKEN,
      channels: services.channels,
      logger: createLogger('silent', 2),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/facts`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => clearFacts(services.db));

async function push(facts: unknown[]): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ facts }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const channelsOf = async () =>
  (
    await services.db.query<{ channel: string }>(
      'select distinct channel from facts order by channel',
    )
  ).map((r) => r.channel);

const sumOn = async (measure: string, channel: string) =>
  (
    await services.db.query<{ s: number | null }>(
      'select sum(value) as s from facts where measure = $1 and channel = $2',
      [measure, channel],
    )
  )[0]?.s ?? null;

describe('a GA4 export', () => {
  it('gives organic_conversion_rate from its Organic Search rows', async () => {
    const report = await importCsv(
      services.db,
      { path: fixture('ga4.csv') },
      { mapping: 'ga4', channels: services.channels },
    );
    expect(report.ok).toBe(true);
    expect(await channelsOf()).toEqual(['direct', 'organic', 'paid-search']);
    const outcome = await runCommand(
      'organic_conversion_rate 2026-01-05..2026-01-06',
      { userId: 'U1', now: NOW },
      services,
    );
    if (outcome.kind !== 'answer') throw new Error(JSON.stringify(outcome));
    // ga4.csv, the two Organic Search rows: Key events 30 + 32, Sessions 1200 + 1250.
    expect(outcome.result.answers[0]?.value).toBeCloseTo((30 + 32) / (1200 + 1250), 12);
    expect(outcome.result.answers[0]?.formatted).toMatch(/^2,53\s%$/); // 62 / 2450 = 2.53 %, sv-SE, 2 decimals below 10
  });
});

describe('a Meta export and a push of facebook rows', () => {
  it('land on one channel, meta', async () => {
    const report = await importCsv(
      services.db,
      { path: fixture('meta-ads.csv') },
      { mapping: 'meta-ads', channels: services.channels },
    );
    expect(report.ok).toBe(true);
    const pushed = await push([
      { date: '2026-01-07', measure: 'ad_spend', value: 500, channel: 'facebook', campaign: 'X' },
      { date: '2026-01-07', measure: 'revenue', value: 2000, channel: 'Facebook', campaign: 'X' },
      { date: '2026-01-07', measure: 'ad_spend', value: 200, channel: 'meta', campaign: 'Y' },
    ]);
    expect(pushed).toEqual({
      status: 200,
      body: {
        written: 3,
        measures: ['ad_spend', 'revenue'],
        from: '2026-01-07',
        to: '2026-01-07',
        channels: {
          relabelled: [
            { from: 'facebook', to: 'meta' },
            { from: 'Facebook', to: 'meta' },
          ],
          unknown: [],
          notices: [],
        },
      },
    });
    expect(await channelsOf()).toEqual(['meta']);
    // meta-ads.csv: Amount spent 1500.25 + 300 + 1620.75 + 280.5; the push: 500 + 200.
    expect(await sumOn('ad_spend', 'meta')).toBeCloseTo(3701.5 + 700, 9);
    // Purchases conversion value 5400 + (empty) + 6750.50 + 900; the push: 2000.
    expect(await sumOn('revenue', 'meta')).toBeCloseTo(13050.5 + 2000, 9);
    const outcome = await runCommand(
      'roas 2026-01-05..2026-01-07 channel=facebook',
      { userId: 'U1', now: NOW },
      services,
    );
    if (outcome.kind !== 'answer') throw new Error(JSON.stringify(outcome));
    expect(outcome.result.answers[0]?.value).toBeCloseTo(15050.5 / 4401.5, 12);
  });

  it('a push repeating a key under two names of one channel is refused, nothing written', async () => {
    const pushed = await push([
      { date: '2026-01-07', measure: 'ad_spend', value: 500, channel: 'facebook' },
      { date: '2026-01-07', measure: 'ad_spend', value: 200, channel: 'meta' },
    ]);
    expect(pushed.status).toBe(400);
    expect(pushed.body.invalid).toEqual([
      { index: 1, reason: 'repeats the date, measure, channel and campaign of item 0' },
    ]);
    expect(await channelsOf()).toEqual([]);
  });
});

describe('two names of one channel in one file', () => {
  it('repeat a key: the file is rejected, the reason names both', async () => {
    const csv =
      'date,measure,value,channel\n2026-01-05,ad_spend,5,facebook\n2026-01-05,ad_spend,7,Meta\n';
    const report = await importCsv(
      services.db,
      { stream: Readable.from([csv]), name: 'both.csv' },
      { channels: services.channels },
    );
    expect(report.rejected).toEqual([
      {
        line: 3,
        reason:
          'repeats ad_spend on 2026-01-05 (channel meta) of an earlier row; "facebook" and "Meta" are one channel, meta: sum those rows first, or give one of them a channel of its own under channels: in kpibot.config.yml',
      },
    ]);
    expect(await channelsOf()).toEqual([]);
  });
});

describe('a channel the vocabulary does not know', () => {
  const csv = [
    'date,measure,value,channel',
    '2026-01-05,sessions,100,tiktok',
    '2026-01-05,conversions,3,tiktok',
    '2026-01-06,sessions,120,tiktok',
    '2026-01-06,sessions,50,snapchat',
    '2026-01-06,sessions,900,Organic Search',
  ].join('\n');

  it('is kept as given and reported once per import', async () => {
    const out: string[] = [];
    const code = await runImportCommand(['tiktok.csv'], {
      db: services.db,
      channels: services.channels,
      stdout: (t) => out.push(t),
      stderr: (t) => out.push(t),
      input: (name) => ({ stream: Readable.from([csv]), name }),
      progressStream: undefined,
    });
    expect(code).toBe(0);
    const text = out.join('');
    const notice =
      'Note: new channel `tiktok` — add it to `channels:` in kpibot.config.yml to name it.';
    expect(text.split(notice)).toHaveLength(2); // exactly once, for three rows
    expect(text).toContain(
      'Note: new channel `snapchat` — add it to `channels:` in kpibot.config.yml to name it.',
    );
    expect(text).toContain('Channels: Organic Search → organic');
    expect(await channelsOf()).toEqual(['organic', 'snapchat', 'tiktok']);
    expect(await sumOn('sessions', 'tiktok')).toBe(220);

    // A push: the same, once per request.
    const pushed = await push([
      { date: '2026-01-07', measure: 'sessions', value: 10, channel: 'tiktok' },
      { date: '2026-01-08', measure: 'sessions', value: 11, channel: 'tiktok' },
    ]);
    expect(pushed.body.channels).toEqual({
      relabelled: [],
      unknown: ['tiktok'],
      notices: ['new channel `tiktok` — add it to `channels:` in kpibot.config.yml to name it'],
    });
    expect(await sumOn('sessions', 'tiktok')).toBe(241);
  });

  it('in a dry run, is reported the same and nothing is written', async () => {
    const report = await importCsv(
      services.db,
      { stream: Readable.from([csv]), name: 'tiktok.csv' },
      { dryRun: true, channels: services.channels },
    );
    expect(report.channels).toEqual({
      relabelled: [{ from: 'Organic Search', to: 'organic' }],
      unknown: ['tiktok', 'snapchat'],
      more: 0,
    });
    expect(await channelsOf()).toEqual([]);
  });
});
