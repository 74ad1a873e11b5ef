// Benchmark of getting data in (issue 4, item 6). Prints figures next to the targets; asserts
// nothing about time.
//   1. A generated 1,000,000-row wide CSV (date,channel,campaign + 5 measures, ≈ 60 MB) imported
//      through `kpibot import`'s code path (runImportCommand) into a fresh embedded store
//      (PGlite in a temp folder) and, when TEST_DATABASE_URL or DATABASE_URL is set, into the
//      Postgres server (a fresh schema, dropped afterwards). Each import runs in a child process
//      so that its peak RSS (process.resourceUsage().maxRSS) is its own.
//   2. The push API: 100 requests of 1,000 facts each over real HTTP (node:http on loopback)
//      against createPushHandler, one request at a time.
// Run alone: node bin/run-ts.js bench/ingest.ts

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { seededRandom } from '../src/demo/generate.ts';
import { runImportCommand } from '../src/ingest/cli.ts';
import type { ImportReport } from '../src/ingest/import.ts';
import { createPushHandler, PUSH_API_PATH } from '../src/ingest/push-api.ts';
import { openStore } from '../src/store/db.ts';
import { percentile } from './measure.ts';

const TARGET_ROWS_PER_S = 50_000;
const TARGET_RSS_MB = 400;

const DAYS = 2_000;
const CHANNELS = ['google-ads', 'meta', 'organic', 'email', 'direct'];
const CAMPAIGNS_PER_CHANNEL = 100; // 2,000 days × 5 channels × 100 campaigns = 1,000,000 rows
const FIRST_DAY = Date.UTC(2021, 0, 1);
const MEASURES = ['ad_spend', 'revenue', 'clicks', 'impressions', 'conversions'];
const MAP = `Day=date,Channel=channel,Campaign=campaign,Cost=ad_spend,Revenue=revenue,Clicks=clicks,Impressions=impressions,Conversions=conversions`;

const PUSH_REQUESTS = 100;
const PUSH_FACTS = 1_000;

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const isoDay = (i: number) => new Date(FIRST_DAY + i * 86_400_000).toISOString().slice(0, 10);

/** Writes the wide CSV (a Google-Ads-like export, one row per day, channel and campaign). */
export async function writeWideCsv(path: string, days = DAYS): Promise<number> {
  const out = createWriteStream(path);
  const rand = seededRandom(42); // the same file every run
  let rows = 0;
  let chunk = 'Day,Channel,Campaign,Cost,Revenue,Clicks,Impressions,Conversions\n';
  for (let d = 0; d < days; d++) {
    const day = isoDay(d);
    for (const channel of CHANNELS) {
      for (let c = 0; c < CAMPAIGNS_PER_CHANNEL; c++) {
        const spend = (200 + rand() * 800).toFixed(2);
        const revenue = (Number(spend) * (1 + rand() * 6)).toFixed(2);
        const clicks = Math.round(Number(spend) / (2 + rand() * 4));
        const impressions = clicks * Math.round(20 + rand() * 60);
        const conversions = Math.round(clicks * rand() * 0.05);
        chunk += `${day},${channel},campaign-${String(c).padStart(3, '0')},${spend},${revenue},${clicks},${impressions},${conversions}\n`;
        rows++;
      }
    }
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return rows;
}

// ---------------------------------------------------------------------------------------------
// One step (create the store, or import), in a child process

interface ChildArgs {
  csv: string;
  /** PGlite's folder; without databaseUrl. */
  dataDir?: string;
  databaseUrl?: string;
  /** Server only: the schema to use (created by the first step, dropped by `dropSchema`). */
  schema?: string;
  dropSchema?: boolean;
  /** Only open (and so create and migrate) the store. */
  createOnly?: boolean;
  dryRun?: boolean;
}

interface ChildResult {
  code: number;
  report?: ImportReport;
  openSeconds: number;
  importSeconds: number;
  /** CPU time (user + system) of the import alone, in seconds. */
  importCpuSeconds: number;
  rssAfterOpenMb: number;
  maxRssMb: number;
}

async function child(args: ChildArgs): Promise<void> {
  const t0 = performance.now();
  const db = await openStore({
    databaseUrl: args.databaseUrl,
    dataDir: args.dataDir ?? '',
    schema: args.schema,
  });
  const rssAfterOpenMb = process.memoryUsage().rss / 1024 / 1024;
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const out: string[] = [];
  let code = 0;
  try {
    if (!args.createOnly) {
      code = await runImportCommand(
        [args.csv, '--map', MAP, '--json', ...(args.dryRun ? ['--dry-run'] : [])],
        {
          db,
          stdout: (t) => out.push(t),
          stderr: (t) => process.stderr.write(t),
          progressStream: { isTTY: false, columns: 80, write: () => true },
        },
      );
    }
  } finally {
    if (args.schema && args.dropSchema) {
      await db.exec(`drop schema if exists "${args.schema}" cascade`);
    }
    await db.close();
  }
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const result: ChildResult = {
    code,
    report: args.createOnly ? undefined : (JSON.parse(out.join('')) as ImportReport),
    openSeconds: (t1 - t0) / 1000,
    importSeconds: (t2 - t1) / 1000,
    importCpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssAfterOpenMb,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`\n${JSON.stringify(result)}\n`);
}

function runChild(args: ChildArgs): Promise<ChildResult> {
  const runTs = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
  const self = fileURLToPath(import.meta.url);
  const proc = spawn(
    process.execPath,
    [...process.execArgv, runTs, self, '--child', JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (s: string) => {
    stdout += s;
  });
  return new Promise((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`bench child exited with ${code}: ${stdout}`));
      try {
        resolve(JSON.parse(last) as ChildResult);
      } catch {
        reject(new Error(`bench child printed no result: ${stdout}`));
      }
    });
  });
}

