// Channel names to channel ids. A message may be addressed by name (`#marketing`, as people
// write it in the config and in Slack), but the look-up for a post that may already have landed
// (reconcile.ts) reads conversations.history, which takes ids only. So a name is resolved
// before the first post (conversations.list: the channels:read and groups:read scopes) and the
// id is kept on the outbox row: every later attempt, and every later message to that name,
// posts to that id and can look for an earlier post there.
import { z } from 'zod';
import type { SlackWebApi } from './slack-api.ts';

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/** A channel, private channel or DM id (`C0123…`, `G…`, `D…`), not a name. */
export function isChannelId(ref: string): boolean {
  return CHANNEL_ID.test(ref);
}

/** `#Marketing ` → `marketing`: Slack channel names are lower case, without the `#`. */
export function channelName(ref: string): string {
  return ref.trim().replace(/^#/, '').toLowerCase();
}

const listAnswer = z.object({
  channels: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** 1,000 channels a page (Slack's maximum), at most this many pages. */
const MAX_PAGES = 50;

/**
 * The id of the channel named `ref`, among those the bot can see (every public channel, the
 * private ones it is in); undefined when there is none. Throws what the Web API throws.
 */
export async function findChannelId(api: SlackWebApi, ref: string): Promise<string | undefined> {
  const name = channelName(ref);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = listAnswer.parse(
      await api.apiCall('conversations.list', {
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      }),
    );
    const found = answer.channels.find((c) => c.name === name);
    if (found) return found.id;
    cursor = answer.response_metadata?.next_cursor;
    if (!cursor) return undefined;
  }
  return undefined;
}
