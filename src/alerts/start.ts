// Alerting in a running app: the config and default rules brought into the store, one
// scheduler task per distinct schedule (cron + timezone) evaluating every rule on it in one
// batched cycle (claimed once across replicas; the latest missed firing caught up on start),
// and the outbox deliverer. Rules added from Slack with a new schedule get their task on
// `refresh()` (called by the command handler through `onRulesChanged`, and every minute by
// each replica, so replicas that did not handle the command learn it too).
import type { Deliverer, DelivererOptions } from '../outbox/deliverer.ts';
import { createDeliverer } from '../outbox/deliverer.ts';
import type { SlackWebApi } from '../outbox/slack-api.ts';
import type { OutboxRow, SentInfo } from '../outbox/store.ts';
import { createScheduler, type Scheduler } from '../scheduler/scheduler.ts';
import type { Db } from '../store/db.ts';
import { type CycleReport, runAlertCycle } from './cycle.ts';
import type { AlertDeps } from './deps.ts';
import type { AlertRuleConfig } from './rule.ts';
import { loadRules, recordMessageLanded } from './store.ts';
import { type SyncReport, syncOwnedRules } from './sync.ts';

export interface StartAlertingDeps extends AlertDeps {
  /** This process's name in task_runs and outbox claims (e.g. hostname + pid). */
  replicaId: string;
  /**
   * A deliverer to share with other outbox producers (summaries…): started and stopped by the
   * caller, created with `onSent: recordAlertMessage`. Without it, one is made from `slack`.
   */
  deliverer?: Deliverer;
  /** The Slack Web API for our own deliverer; with neither, nothing is delivered (it waits). */
  slack?: SlackWebApi;
  /** The `alerts:` entries of kpibot.config.yml (alertsConfigSchema's output). */
  configRules?: readonly AlertRuleConfig[];
  /** A scheduler to share (started by the caller after this resolves); default: our own. */
  scheduler?: Scheduler;
  /** Deliverer tuning (tests): lease, poll interval, retry policy. */
  delivery?: Pick<DelivererOptions, 'leaseMs' | 'pollMs' | 'retry' | 'parallel' | 'now'>;
  /** How often to look for new schedules (default 60 s). */
  refreshMs?: number;
  /** Told after each cycle (tests, metrics). */
  onCycle?: (report: CycleReport) => void;
}

export interface Alerting {
  /** Re-reads the rules and adds or removes schedule tasks (after a rule change). */
  refresh(): Promise<void>;
  /** Stops the tasks, the deliverer and the refresh timer; waits for work in flight. */
  stop(): Promise<void>;
  readonly scheduler: Scheduler;
  readonly deliverer: Deliverer | undefined;
  readonly sync: SyncReport;
}

/** The scheduler task of a schedule: every rule with this cron and timezone. */
export function alertTaskName(cron: string, timeZone: string): string {
  return `alerts|${timeZone}|${cron}`;
}

/** For the deliverer: keeps where an alert message landed, in the state of its alert. */
export async function recordAlertMessage(tx: Db, row: OutboxRow, sent: SentInfo): Promise<void> {
  if (row.kind !== 'post' || !row.idempotencyKey.startsWith('alert:')) return;
  await recordMessageLanded(tx, row.idempotencyKey, { channel: sent.channel, ts: sent.ts });
}

export async function startAlerting(deps: StartAlertingDeps): Promise<Alerting> {
  const log = deps.logger.child({ component: 'alerts' });
  const sync = await syncOwnedRules(deps, deps.configRules ?? [], deps.now());

  const ownDeliverer = deps.deliverer === undefined;
  const deliverer =
    deps.deliverer ??
    (deps.slack
      ? createDeliverer({
          db: deps.db,
          slack: deps.slack,
          logger: deps.logger,
          replicaId: deps.replicaId,
          onSent: recordAlertMessage,
          ...deps.delivery,
        })
      : undefined);
  if (!deliverer) log.warn('alerts: no Slack client: alerts are evaluated, but not delivered');

  const cycleDeps: AlertDeps = {
    ...deps,
    onEnqueued: () => {
      deliverer?.wake();
      deps.onEnqueued?.();
    },
  };
  const ownScheduler = deps.scheduler === undefined;
  const scheduler =
    deps.scheduler ??
    createScheduler({
      db: deps.db,
      logger: deps.logger,
      timeZone: deps.config.timeZone,
      replicaId: deps.replicaId,
    });
  const tasks = new Set<string>();

  async function refresh(): Promise<void> {
    const rules = await loadRules(deps.db);
    const wanted = new Map<string, { cron: string; timeZone: string; since: number }>();
    for (const { rule } of rules) {
      if (rule.paused) continue;
      const timeZone = rule.timeZone ?? deps.config.timeZone;
      const name = alertTaskName(rule.schedule, timeZone);
      const created = Date.parse(rule.createdAt);
      const known = wanted.get(name);
      if (!known) wanted.set(name, { cron: rule.schedule, timeZone, since: created });
      else known.since = Math.min(known.since, created);
    }
    for (const [name, s] of wanted) {
      if (tasks.has(name)) continue;
      try {
        scheduler.add({
          name,
          cron: s.cron,
          timeZone: s.timeZone,
          // Nothing to catch up from before the oldest rule on this schedule existed.
          catchUp: { notBefore: new Date(s.since) },
          run: async (fire) => {
            const report = await runAlertCycle(cycleDeps, fire.fireTime, {
              schedule: { cron: s.cron, timeZone: s.timeZone },
              manual: fire.manual,
            });
            deps.onCycle?.(report);
          },
        });
        tasks.add(name);
      } catch (err) {
        log.error({ err, task: name }, 'alerts: could not schedule');
      }
    }
    for (const name of tasks) {
      if (wanted.has(name)) continue;
      scheduler.remove(name);
      tasks.delete(name);
    }
  }

  await refresh();
  if (ownScheduler) await scheduler.start();
  if (ownDeliverer) deliverer?.start();
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => log.error({ err }, 'alerts: refresh failed'));
  }, deps.refreshMs ?? 60_000);
  timer.unref();

  return {
    refresh,
    scheduler,
    deliverer,
    sync,
    async stop() {
      clearInterval(timer);
      if (ownScheduler) await scheduler.stop();
      else {
        for (const name of tasks) scheduler.remove(name);
        await scheduler.idle();
      }
      tasks.clear();
      if (ownDeliverer) await deliverer?.stop();
    },
  };
}
