// Benchmark of the foundation: on the 1M-fact store (million.ts), time `ask` against the bare
// SQL that returns the same numbers over the table the engine itself reads (daily_totals for
// totals and channels, facts for campaigns and snapshots), and check they are the same. Then the
// same on a PostgreSQL server (TEST_DATABASE_URL or DATABASE_URL; the 1M CSV imported into a
// schema of its own, timed: the server's long-CSV import row), and the peer: DuckDB on the same
// rows, when `@duckdb/node-api` is installed (npm i --no-save @duckdb/node-api; the product does
// not depend on it). Prints figures and ratios; asserts nothing about time.

import { randomBytes } from 'node:crypto';
import { importCsv } from '../src/ingest/import.ts';
import { buildCatalog } from '../src/kpi/catalog.ts';
import { createFormatter } from '../src/kpi/format.ts';
import { addDays, type PeriodContext, parsePeriod, previousPeriod } from '../src/kpi/periods.ts';
import type { Dimension } from '../src/kpi/types.ts';
import type { AskResult } from '../src/query/answer.ts';
import { type AskQuery, ask } from '../src/query/ask.ts';
import { type Db, openStore } from '../src/store/db.ts';
import { median, peakRssMb, timeIt } from './measure.ts';
import { MILLION_END, millionCsvOf } from './million.ts';
import { notMeasured, score } from './scoreboard.ts';

const RATIO_TARGET = 1.5;
const PEER_RATIO_TARGET = 3;
const PG_IMPORT_TARGET = 150_000;

type Bounds = Array<{ start: string; endExclusive: string }>;
type BareRow = { idx: number; key: string; value: number | null };

interface Case {
  question: string;
  kpi: string;
  phrase: string;
  groupBy?: Dimension;
  compare?: boolean;
  /** Bare SQL over the table the engine reads for this question: one row per period and group. */
  bare: (db: Db, periods: Bounds) => Promise<BareRow[]>;
}

/** ROAS as a ratio of sums per period (and group), over `table` with its sum column. */
function roasSql(table: 'facts' | 'daily_totals', group?: Dimension) {
  const total = table === 'facts' ? 'value' : 'total';
  const key = group ?? `''`;
  return (db: Db, periods: Bounds) => {
    const params: string[] = [];
    const branches = periods.map((p, i) => {
      params.push(p.start, p.endExclusive);
      return `select ${i} as idx, ${key} as key, measure, ${total} as v from ${table}
        where measure in ('revenue', 'ad_spend') and day >= $${params.length - 1}::date and day < $${params.length}::date`;
    });
    return db.query<BareRow>(
      `select idx, key, sum(v) filter (where measure = 'revenue') / nullif(sum(v) filter (where measure = 'ad_spend'), 0) as value
         from (${branches.join(' union all ')}) x group by idx, key`,
      params,
    );
  };
}

const CASES: Case[] = [
  { question: 'roas last-week', kpi: 'roas', phrase: 'last-week', bare: roasSql('daily_totals') },
  {
    question: 'roas last-week by channel',
    kpi: 'roas',
    phrase: 'last-week',
    groupBy: 'channel',
    bare: roasSql('daily_totals', 'channel'),
  },
  {
    question: 'roas last-week by campaign',
    kpi: 'roas',
    phrase: 'last-week',
    groupBy: 'campaign',
    bare: roasSql('facts', 'campaign'),
  },
  {
    question: 'roas last-year by channel',
    kpi: 'roas',
    phrase: 'last-year',
    groupBy: 'channel',
    bare: roasSql('daily_totals', 'channel'),
  },
  {
    question: 'roas last-year by campaign',
    kpi: 'roas',
    phrase: 'last-year',
    groupBy: 'campaign',
    bare: roasSql('facts', 'campaign'),
  },
  {
    question: 'roas last-7-days vs previous',
    kpi: 'roas',
    phrase: 'last-7-days',
    compare: true,
    bare: roasSql('daily_totals'),
  },
  {
    // A snapshot measure (active customers: the opening value), which only facts can give.
    question: 'churn_rate last-month',
    kpi: 'churn_rate',
    phrase: 'last-month',
    bare: (db, [p]) =>
      db.query<BareRow>(
        `select 0 as idx, '' as key, (select sum(value) from facts where measure = 'churned_customers' and day >= $1 and day < $2)
              / nullif((select sum(value) from (select distinct on (channel, campaign) value from facts
                 where measure = 'active_customers' and day >= $1 and day < $2 order by channel, campaign, day) o), 0) as value`,
        [p?.start, p?.endExclusive],
      ),
  },
];

const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

