// The record of Slack requests already seen, shared by the replicas through the store: a signed
// request is run once, whichever replica it reaches and however often it is sent. See
// schema-slack.ts for the table.
import type { Db } from './db.ts';

/** How long a key is remembered. */
export const SEEN_FOR_SECONDS = 3_600;
/**
 * A retry may take over an unhandled claim this old: the replica that claimed it died before
 * answering (a live one acks within Slack's 3 seconds).
 */
export const ABANDONED_AFTER_SECONDS = 30;

export type Claim = 'claimed' | 'seen';

export interface SlackRequestLedger {
  /**
   * 'claimed': run it (and settle it afterwards); 'seen': another attempt has it. A retry also
   * claims a key whose claim was abandoned (never handled, older than ABANDONED_AFTER_SECONDS).
   */
  claim(key: string, opts: { retry: boolean }): Promise<Claim>;
  /** Handled (answered 2xx): kept as seen. Not handled: forgotten, so Slack's retry runs it. */
  settle(key: string, handled: boolean): Promise<void>;
}

const PURGE = 'delete from slack_requests where expires_at < now()';

const CLAIM = `
  insert into slack_requests (key, expires_at)
  values ($1, now() + make_interval(secs => $2))
  on conflict (key) do update set claimed_at = now()
    where $3::boolean and not slack_requests.handled
      and slack_requests.claimed_at < now() - make_interval(secs => $4)
  returning key`;

export function slackRequestLedger(db: Db): SlackRequestLedger {
  return {
    async claim(key, { retry }) {
      await db.query(PURGE);
      const rows = await db.query(CLAIM, [key, SEEN_FOR_SECONDS, retry, ABANDONED_AFTER_SECONDS]);
      return rows.length > 0 ? 'claimed' : 'seen';
    },
    async settle(key, handled) {
      await db.query(
        handled
          ? 'update slack_requests set handled = true where key = $1'
          : 'delete from slack_requests where key = $1 and not handled',
        [key],
      );
    },
  };
}
