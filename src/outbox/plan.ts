// The plan stage of a delivery attempt (deliverer.ts): which Web API call delivers a message.
// A thread reply needs its parent's ts and an update its target's; a parent not yet sent means
// wait, one that will never be sent means post alone; a channel name is resolved to its id
// first (channels.ts), so a lost answer can be looked for.
import type { Logger } from '../logger.ts';
import type { Db } from '../store/db.ts';
import { findChannelId } from './channels.ts';
import { classifySlackError, isConfigurationError, type SlackFailure } from './errors.ts';
import { type LookupTarget, outboxMetadata } from './reconcile.ts';
import type { SlackWebApi } from './slack-api.ts';
import { findByKey, knownChannelId, noteChannelId, type OutboxRow } from './store.ts';

export interface PlanContext {
  db: Db;
  slack: SlackWebApi;
  log: Logger;
  replicaId: string;
}

export type Plan =
  | {
      kind: 'send';
      method: string;
      args: Record<string, unknown>;
      /** Where to look for an earlier post (posts and replies; updates are idempotent). */
      lookup?: LookupTarget;
      /** Why the plan differs from what was asked (a reply posted alone…). */
      note?: string;
    }
  | { kind: 'skip'; reason: string }
  | { kind: 'wait'; reason: string }
  /** Could not get ready to send (the name look-up failed): try again later, nothing sent. */
  | { kind: 'retry'; failure: SlackFailure; stage: string };

/** Where a post goes: its channel id, or (the name could not be resolved) only the name. */
type Target = { channelId: string | undefined } | Extract<Plan, { kind: 'retry' }>;

/**
 * The channel id to post to and look in: the one this message (or an earlier one to the same
 * name) kept, else the name resolved now and kept on the row before anything is posted.
 */
async function target(ctx: PlanContext, row: OutboxRow): Promise<Target> {
  const { db, slack, log, replicaId } = ctx;
  const known = row.slackChannel ?? (await knownChannelId(db, row.channel));
  if (known) return { channelId: known };
  const where = { key: row.idempotencyKey, channel: row.channel };
  let channelId: string | undefined;
  try {
    channelId = await findChannelId(slack, row.channel);
  } catch (err) {
    const failure = classifySlackError(err);
    const passing =
      failure.kind === 'rate_limited' ||
      (failure.kind === 'retryable' && !failure.limited && !isConfigurationError(failure.detail));
    if (passing) {
      const notSent = failure.kind === 'retryable' ? { ...failure, maybeSent: false } : failure;
      return { kind: 'retry', failure: notSent, stage: 'conversations.list' };
    }
    // No channels:read scope (an older install), or an answer we cannot use: post by name.
    log.warn(
      { ...where, error: failure.detail },
      'outbox: cannot resolve the channel name; posting by name (a lost answer cannot be looked for)',
    );
    return { channelId: undefined };
  }
  if (!channelId) {
    log.warn(where, 'outbox: no channel of that name among those the bot can see');
    return { channelId: undefined };
  }
  await noteChannelId(db, row, replicaId, channelId);
  return { channelId };
}

/** Which Web API call delivers `row` now, or why it waits, is skipped or must be retried. */
export async function planAttempt(ctx: PlanContext, row: OutboxRow): Promise<Plan> {
  const { db } = ctx;
  /** chat.postMessage's arguments: no unfurls, the key in the metadata (to look for it later). */
  const postArgs = (where: Record<string, unknown>) => ({
    unfurl_links: false,
    unfurl_media: false,
    ...row.payload,
    ...where,
    metadata: outboxMetadata(row.idempotencyKey),
  });
  const post = async (note?: string): Promise<Plan> => {
    const to = await target(ctx, row);
    if ('kind' in to) return to;
    const { channelId } = to;
    return {
      kind: 'send',
      method: 'chat.postMessage',
      args: postArgs({ channel: channelId ?? row.channel }),
      ...(channelId
        ? { lookup: { channelId, key: row.idempotencyKey, since: row.createdAt } }
        : {}),
      ...(note ? { note } : {}),
    };
  };
  if (row.kind === 'post') return post();

  const refKey = row.kind === 'thread-reply' ? row.threadOf : row.updateOf;
  const ref = refKey ? await findByKey(db, refKey) : undefined;
  if (ref && (ref.status === 'pending' || ref.status === 'sending')) {
    return { kind: 'wait', reason: `waiting for ${refKey} to be sent first` };
  }
  const landed = ref?.status === 'sent' && ref.slackTs !== null ? ref : undefined;

  if (row.kind === 'update') {
    if (!landed) return { kind: 'skip', reason: `nothing to update: ${refKey} was never posted` };
    return {
      kind: 'send',
      method: 'chat.update',
      args: {
        ...row.payload,
        channel: landed.slackChannel ?? landed.channel,
        ts: landed.slackTs,
      },
    };
  }
  if (!landed) return post(`posted alone: ${refKey} was never posted`);
  const channel = landed.slackChannel ?? landed.channel;
  return {
    kind: 'send',
    method: 'chat.postMessage',
    args: postArgs({ channel, thread_ts: landed.slackTs }),
    lookup: {
      channelId: channel,
      key: row.idempotencyKey,
      since: row.createdAt,
      threadTs: landed.slackTs!,
    },
  };
}
