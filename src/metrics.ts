// Prometheus metrics (GET /metrics): one registry per app, never prom-client's global default,
// so two apps in one process (tests) or a library's own metrics do not mix. The modules that
// count take the narrow interfaces below (`AnswerMetrics`, `OutboxMetrics`), not prom-client.
// Names start with `kpibot_`; README.md "Metrics" lists them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the /kpi listener counts. */
export interface AnswerMetrics {
  /** A request was acknowledged to Slack: `listener` is `/kpi`, `post_to_channel` or `alert_button`. */
  acked(listener: string): void;
  /** An answer went out (or could not): `outcome` is the outcome's kind, e.g. `answer`, `busy`. */
  answered(outcome: string, seconds: number, delivered: boolean): void;
}

/** What the outbox deliverer counts. */
export interface OutboxMetrics {
  /** A message was recorded as sent. */
  sent(): void;
  /** An attempt failed; `detail` is the failure's detail (a Slack error code, `HTTP 503`…). */
  failed(detail: string, action: 'retry' | 'dead'): void;
}

/** What the scheduler counts. */
export interface SchedulerMetrics {
  /**
   * A firing ran to its end. `lateSeconds`: from the scheduled instant to the start of the run
   * (undefined for a manual run, which has no schedule to be late for).
   */
  taskRun(task: string, result: 'ok' | 'failed', lateSeconds: number | undefined): void;
}

/** What the ingest paths count: the push API (POST /api/v1/facts), CSV imports through the bot, SQL source syncs. */
export interface ImportMetrics {
  /** One import (a push request, a file) ended: `rows` facts written (0 when rejected). */
  imported(source: string, result: 'ok' | 'rejected', rows: number): void;
}

/** The outbox as a scrape reads it from the store. */
export interface OutboxStats {
  /** Messages pending or being sent. */
  open: number;
  /** Age of the oldest open message, in seconds (0 when none is open). */
  oldestOpenSeconds: number;
}

export interface AppMetrics extends AnswerMetrics, OutboxMetrics, SchedulerMetrics, ImportMetrics {
  readonly registry: Registry;
  /** Where the outbox gauges read from on each scrape (set once the store is open). */
  setOutboxSource(read: () => Promise<OutboxStats>): void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** Answer latency buckets, in seconds: a cached answer in milliseconds, a heavy one in seconds. */
const ANSWER_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30];

/**
 * A failure's detail as a label of few values: Slack's error codes as they are, `HTTP 503` as
 * `http_503`, a rate limit as `ratelimited`; free text (an exception's message) as `other`.
 */
export function errorCodeLabel(detail: string): string {
  if (/^rate limited\b/.test(detail)) return 'ratelimited';
  const http = /^HTTP (\d{3})$/.exec(detail);
  if (http) return `http_${http[1]}`;
  const failed = /^request failed: ([A-Z][A-Z_]+)$/.exec(detail);
  if (failed?.[1]) return failed[1];
  return /^[a-z][a-z0-9_]{0,63}$/.test(detail) ? detail : 'other';
}

/** Lateness buckets, in seconds: a timer a little late, a busy process, a catch-up after downtime. */
const LATENESS_BUCKETS = [0.1, 0.5, 1, 5, 30, 60, 300, 900, 3600, 21_600, 86_400];

/**
 * A task's name as a label of few values: its kind, without the schedule or rule that makes
 * each name unique (`summaries|Europe/Stockholm|0 8 * * 1` → `summaries`).
 */
