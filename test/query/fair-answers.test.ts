// Answers that never mislead, on facts written by hand: a running period compared over the days
// both sides have data, no verdict on uneven coverage, floors on every breakdown row with the
// headline naming the groups below, and the all-channel ratio marked blended.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/registry.ts';
import { loadConfig } from '../../src/config.ts';
import type { FactInput } from '../../src/kpi/types.ts';
import { createLogger } from '../../src/logger.ts';
import type { AnswerOutcome } from '../../src/query/outcome.ts';
import { createServices, type Services } from '../../src/services.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import { eachDay } from '../helpers/calendar.ts';
import { createTestDb } from '../helpers/test-db.ts';

/** Thursday 3 December 2026; the data ends yesterday, the 2nd. */
const NOW = new Date('2026-12-03T09:00:00+01:00');

// Revenue on channel `shop`: 100 a day in November, 150 a day on 1–2 December.
// Week 48 (23–29 November), channel meta: campaign a spends 100 and earns 500 in all (5×),
// b spends 50 and earns 100 (2×), c spends 50 and earns 50 (1×), on the Monday only.
function facts(): FactInput[] {
  const out: FactInput[] = [];
  for (const day of eachDay('2026-11-01', '2026-11-30')) {
    out.push({ day, measure: 'revenue', value: 100, channel: 'shop', campaign: '' });
  }
  for (const day of ['2026-12-01', '2026-12-02']) {
    out.push({ day, measure: 'revenue', value: 150, channel: 'shop', campaign: '' });
  }
  for (const [campaign, spend, revenue] of [
    ['a', 100, 500],
    ['b', 50, 100],
    ['c', 50, 50],
  ] as const) {
    out.push({ day: '2026-11-23', measure: 'ad_spend', value: spend, channel: 'meta', campaign });
    out.push({ day: '2026-11-23', measure: 'revenue', value: revenue, channel: 'meta', campaign });
  }
  return out;
}

let services: Services;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpibot-fair-'));
  const config = loadConfig(
    { KPIBOT_DATA_DIR: join(dir, 'data'), KPIBOT_LOCALE: 'en-US', KPIBOT_CURRENCY: 'USD' },
    dir,
  );
  services = await createServices(config, createLogger('silent', 2), await createTestDb());
  await upsertFacts(services.db, facts(), { source: 'test' });
});

afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function answer(text: string): Promise<AnswerOutcome> {
  const outcome = await runCommand(text, { userId: 'U1', now: NOW }, services);
  if (outcome.kind !== 'answer') throw new Error(`${text}: ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('fair comparisons of a period in progress', () => {
  it('mtd vs previous compares 1–2 December with 1–2 November, and says so', async () => {
    const [a] = (await answer('revenue mtd vs previous')).result.answers;
    // Revenue here counts the meta campaigns too, but they are all in week 48, not in 1–2 Nov.
    expect(a?.period).toMatchObject({ start: '2026-12-01', end: '2026-12-02' });
    expect(a?.value).toBe(300);
    expect(a?.comparison).toMatchObject({
      period: { start: '2026-11-01', end: '2026-11-02' },
      value: 200,
      change: 100,
      changePct: 0.5,
      verdict: 'better',
      note: 'Compared over the days both periods have data: 2026-12-01 – 2026-12-02 against 2026-11-01 – 2026-11-02 (2026-12-03 has no data yet).',
    });
    expect(a?.comparison?.unevenCoverage).toBeUndefined();
  });

  it('vs last-year is cut the same way', async () => {
    const [a] = (await answer('revenue mtd vs last-year')).result.answers;
    expect(a?.comparison?.period).toMatchObject({ start: '2025-12-01', end: '2025-12-02' });
  });

  it('an explicit month against a whole one shows the change but judges nothing', async () => {
    const [a] = (await answer('revenue 2026-12 vs 2026-11')).result.answers;
    // 1–3 December has data on 2 of its 3 days; November on all 30.
    expect(a?.value).toBe(300);
    expect(a?.comparison).toMatchObject({
      value: 30 * 100 + 500 + 100 + 50,
      verdict: 'unknown',
      unevenCoverage:
        'not judged better or worse: December 2026 to date has data for 2 of 3 days, November 2026 for 30 of 30',
    });
  });
});

describe('floors on every breakdown row', () => {
  it('marks each campaign and names those below the floor in the headline', async () => {
    const [a] = (await answer('roas last-week by campaign')).result.answers;
    // All revenue in week 48 (the campaigns' 650 and the shop's 7 × 100) over all ad spend
    // (200): 6.75×, blended: more than any campaign earns on its own.
    expect(a?.value).toBe((650 + 700) / 200);
    expect(a?.blended).toBe(true);
    const rows = Object.fromEntries((a?.breakdown?.groups ?? []).map((g) => [g.key, g]));
    expect(rows.a?.benchmark?.short).toBe('meets floor');
    expect(rows.b?.benchmark?.short).toBe('below floor');
    expect(rows.c?.benchmark?.short).toBe('below floor');
    expect(a?.benchmark?.text).toBe(
      'blended 6.75× meets the 3× ROAS floor; 2 of 3 campaigns are below it: c 1.0×, b 2.0×',
    );
  });

  it('a filtered answer is not blended: meta alone earns 650 on 200', async () => {
    const [a] = (await answer('roas last-week channel=meta by campaign')).result.answers;
    expect(a?.blended).toBeUndefined();
    expect(a?.benchmark?.text).toBe(
      '3.25× meets the 3× ROAS floor; 2 of 3 campaigns are below it: c 1.0×, b 2.0×',
    );
  });
});
