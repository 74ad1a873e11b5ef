// `/kpi …`: acknowledge at once (an empty ack, so Slack shows nothing yet), then compute and
// answer through response_url, visible only to the person who asked. A few answers are computed
// at once (answer-slots.ts), so answer work never holds up the next command's ack.
import type { App } from '@slack/bolt';
import { apologyView, type Rendered, renderForSlack } from '../../../commands/views/slack.ts';
import type { CommandContext } from '../../../reply/command.ts';
import { answerSlots } from '../../answer-slots.ts';
import { responder } from '../../respond.ts';
import { adminCheck } from '../admin.ts';
import type { ListenerDeps } from '../deps.ts';
import { describeTransportError, newReference } from '../errors.ts';

export const KPI_COMMAND = '/kpi';

/** Answers computed at once: enough to keep the store busy, few enough to leave acks the loop. */
const ANSWERS_AT_ONCE = 4;

export function register(app: App, deps: ListenerDeps): void {
  const inSlot = answerSlots(ANSWERS_AT_ONCE);
  app.command(KPI_COMMAND, async ({ command, ack, client }) => {
    await ack();
    const where = { user: command.user_id, channel: command.channel_id, text: command.text };
    const ctx: CommandContext = {
      userId: command.user_id,
      channelId: command.channel_id,
      isAdmin: adminCheck(client, command.user_id, deps),
    };
    const { message, kind } = await inSlot(() => reply(command.text, ctx, deps, where));
    try {
      await responder(
        command.response_url,
        deps.responseUrl,
      )({
        response_type: 'ephemeral',
        ...message,
      });
      deps.logger.info({ ...where, outcome: kind }, 'kpi command answered');
    } catch (err) {
      deps.logger.error(
        { ...where, outcome: kind, err: describeTransportError(err) },
        'could not reply through response_url',
      );
    }
  });
}

/** The reply to one command: its outcome rendered for Slack, or an apology with a reference. */
async function reply(
  text: string,
  ctx: CommandContext,
  deps: ListenerDeps,
  where: object,
): Promise<{ message: Rendered; kind: string }> {
  try {
    const outcome = await deps.run(text, ctx);
    const message = renderForSlack(outcome, {
      locale: deps.locale,
      withShareButton: outcome.kind === 'answer',
    });
    return { message, kind: outcome.kind };
  } catch (err) {
    const reference = newReference();
    deps.logger.error({ ...where, err, reference }, 'kpi command failed');
    return { message: apologyView(reference), kind: 'apology' };
  }
}
