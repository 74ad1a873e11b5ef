// Starting kpibot as a person does: `kpibot ask "roas last-week"` in a fresh process on the 1M
// store, and the first start on an empty folder (the store is created). Wall time and the
// process's peak RSS, against the targets of issue 12; which code ran (dist/ or the sources).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtFromCurrentSources } from '../bin/launch.js';
import { median } from './measure.ts';
import { MILLION_END } from './million.ts';
import { score } from './scoreboard.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RSS_PRELOAD = join(ROOT, 'bench/startup-rss.cjs');

interface Run {
  ms: number;
  rssMb: number;
  code: number | null;
  output: string;
}

/** `kpibot args…` in `cwd` with the store in `dataDir`: wall time, peak RSS, exit code. */
async function kpibot(args: string[], cwd: string, dataDir: string): Promise<Run> {
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--require', RSS_PRELOAD, join(ROOT, 'bin/kpibot.js'), ...args],
    {
      cwd,
      env: {
        ...process.env,
        KPIBOT_DATA_DIR: dataDir,
        KPIBOT_BENCH_RSS_FILE: rssFile,
        // The day after the 1M store's last: "last-week" has data.
        KPIBOT_NOW: `${MILLION_END}T12:00:00Z`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c));
  child.stderr.on('data', (c: Buffer) => (output += c));
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  const ms = performance.now() - started;
  const rssMb = Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024);
  rmSync(rssFile, { force: true });
  return { ms, rssMb, code, output };
}

function row(measure: string, runs: Run[], targetMs: number, targetMb?: number): void {
  const failed = runs.find((r) => r.code !== 0);
  if (failed) throw new Error(`${measure}: kpibot exited ${failed.code}:\n${failed.output}`);
  const ms = median(runs.map((r) => r.ms));
  const mb = Math.max(...runs.map((r) => r.rssMb));
  const met = ms <= targetMs && (targetMb === undefined || mb <= targetMb);
  const target = `≤ ${(targetMs / 1000).toFixed(1)} s${targetMb ? `, ≤ ${targetMb} MB` : ''}`;
  console.log(
    `| ${measure} | ${(ms / 1000).toFixed(2)} s | ${mb} MB | ${target} | ${(ms / targetMs).toFixed(2)} | ${met ? 'met' : 'missed'} |`,
  );
  score({ measure, figure: `${(ms / 1000).toFixed(2)} s, ${mb} MB`, target, met });
}

/** Prints the start-up rows; `dataDir`: the 1M-fact store (million.ts). */
export async function benchStartup(dataDir: string): Promise<void> {
  console.log('\n## Start-up: fresh kpibot processes');
  console.log(
    `code run: ${builtFromCurrentSources() ? 'dist/ (built from the current sources)' : 'the TypeScript sources through tsx (dist/ missing or stale: npm run build)'}`,
  );
  console.log('| measure | median wall | peak RSS | target | ratio to target | |');
  console.log('|---|---|---|---|---|---|');
  const work = mkdtempSync(join(tmpdir(), 'kpibot-bench-start-'));
  try {
    const asks: Run[] = [];
    for (let i = 0; i < 7; i++) asks.push(await kpibot(['ask', 'roas last-week'], work, dataDir));
    // A timing of "no data" would flatter: the answer must carry the figure.
    const answer = asks[0]?.output ?? '';
    if (!/\d,\d+×/.test(answer) || /no data/i.test(answer)) {
      throw new Error(`kpibot ask gave no ROAS on the 1M store:\n${answer}`);
    }
    row('`kpibot ask "roas last-week"`, 1M store (7 runs)', asks.slice(2), 1000);
    const firsts: Run[] = [];
    for (let i = 0; i < 3; i++) {
      firsts.push(await kpibot(['status'], work, join(work, `empty-${i}`)));
    }
    row('first start on an empty folder (`kpibot status`, 3 runs)', firsts, 5000, 300);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
