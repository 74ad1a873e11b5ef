// Soak of the Slack app: 20,000 signed `/kpi` commands at a true concurrency of 20 (the next
// command goes as soon as one is acknowledged; answers arrive later at the stand-in's
// response_url), with one CPU core kept busy by another process, against the app started as
// users start it (bench/slack.ts's harness, a demo store). Prints the app's RSS every
// 1/20 of the requests, the ack and answer percentiles, whether RSS is bounded and whether the
// 3 s ack limit was met. Checks every answer arrived and a sample's numbers against bare SQL.
// Asserts nothing about time.
//
//   node bin/run-ts.js bench/soak.ts [--requests N] [--cpu-prof DIR]
//
// --cpu-prof DIR writes the app's main-thread CPU profile (node --cpu-prof) to DIR.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addDays } from '../src/kpi/periods.ts';
import { stopAppProcess } from '../test/helpers/app-process.ts';
import {
  type RecordedCall,
  type SlackStandin,
  startSlackStandin,
} from '../test/helpers/slack-standin.ts';
import { percentile } from './measure.ts';
import {
  BOT_TOKEN,
  demoStore,
  describeStore,
  QUESTIONS,
  SIGNING_SECRET,
  startKpibot,
  type Target,
} from './slack.ts';
import { type AnswerCheck, expectedAnswers } from './soak-check.ts';

/** Slack drops a slash command not acknowledged within 3 seconds. */
const ACK_LIMIT_MS = 3000;
/** Once every command is acknowledged, wait for answers until none came for this long. */
const ANSWER_QUIET_MS = 30_000;

export interface SoakOptions {
  requests?: number;
  concurrency?: number;
  /** RSS samples over the run (one every requests / samples). */
  samples?: number;
  /** Write the app's CPU profile (node --cpu-prof) to this folder. */
  cpuProfDir?: string;
}

interface Sample {
  requests: number;
  answers: number;
  rssMb: number;
  seconds: number;
}

interface SoakResult {
  ackMs: number[];
  answerMs: number[];
  samples: Sample[];
  ackFailures: number;
  /** Answers that said Sorry, or whose numbers differ from bare SQL. */
  wrong: string[];
  checked: number;
  rssAfterMb: number;
}

/** Resident set size of a process in MB (Linux /proc, else ps). */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) / 1024;
  } catch {
    // not Linux: ask ps
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024;
}

/** A process that keeps one core busy until killed. */
function busyCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
}

/**
 * Follows the answers posted to the stand-in's response_urls: the time from sending each
 * command, and whether it is right. Keeps the stand-in's memory flat (answered conversations
 * are forgotten), so the harness does not slow down as the soak goes on.
 */
function followAnswers(standin: SlackStandin, checks: ReadonlyMap<string, AnswerCheck>) {
  const sent = new Map<string, { at: number; question: string }>();
  /** Answers that arrived before their command's ack did (the harness had not seen the id yet). */
  const early = new Map<string, { call: RecordedCall; at: number }>();
  const answerMs: number[] = [];
  const wrong: string[] = [];
  let checked = 0;
  let settle: (() => void) | undefined;
  const answered = (call: RecordedCall, at: number, command: { at: number; question: string }) => {
    answerMs.push(at - command.at);
    const text = `${String(call.body.text ?? '')}\n${JSON.stringify(call.body.blocks ?? [])}`;
    const check = checks.get(command.question);
    if (text.startsWith('Sorry')) wrong.push(`${command.question}: ${text.slice(0, 200)}`);
    else if (check) {
      checked++;
      const missing = check.expected.filter((s) => !text.includes(s));
      if (missing.length > 0)
        wrong.push(`${command.question}: no ${missing.join(', ')} in ${text.slice(0, 300)}`);
    }
    if (sent.size === 0) settle?.();
  };
  const stop = standin.onCall((call: RecordedCall) => {
    if (call.kind !== 'response_url') return;
    standin.conversations.responseContexts.delete(call.name);
    standin.messages.length = 0;
    const command = sent.get(call.name);
    if (!command) {
      early.set(call.name, { call, at: performance.now() });
      return;
    }
    sent.delete(call.name);
    answered(call, performance.now(), command);
  });
  return {
    answerMs,
    wrong,
    checked: () => checked,
    sent(responseId: string, question: string, at: number) {
      const arrived = early.get(responseId);
      early.delete(responseId);
      if (arrived) answered(arrived.call, arrived.at, { at, question });
      else sent.set(responseId, { at, question });
    },
    /** Resolves when every sent command has its answer, or when none came for `quietMs`. */
    async drained(quietMs: number): Promise<void> {
      while (sent.size > 0) {
        const before = answerMs.length;
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          settle = resolve;
          timer = setTimeout(resolve, quietMs);
        });
        clearTimeout(timer);
        if (answerMs.length === before) break;
      }
      stop();
    },
  };
}