/** The engine's numbers (value, comparison, groups) equal the bare rows, and no row is left over. */
function sameNumbers(result: AskResult, bare: readonly BareRow[]): boolean {
  const answer = result.answers[0];
  if (!answer) return false;
  const engine: BareRow[] = answer.breakdown
    ? answer.breakdown.groups.map((g) => ({ idx: 0, key: g.key, value: g.value }))
    : [{ idx: 0, key: '', value: answer.value }];
  if (answer.comparison) engine.push({ idx: 1, key: '', value: answer.comparison.value });
  const found = (idx: number, key: string) =>
    bare.find((r) => r.idx === idx && r.key === key)?.value ?? null;
  return (
    engine.length === bare.length &&
    engine.every((e) => {
      const b = found(e.idx, e.key);
      return close(e.value, b === null ? null : Number(b));
    })
  );
}

interface Prepared {
  c: Case;
  query: AskQuery;
  bounds: Bounds;
}

function prepareCases(): { deps: Omit<Parameters<typeof ask>[2], 'db'>; cases: Prepared[] } {
  const built = buildCatalog();
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const ctx: PeriodContext = {
    now: new Date(`${MILLION_END}T12:00:00Z`),
    timeZone: 'Europe/Stockholm',
    weekStartsOn: 1,
  };
  const cases = CASES.map((c) => {
    const resolved = parsePeriod(c.phrase, ctx);
    if (!resolved.ok) throw new Error(resolved.error);
    const period = resolved.period;
    const against = c.compare ? previousPeriod(period) : undefined;
    const kpi = built.catalog.get(c.kpi);
    if (!kpi) throw new Error(`no KPI ${c.kpi}`);
    const query: AskQuery = {
      kpis: [kpi],
      period,
      ...(against ? { compare: { against: 'previous', period: against } } : {}),
      ...(c.groupBy ? { groupBy: c.groupBy } : {}),
      filters: {},
      withHistory: false,
    };
    const bounds = [period, ...(against ? [against] : [])].map((p) => ({
      start: p.start,
      endExclusive: addDays(p.end, 1),
    }));
    return { c, query, bounds };
  });
  return {
    deps: {
      catalog: built.catalog,
      format: createFormatter({ locale: 'sv-SE', currency: 'SEK' }),
      businessModel: 'ecommerce' as const,
    },
    cases,
  };
}

async function runCases(db: Db, store: string): Promise<void> {
  const { deps, cases } = prepareCases();
  const full = { ...deps, db };
  console.log(
    `| question (${store}) | engine p50 ms | bare SQL p50 ms (the table the engine reads) | ratio (target ≤ ${RATIO_TARGET}) | engine as /kpi asks (with 8 periods of history) p50 ms | same numbers |`,
  );
  console.log('|---|---|---|---|---|---|');
  for (const { c, query, bounds } of cases) {
    const engine = median(await timeIt(25, () => ask(c.question, query, full)));
    const bare = median(await timeIt(25, () => c.bare(db, bounds)));
    const withHistory = { ...query, withHistory: true };
    const asked = median(await timeIt(10, () => ask(c.question, withHistory, full)));
    const same = sameNumbers(await ask(c.question, query, full), await c.bare(db, bounds));
    const ratio = engine / bare;
    console.log(
      `| ${c.question} | ${engine.toFixed(2)} | ${bare.toFixed(2)} | ${ratio.toFixed(2)} | ${asked.toFixed(2)} | ${same ? 'yes' : 'NO'} |`,
    );
    score({
      measure: `engine ÷ bare SQL, ${c.question} (${store})`,
      figure: `${engine.toFixed(2)} ms${same ? '' : ' (NUMBERS DIFFER)'}`,
      against: `${bare.toFixed(2)} ms bare SQL`,
      ratio,
      target: `≤ ${RATIO_TARGET}`,
      met: same && ratio <= RATIO_TARGET,
    });
  }
}

/** The 1M CSV into a schema of its own on the server: the server's long-CSV import row. */
async function withServerStore(
  databaseUrl: string,
  csv: string,
  fn: (db: Db) => Promise<void>,
): Promise<void> {
  const schema = `bench_engine_${randomBytes(4).toString('hex')}`;
  const db = await openStore({ databaseUrl, dataDir: '', schema });
  try {
    const started = performance.now();
    const report = await importCsv(db, { path: csv }, {});
    const seconds = (performance.now() - started) / 1000;
    const perS = report.factsWritten / seconds;
    console.log(
      `\nPostgreSQL server: imported ${report.factsWritten.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s = ${Math.round(perS).toLocaleString('en-US')} rows/s`,
    );
    score({
      measure: 'long CSV import, 1M rows, PostgreSQL server',
      figure: `${Math.round(perS).toLocaleString('en-US')} rows/s`,
      ratio: perS / PG_IMPORT_TARGET,
      target: `≥ ${PG_IMPORT_TARGET.toLocaleString('en-US')} rows/s`,
      met: perS >= PG_IMPORT_TARGET,
    });
    await db.exec('analyze');
    const [size] = await db.query<{ bytes: string }>(
      `select sum(pg_total_relation_size(c.oid))::text as bytes from pg_class c
         join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'm')`,
      [schema],
    );
    const mb = Number(size?.bytes ?? 0) / 1e6;
    console.log(`disk: ${mb.toFixed(0)} MB in the schema's tables and their indexes`);
    score({
      measure: 'disk for 1M facts, PostgreSQL server (tables + indexes)',
      figure: `${mb.toFixed(0)} MB`,
      ratio: mb / 150,
      target: '≤ 150 MB',
      met: mb <= 150,
    });
    await fn(db);
  } finally {
    await db.exec(`drop schema if exists "${schema}" cascade`);
    await db.close();
  }
}

