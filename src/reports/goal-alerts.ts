// Goal alerts: once a day (09:00 in the configured timezone, one task on the shared scheduler,
// each firing claimed once across replicas) every paced goal — a total with a period (`revenue
// 500000 kr per month`) — that has a channel is paced through its current period, exactly as the
// summary does it (goal-report.ts), and when it is off track its channel is told, e.g. "at this
// pace revenue ends the month at 412 000 kr, 18 % short; 29 000 kr a day needed from here".
//
// Decisions (kept small on purpose):
// - At most ONE message per goal and period: it goes through the outbox under the key
//   `goal-alert:<goal>:<period>` (`2026-11`, `2026-W47`…), written in a transaction, so a second
//   run the same day, the next days, another replica or a manual run add nothing, and it is
//   delivered even if Slack is down when it is written.
// - Nothing is said when the goal is back on track later in the same period, nor when it goes
//   off track again: the next message can only come in the next period. Changing a goal's target
//   keeps its id, so it does not re-alert within the period either.
// - The first days are guarded by pacing.ts (`too_early` while fewer than max(3 days, 10 %) of
//   the period are complete): no projection, no alert. A cap that is already exceeded is a fact,
//   not a projection, and is off track (and alerted) whenever it happens.
// - Only `off_track` alerts; `at_risk` does not. Goals without a channel never post, nor do goals
//   on ratios (nothing to pace) or goals whose KPI has no data in the period yet.
// - "Today" is the clock at the run (not the firing's scheduled time), so a firing caught up late
//   judges the data as it is then.

import { isAdditiveTotal } from '../kpi/evaluate.ts';
import { enqueue, findByKey } from '../outbox/store.ts';
import { escapeMrkdwn } from '../reply/mrkdwn.ts';
import type { TaskDefinition } from '../scheduler/scheduler.ts';
import type { Db } from '../store/db.ts';
import type { Goal } from './goal.ts';
import { unitContaining, unitPhrase } from './goal-periods.ts';
import { reportGoals, todayFor } from './goal-report.ts';
import { allGoals } from './goals.ts';
import type { SummaryPostDeps } from './post.ts';

/** The scheduler task's name (shared by every replica: part of the claim key). */
export const GOAL_ALERT_TASK = 'goal-alerts';
/** Every day at 09:00 (in the configured timezone). */
export const GOAL_ALERT_CRON = '0 9 * * *';

/** The outbox key of a goal's alert for a period: at most one per goal and period. */
export function goalAlertKey(goalId: string, period: string): string {
  return `goal-alert:${goalId}:${period}`;
}

export interface GoalAlertResult {
  goal: string;
  /** The period judged: `2026-11`, `2026-W47`… */
  period: string;
  status: 'enqueued' | 'exists' | 'not_off_track';
  key: string;
}

/** Paced goals with a channel: the only ones that can post. */
function alertable(
  deps: SummaryPostDeps,
  goal: Goal,
): goal is Goal & Required<Pick<Goal, 'per' | 'channel'>> {
  return (
    goal.channel !== undefined &&
    goal.per !== undefined &&
    deps.catalog.get(goal.kpi) !== undefined &&
    isAdditiveTotal(deps.catalog, goal.kpi)
  );
}

/**
 * Checks every paced goal with a channel as of `now` (default: the clock) and enqueues one
 * message for each that is off track and has not been told about in this period.
 */
export async function runGoalAlerts(
  deps: SummaryPostDeps,
  now: Date = deps.now(),
): Promise<GoalAlertResult[]> {
  const today = todayFor(deps, now);
  const results: GoalAlertResult[] = [];
  for (const goal of (await allGoals(deps)).filter((g) => alertable(deps, g))) {
    const period = unitPhrase(goal.per, today);
    const key = goalAlertKey(goal.id, period);
    if (await findByKey(deps.db, key)) {
      results.push({ goal: goal.id, period, status: 'exists', key });
      continue;
    }
    const [report] = await reportGoals(deps, [goal], {
      period: unitContaining(goal.per, today),
      answers: [],
      today,
    });
    if (report?.status !== 'off_track') {
      results.push({ goal: goal.id, period, status: 'not_off_track', key });
      continue;
    }
    const text = `Goal ${goal.id} is off track: ${report.text}`;
    const added = await deps.db.transaction((tx: Db) =>
      enqueue(
        tx,
        {
          idempotencyKey: key,
          channel: goal.channel,
          kind: 'post',
          payload: {
            text: escapeMrkdwn(text),
            blocks: [
              {
                type: 'section',
                text: {
                  type: 'mrkdwn',
                  text: `:warning: *Goal ${escapeMrkdwn(goal.id)} is off track*: ${escapeMrkdwn(report.text)}`,
                },
              },
            ],
            unfurl_links: false,
            unfurl_media: false,
          },
        },
        now,
      ),
    );
    if (added) {
      deps.onEnqueued?.();
      deps.logger.info(
        { goal: goal.id, period, channel: goal.channel },
        'reports: goal alert enqueued',
      );
    }
    results.push({ goal: goal.id, period, status: added ? 'enqueued' : 'exists', key });
  }
  return results;
}

/** The daily goal check, for `scheduler.add` (in src/background.ts). */
export function goalAlertTask(deps: SummaryPostDeps): TaskDefinition {
  return {
    name: GOAL_ALERT_TASK,
    cron: GOAL_ALERT_CRON,
    timeZone: deps.config.timeZone,
    run: async () => {
      await runGoalAlerts(deps);
    },
  };
}
