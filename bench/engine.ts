// Benchmark of the foundation: on the 1M-fact store (million.ts), time `ask` against the bare
// SQL aggregation that returns the same numbers, and check they are the same. Prints figures.

import { buildCatalog } from '../src/kpi/catalog.ts';
import { createFormatter } from '../src/kpi/format.ts';
import { addDays, type PeriodContext, parsePeriod } from '../src/kpi/periods.ts';
import type { AskResult } from '../src/query/answer.ts';
import { ask } from '../src/query/ask.ts';
import { type Db, openStore } from '../src/store/db.ts';
import { median, peakRssMb, timeIt } from './measure.ts';
import { MILLION_END } from './million.ts';

const END = MILLION_END;

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
  /** The same over daily_totals, the per-channel rollup the engine reads when it can. */
  bareRollup?: Case['bare'];
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
    bareRollup: (db, s, e) =>
      db.query(
        `select '' as key, sum(total) filter (where measure = 'revenue') / nullif(sum(total) filter (where measure = 'ad_spend'), 0) as value
           from daily_totals where measure in ('revenue', 'ad_spend') and day >= $1 and day < $2`,
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
    bareRollup: (db, s, e) =>
      db.query(
        `select channel as key, sum(total) filter (where measure = 'revenue') / nullif(sum(total) filter (where measure = 'ad_spend'), 0) as value
           from daily_totals where measure in ('revenue', 'ad_spend') and day >= $1 and day < $2 group by channel`,
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

/** Times `ask` against bare SQL on the 1M-fact store in `dataDir` (see million.ts). */
export async function benchEngine(dataDir: string): Promise<void> {
  console.log('\n## Foundation: ask vs bare SQL on 1M facts (PGlite, embedded)');
  const db = await openStore({ dataDir });
  try {
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
      '| question | engine p50 ms | bare SQL on facts p50 ms | ratio (target ≤ 1.3) | bare SQL on daily_totals p50 ms | ratio | same numbers |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const c of CASES) {
      const resolved = parsePeriod(c.phrase, ctx);
      if (!resolved.ok) throw new Error(resolved.error);
      const period = resolved.period;
      const kpi = built.catalog.get(c.kpi)!;
      const endExclusive = addDays(period.end, 1);
      const query = { kpis: [kpi], period, groupBy: c.groupBy, filters: {}, withHistory: false };
      const engine = await timeIt(25, () => ask(c.question, query, deps));
      const bare = await timeIt(25, () => c.bare(db, period.start, endExclusive));
      const rollup = c.bareRollup;
      const bareRollup = rollup
        ? await timeIt(25, () => rollup(db, period.start, endExclusive))
        : [];
      const answer = await ask(c.question, query, deps);
      const same =
        sameNumbers(answer, await c.bare(db, period.start, endExclusive)) &&
        (!rollup || sameNumbers(answer, await rollup(db, period.start, endExclusive)));
      const vsRollup = rollup
        ? `${median(bareRollup).toFixed(2)} | ${(median(engine) / median(bareRollup)).toFixed(2)}`
        : '– | –';
      console.log(
        `| ${c.question} | ${median(engine).toFixed(2)} | ${median(bare).toFixed(2)} | ${(median(engine) / median(bare)).toFixed(2)} | ${vsRollup} | ${same ? 'yes' : 'NO'} |`,
      );
    }
    console.log(`peak RSS of this process so far: ${peakRssMb()} MB`);
  } finally {
    await db.close();
  }
}
