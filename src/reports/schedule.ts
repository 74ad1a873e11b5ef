// Subscriptions on the scheduler: one task per distinct schedule (cron + timezone), posting the
// summary of every subscription on it. Each firing is claimed once across replicas by the
// scheduler; the latest firing missed while every replica was down is caught up once on start
// (`late`), never one from before the oldest subscription on the schedule existed. The post
// itself is once-only per subscription and period (post.ts), whatever runs it.
//
// Subscriptions change at run time, so `startSummarySchedules` re-reads them on `refresh()`
// (call it after `/kpi subscribe`) and every minute, adding and removing tasks.
import type { Scheduler, TaskDefinition } from '../scheduler/scheduler.ts';
import {
  runSummaryFiring,
  type SummaryPostDeps,
  type SummarySchedule,
  scheduleOf,
} from './post.ts';
import { loadSubscriptions } from './store.ts';

/** The scheduler task of a schedule. */
export function summaryTaskName(schedule: SummarySchedule): string {
  return `summaries|${schedule.timeZone}|${schedule.cron}`;
}

/** The task of one schedule: `since` is when its oldest subscription was made. */
export function summaryTask(
  deps: SummaryPostDeps,
  schedule: SummarySchedule,
  since: Date,
): TaskDefinition {
  return {
    name: summaryTaskName(schedule),
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    catchUp: { notBefore: since },
    run: async (fire) => {
      await runSummaryFiring(deps, schedule, { fireTime: fire.fireTime, late: fire.late });
    },
  };
}

/** One task per distinct schedule of the subscriptions in the store, for `scheduler.add`. */
export async function summaryTasks(deps: SummaryPostDeps): Promise<TaskDefinition[]> {
  const wanted = new Map<string, { schedule: SummarySchedule; since: number }>();
  for (const sub of await loadSubscriptions(deps.db)) {
    const schedule = scheduleOf(sub, deps.config.timeZone);
    const name = summaryTaskName(schedule);
    const created = Date.parse(sub.createdAt);
    const known = wanted.get(name);
    if (!known) wanted.set(name, { schedule, since: created });
    else known.since = Math.min(known.since, created);
  }
  return [...wanted.values()].map(({ schedule, since }) =>
    summaryTask(deps, schedule, new Date(since)),
  );
}

export interface SummarySchedules {
  /** Re-reads the subscriptions and adds or removes tasks. */
  refresh(): Promise<void>;
  /** Removes the tasks and stops the refresh timer (runs in flight finish). */
  stop(): Promise<void>;
}

/**
 * Keeps the scheduler's summary tasks in step with the subscriptions. Add before or after
 * `scheduler.start()`; tasks added after it are armed at once (without catch-up).
 */
export async function startSummarySchedules(
  deps: SummaryPostDeps,
  scheduler: Scheduler,
  opts: { refreshMs?: number } = {},
): Promise<SummarySchedules> {
  const tasks = new Map<string, string>();
  const log = deps.logger.child({ component: 'reports' });

  async function refresh(): Promise<void> {
    const wanted = await summaryTasks(deps);
    const names = new Set(wanted.map((t) => t.name));
    for (const task of wanted) {
      // A schedule's oldest subscription may have changed (removed, re-added): re-add the task.
      const signature = JSON.stringify(task.catchUp);
      if (tasks.get(task.name) === signature) continue;
      if (tasks.has(task.name)) scheduler.remove(task.name);
      try {
        scheduler.add(task);
        tasks.set(task.name, signature);
      } catch (err) {
        log.error({ err, task: task.name }, 'reports: could not schedule summaries');
      }
    }
    for (const name of [...tasks.keys()]) {
      if (names.has(name)) continue;
      scheduler.remove(name);
      tasks.delete(name);
    }
  }

  await refresh();
  const timer = setInterval(() => {
    refresh().catch((err: unknown) => log.error({ err }, 'reports: refresh failed'));
  }, opts.refreshMs ?? 60_000);
  timer.unref();

  return {
    refresh,
    async stop() {
      clearInterval(timer);
      for (const name of tasks.keys()) scheduler.remove(name);
      tasks.clear();
      await scheduler.idle();
    },
  };
}
