// Local mode for `npm start`: when it applies, the configuration it gives the app, the jobs hook,
// and the demo data on first start.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ensureDemoData } from '../../src/local/demo.ts';
import {
  type LocalSession,
  LocalStartError,
  startLocalSession,
  wantsLocalMode,
} from '../../src/local/session.ts';
import type { Db } from '../../src/store/db.ts';
import { countFacts, upsertFacts } from '../../src/store/facts.ts';
import { createTestDb } from '../helpers/test-db.ts';

describe('wantsLocalMode', () => {
  it.each([
    // [case, slack settings, local mode?]
    ['nothing set: try it locally', {}, true],
    [
      'only an API URL: still nothing to connect with',
      { apiUrl: 'https://slack-gov.com/api/' },
      true,
    ],
    ['HTTP mode configured', { botToken: 'xoxb-1', signingSecret: 's' }, false],
    ['Socket Mode configured', { botToken: 'xoxb-1', appToken: 'xapp-1' }, false],
    [
      'half a configuration is a mistake to report, not a reason to play Slack',
      { botToken: 'xoxb-1' },
      false,
    ],
    ['a signing secret alone, likewise', { signingSecret: 's' }, false],
  ])('%s', (_, slack, expected) => {
    expect(wantsLocalMode(slack)).toBe(expected);
  });
});

describe('startLocalSession', () => {
  let session: LocalSession | undefined;
  afterEach(async () => {
    await session?.stop();
    session = undefined;
  });

  const configWith = (port: string) =>
    loadConfig({ PORT: port, KPIBOT_DATA_DIR: '/tmp/kpibot-unused' }, '/tmp');

  it('points the app at the workspace with credentials made up for the session', async () => {
    session = await startLocalSession(configWith('0'));
    const { config, env, workspace } = session;
    expect(config.slack.apiUrl).toBe(workspace.apiUrl);
    expect(config.slack.botToken).toMatch(/^xoxb-local-[0-9a-f]{32}$/);
    expect(config.slack.signingSecret).toMatch(/^[0-9a-f]{48}$/);
    expect(config.slack.appToken).toBeUndefined();
    expect(env).toEqual({
      SLACK_API_URL: workspace.apiUrl,
      SLACK_BOT_TOKEN: config.slack.botToken,
      SLACK_SIGNING_SECRET: config.slack.signingSecret,
      PORT: '0',
    });
    const auth = await fetch(`${workspace.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.slack.botToken}` },
    });
    expect(await auth.json()).toMatchObject({ ok: true });
    // Another session, other credentials.
    const other = await startLocalSession(configWith('0'));
    expect(other.config.slack.signingSecret).not.toBe(config.slack.signingSecret);
    await other.stop();
  });

  it('puts the page on PORT and the app on PORT + 1, and prints the page first', async () => {
    const port = await freePort();
    session = await startLocalSession(configWith(String(port)));
    expect(session.workspace.port).toBe(port);
    expect(session.config.port).toBe(port + 1);
    expect(session.workspace.url).toBe(`http://localhost:${port}/`);
    const banner = session.banner(port + 1);
    expect(banner).toContain(`Open the local workspace: http://localhost:${port}/`);
    expect(banner.indexOf(`localhost:${port}`)).toBeLessThan(banner.indexOf(String(port + 1)));
    expect(banner).not.toContain(session.config.slack.signingSecret!);
  });

  it('says which port is taken, without a stack', async () => {
    session = await startLocalSession(configWith('0'));
    const taken = session.workspace.port;
    const err = await startLocalSession(configWith(String(taken))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalStartError);
    expect((err as Error).message).toContain(`Port ${taken} is already in use`);
  });
});

describe('ensureDemoData', () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  const at = (iso: string) => ({
    periodContext: () => ({
      now: new Date(iso),
      timeZone: 'Europe/Stockholm',
      weekStartsOn: 1 as const,
    }),
  });

  it('loads an empty store, keeps it on the next start, and moves demo data up to yesterday', async () => {
    db = await createTestDb();
    const first = await ensureDemoData({ db, ...at('2026-11-18T10:00:00+01:00') });
    expect(first).toMatchObject({ action: 'loaded', end: '2026-11-17' });
    expect(first.facts).toBeGreaterThan(50_000);
    expect(await countFacts(db)).toBe(first.facts);
    expect(first.message).toContain('up to 2026-11-17');

    expect(await ensureDemoData({ db, ...at('2026-11-18T23:00:00+01:00') })).toMatchObject({
      action: 'kept',
      facts: 0,
    });
    const week = await ensureDemoData({ db, ...at('2026-11-25T10:00:00+01:00') });
    expect(week).toMatchObject({ action: 'refreshed', end: '2026-11-24' });
  });

  it('never touches a store holding data of its own', async () => {
    db = await createTestDb();
    await upsertFacts(
      db,
      [{ day: '2026-01-01', measure: 'revenue', value: 5, channel: '', campaign: '' }],
      {
        source: 'import',
      },
    );
    expect(await ensureDemoData({ db, ...at('2026-11-18T10:00:00+01:00') })).toMatchObject({
      action: 'kept',
    });
    expect(await countFacts(db)).toBe(1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      // PORT + 1 must be free too: pick again if it is not.
      server.close(() => {
        const probe = createServer();
        probe.once('error', () => resolve(freePort()));
        probe.listen(port + 1, '127.0.0.1', () => probe.close(() => resolve(port)));
      });
    });
  });
}
