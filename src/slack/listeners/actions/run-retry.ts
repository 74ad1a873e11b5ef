// "Run /kpi …" on a typo or unknown-value reply: run the corrected command the button carries,
// as `/kpi` would for the person who clicked, and put the answer in place of the reply.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { RUN_RETRY_ACTION, renderForSlack } from '../../../commands/views/slack.ts';
import { responder } from '../../respond.ts';
import type { ListenerDeps } from '../deps.ts';
import { describeTransportError, newReference } from '../errors.ts';
import { buttonApology } from './apology.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: RUN_RETRY_ACTION },
    async ({ ack, body, action }) => {
      await ack();
      deps.metrics?.acked(RUN_RETRY_ACTION);
      const userId = body.user.id;
      const channelId = body.channel?.id ?? (body.container.channel_id as string | undefined);
      const command = action.value ?? '';
      const where = { user: userId, channel: channelId, text: command };
      let message: ReturnType<typeof renderForSlack>;
      let kind: string;
      try {
        const outcome = await deps.run(command, { userId, ...(channelId ? { channelId } : {}) });
        message = renderForSlack(outcome, {
          locale: deps.locale,
          withShareButton: outcome.kind === 'answer',
        });
        kind = outcome.kind;
      } catch (err) {
        const reference = newReference();
        deps.logger.error({ ...where, err, reference }, 'run retry: answering failed');
        message = buttonApology(deps.locale, reference);
        kind = 'apology';
      }
      try {
        await responder(
          body.response_url,
          deps.responseUrl,
        )({ response_type: 'ephemeral', replace_original: true, ...message });
        deps.logger.info({ ...where, outcome: kind }, 'corrected command answered');
      } catch (err) {
        deps.logger.error(
          { ...where, err: describeTransportError(err) },
          'could not reply through response_url',
        );
      }
    },
  );
}
