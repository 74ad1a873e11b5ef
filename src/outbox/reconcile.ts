// Finding a post that may already have happened. Every post and thread reply carries its
// outbox key in Slack message metadata; before posting a message again whose earlier attempt
// may have reached Slack (the sender died between posting and recording it, or the answer was
// lost to a timeout or a 5xx), the deliverer reads the channel (or the thread) back from just
// before the message was created and looks for the key.
//
// Why this and not "mark sending, then assume sent": assuming loses the alert when the earlier
// attempt never reached Slack; reading back is the only way to know. It needs the
// channels:history (and groups:history for private channels) scope. Without it the lookup
// fails and the message is posted again (at least once beats at most once for an alert), with
// a warning in the log.
import type { SlackWebApi } from './slack-api.ts';

/** `event_type` of the metadata every outbox message carries. */
export const METADATA_EVENT_TYPE = 'kpibot_outbox_message';

export function outboxMetadata(key: string): {
  event_type: string;
  event_payload: { idempotency_key: string };
} {
  return { event_type: METADATA_EVENT_TYPE, event_payload: { idempotency_key: key } };
}

interface SlackMessage {
  ts?: string;
  thread_ts?: string;
  metadata?: { event_type?: string; event_payload?: { idempotency_key?: unknown } };
}

/** Pages read at most; each holds up to 200 messages since the message was created. */
const MAX_PAGES = 10;
/** Look this far before the message's creation (clock skew between us and Slack). */
const SKEW_S = 120;

export interface LookupTarget {
  /** A channel id (C…/G…/D…): conversations.history does not take names. */
  channelId: string;
  key: string;
  /** When the outbox message was created: the post, if any, is after this. */
  since: Date;
  /** For a thread reply: the parent's ts (the replies are read instead of the channel). */
  threadTs?: string;
}

/**
 * The ts of the earlier post of `key`, or null when there is none. Throws what the Web API
 * throws (the caller classifies it: rate limit, missing scope…).
 */
export async function findEarlierPost(
  api: SlackWebApi,
  target: LookupTarget,
): Promise<string | null> {
  const oldest = (Math.floor(target.since.getTime() / 1000) - SKEW_S).toString();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const args: Record<string, unknown> = {
      channel: target.channelId,
      oldest,
      limit: 200,
      include_all_metadata: true,
      ...(cursor ? { cursor } : {}),
    };
    const answer = target.threadTs
      ? await api.apiCall('conversations.replies', { ...args, ts: target.threadTs })
      : await api.apiCall('conversations.history', args);
    const messages = Array.isArray(answer.messages) ? (answer.messages as SlackMessage[]) : [];
    for (const m of messages) {
      if (
        m.metadata?.event_type === METADATA_EVENT_TYPE &&
        m.metadata.event_payload?.idempotency_key === target.key &&
        typeof m.ts === 'string'
      ) {
        return m.ts;
      }
    }
    const next = (answer.response_metadata as { next_cursor?: unknown } | undefined)?.next_cursor;
    if (typeof next !== 'string' || next === '') return null;
    cursor = next;
  }
  return null;
}
