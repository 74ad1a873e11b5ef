// May this person change rules, goals and subscriptions? Yes when their id is in KPIBOT_ADMINS,
// or when Slack says they are a workspace admin or owner (users.info, scope users:read). Asked
// lazily (only commands that change something ask) and at most once per command.
import type { webApi } from '@slack/bolt';
import type { ListenerDeps } from './deps.ts';
import { describeTransportError } from './errors.ts';

export function adminCheck(
  client: webApi.WebClient,
  userId: string,
  deps: Pick<ListenerDeps, 'admins' | 'logger'>,
): () => Promise<boolean> {
  let answer: Promise<boolean> | undefined;
  const ask = async (): Promise<boolean> => {
    if (deps.admins.includes(userId)) return true;
    try {
      const info = await client.users.info({ user: userId });
      const u = info.user;
      return Boolean(u && !u.deleted && (u.is_admin || u.is_owner || u.is_primary_owner));
    } catch (err) {
      // Unknown is "no": a failed look-up must never grant rights.
      deps.logger.warn(
        { user: userId, err: describeTransportError(err) },
        'users.info failed: treating the person as not an admin',
      );
      return false;
    }
  };
  return () => {
    answer ??= ask();
    return answer;
  };
}
