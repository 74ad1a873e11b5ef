// Benchmark of the foundation: import ≈1,000,000 facts (5 years × 5 channels × 22 campaigns ×
// 5 measures, plus two daily measures per channel) through the user's import path, then time
// `ask` against the bare SQL aggregation that returns the same numbers. Prints; asserts nothing.

import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AskResult } from '../src/commands/answer.ts';
import { ask } from '../src/commands/ask.ts';
import { seededRandom } from '../src/demo/generate.ts';
import { importCsv } from '../src/ingest/import.ts';
import { buildCatalog } from '../src/kpi/catalog.ts';
import { createFormatter } from '../src/kpi/format.ts';
import { addDays, type PeriodContext, parsePeriod } from '../src/kpi/periods.ts';
import { type Db, openStore } from '../src/store/db.ts';
import { vacuumFacts } from '../src/store/facts.ts';
import { median, peakRssMb, timeIt } from './measure.ts';

const CHANNELS = ['google-ads', 'meta', 'organic', 'email', 'direct'];
const CAMPAIGNS_PER_CHANNEL = 22;
const YEARS = 5;
const END = '2026-11-21';

/** Writes the benchmark data set as a long-format CSV, the format users import. */
export async function writeCsv(path: string): Promise<number> {
  const out = createWriteStream(path);
  const rand = seededRandom(42);
  const days = Math.round(YEARS * 365.25);
  let rows = 0;
  const write = async (line: string) => {
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  };
  await write('date,measure,value,channel,campaign\n');
  for (let i = days - 1; i >= 0; i--) {
    const day = addDays(END, -i);
    for (const channel of CHANNELS) {
      for (let c = 0; c < CAMPAIGNS_PER_CHANNEL; c++) {
        const campaign = `c${String(c).padStart(2, '0')}`;
        const spend = Math.round(200 + rand() * 800);
        await write(`${day},ad_spend,${spend},${channel},${campaign}\n`);
        await write(
          `${day},revenue,${Math.round(spend * (1 + rand() * 6))},${channel},${campaign}\n`,
        );
        const clicks = Math.round(spend / (2 + rand() * 4));
        await write(`${day},clicks,${clicks},${channel},${campaign}\n`);
        await write(
          `${day},impressions,${clicks * Math.round(20 + rand() * 60)},${channel},${campaign}\n`,
        );
        await write(
          `${day},conversions,${Math.round(clicks * rand() * 0.05)},${channel},${campaign}\n`,
        );
      }
      await write(`${day},active_customers,${Math.round(2000 + rand() * 50)},${channel},\n`);
      await write(`${day},churned_customers,${Math.round(rand() * 4)},${channel},\n`);
    }
  }
  out.end();
  await once(out, 'finish');
  return rows - 1;
}

interface Case {
  question: string;
  kpi: string;
  phrase: string;
  groupBy?: 'channel';
  /** The same numbers straight from SQL: one row per group (`key` '' without a breakdown). */
  bare: (
    db: Db,
    start: string,
    endExclusive: string,
  ) => Promise<Array<{ key: string; value: number | null }>>;
}

const CASES: Case[] = [
  {
    question: 'roas last-week',
    kpi: 'roas',
    phrase: 'last-week',
    bare: (db, s, e) =>
      db.query(
        `select '' as key, sum(value) filter (where measure = 'revenue') / nullif(sum(value) filter (where measure = 'ad_spend'), 0) as value
           from facts where measure in ('revenue', 'ad_spend') and day >= $1 and day < $2`,
        [s, e],
      ),
  },
  {
    question: 'roas last-year by channel',
    kpi: 'roas',
    phrase: 'last-year',
    groupBy: 'channel',
    bare: (db, s, e) =>
      db.query(
        `select channel as key, sum(value) filter (where measure = 'revenue') / nullif(sum(value) filter (where measure = 'ad_spend'), 0) as value
           from facts where measure in ('revenue', 'ad_spend') and day >= $1 and day < $2 group by channel`,
        [s, e],
      ),
  },
  {
    question: 'churn_rate last-month',
    kpi: 'churn_rate',
    phrase: 'last-month',
    bare: (db, s, e) =>
      db.query(
        `select '' as key, (select sum(value) from facts where measure = 'churned_customers' and day >= $1 and day < $2)
              / nullif((select sum(value) from (select distinct on (channel, campaign) value from facts
                 where measure = 'active_customers' and day >= $1 and day < $2 order by channel, campaign, day) o), 0) as value`,
        [s, e],
      ),
  },
];