export function taskLabel(task: string): string {
  return task.split(/[|:#]/, 1)[0] || 'other';
}

export function createMetrics(): AppMetrics {
  const registry = new Registry();
  const registers = [registry];

  const acks = new Counter({
    name: 'kpibot_acks_total',
    help: 'Slack requests acknowledged (the /kpi command, the Post to channel and alert buttons).',
    labelNames: ['listener'] as const,
    registers,
  });
  const answers = new Counter({
    name: 'kpibot_answers_total',
    help: 'Answers to /kpi, by outcome (answer, message, apology, busy…) and whether they reached Slack.',
    labelNames: ['outcome', 'delivered'] as const,
    registers,
  });
  const answerSeconds = new Histogram({
    name: 'kpibot_answer_duration_seconds',
    help: 'Time from receiving a /kpi command to its answer posted through response_url.',
    labelNames: ['outcome'] as const,
    buckets: ANSWER_BUCKETS,
    registers,
  });
  const notificationsSent = new Counter({
    name: 'kpibot_notifications_sent_total',
    help: 'Outbox messages delivered to Slack.',
    registers,
  });
  const notificationsFailed = new Counter({
    name: 'kpibot_notifications_failed_total',
    help: 'Failed outbox delivery attempts, by error code and what follows (retry or dead).',
    labelNames: ['error', 'action'] as const,
    registers,
  });

  const taskRuns = new Counter({
    name: 'kpibot_scheduler_runs_total',
    help: 'Scheduled task runs finished here, by task kind and result (ok, failed).',
    labelNames: ['task', 'result'] as const,
    registers,
  });
  const taskLateness = new Histogram({
    name: 'kpibot_scheduler_lateness_seconds',
    help: "From a firing's scheduled instant to the start of its run (catch-ups included).",
    labelNames: ['task'] as const,
    buckets: LATENESS_BUCKETS,
    registers,
  });

  const imports = new Counter({
    name: 'kpibot_imports_total',
    help: 'Imports of facts, by source (api: POST /api/v1/facts; csv: kpibot import through the bot; sql: SQL source syncs) and result.',
    labelNames: ['source', 'result'] as const,
    registers,
  });
  const importRows = new Counter({
    name: 'kpibot_import_rows_total',
    help: 'Facts written to the store by imports, by source.',
    labelNames: ['source'] as const,
    registers,
  });

  let outboxSource: (() => Promise<OutboxStats>) | undefined;
  // One read of the store per scrape serves both gauges.
  let pendingRead: Promise<OutboxStats | undefined> | undefined;
  const readOutbox = (): Promise<OutboxStats | undefined> => {
    if (!outboxSource) return Promise.resolve(undefined);
    pendingRead ??= outboxSource()
      .catch(() => undefined)
      .finally(() => {
        pendingRead = undefined;
      });
    return pendingRead;
  };
  new Gauge({
    name: 'kpibot_outbox_depth',
    help: 'Outbox messages pending or being sent (read from the store on scrape).',
    registers,
    async collect() {
      const stats = await readOutbox();
      if (stats) this.set(stats.open);
    },
  });
  new Gauge({
    name: 'kpibot_outbox_oldest_age_seconds',
    help: 'Age of the oldest outbox message pending or being sent; 0 when none is (read on scrape).',
    registers,
    async collect() {
      const stats = await readOutbox();
      if (stats) this.set(stats.oldestOpenSeconds);
    },
  });

  return {
    registry,
    acked(listener) {
      acks.inc({ listener });
    },
    answered(outcome, seconds, delivered) {
      answers.inc({ outcome, delivered: delivered ? 'true' : 'false' });
      answerSeconds.observe({ outcome }, seconds);
    },
    sent() {
      notificationsSent.inc();
    },
    failed(detail, action) {
      notificationsFailed.inc({ error: errorCodeLabel(detail), action });
    },
    taskRun(task, result, lateSeconds) {
      const label = taskLabel(task);
      taskRuns.inc({ task: label, result });
      if (lateSeconds !== undefined)
        taskLateness.observe({ task: label }, Math.max(0, lateSeconds));
    },
    imported(source, result, rows) {
      imports.inc({ source, result });
      importRows.inc({ source }, rows);
    },
    setOutboxSource(read) {
      outboxSource = read;
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

/** GET /metrics: the registry in Prometheus text format. */
export function metricsHandler(
  metrics: Pick<AppMetrics, 'scrape'>,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const { contentType, body } = await metrics.scrape();
    res.writeHead(200, {
      'content-type': contentType,
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
