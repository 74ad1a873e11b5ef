// `npm run bench`: every benchmark, one after the other; `npm run bench -- engine slack` runs
// some. Prints figures and ratios against the targets; asserts nothing about time.
// engine, startup, slack and alerts share one 1,000,000-fact store, built once (million.ts); soak builds
// its own demo store (20,000 commands with one core busy: RSS over time and ack p99).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/db.ts';
import { benchAlerts } from './alerts.ts';
import { benchCharts } from './charts.ts';
import { benchEngine } from './engine.ts';
import { benchIngest } from './ingest.ts';
import { buildMillionStore } from './million.ts';
import { notMeasured, printScoreboard } from './scoreboard.ts';
import { benchSlack } from './slack.ts';
import { benchSoak } from './soak.ts';
import { benchStartup } from './startup.ts';
import { benchSuite } from './suite.ts';

const ON_MILLION: Record<string, (dataDir: string) => Promise<unknown>> = {
  engine: benchEngine,
  startup: benchStartup,
  // ≥ 2,000 samples, so the p99 is a measured answer and not the slowest of a few.
  slack: (dataDir) => benchSlack({ dataDir, commands: 2000 }),
  alerts: async (dataDir) => {
    const db = await openStore({ dataDir });
    try {
      await benchAlerts(db);
      await benchAlerts(db, { rules: 10_000 });
    } finally {
      await db.close();
    }
  },
};

const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

if (wanted('ingest')) await benchIngest();
if (wanted('soak')) await benchSoak();
if (wanted('charts')) await benchCharts();
const million = Object.keys(ON_MILLION).filter(wanted);
if (million.length > 0) {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-bench-'));
  try {
    const dataDir = await buildMillionStore(dir);
    for (const name of million) await ON_MILLION[name]?.(dataDir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
// The suite takes minutes and needs a quiet machine: timed only when asked for by name.
if (only.includes('suite')) await benchSuite();
else notMeasured('`npm test`, quiet', '≤ 150 s', 'timed by `npm run bench -- suite` only');
printScoreboard();
