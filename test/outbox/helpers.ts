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

/** Teaches the stand-in conversations.history and conversations.replies (newest first). */
export function serveHistory(standin: SlackStandin): void {
  const asMessage = (c: RecordedCall) => ({
    type: 'message',
    ts: tsOf(c),
    text: c.body.text,
    ...(c.body.thread_ts ? { thread_ts: c.body.thread_ts } : {}),
    ...(c.body.metadata ? { metadata: c.body.metadata } : {}),
  });
  const since = (c: RecordedCall, oldest: unknown) =>
    Number(tsOf(c)) >= Number(typeof oldest === 'string' ? oldest : 0);
  standin.setApiHandler('conversations.history', ({ body }) => ({
    ok: true,
    messages: posts(standin)
      .filter((c) => c.body.channel === body.channel && !c.body.thread_ts && since(c, body.oldest))
      .map(asMessage)
      .reverse(),
    has_more: false,
  }));
  standin.setApiHandler('conversations.replies', ({ body }) => {
    const parent = posts(standin).find((c) => tsOf(c) === body.ts);
    if (!parent) return { ok: false, error: 'thread_not_found' };
    return {
      ok: true,
      messages: [
        asMessage(parent),
        ...posts(standin)
          .filter((c) => c.body.thread_ts === body.ts && since(c, body.oldest))
          .map(asMessage),
      ],
      has_more: false,
    };
  });
}

export async function startStandin(): Promise<SlackStandin> {
  const standin = await startSlackStandin({ signingSecret: 'outbox-secret', botToken: BOT_TOKEN });
  serveHistory(standin);
  return standin;
}
