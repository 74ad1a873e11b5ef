// Benchmark of the alert cycle: 1,000 rules over a given store (varied KPIs, windows, filters
// and breakdowns), one evaluation cycle, timed, with the number of SQL statements it issued
// (measures are fetched in batches, not per rule). Targets: 1,000 rules ≤ 1 s, 10,000 ≤ 5 s. Prints; asserts nothing.
//
// `benchAlerts(db)` adds its rules (ids `bench-…`) and removes them again afterwards.
// Run alone on a small demo store: node bin/run-ts.js bench/alerts.ts [rules]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CycleReport, runAlertCycle } from '../src/alerts/cycle.ts';
import type { AlertDeps } from '../src/alerts/deps.ts';
import type { AlertRule } from '../src/alerts/rule.ts';
import { defaultHysteresis } from '../src/alerts/threshold.ts';
import { generateDemoFacts, seededRandom } from '../src/demo/generate.ts';
import { buildCatalog } from '../src/kpi/catalog.ts';
import { BUILT_IN_CHANNELS } from '../src/kpi/channels.ts';
import { evaluateKpi, isAdditiveTotal, requiredMeasures } from '../src/kpi/evaluate.ts';
import { createFormatter } from '../src/kpi/format.ts';
import { addDays } from '../src/kpi/periods.ts';
import type { Dimension, Filters } from '../src/kpi/types.ts';
import { createLogger } from '../src/logger.ts';
import { type Db, openStore } from '../src/store/db.ts';
import { aggregateMeasures, listDimensionValues, upsertFacts } from '../src/store/facts.ts';
import { peakRssMb } from './measure.ts';
import { buildMillionStore } from './million.ts';
import { score } from './scoreboard.ts';

const WINDOWS = ['last-7-days', 'last-week', 'last-30-days', 'last-month', 'mtd'];
const PREFIX = 'bench-';

export interface BenchAlertsOptions {
  rules?: number;
  /** Print each cycle's figures (default true). */
  print?: boolean;
}

