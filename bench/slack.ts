// Benchmark of the Slack app: 200 `/kpi` commands, 20 at a time, sent by the Slack stand-in over
// real HTTP to the app started as users start it (`node bin/start.js`, its own process), timing
// the ack (the HTTP response to POST /slack/events) and the full answer (the response_url post
// arriving at the stand-in). Then the same load against a bare Bolt app in the same harness that
// only acks. Prints figures and ratios against the targets; asserts nothing.
//
//   node bin/run-ts.js bench/slack.ts              a small demo store (two years, ~50k facts)
//   node bin/run-ts.js bench/slack.ts --million    the foundation benchmark's 1,000,000 facts
//   node bin/run-ts.js bench/slack.ts <data-dir>   a store you prepared (e.g. with kpibot import)
//
// `benchSlack({ dataDir })` runs it against a store the caller prepared.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateDemoFacts } from '../src/demo/generate.ts';
import { addDays } from '../src/kpi/periods.ts';
import { openStore } from '../src/store/db.ts';
import { upsertFacts } from '../src/store/facts.ts';
import {
  type AppProcess,
  cleanEnv,
  ROOT,
  startAppProcess,
  stopAppProcess,
} from '../test/helpers/app-process.ts';
import { type SlackStandin, startSlackStandin } from '../test/helpers/slack-standin.ts';
import { percentile } from './measure.ts';
import { buildMillionStore } from './million.ts';
import { score } from './scoreboard.ts';

export const SIGNING_SECRET = 'bench-signing-secret-0f1e2d3c4b5a';
export const BOT_TOKEN = 'xoxb-1-2-benchbottoken';

/** Targets from the issue: ack p99 within 1.2× the bare app's, full answer p99 within 500 ms. */
const ACK_RATIO_TARGET = 1.2;
const ANSWER_P99_TARGET_MS = 500;
const ANSWERS_PER_S_TARGET = 200;

/** A mix of what people ask: single KPIs, comparisons, breakdowns, several KPIs at once. */
export const QUESTIONS = [
  'roas last-week',
  'roas last-week vs previous by channel',
  'ctr,cpc last-month vs last-year',
  'revenue last-7-days by campaign',
  'conversion_rate mtd vs previous',
  'roas,revenue,ad_spend last-month by channel',
  'cpc last-30-days channel=meta',
  'aov last-quarter vs previous',
];

export interface SlackBenchOptions {
  /** A store prepared by the caller; without it a small demo store is built. */
  dataDir?: string;
  /** The instant the app answers at (KPIBOT_NOW); default: noon the day after the last fact. */
  now?: string;
  commands?: number;
  concurrency?: number;
  warmup?: number;
}

export interface LoadResult {
  ackMs: number[];
  /** Empty for the bare app, which never answers. */
  answerMs: number[];
  failures: number;
  wallMs: number;
  /** CPU time the app's process used during the load (Linux: /proc), and the harness's own. */
  appCpuMs?: number;
  harnessCpuMs: number;
}

export interface SlackBenchResult {
  kpibot: LoadResult;
  bare: LoadResult;
}

/** Sends `total` commands, `concurrency` at a time; per command the ack and (optionally) answer time. */
async function load(
  standin: SlackStandin,
  total: number,
  concurrency: number,
  waitForAnswer: boolean,
): Promise<LoadResult> {
  const result: LoadResult = { ackMs: [], answerMs: [], failures: 0, wallMs: 0, harnessCpuMs: 0 };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const question = QUESTIONS[i % QUESTIONS.length] ?? 'roas last-week';
      const t0 = performance.now();
      try {
        const sent = await standin.slashCommand(question, { userId: `U0BENCH${i % 7}` });
        if (sent.status !== 200) {
          result.failures++;
          continue;
        }
        result.ackMs.push(sent.elapsedMs);
        if (waitForAnswer) {
          const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 30_000 });
          result.answerMs.push(performance.now() - t0);
          if (reply.status !== 200 || String(reply.body.text).startsWith('Sorry'))
            result.failures++;
        }
      } catch {
        result.failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.wallMs = performance.now() - started;
  return result;
}

/** Builds the small stand-alone store: two years of demo facts ending `end`. */
export async function demoStore(dataDir: string, end: string): Promise<number> {
  const db = await openStore({ dataDir });
  try {
    const facts = generateDemoFacts({ end });
    await upsertFacts(db, facts, { source: 'demo' });
    return facts.length;
  } finally {
    await db.close();
  }
}

