// Shared by the outbox and alert tests: the Slack stand-in taught to read a channel back
// (conversations.history / conversations.replies, from the posts it recorded, metadata
// included), and small assertions over what was posted.
import type { RecordedCall, SlackStandin } from '../helpers/slack-standin.ts';
import { startSlackStandin } from '../helpers/slack-standin.ts';

export const BOT_TOKEN = 'xoxb-outbox-test';

interface PostAnswer {
  ok?: boolean;
  ts?: string;
  channel?: string;
}

/** Successful chat.postMessage calls, in arrival order. */
export function posts(standin: SlackStandin): RecordedCall[] {
  return standin
    .apiCalls('chat.postMessage')
    .filter((c) => c.status === 200 && (c.response as PostAnswer).ok === true);
}

export function tsOf(call: RecordedCall): string {
  return (call.response as PostAnswer).ts!;
}

/** The outbox key a post carried in its metadata. */
export function keyOf(call: RecordedCall): string | undefined {
  const metadata = call.body.metadata as
    | { event_payload?: { idempotency_key?: string } }
    | undefined;
  return metadata?.event_payload?.idempotency_key;
}

/** How many times each key was posted successfully. */
export function postCounts(standin: SlackStandin): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of posts(standin)) {
    const key = keyOf(c) ?? '(none)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export async function startStandin(): Promise<SlackStandin> {
  const standin = await startSlackStandin({ signingSecret: 'outbox-secret', botToken: BOT_TOKEN });
  return standin;
}