/** The minimal surface of @duckdb/node-api this bench uses (the package is optional). */
interface DuckConnection {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRowObjects(): Array<Record<string, unknown>> }>;
  closeSync(): void;
}
interface DuckModule {
  DuckDBInstance: { create(path: string): Promise<{ connect(): Promise<DuckConnection> }> };
}

async function loadDuckDb(): Promise<DuckModule | undefined> {
  const name = '@duckdb/node-api'; // a variable: the package is optional, not a dependency
  try {
    return (await import(name)) as DuckModule;
  } catch {
    return undefined;
  }
}

/** Year by campaign on DuckDB over the same CSV rows, against the engine on PGlite. */
async function benchPeer(csv: string, pglite: Db): Promise<void> {
  const measure = 'year by campaign: engine (PGlite) ÷ DuckDB on the same rows';
  const duck = await loadDuckDb();
  if (!duck) {
    console.log('\nDuckDB peer: not installed (npm i --no-save @duckdb/node-api to measure it)');
    notMeasured(measure, `≤ ${PEER_RATIO_TARGET}× DuckDB`, 'DuckDB not installed');
    return;
  }
  const { deps, cases } = prepareCases();
  const yearByCampaign = cases.find((p) => p.c.question === 'roas last-year by campaign');
  if (!yearByCampaign) throw new Error('no year-by-campaign case');
  const conn = await (await duck.DuckDBInstance.create(':memory:')).connect();
  try {
    await conn.run(
      `create table facts as select * from read_csv('${csv.replaceAll("'", "''")}', header = true, types = {'campaign': 'VARCHAR', 'channel': 'VARCHAR'})`,
    );
    const [p] = yearByCampaign.bounds;
    const sql = `select campaign as key, sum(value) filter (where measure = 'revenue') / nullif(sum(value) filter (where measure = 'ad_spend'), 0) as value
      from facts where measure in ('revenue', 'ad_spend') and date >= '${p?.start}' and date < '${p?.endExclusive}' group by campaign`;
    const peer = median(await timeIt(25, () => conn.runAndReadAll(sql)));
    const rows = (await conn.runAndReadAll(sql)).getRowObjects().map((r) => ({
      idx: 0,
      key: String(r.key),
      value: r.value === null ? null : Number(r.value),
    }));
    const full = { ...deps, db: pglite };
    const engine = median(
      await timeIt(25, () => ask(yearByCampaign.c.question, yearByCampaign.query, full)),
    );
    const same = sameNumbers(
      await ask(yearByCampaign.c.question, yearByCampaign.query, full),
      rows,
    );
    const ratio = engine / peer;
    console.log(
      `\nDuckDB peer, roas last-year by campaign: DuckDB ${peer.toFixed(2)} ms, engine on PGlite ${engine.toFixed(2)} ms, ratio ${ratio.toFixed(2)}, same numbers ${same ? 'yes' : 'NO'}`,
    );
    score({
      measure,
      figure: `${engine.toFixed(2)} ms${same ? '' : ' (NUMBERS DIFFER)'}`,
      against: `${peer.toFixed(2)} ms DuckDB`,
      ratio,
      target: `≤ ${PEER_RATIO_TARGET}`,
      met: same && ratio <= PEER_RATIO_TARGET,
    });
  } finally {
    conn.closeSync();
  }
}

/** Times `ask` against bare SQL on the 1M-fact store in `dataDir` (see million.ts). */
export async function benchEngine(dataDir: string): Promise<void> {
  console.log('\n## Foundation: ask vs bare SQL on 1M facts');
  const csv = millionCsvOf(dataDir);
  const db = await openStore({ dataDir });
  try {
    await runCases(db, 'PGlite');
    console.log(`peak RSS of this process so far: ${peakRssMb()} MB`);
    await benchPeer(csv, db);
  } finally {
    await db.close();
  }
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!databaseUrl) {
    console.log('PostgreSQL server: skipped (set TEST_DATABASE_URL or DATABASE_URL)');
    for (const c of CASES) {
      notMeasured(
        `engine ÷ bare SQL, ${c.question} (PostgreSQL)`,
        `≤ ${RATIO_TARGET}`,
        'no server URL',
      );
    }
    return;
  }
  await withServerStore(databaseUrl, csv, (pg) => runCases(pg, 'PostgreSQL'));
}