/** The last day with data and the number of facts in a store. */
export async function describeStore(dataDir: string): Promise<{ lastDay: string; facts: number }> {
  const db = await openStore({ dataDir });
  try {
    const [row] = await db.query<{ last_day: string | null; n: number }>(
      'select max(day) as last_day, count(*)::int as n from facts',
    );
    if (!row?.last_day) throw new Error(`no facts in ${dataDir}`);
    return { lastDay: row.last_day, facts: row.n };
  } finally {
    await db.close();
  }
}

export interface Target {
  app: AppProcess;
  eventsUrl: string;
}

/** Starts `node [nodeArgs…] bin/start.js` against the stand-in, on `dataDir`, answering at `now`. */
export async function startKpibot(
  standin: SlackStandin,
  dataDir: string,
  now: string,
  cwd: string,
  nodeArgs: readonly string[] = [],
) {
  const app = startAppProcess(
    cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: standin.apiUrl,
      PORT: '0',
      KPIBOT_DATA_DIR: dataDir,
      KPIBOT_NOW: now,
      LOG_LEVEL: 'info',
    }),
    cwd,
    [...nodeArgs, join(ROOT, 'bin/start.js')],
  );
  await app.ready;
  return { app, eventsUrl: `http://127.0.0.1:${app.port}/slack/events` } satisfies Target;
}

async function startBare(standin: SlackStandin, cwd: string) {
  const app = startAppProcess(
    cleanEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: standin.apiUrl,
    }),
    cwd,
    [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/slack.ts'), '--bare-app'],
  );
  await app.ready;
  return { app, eventsUrl: `http://127.0.0.1:${app.port}/slack/events` } satisfies Target;
}

async function measure(
  standin: SlackStandin,
  target: Target,
  opts: Required<Pick<SlackBenchOptions, 'commands' | 'concurrency' | 'warmup'>>,
  waitForAnswer: boolean,
): Promise<LoadResult> {
  standin.eventsUrl = target.eventsUrl;
  await load(standin, opts.warmup, opts.concurrency, waitForAnswer);
  standin.reset();
  const appCpu = cpuMsOf(target.app.child.pid);
  const ownCpu = process.cpuUsage();
  const result = await load(standin, opts.commands, opts.concurrency, waitForAnswer);
  const own = process.cpuUsage(ownCpu);
  result.harnessCpuMs = (own.user + own.system) / 1000;
  const appCpuAfter = cpuMsOf(target.app.child.pid);
  if (appCpu !== undefined && appCpuAfter !== undefined) result.appCpuMs = appCpuAfter - appCpu;
  return result;
}

/** User + system CPU milliseconds of a process so far (Linux only; undefined elsewhere). */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

