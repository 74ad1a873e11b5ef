// Slack's v0 request signature: what Slack sends with every slash command and interaction, and
// what the app's receiver checks (HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret).
import { createHmac } from 'node:crypto';

/** Slack's v0 request signature for `body` sent at `timestampSec`. */
export function signSlackRequest(
  signingSecret: string,
  timestampSec: number,
  body: string,
): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}
