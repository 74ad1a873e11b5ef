// The work kpibot does on its own: one scheduler (alert checks, subscribed summaries, the daily
// goal check, SQL source syncs; each firing claimed once across replicas) and one outbox
// deliverer that sends what they enqueue.
import { hostname } from 'node:os';
import { recordAlertMessage, startAlerting } from './alerts/start.ts';
import { requireSourceUrls } from './config.ts';
import type { Logger } from './logger.ts';
import type { ImportMetrics, OutboxMetrics, SchedulerMetrics } from './metrics.ts';
import { createDeliverer } from './outbox/deliverer.ts';
import { createSlackWebApi } from './outbox/slack-api.ts';
import { goalAlertTask } from './reports/goal-alerts.ts';
import { startSummarySchedules } from './reports/schedule.ts';
import { backupTask } from './scheduler/backup-task.ts';
import { retentionTask } from './scheduler/retention-task.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import type { Services } from './services.ts';
import { sourceTasks } from './sources/task.ts';

export interface Background {
  /** Re-reads alert rules and subscriptions (after a command changed them). */
  refresh(): Promise<void>;
  /** Runs every scheduled task now (alert checks, summaries), as a manual firing. */
  runJobsNow(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBackground(
  services: Services,
  slack: { botToken: string; apiUrl?: string },
  logger: Logger,
  metrics?: OutboxMetrics & SchedulerMetrics & ImportMetrics,
): Promise<Background> {
  const replicaId = `${hostname()}:${process.pid}`;
  const deliverer = createDeliverer({
    db: services.db,
    logger,
    replicaId,
    onSent: recordAlertMessage,
    ...(metrics ? { metrics } : {}),
    slack: createSlackWebApi({ token: slack.botToken, apiUrl: slack.apiUrl }),
  });
  deliverer.start();
  const scheduler = createScheduler({
    db: services.db,
    logger,
    timeZone: services.config.timeZone,
    replicaId,
    now: services.now,
    ...(metrics ? { metrics } : {}),
  });
  const alerting = await startAlerting({
    ...services,
    replicaId,
    deliverer,
    scheduler,
    configRules: services.config.alerts,
  });
  const summaries = await startSummarySchedules(
    { ...services, onEnqueued: () => deliverer.wake() },
    scheduler,
  );
  scheduler.add(goalAlertTask({ ...services, onEnqueued: () => deliverer.wake() }));
  scheduler.add(retentionTask({ ...services, logger, retention: services.config.retention }));
  const backup = backupTask({ ...services, logger, backup: services.config.backup });
  if (backup) scheduler.add(backup);
  const syncDeps = {
    ...services,
    logger,
    timeZone: services.config.timeZone,
    ...(metrics ? { metrics } : {}),
  };
  // Checked at start (main.ts), so this does not throw there.
  for (const task of sourceTasks(syncDeps, requireSourceUrls(services.config))) {
    scheduler.add(task);
  }
  // Started after every task was registered, so missed firings are caught up once.
  await scheduler.start();
  return {
    async refresh() {
      await Promise.all([alerting.refresh(), summaries.refresh()]);
    },
    async runJobsNow() {
      for (const name of scheduler.names()) await scheduler.runNow(name);
    },
    async stop() {
      await summaries.stop();
      await alerting.stop();
      await scheduler.stop();
      await deliverer.stop();
    },
  };
}