function report(result: SlackBenchResult, opts: { commands: number; concurrency: number }): void {
  const { kpibot, bare } = result;
  const p = (values: number[], q: number) => percentile(values, q);
  console.log(
    `${opts.commands} commands, ${opts.concurrency} at a time, over HTTP on loopback (ms); in turn: ${QUESTIONS.map((q) => `"${q}"`).join(', ')}`,
  );
  console.log(
    'ack = the HTTP response to POST /slack/events; answer = from sending to the response_url post arriving',
  );
  console.log(
    '| app | ack p50 | ack p99 | answer p50 | answer p99 | failures | wall | app CPU | harness CPU |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name, r] of [
    ['kpibot', kpibot],
    ['bare Bolt (ack only)', bare],
  ] as const) {
    console.log(
      `| ${name} | ${ms(p(r.ackMs, 50))} | ${ms(p(r.ackMs, 99))} | ${ms(p(r.answerMs, 50))} | ${ms(p(r.answerMs, 99))} | ${r.failures} | ${ms(r.wallMs)} | ${ms(r.appCpuMs ?? Number.NaN)} | ${ms(r.harnessCpuMs)} |`,
    );
  }
  const ratio = p(kpibot.ackMs, 99) / p(bare.ackMs, 99);
  const answerP99 = p(kpibot.answerMs, 99);
  console.log(
    `ack p99 ratio kpibot / bare: ${ratio.toFixed(2)} (target ≤ ${ACK_RATIO_TARGET}: ${ratio <= ACK_RATIO_TARGET ? 'met' : 'MISSED'})`,
  );
  console.log(
    `answer p99: ${ms(answerP99)} ms (target ≤ ${ANSWER_P99_TARGET_MS} ms: ${answerP99 <= ANSWER_P99_TARGET_MS ? 'met' : 'MISSED'})`,
  );
  const perS = kpibot.answerMs.length / (kpibot.wallMs / 1000);
  const load = `${kpibot.answerMs.length.toLocaleString('en-US')} answers, ${opts.concurrency} in flight`;
  score({
    measure: `Slack answers at concurrency ${opts.concurrency}: p99 (${load})`,
    figure: `${ms(answerP99)} ms`,
    ratio: answerP99 / ANSWER_P99_TARGET_MS,
    target: `≤ ${ANSWER_P99_TARGET_MS} ms`,
    met: kpibot.failures === 0 && answerP99 <= ANSWER_P99_TARGET_MS,
  });
  score({
    measure: `Slack answers at concurrency ${opts.concurrency}: throughput`,
    figure: `${perS.toFixed(0)} answers/s`,
    ratio: perS / ANSWERS_PER_S_TARGET,
    target: `≥ ${ANSWERS_PER_S_TARGET} answers/s`,
    met: perS >= ANSWERS_PER_S_TARGET,
  });
  score({
    measure: `ack p99 ÷ bare Bolt ack-only app, concurrency ${opts.concurrency}`,
    figure: `${ms(p(kpibot.ackMs, 99))} ms`,
    against: `${ms(p(bare.ackMs, 99))} ms bare Bolt`,
    ratio,
    target: `≤ ${ACK_RATIO_TARGET}`,
    met: ratio <= ACK_RATIO_TARGET,
  });
}

export async function benchSlack(options: SlackBenchOptions = {}): Promise<SlackBenchResult> {
  const opts = { commands: 200, concurrency: 20, warmup: 40, ...options };
  const work = mkdtempSync(join(tmpdir(), 'kpibot-bench-slack-'));
  let standin: SlackStandin | undefined;
  let target: Target | undefined;
  try {
    let dataDir = opts.dataDir;
    if (!dataDir) {
      dataDir = join(work, 'data');
      const end = addDays(new Date().toISOString().slice(0, 10), -1);
      const n = await demoStore(dataDir, end);
      console.log(
        `\n## Slack app: /kpi under load (demo store, ${n.toLocaleString('en-US')} facts)`,
      );
    } else {
      console.log(`\n## Slack app: /kpi under load (store ${dataDir})`);
    }
    const store = await describeStore(dataDir);
    const now = opts.now ?? `${addDays(store.lastDay, 1)}T12:00:00+01:00`;
    console.log(
      `${store.facts.toLocaleString('en-US')} facts, last day ${store.lastDay}, answering at ${now}`,
    );

    standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    target = await startKpibot(standin, dataDir, now, work);
    const kpibot = await measure(standin, target, opts, true);
    await stopAppProcess(target.app);

    target = await startBare(standin, work);
    const bare = await measure(standin, target, opts, false);
    await stopAppProcess(target.app);
    target = undefined;

    const result = { kpibot, bare };
    report(result, opts);
    return result;
  } finally {
    await stopAppProcess(target?.app);
    await standin?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The baseline: a Bolt app with nothing but a /kpi listener that acks. */
async function bareApp(): Promise<void> {
  const { App, LogLevel } = await import('@slack/bolt');
  const apiUrl = process.env.SLACK_API_URL;
  const app = new App({
    token: process.env.SLACK_BOT_TOKEN,
    signingSecret: process.env.SLACK_SIGNING_SECRET,
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
    ...(apiUrl ? { clientOptions: { slackApiUrl: apiUrl } } : {}),
  });
  app.command('/kpi', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as { address(): { port: number } };
  process.stderr.write(`bare Bolt app on http://localhost:${server.address().port}\n`);
  process.on('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

const runDirectly = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (runDirectly) {
  const args = process.argv.slice(2);
  if (args.includes('--bare-app')) {
    await bareApp();
  } else if (args.includes('--million')) {
    const dir = mkdtempSync(join(tmpdir(), 'kpibot-bench-million-'));
    try {
      await benchSlack({ dataDir: await buildMillionStore(dir) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    await benchSlack(args[0] ? { dataDir: args[0] } : {});
  }
}