async function soak(
  standin: SlackStandin,
  target: Target,
  checks: ReadonlyMap<string, AnswerCheck>,
  opts: Required<Omit<SoakOptions, 'cpuProfDir'>>,
): Promise<SoakResult> {
  const pid = target.app.child.pid;
  if (pid === undefined) throw new Error('the app has no pid');
  standin.eventsUrl = target.eventsUrl;
  const answers = followAnswers(standin, checks);
  const ackMs: number[] = [];
  let ackFailures = 0;
  let next = 0;
  let done = 0;
  const every = Math.max(1, Math.floor(opts.requests / opts.samples));
  const started = performance.now();
  const sample = (): Sample => ({
    requests: done,
    answers: answers.answerMs.length,
    rssMb: rssMb(pid),
    seconds: (performance.now() - started) / 1000,
  });
  const samples = [sample()];
  const worker = async () => {
    while (next < opts.requests) {
      const i = next++;
      const question = QUESTIONS[i % QUESTIONS.length] ?? 'roas last-week';
      const at = performance.now();
      try {
        const ack = await standin.slashCommand(question, { userId: `U0SOAK${i % 7}` });
        if (ack.status === 200) {
          ackMs.push(ack.elapsedMs);
          answers.sent(ack.responseId, question, at);
        } else ackFailures++;
      } catch {
        ackFailures++;
      }
      done++;
      if (done % every === 0) samples.push(sample());
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  await answers.drained(ANSWER_QUIET_MS);
  return {
    ackMs,
    answerMs: answers.answerMs,
    samples,
    ackFailures,
    wrong: answers.wrong,
    checked: answers.checked(),
    rssAfterMb: rssMb(pid),
  };
}

/**
 * Bounded: over the last quarter of the requests RSS grew by at most 5 MB, or by at most a
 * quarter of what it grew over the first quarter (start-up and warm-up allocate; a leak keeps
 * growing at the same pace).
 */
function boundedness(samples: Sample[]): { bounded: boolean; first: number; last: number } {
  const at = (f: number) => samples[Math.round(f * (samples.length - 1))]!.rssMb;
  const first = at(0.25) - at(0);
  const last = at(1) - at(0.75);
  return { bounded: last <= 5 || last <= first / 4, first, last };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

function report(r: SoakResult, opts: Required<Omit<SoakOptions, 'cpuProfDir'>>): void {
  console.log(
    '| requests acked | answers received | answers pending in the app | app RSS MB | seconds |',
  );
  console.log('|---|---|---|---|---|');
  for (const s of r.samples)
    console.log(
      `| ${s.requests} | ${s.answers} | ${s.requests - s.answers} | ${s.rssMb.toFixed(1)} | ${s.seconds.toFixed(1)} |`,
    );
  const p = (values: number[], q: number) => percentile(values, q);
  const ackMax = Math.max(...r.ackMs);
  console.log(
    `ack ms (one core busy): p50 ${ms(p(r.ackMs, 50))}, p99 ${ms(p(r.ackMs, 99))}, max ${ms(ackMax)}; failed acks ${r.ackFailures}`,
  );
  console.log(
    `answers: ${r.answerMs.length} of ${opts.requests} received; answer ms p50 ${ms(p(r.answerMs, 50))}, p99 ${ms(p(r.answerMs, 99))}, max ${ms(Math.max(...r.answerMs))}`,
  );
  console.log(`answers checked: ${r.checked}; wrong or apologies: ${r.wrong.length}`);
  for (const w of r.wrong.slice(0, 5)) console.log(`  WRONG ${w}`);
  const b = boundedness(r.samples);
  console.log(
    `RSS growth: first quarter +${b.first.toFixed(1)} MB, last quarter +${b.last.toFixed(1)} MB; after the last answer ${r.rssAfterMb.toFixed(1)} MB → ${b.bounded ? 'bounded' : 'NOT bounded'} (bounded: last quarter ≤ 5 MB or ≤ ¼ of the first quarter)`,
  );
  console.log(
    `3 s ack limit: ${ackMax <= ACK_LIMIT_MS && r.ackFailures === 0 ? 'met' : 'MISSED'} (slowest ack ${ms(ackMax)} ms)`,
  );
}

export async function benchSoak(options: SoakOptions = {}): Promise<void> {
  const opts = { requests: 20_000, concurrency: 20, samples: 20, ...options };
  const work = mkdtempSync(join(tmpdir(), 'kpibot-bench-soak-'));
  let standin: SlackStandin | undefined;
  let target: Target | undefined;
  let busy: ChildProcess | undefined;
  try {
    const dataDir = join(work, 'data');
    const n = await demoStore(dataDir, addDays(new Date().toISOString().slice(0, 10), -1));
    const store = await describeStore(dataDir);
    const now = `${addDays(store.lastDay, 1)}T12:00:00+01:00`;
    const checks = await expectedAnswers(dataDir, now);
    console.log(
      `\n## Slack app soak: ${opts.requests.toLocaleString('en-US')} /kpi commands, ${opts.concurrency} at a time, one core busy (demo store, ${n.toLocaleString('en-US')} facts, answering at ${now})`,
    );
    console.log(
      `answers checked against bare SQL: ${[...checks].map(([q, c]) => `"${q}" must show ${c.expected.join(', ')}`).join('; ')}`,
    );
    standin = await startSlackStandin({
      signingSecret: SIGNING_SECRET,
      botToken: BOT_TOKEN,
      maxRecordedCalls: 100,
    });
    const nodeArgs = options.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfDir] : [];
    target = await startKpibot(standin, dataDir, now, work, nodeArgs);
    busy = busyCore();
    const result = await soak(standin, target, checks, opts);
    report(result, opts);
  } finally {
    busy?.kill('SIGKILL');
    await stopAppProcess(target?.app);
    await standin?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

const runDirectly = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (runDirectly) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const requests = flag('--requests');
  const cpuProfDir = flag('--cpu-prof');
  await benchSoak({
    ...(requests ? { requests: Number(requests) } : {}),
    ...(cpuProfDir ? { cpuProfDir } : {}),
  });
}
