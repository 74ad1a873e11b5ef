// Which way to connect to Slack, decided from configuration alone (no Bolt loaded), so a missing
// variable can be reported before anything heavy starts.
import type { Config } from '../config.ts';

export type SlackMode = 'http' | 'socket';

export type SlackCredentials =
  | { ok: true; mode: 'http'; botToken: string; signingSecret: string }
  | { ok: true; mode: 'socket'; botToken: string; appToken: string }
  | { ok: false; missing: string[] };

/** Which mode the configuration asks for, or which environment variables are missing. */
export function slackCredentials(slack: Config['slack']): SlackCredentials {
  const { botToken, signingSecret, appToken } = slack;
  if (appToken) {
    return botToken
      ? { ok: true, mode: 'socket', botToken, appToken }
      : { ok: false, missing: ['SLACK_BOT_TOKEN'] };
  }
  const missing = [
    ...(botToken ? [] : ['SLACK_BOT_TOKEN']),
    ...(signingSecret ? [] : ['SLACK_SIGNING_SECRET']),
  ];
  if (!botToken || !signingSecret) return { ok: false, missing };
  return { ok: true, mode: 'http', botToken, signingSecret };
}
