// Acknowledge and Snooze on an alert message: the alerts module decides, the listener redraws
// the alert (replace_original) and tells the person who clicked what happened.
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { ALERT_ACTION_PATTERN } from '../../../alerts/message.ts';
import { ACTION_WORDS } from '../../../messages/actions.ts';
import { wordsFor } from '../../../messages/lang.ts';
import { responder } from '../../respond.ts';
import type { ListenerDeps } from '../deps.ts';
import { newReference } from '../errors.ts';

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: ALERT_ACTION_PATTERN },
    async ({ ack, body, action }) => {
      await ack();
      deps.metrics?.acked('alert_button');
      const reply = responder(body.response_url, deps.responseUrl);
      const where = { user: body.user.id, action: action.action_id };
      try {
        if (!deps.alertAction) return;
        const result = await deps.alertAction({
          actionId: action.action_id,
          value: action.value,
          userId: body.user.id,
        });
        if (result.update) await reply({ replace_original: true, ...result.update });
        if (result.ephemeral) {
          await reply({
            response_type: 'ephemeral',
            replace_original: false,
            text: result.ephemeral,
          });
        }
        deps.logger.info(where, 'alert button handled');
      } catch (err) {
        const reference = newReference();
        deps.logger.error({ ...where, err, reference }, 'alert button failed');
        await reply({
          response_type: 'ephemeral',
          replace_original: false,
          text: wordsFor(ACTION_WORDS, deps.locale).failed(reference),
        }).catch(() => {});
      }
    },
  );
}
