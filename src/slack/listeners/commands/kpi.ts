// `/kpi …`: acknowledge at once (an empty ack, so Slack shows nothing yet), then compute and
// answer through response_url, visible only to the person who asked.
import type { App } from '@slack/bolt';
import { apologyView, type Rendered, renderForSlack } from '../../../commands/views/slack.ts';
import type { CommandContext } from '../../../reply/command.ts';
import { responder } from '../../respond.ts';
import { adminCheck } from '../admin.ts';
import type { ListenerDeps } from '../deps.ts';
import { describeTransportError, newReference } from '../errors.ts';

export const KPI_COMMAND = '/kpi';

export function register(app: App, deps: ListenerDeps): void {
  app.command(KPI_COMMAND, async ({ command, ack, client }) => {
    await ack();
    const where = { user: command.user_id, channel: command.channel_id, text: command.text };
    const ctx: CommandContext = {
      userId: command.user_id,
      channelId: command.channel_id,
      isAdmin: adminCheck(client, command.user_id, deps),
    };
    let message: Rendered;
    let kind = 'apology';
    try {
      const outcome = await deps.run(command.text, ctx);
      kind = outcome.kind;
      message = renderForSlack(outcome, {
        locale: deps.locale,
        withShareButton: outcome.kind === 'answer',
      });
    } catch (err) {
      const reference = newReference();
      deps.logger.error({ ...where, err, reference }, 'kpi command failed');
      message = apologyView(reference);
    }
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