function sameNumbers(
  result: AskResult,
  bare: Array<{ key: string; value: number | null }>,
): boolean {
  const answer = result.answers[0];
  if (!answer) return false;
  const engine = answer.breakdown
    ? answer.breakdown.groups.map((g) => ({ key: g.key, value: g.value }))
    : [{ key: '', value: answer.value }];
  const close = (a: number | null, b: number | null) =>
    a === null || b === null ? a === b : Math.abs(a - Number(b)) <= 1e-9 * Math.max(1, Math.abs(a));
  return (
    engine.length === bare.length &&
    bare.every((row) =>
      close(
        engine.find((e) => e.key === row.key)?.value ?? null,
        row.value === null ? null : Number(row.value),
      ),
    )
  );
}

export async function benchEngine(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-bench-'));
  try {
    const csv = join(dir, 'facts.csv');
    const written = await writeCsv(csv);
    console.log(`\n## Foundation: 1M facts, ask vs bare SQL (PGlite, embedded)`);
    console.log(
      `generated ${written.toLocaleString('en-US')} facts (${(statSync(csv).size / 1e6).toFixed(0)} MB CSV)`,
    );

    const db = await openStore({ dataDir: join(dir, 'db') });
    const started = performance.now();
    const report = await importCsv(db, { path: csv }, {});
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `import (kpibot import's code path): ${report.factsWritten.toLocaleString('en-US')} facts in ${seconds.toFixed(1)} s = ${Math.round(report.factsWritten / seconds).toLocaleString('en-US')} rows/s; peak RSS so far ${peakRssMb()} MB`,
    );
    await vacuumFacts(db);

    const built = buildCatalog();
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const deps = {
      db,
      catalog: built.catalog,
      format: createFormatter({ locale: 'sv-SE', currency: 'SEK' }),
      businessModel: 'ecommerce' as const,
    };
    const ctx: PeriodContext = {
      now: new Date(`${END}T12:00:00Z`),
      timeZone: 'Europe/Stockholm',
      weekStartsOn: 1,
    };
    console.log(
      '| question | engine p50 ms | bare SQL p50 ms | ratio (target ≤ 1.3) | same numbers |',
    );
    console.log('|---|---|---|---|---|');
    for (const c of CASES) {
      const resolved = parsePeriod(c.phrase, ctx);
      if (!resolved.ok) throw new Error(resolved.error);
      const period = resolved.period;
      const kpi = built.catalog.get(c.kpi)!;
      const endExclusive = addDays(period.end, 1);
      const query = { kpis: [kpi], period, groupBy: c.groupBy, filters: {}, withHistory: false };
      const engine = await timeIt(25, () => ask(c.question, query, deps));
      const bare = await timeIt(25, () => c.bare(db, period.start, endExclusive));
      const same = sameNumbers(
        await ask(c.question, query, deps),
        await c.bare(db, period.start, endExclusive),
      );
      console.log(
        `| ${c.question} | ${median(engine).toFixed(2)} | ${median(bare).toFixed(2)} | ${(median(engine) / median(bare)).toFixed(2)} | ${same ? 'yes' : 'NO'} |`,
      );
    }
    console.log(`peak RSS (whole benchmark): ${peakRssMb()} MB`);
    await db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
