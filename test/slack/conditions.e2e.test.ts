// Relative and anomaly alert conditions and the volume guard end to end: the app started as
// users start it, checks run as the catch-up of the 09:00 firing missed while the app was down
// (at that start's KPIBOT_NOW), and what the channel gets is what the stand-in recorded over
// real HTTP. The rules are added before the first start by the `/kpi alert add` command code on
// the same store (as on Monday 08:30), which saves the suite a start of the app; the command
// through Slack is in the other alert e2e files, its condition words in cycle-conditions.test.ts.
//
// Data: the demo data set's revenue and ad spend (src/demo/generate.ts, the 64 days to Monday
// 2026-11-30: 8 weeks of its weekly seasonality and the week after) plus two planted things:
//   - google-ads revenue six times the usual on Monday 2026-11-30 (the spike);
//   - campaign spring-test (channel email, which has no ad spend in the demo): Saturday 28th
//     6 000 kr spend, 24 000 kr revenue (4.0×); Sunday 29th 200 kr, 100 kr (0.5×, −87.5 %);
//     Monday 30th 6 000 kr, 24 000 kr again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlertCommand } from '../../src/alerts/commands.ts';
import { DEFAULT_ANOMALY_K } from '../../src/alerts/condition.ts';
import { generateDemoFacts } from '../../src/demo/generate.ts';
import { expectedRange, seasonalPeriods } from '../../src/kpi/baseline.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { FactInput, Period } from '../../src/kpi/types.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { alertDeps } from '../alerts/helpers.ts';
import {
  type AppProcess,
  exitReport,
  standinEnv,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import {
  type RecordedCall,
  type SlackStandin,
  startSlackStandin,
} from '../helpers/slack-standin.ts';

const SIGNING_SECRET = 'conditions-e2e-signing-secret-51d0';
const BOT_TOKEN = 'xoxb-4242-7777-conditionse2etoken';
const ADMIN = 'U0ADMIN';
const MARKETING = 'C0MARKETING';
const SPIKE_DAY = '2026-11-30';
/** a1, a2, a3. */
const RULES = [
  'roas is anomalous over last-7-days channel=google-ads in #marketing',
  'roas drops 20% vs previous over yesterday campaign=spring-test when ad_spend >= 5000 kr in #marketing',
  'roas drops 20% vs previous over yesterday campaign=spring-test in #marketing',
];

function plantedFacts(): FactInput[] {
  // The 8 weeks before the first window checked (23–29 November), and both windows: 64 days.
  // Only ROAS's measures, to keep the store small.
  const demo = generateDemoFacts({ end: SPIKE_DAY, days: 64 })
    .filter((f) => f.measure === 'revenue' || f.measure === 'ad_spend')
    .map((f) =>
      f.day === SPIKE_DAY && f.channel === 'google-ads' && f.measure === 'revenue'
        ? { ...f, value: f.value * 6 }
        : f,
    );
  const spring = (day: string, spend: number, revenue: number): FactInput[] => [
    { day, measure: 'ad_spend', value: spend, channel: 'email', campaign: 'spring-test' },
    { day, measure: 'revenue', value: revenue, channel: 'email', campaign: 'spring-test' },
  ];
  return [
    ...demo,
    ...spring('2026-11-28', 6000, 24000),
    ...spring('2026-11-29', 200, 100),
    ...spring('2026-11-30', 6000, 24000),
  ];
}

/** google-ads ROAS over `p`, summed straight from the facts (not by the KPI engine). */
function googleRoas(facts: readonly FactInput[], p: Pick<Period, 'start' | 'end'>): number {
  let revenue = 0;
  let spend = 0;
  for (const f of facts) {
    if (f.channel !== 'google-ads' || f.day < p.start || f.day > p.end) continue;
    if (f.measure === 'revenue') revenue += f.value;
    if (f.measure === 'ad_spend') spend += f.value;
  }
  return revenue / spend;
}

const slackText = (typed: string) =>
  typed
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/#marketing\b/, `<#${MARKETING}|marketing>`);
const blocksText = (call: RecordedCall) => JSON.stringify(call.body.blocks ?? []);

describe('alert conditions and the volume guard, app as a process', () => {
  let workDir: string;
  let dataDir: string;
  let standin: SlackStandin;
  let app: AppProcess | undefined;
  const facts = plantedFacts();

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'kpibot-conditions-e2e-'));
    dataDir = join(workDir, 'data');
    const db = await openStore({ dataDir });
    await upsertFacts(db, facts, { source: 'test' });
    const deps = alertDeps(db, () => new Date('2026-11-30T07:30:00Z'));
    const admin = { userId: ADMIN, channelId: MARKETING, isAdmin: async () => true };
    for (const rule of RULES) {
      const added = JSON.stringify(
        await runAlertCommand(slackText(`alert add ${rule}`), admin, deps),
      );
      expect(added).toContain('added');
    }
    await db.close();
    standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  });

  afterAll(async () => {
    await stopAppProcess(app);
    await standin?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  async function start(now: string): Promise<AppProcess> {
    app = startAppProcess(
      standinEnv(
        { apiUrl: standin.apiUrl },
        { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
        {
          KPIBOT_DATA_DIR: dataDir,
          KPIBOT_NOW: now,
          KPIBOT_ADMINS: ADMIN,
          KPIBOT_LOCALE: 'en-US',
          KPIBOT_CURRENCY: 'SEK',
          KPIBOT_TIMEZONE: 'Europe/Stockholm',
          LOG_LEVEL: 'info',
        },
      ),
      workDir,
    );
    await app.ready;
    standin.eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
    return app;
  }

  async function stop(): Promise<void> {
    const running = app;
    app = undefined;
    await stopAppProcess(running);
    expect(await running?.exited, exitReport(running)).toBe(0);
  }

  /** The catch-up cycle's report line (pino JSON), once the app has logged it. */
  async function cycleDone(running: AppProcess): Promise<{ notifications: number }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const line = running
        .output()
        .split('\n')
        .find((l) => l.startsWith('{') && l.includes('"msg":"alerts: cycle done"'));
      if (line) return JSON.parse(line) as { notifications: number };
      if (Date.now() > deadline) throw new Error(`no cycle within 20 s:\n${running.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The first `count` successful calls of `method` after `afterSeq`, waited for one by one. */
  async function delivered(
    method: string,
    afterSeq: number,
    count: number,
  ): Promise<RecordedCall[]> {
    const calls: RecordedCall[] = [];
    let seq = afterSeq;
    for (let i = 0; i < count; i++) {
      const call = await standin.waitForApi(method, { afterSeq: seq, timeoutMs: 15_000 });
      calls.push(call);
      seq = call.seq;
    }
    return calls;
  }

  async function kpi(text: string): Promise<string> {
    const sent = await standin.slashCommand(slackText(text), { userId: ADMIN });
    expect(sent.status).toBe(200);
    const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
    return blocksText(reply);
  }

  // Monday 09:05: the anomaly rule sees 23–29 November against the 8 weeks before; the change
  // rules see Sunday the 29th (0.5×) against Saturday (4.0×).
  it('Monday 09:05: silent on the demo’s seasonality; the guard holds the 200 kr day, its twin fires', async () => {
    const before = standin.calls.at(-1)?.seq ?? 0;
    const running = await start('2026-11-30T09:05:00+01:00');
    const cycle = await cycleDone(running);
    expect(cycle.notifications).toBe(1);
    const [alert] = await delivered('chat.postMessage', before, 1);
    expect(alert!.body.channel).toBe(MARKETING);
    // a3: checked against 4.0 − 0.2 × 4.0 = 3.2×; (0.5 − 4) / 4 = −87.5 %, shown −88%.
    expect(String(alert!.body.text)).toContain(
      'ROAS is 0.5× over yesterday, at or below the threshold 3.2×',
    );
    expect(blocksText(alert!)).toContain('−88% vs the previous period (4.0× → 0.5×)');
    expect(blocksText(alert!)).toContain('Rule `a3`');

    const listed = await kpi('alerts');
    expect(listed).toContain(
      'ROAS drops 20.0% vs previous over yesterday, campaign=spring-test, when ad_spend ≥ SEK\u00a05,000',
    );
    // a1 checked and ok, at google-ads' ROAS of 23–29 November, summed from the facts.
    const week = googleRoas(facts, { start: '2026-11-23', end: '2026-11-29' });
    const f = createFormatter({ locale: 'en-US', currency: 'SEK' });
    expect(listed).toContain(
      `over last-7-days, channel=google-ads → <#${MARKETING}> — ok ${f.value(week, 'multiple')}\\n`,
    );
    expect(listed).toContain('— not checked: ad_spend SEK\u00a0200, checked from ≥ SEK\u00a05,000');
    expect(listed).toMatch(/\*a3\* .* — \*firing\* 0\.5×/);
    await stop();
  });

  // Tuesday 09:05: 24–30 November holds the spike. a3's campaign is back at 4.0× (resolved, in
  // its thread); a2 passes its guard (6 000 kr) and rose, so it stays quiet.
  it('Tuesday 09:05: the anomaly rule fires on the spike, with the expected range', async () => {
    const before = standin.calls.at(-1)?.seq ?? 0;
    const running = await start('2026-12-01T09:05:00+01:00');
    const cycle = await cycleDone(running);
    // a1 fires; a3 resolves (a reply and an update of its alert).
    expect(cycle.notifications).toBe(3);
    const calls = await delivered('chat.postMessage', before, 2);
    await delivered('chat.update', before, 1);
    const topLevel = calls.filter((c) => c.body.thread_ts === undefined);
    expect(topLevel).toHaveLength(1);
    const anomaly = topLevel[0]!;

    // Independently: google-ads ROAS of 24–30 November and of the 8 weeks before it.
    const window: Period = {
      phrase: 'last-7-days',
      label: '',
      grain: 'days',
      start: '2026-11-24',
      end: SPIKE_DAY,
    };
    const got = googleRoas(facts, window);
    const range = expectedRange(
      seasonalPeriods(window).map((p) => googleRoas(facts, p)),
      DEFAULT_ANOMALY_K,
    )!;
    expect(got).toBeGreaterThan(range.high);
    const f = createFormatter({ locale: 'en-US', currency: 'SEK' });
    const line = `Expected ${f.value(range.low, 'multiple')}–${f.value(range.high, 'multiple')} (from the same days of the previous 8 weeks), got ${f.value(got, 'multiple')}`;
    expect(blocksText(anomaly)).toContain(line);
    expect(blocksText(anomaly)).toContain(`is above ${f.value(range.high, 'multiple')}`);
    // The week before the spike was inside its range (the Monday check above said nothing).
    const quiet = { ...window, start: addDays(window.start, -1), end: addDays(window.end, -1) };
    const quietRange = expectedRange(
      seasonalPeriods(quiet).map((p) => googleRoas(facts, p)),
      DEFAULT_ANOMALY_K,
    )!;
    expect(googleRoas(facts, quiet)).toBeLessThan(quietRange.high);
    expect(googleRoas(facts, quiet)).toBeGreaterThan(quietRange.low);
    await stop();
  });
});
