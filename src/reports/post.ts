// Posting a subscription's summary: built, rendered and written to the outbox in one transaction
// (the message and its thread reply with the business KPIs by channel), under the key
// `summary:<subscription>:<period>`. The key makes the post once-only: a second firing for the
// same period (another replica, a late catch-up, a manual run) finds it and does nothing, and the
// outbox delivers it once, with retries, even if Slack is down when it is written.
import { enqueue, findByKey } from '../outbox/store.ts';
import type { Db } from '../store/db.ts';
import { buildSummaryReport, type SummaryReport } from './build.ts';
import type { ReportDeps } from './deps.ts';
import { loadSubscriptions } from './store.ts';
import {
  periodForFiring,
  type Subscription,
  subscriptionCron,
  summaryPostKey,
} from './subscription.ts';
import { renderBreakdownBlocks, renderSummaryBlocks } from './summary.ts';

export interface SummaryPostDeps extends ReportDeps {
  /** Told when messages were written to the outbox (e.g. the deliverer's `wake`). */
  onEnqueued?: () => void;
}

/** A scheduler firing, as src/scheduler/scheduler.ts passes it. */
export interface SummaryFire {
  fireTime: Date;
  /** Caught up on start: the summary says it is late. */
  late: boolean;
}

export type PostResult = { status: 'enqueued' | 'exists'; key: string; period: string };

/** The thread reply's key: the summary's key plus `:by-channel`. */
export function breakdownKey(summaryKey: string): string {
  return `${summaryKey}:by-channel`;
}

type Build = (period: string, timeZone: string, late: boolean) => Promise<SummaryReport>;

/** Builds each (period, timezone, late) once per firing, however many subscriptions share it. */
function memoBuild(deps: ReportDeps): Build {
  const cache = new Map<string, Promise<SummaryReport>>();
  return (period, timeZone, late) => {
    const key = JSON.stringify([period, timeZone, late]);
    let built = cache.get(key);
    if (!built) {
      built = buildSummaryReport(deps, { period, timeZone, late, breakdown: true });
      cache.set(key, built);
    }
    return built;
  };
}

/** Posts one subscription's summary for the period the firing covers (once per period). */
export async function postSubscriptionSummary(
  deps: SummaryPostDeps,
  sub: Subscription,
  fire: SummaryFire,
  build: Build = memoBuild(deps),
): Promise<PostResult> {
  const timeZone = sub.timeZone ?? deps.config.timeZone;
  const period = periodForFiring(sub.kind, fire.fireTime, timeZone);
  const key = summaryPostKey(sub.id, period);
  if (await findByKey(deps.db, key)) return { status: 'exists', key, period };

  const report = await build(period, timeZone, fire.late);
  const message = renderSummaryBlocks(report.summary);
  const thread = renderBreakdownBlocks(report.summary, report.breakdown);
  const added = await deps.db.transaction(async (tx: Db) => {
    const posted = await enqueue(tx, {
      idempotencyKey: key,
      channel: sub.channel,
      kind: 'post',
      payload: { ...message, unfurl_links: false, unfurl_media: false },
    });
    if (!posted) return false;
    await enqueue(tx, {
      idempotencyKey: breakdownKey(key),
      channel: sub.channel,
      kind: 'thread-reply',
      threadOf: key,
      payload: thread,
    });
    return true;
  });
  if (added) {
    deps.onEnqueued?.();
    deps.logger.info(
      { subscription: sub.id, period, late: fire.late, channel: sub.channel },
      'reports: summary enqueued',
    );
  }
  return { status: added ? 'enqueued' : 'exists', key, period };
}

/** A schedule shared by subscriptions: the cron and the timezone it is read in. */
export interface SummarySchedule {
  cron: string;
  timeZone: string;
}

/** The schedule a subscription fires on. */
export function scheduleOf(sub: Subscription, defaultTimeZone: string): SummarySchedule {
  return { cron: subscriptionCron(sub), timeZone: sub.timeZone ?? defaultTimeZone };
}

/**
 * One firing of a schedule: every subscription on it that existed at the fire time gets its
 * summary. A subscription that fails is logged and the others still post; the firing then
 * fails (so the scheduler records it) once all were tried.
 */
export async function runSummaryFiring(
  deps: SummaryPostDeps,
  schedule: SummarySchedule,
  fire: SummaryFire,
): Promise<PostResult[]> {
  const subs = (await loadSubscriptions(deps.db)).filter((s) => {
    const own = scheduleOf(s, deps.config.timeZone);
    return (
      own.cron === schedule.cron &&
      own.timeZone === schedule.timeZone &&
      Date.parse(s.createdAt) <= fire.fireTime.getTime()
    );
  });
  const build = memoBuild(deps);
  const results: PostResult[] = [];
  const failures: string[] = [];
  for (const sub of subs) {
    try {
      results.push(await postSubscriptionSummary(deps, sub, fire, build));
    } catch (err) {
      failures.push(sub.id);
      deps.logger.error({ err, subscription: sub.id }, 'reports: summary could not be posted');
    }
  }
  if (failures.length > 0) {
    throw new Error(`summaries failed for ${failures.join(', ')}`);
  }
  return results;
}
