// `/kpi …`: acknowledge at once (an empty ack, so Slack shows nothing yet), then compute and
// answer through response_url, visible only to the person who asked.
import type { App } from '@slack/bolt';
import { apologyView, renderForSlack } from '../../../commands/views/slack.ts';
import type { ListenerDeps } from '../deps.ts';
import { describeTransportError, newReference } from '../errors.ts';

export const KPI_COMMAND = '/kpi';

export function register(app: App, deps: ListenerDeps): void {
  app.command(KPI_COMMAND, async ({ command, ack, respond }) => {
    await ack();
    const where = { user: command.user_id, channel: command.channel_id, text: command.text };
    let message: { text: string; blocks: ReturnType<typeof renderForSlack>['blocks'] };
    try {
      const outcome = await deps.run(command.text, {
        userId: command.user_id,
        channelId: command.channel_id,
      });
      message = renderForSlack(outcome, {
        locale: deps.locale,
        withShareButton: outcome.kind === 'answer',
      });
      deps.logger.info({ ...where, outcome: outcome.kind }, 'kpi command answered');
    } catch (err) {
      const reference = newReference();
      deps.logger.error({ ...where, err, reference }, 'kpi command failed');
      message = apologyView(reference);
    }
    try {
      await respond({ response_type: 'ephemeral', ...message });
    } catch (err) {
      deps.logger.error(
        { ...where, err: describeTransportError(err) },
        'could not reply through response_url',
      );
    }
  });
}
