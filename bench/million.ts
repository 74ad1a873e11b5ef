// The foundation benchmark's data set, shared by the engine, Slack and alerts benchmarks:
// ≈1,000,000 facts (5 years × 5 channels × 22 campaigns × 5 measures, plus two daily measures
// per channel), written as a long-format CSV and imported through `kpibot import`'s code path.
import { once } from 'node:events';
import { createWriteStream, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { seededRandom } from '../src/demo/generate.ts';
import { importCsv } from '../src/ingest/import.ts';
import { addDays } from '../src/kpi/periods.ts';
import { openStore } from '../src/store/db.ts';
import { vacuumFacts } from '../src/store/facts.ts';
import { peakRssMb } from './measure.ts';
import { score } from './scoreboard.ts';

const CHANNELS = ['google-ads', 'meta', 'organic', 'email', 'direct'];
const CAMPAIGNS_PER_CHANNEL = 22;
const YEARS = 5;
/** The data set's last day. */
export const MILLION_END = '2026-11-21';

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
    const day = addDays(MILLION_END, -i);
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

const IMPORT_TARGET = 50_000;
const RSS_TARGET_MB = 400;
const DISK_TARGET_MB = 150;

/** The CSV the store in `dataDir` was imported from (kept beside it for the peers). */
export function millionCsvOf(dataDir: string): string {
  return join(dirname(dataDir), 'facts.csv');
}

/** Bytes of every file under `dir`. */
function folderBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + statSync(join(e.parentPath, e.name)).size, 0);
}

/** Builds the store in `dir`/data and prints the import's figures; returns the data folder. */
export async function buildMillionStore(dir: string): Promise<string> {
  const csv = join(dir, 'facts.csv');
  const dataDir = join(dir, 'data');
  const written = await writeCsv(csv);
  console.log('\n## The 1M-fact store (PGlite, embedded)');
  console.log(
    `generated ${written.toLocaleString('en-US')} facts (${(statSync(csv).size / 1e6).toFixed(0)} MB long-format CSV)`,
  );
  const db = await openStore({ dataDir });
  try {
    const started = performance.now();
    const report = await importCsv(db, { path: csv }, {});
    const seconds = (performance.now() - started) / 1000;
    await vacuumFacts(db);
    const perS = report.factsWritten / seconds;
    const rss = peakRssMb();
    console.log(
      `import (kpibot import's code path): ${report.factsWritten.toLocaleString('en-US')} rows in ${seconds.toFixed(1)} s = ${Math.round(perS).toLocaleString('en-US')} rows/s; peak RSS of this process so far ${rss} MB`,
    );
    score({
      measure: 'long CSV import, 1M rows, PGlite',
      figure: `${Math.round(perS).toLocaleString('en-US')} rows/s, peak RSS ${rss} MB`,
      ratio: perS / IMPORT_TARGET,
      target: `≥ ${IMPORT_TARGET.toLocaleString('en-US')} rows/s, ≤ ${RSS_TARGET_MB} MB`,
      met: perS >= IMPORT_TARGET && rss <= RSS_TARGET_MB,
    });
  } finally {
    await db.close();
  }
  const mb = folderBytes(dataDir) / 1e6;
  console.log(`disk: the data folder holds ${mb.toFixed(0)} MB after the import and a vacuum`);
  score({
    measure: 'disk for 1M facts, PGlite data folder',
    figure: `${mb.toFixed(0)} MB`,
    ratio: mb / DISK_TARGET_MB,
    target: `≤ ${DISK_TARGET_MB} MB`,
    met: mb <= DISK_TARGET_MB,
  });
  return dataDir;
}
