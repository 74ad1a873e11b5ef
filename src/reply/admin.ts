// Who may change rules, goals and subscriptions: asked through the command context (Slack fills
// it from KPIBOT_ADMINS or users.info). A check that cannot be made counts as "no".
import type { Logger } from '../logger.ts';
import type { CommandContext } from './command.ts';

export async function mayChange(
  ctx: CommandContext,
  logger: Pick<Logger, 'warn'>,
): Promise<boolean> {
  if (!ctx.isAdmin) return false;
  try {
    return (await ctx.isAdmin()) === true;
  } catch (err) {
    logger.warn({ err, user: ctx.userId }, 'could not check whether the user is an admin');
    return false;
  }
}