const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');

function printImport(label: string, r: ChildResult, rows: number, targets = true): void {
  const report = r.report;
  if (!report || r.code !== 0 || report.rowsRead !== rows) {
    console.log(`| ${label} | FAILED (exit ${r.code}): ${JSON.stringify(report?.rejected)} |`);
    return;
  }
  const facts = report.dryRun ? report.factsValid : report.factsWritten;
  const rowsPerS = report.rowsRead / r.importSeconds;
  const rowsNote = targets ? ` (${mark(rowsPerS >= TARGET_ROWS_PER_S)})` : '';
  const rssNote = targets ? ` (${mark(r.maxRssMb <= TARGET_RSS_MB)})` : '';
  console.log(
    `| ${label} | ${n(facts)} | ${r.importSeconds.toFixed(1)} | ${r.importCpuSeconds.toFixed(1)} | ${n(rowsPerS)}${rowsNote} | ${n(facts / r.importSeconds)} | ${n(r.rssAfterOpenMb)} | ${n(r.maxRssMb)}${rssNote} |`,
  );
}

async function benchImports(dir: string, csv: string, rows: number, databaseUrl?: string) {
  console.log(
    '| run | facts | s | CPU s (client) | rows/s | facts/s | RSS after open MB | peak RSS MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  const dataDir = join(dir, 'db');
  const created = await runChild({ csv, dataDir, createOnly: true });
  console.log(
    `| PGlite: create the store (initdb + migrations, once) | – | ${created.openSeconds.toFixed(1)} | – | – | – | ${n(created.rssAfterOpenMb)} | ${n(created.maxRssMb)} |`,
  );
  printImport(
    'PGlite: parse + validate only (--dry-run)',
    await runChild({ csv, dataDir, dryRun: true }),
    rows,
    false,
  );
  printImport('PGlite: import into the empty store', await runChild({ csv, dataDir }), rows);
  printImport(
    'PGlite: re-import (every fact upserted, unchanged)',
    await runChild({ csv, dataDir }),
    rows,
    false,
  );
  if (!databaseUrl) {
    console.log('| Postgres server | skipped: set TEST_DATABASE_URL or DATABASE_URL |');
    return;
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  try {
    printImport(
      'Postgres: import into an empty schema',
      await runChild({ csv, databaseUrl, schema }),
      rows,
    );
    printImport('Postgres: re-import', await runChild({ csv, databaseUrl, schema }), rows, false);
  } finally {
    await runChild({ csv, databaseUrl, schema, createOnly: true, dropSchema: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Push API

async function benchPush(label: string, open: () => ReturnType<typeof openStore>): Promise<void> {
  const db = await open();
  const token = randomBytes(16).toString('hex');
  const quiet = { info: () => {}, warn: () => {}, error: (o: object) => console.error(o) };
  const handler = createPushHandler({ db, token, logger: quiet });
  const server = createServer((req, res) => {
    if (req.url === PUSH_API_PATH) handler(req, res);
    else res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${PUSH_API_PATH}`;
  const bodies: string[] = [];
  for (let r = 0; r < PUSH_REQUESTS; r++) {
    const facts = [];
    for (let i = 0; i < PUSH_FACTS; i++) {
      const k = r * PUSH_FACTS + i;
      facts.push({
        date: isoDay(k % 365),
        measure: MEASURES[k % MEASURES.length],
        value: (k % 997) + 0.5,
        channel: CHANNELS[Math.floor(k / 365) % CHANNELS.length],
        campaign: `p${Math.floor(k / (365 * CHANNELS.length))}`,
      });
    }
    bodies.push(JSON.stringify({ facts }));
  }
  const latencies: number[] = [];
  let written = 0;
  try {
    const started = performance.now();
    for (const body of bodies) {
      const t = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      const json = (await res.json()) as { written?: number };
      latencies.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`push API answered ${res.status}`);
      written += json.written ?? 0;
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `| ${label} | ${PUSH_REQUESTS} × ${n(PUSH_FACTS)} | ${(PUSH_REQUESTS / seconds).toFixed(1)} | ${n(written / seconds)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} |`,
    );
  } finally {
    server.close();
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------

export async function benchIngest(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-bench-ingest-'));
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  try {
    const csv = join(dir, 'wide.csv');
    const rows = await writeWideCsv(csv);
    console.log('\n## Ingest: 1,000,000-row wide CSV through `kpibot import`');
    console.log(
      `generated ${n(rows)} rows × ${MEASURES.length} measures (${(statSync(csv).size / 1e6).toFixed(0)} MB); targets: ≥ ${n(TARGET_ROWS_PER_S)} rows/s, peak RSS ≤ ${TARGET_RSS_MB} MB; each run in its own process`,
    );
    await benchImports(dir, csv, rows, databaseUrl);

    console.log(
      `\n## Push API: ${PUSH_REQUESTS} requests of ${n(PUSH_FACTS)} facts, one at a time`,
    );
    console.log('| store | requests | requests/s | facts/s | p50 ms | p99 ms |');
    console.log('|---|---|---|---|---|---|');
    await benchPush('PGlite (embedded)', () => openStore({ dataDir: join(dir, 'push-db') }));
    if (databaseUrl) {
      const schema = `bench_${randomBytes(6).toString('hex')}`;
      await benchPush('Postgres server', async () => {
        const db = await openStore({ databaseUrl, dataDir: '', schema });
        return {
          ...db,
          close: async () => {
            await db.exec(`drop schema if exists "${schema}" cascade`);
            await db.close();
          },
        };
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) await child(JSON.parse(process.argv[at + 1] ?? '{}') as ChildArgs);
  else await benchIngest();
}
