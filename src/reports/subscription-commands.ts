// `/kpi subscribe weekly|monthly [#channel] [monday 08:00] [timezone]`, `/kpi subscriptions`,
// `/kpi unsubscribe <id>`.
//
// Subscribing posts into a channel on a schedule, like an alert rule, so it follows the same
// admin rule: admins only, a polite refusal otherwise, every change audited.

import { suggestNames } from '../kpi/names.ts';
import { wordsFor } from '../messages/lang.ts';
import { SUBSCRIPTION_WORDS, type SubscriptionWords } from '../messages/subscriptions.ts';
import { adminChange, type ChangeKind } from '../reply/admin.ts';
import type { CommandContext } from '../reply/command.ts';
import { error, firstWord, message } from '../reply/command.ts';
import { channelText, escapeMrkdwn, userMention } from '../reply/mrkdwn.ts';
import { SUBSCRIPTION_CHANGES } from './command-kit.ts';
import type { ReportDeps } from './deps.ts';
import type { ReportOutcome } from './outcome.ts';
import {
  deleteSubscription,
  getSubscription,
  insertSubscription,
  loadSubscriptions,
  nextSubscriptionId,
} from './store.ts';
import {
  describeSubscription,
  parseSubscriptionText,
  SUBSCRIBE_EXAMPLES,
  type Subscription,
  subscriptionCron,
} from './subscription.ts';

export interface SubscriptionHooks {
  /** Told after a subscription was added or removed (e.g. the scheduler's refresh). */
  onSubscriptionsChanged?: () => void;
}

const LIST_MAX = 40;

/** Subscriptions as `adminChange` changes them: `hooks` is told after each change. */
function changes(hooks: SubscriptionHooks, w: SubscriptionWords): ChangeKind {
  return {
    ...SUBSCRIPTION_CHANGES,
    refusal: () => message('refused', w.refusalTitle, [w.refusalBody, w.refusalLook]),
    onChanged: () => hooks.onSubscriptionsChanged?.(),
  };
}

/** The words of the subscription commands in the configured locale's language. */
function wordsOf(deps: ReportDeps): SubscriptionWords {
  return wordsFor(SUBSCRIPTION_WORDS, deps.config.locale);
}

function when(deps: ReportDeps, sub: Subscription): string {
  return escapeMrkdwn(describeSubscription(sub, deps.config.timeZone, deps.config.locale));
}

function line(deps: ReportDeps, sub: Subscription): string {
  return [
    `*${escapeMrkdwn(sub.id)}* ${channelText(sub.channel)}: ${when(deps, sub)}`,
    `      ${wordsOf(deps).setUpBy(userMention(sub.createdBy), sub.createdAt.slice(0, 10))}`,
  ].join('\n');
}

export async function subscribe(
  text: string,
  ctx: CommandContext,
  deps: ReportDeps,
  hooks: SubscriptionHooks = {},
): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  return adminChange(ctx, deps, changes(hooks, w), async ({ now, transaction }) => {
    const parsed = parseSubscriptionText(text);
    if (!parsed.ok) return error(parsed.error, SUBSCRIBE_EXAMPLES);
    const draft = parsed.draft;
    const channel =
      draft.channel ?? (ctx.channelId && /^[CG]/.test(ctx.channelId) ? ctx.channelId : undefined);
    if (!channel) {
      return error(w.whichChannel, [`/kpi subscribe ${text.trim()} #marketing`]);
    }
    return transaction(async (tx, audit) => {
      const sub: Subscription = {
        id: await nextSubscriptionId(tx),
        kind: draft.kind,
        channel,
        hour: draft.hour,
        minute: draft.minute,
        createdBy: ctx.userId,
        createdAt: now.toISOString(),
      };
      if (draft.weekday !== undefined) sub.weekday = draft.weekday;
      if (draft.dayOfMonth !== undefined) sub.dayOfMonth = draft.dayOfMonth;
      if (draft.timeZone !== undefined) sub.timeZone = draft.timeZone;
      const same = (await loadSubscriptions(tx)).find(
        (s) =>
          s.channel === sub.channel &&
          s.kind === sub.kind &&
          subscriptionCron(s) === subscriptionCron(sub) &&
          (s.timeZone ?? deps.config.timeZone) === (sub.timeZone ?? deps.config.timeZone),
      );
      if (same) {
        return message('info', w.exists(same.id), [line(deps, same), w.nothingAdded]);
      }
      await insertSubscription(tx, sub);
      await audit({ action: 'add', id: sub.id, detail: { text, subscription: sub } });
      return message('ok', w.added(sub.id), [
        w.goesTo(channelText(sub.channel), when(deps, sub)),
        w.late,
        w.stopWith(sub.id),
      ]);
    });
  });
}

export async function listSubscriptions(deps: ReportDeps): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  const subs = await loadSubscriptions(deps.db);
  if (subs.length === 0) {
    return message('info', w.noneTitle, [w.addOne(SUBSCRIBE_EXAMPLES[1] ?? '')]);
  }
  const lines = subs.slice(0, LIST_MAX).map((s) => line(deps, s));
  if (subs.length > LIST_MAX) lines.push(w.andMore(subs.length - LIST_MAX));
  return message('info', w.listTitle(subs.length), lines);
}

export async function unsubscribe(
  idText: string,
  ctx: CommandContext,
  deps: ReportDeps,
  hooks: SubscriptionHooks = {},
): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  return adminChange(ctx, deps, changes(hooks, w), async ({ transaction }) => {
    const { word: id } = firstWord(idText);
    if (id === '') return error(w.whichId, ['/kpi subscriptions']);
    return transaction(async (tx, audit) => {
      const sub = await getSubscription(tx, id);
      if (!sub) {
        const ids = (await loadSubscriptions(tx)).map((s) => s.id);
        const retry = (s: string) => `/kpi unsubscribe ${s}`;
        return error(
          w.noSuchSubscription(escapeMrkdwn(id)),
          ['/kpi subscriptions'],
          suggestNames(id, ids).map(retry),
        );
      }
      await deleteSubscription(tx, id);
      await audit({ action: 'remove', id, detail: { subscription: sub } });
      return message('ok', w.removed(id), [w.noMore(channelText(sub.channel))]);
    });
  });
}
