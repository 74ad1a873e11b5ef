// Whether `npm start` runs local mode, decided from configuration alone (nothing heavy loaded, so
// main.ts can ask before it loads Bolt or the store).
import type { Config } from '../config.ts';

/** Local mode is for when nothing about Slack is configured; half a configuration is a mistake. */
export function wantsLocalMode(slack: Config['slack']): boolean {
  return !slack.botToken && !slack.signingSecret && !slack.appToken;
}

/** The person using the local workspace's page (an admin there, so every command works). */
export const LOCAL_USER = { id: 'U0LOCAL', name: 'you', realName: 'You' } as const;