/** One evaluation cycle of `rules` (1,000) alert rules over `db`; returns the cycle's report. */
export async function benchAlerts(db: Db, opts: BenchAlertsOptions = {}): Promise<CycleReport> {
  const count = opts.rules ?? 1000;
  const print = opts.print ?? true;
  const built = buildCatalog({});
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const catalog = built.catalog;
  const [last] = await db.query<{ day: string | null }>(
    'select max(last_day)::text as day from measure_freshness',
  );
  if (!last?.day) throw new Error('benchAlerts: the store has no facts');
  // The morning after the last day of data, 09:00 in Stockholm (the default schedule).
  const firstCycle = new Date(`${addDays(last.day, 1)}T08:00:00Z`);
  const deps: AlertDeps = {
    db,
    catalog,
    channels: BUILT_IN_CHANNELS,
    format: createFormatter({ locale: 'sv-SE', currency: 'SEK' }),
    logger: createLogger('silent'),
    now: () => firstCycle,
    config: {
      timeZone: 'Europe/Stockholm',
      weekStartsOn: 1,
      locale: 'sv-SE',
      currency: 'SEK',
      businessModel: 'ecommerce',
    },
  };

  // KPIs the store can answer, each with its value over the last 30 days to set thresholds
  // around (so that some rules fire and some do not, as in real life).
  const present = new Set(
    (await db.query<{ measure: string }>('select distinct measure from measure_freshness')).map(
      (r) => r.measure,
    ),
  );
  // Ratios (ROAS, CPC, CTR, churn…): their usual value does not depend on the window's length
  // or the group's size, so one threshold per KPI means the same everywhere.
  const kpis = catalog
    .list()
    .filter(
      (k) =>
        !k.filter &&
        !isAdditiveTotal(catalog, k.id) &&
        requiredMeasures(catalog, k.id).measures.every((m) => present.has(m)),
    );
  const range = { start: addDays(last.day, -29), end: last.day };
  const measures = [...new Set(kpis.flatMap((k) => requiredMeasures(catalog, k.id).measures))];
  const totals = await aggregateMeasures(db, { measures, periods: [range] });
  const values = new Map(totals.map((r) => [r.measure, r.agg]));
  const typical = new Map(kpis.map((k) => [k.id, evaluateKpi(catalog, k.id, values) ?? 1]));
  const channels = await listDimensionValues(db, 'channel');

  const rand = seededRandom(7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rules: AlertRule[] = [];
  for (let i = 0; i < count; i++) {
    const kpi = pick(kpis);
    const r = rand();
    const groupBy: Dimension | undefined = r < 0.6 ? undefined : r < 0.9 ? 'channel' : 'campaign';
    const filters: Filters =
      rand() < 0.3 && channels.length > 0 ? { channel: [pick(channels)] } : {};
    // A floor below (or a ceiling above) the usual value: most checks pass, some breach.
    const margin = rand() * 0.4 - 0.05;
    const factor = kpi.good === 'down' ? 1 + margin : 1 - margin;
    const threshold = Number(((typical.get(kpi.id) ?? 1) * factor).toPrecision(3));
    rules.push({
      id: `${PREFIX}${String(i).padStart(4, '0')}`,
      kpi: kpi.id,
      comparator: kpi.good === 'down' ? '>' : '<',
      threshold,
      window: pick(WINDOWS),
      filters,
      ...(groupBy ? { groupBy } : {}),
      channel: 'C0BENCH',
      schedule: '0 9 * * *',
      for: 1,
      repeatIntervalMinutes: 1440,
      hysteresis: defaultHysteresis(threshold),
      paused: false,
      createdBy: 'UBENCH',
      createdAt: new Date(firstCycle.getTime() - 86_400_000).toISOString(),
    });
  }
  await cleanUp(db);
  await db.query(
    `insert into alert_rules (id, source, definition, paused, created_by, created_at, updated_at)
     select r.doc->>'id', 'slack', r.doc - 'id' - 'createdBy' - 'createdAt', false,
       r.doc->>'createdBy', (r.doc->>'createdAt')::timestamptz, now()
     from jsonb_array_elements($1::jsonb) as r(doc)`,
    [JSON.stringify(rules)],
  );

  try {
    const cpu = { first: 0, second: 0 };
    let c0 = process.cpuUsage();
    const first = await runAlertCycle(deps, firstCycle);
    cpu.first = cpuMs(process.cpuUsage(c0));
    // The next morning: states exist, some alerts are firing already.
    c0 = process.cpuUsage();
    const second = await runAlertCycle(deps, new Date(firstCycle.getTime() + 86_400_000));
    cpu.second = cpuMs(process.cpuUsage(c0));
    if (print) {
      console.log(
        `\n## Alerts: one evaluation cycle of ${count.toLocaleString('en-US')} rules (${db.dialect})`,
      );
      console.log(
        '| cycle | rules | evaluations (rule × group) | notifications | SQL statements | ms | CPU ms |',
      );
      console.log('|---|---|---|---|---|---|---|');
      for (const [name, r, c] of [
        ['first (no state yet)', first, cpu.first],
        ['next day', second, cpu.second],
      ] as const) {
        console.log(
          `| ${name} | ${r.rules} | ${r.evaluated} | ${r.notifications} | ${r.queries} | ${r.ms} | ${c} |`,
        );
      }
      const kinds = (r: CycleReport) => {
        const counts = new Map<string, number>();
        for (const t of r.transitions) {
          if (t.notify) counts.set(t.notify, (counts.get(t.notify) ?? 0) + 1);
        }
        return [...counts].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
      };
      console.log(`notifications: first ${kinds(first)}; next day ${kinds(second)}`);
      const targetMs = count > 1000 ? 5000 : 1000;
      console.log(`target ≤ ${targetMs} ms per cycle · peak RSS ${peakRssMb()} MB`);
      score({
        measure: `alert cycle, ${count.toLocaleString('en-US')} rules (${db.dialect}), first / next day`,
        figure: `${first.ms} / ${second.ms} ms`,
        ratio: Math.max(first.ms, second.ms) / targetMs,
        target: `≤ ${targetMs} ms`,
        met: Math.max(first.ms, second.ms) <= targetMs,
      });
    }
    return first;
  } finally {
    await cleanUp(db);
  }
}

/** CPU time of this process (PGlite runs in it, so its work counts too). */
function cpuMs(usage: NodeJS.CpuUsage): number {
  return Math.round((usage.user + usage.system) / 1000);
}

async function cleanUp(db: Db): Promise<void> {
  await db.query(`delete from outbox where idempotency_key like $1`, [`alert:${PREFIX}%`]);
  await db.query('delete from alert_rules where id like $1', [`${PREFIX}%`]);
}

/** Two years of the demo data (~50,000 facts). */
async function demoStore(dir: string): Promise<Db> {
  const db = await openStore({ dataDir: join(dir, 'db') });
  const end = addDays(new Date().toISOString().slice(0, 10), -1);
  const facts = generateDemoFacts({ end, days: 730 });
  await upsertFacts(db, facts, { source: 'demo' });
  console.log(`demo store: ${facts.length.toLocaleString('en-US')} facts`);
  return db;
}

/**
 * `npm run bench -- alerts` and running this file alone:
 *   node bin/run-ts.js bench/alerts.ts [--rules N]               a small demo store
 *   node bin/run-ts.js bench/alerts.ts --million [--rules N]     the 1,000,000-fact store
 *   node bin/run-ts.js bench/alerts.ts <data-dir> [--rules N]    a store you prepared
 */
export async function benchAlertsCli(args: readonly string[] = []): Promise<void> {
  const at = args.indexOf('--rules');
  const rules = at >= 0 ? Number(args[at + 1]) : 1000;
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rules');
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-bench-alerts-'));
  try {
    const db = positional[0]
      ? await openStore({ dataDir: resolve(positional[0]) })
      : args.includes('--million')
        ? await openStore({ dataDir: await buildMillionStore(dir) })
        : await demoStore(dir);
    try {
      await benchAlerts(db, { rules });
    } finally {
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  await benchAlertsCli(process.argv.slice(2));
}
