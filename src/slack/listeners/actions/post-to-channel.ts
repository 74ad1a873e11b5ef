// "Post to channel" on an ephemeral answer: recompute the same question at the same instant
// (the button carries both), post it in the channel for everyone with who shared it, and remove
// the ephemeral copy.
import type { App, BlockAction, ButtonAction, webApi } from '@slack/bolt';
import {
  decodeShareValue,
  POST_TO_CHANNEL_ACTION,
  type Rendered,
  renderForSlack,
} from '../../../commands/views/slack.ts';
import { ACTION_WORDS } from '../../../messages/actions.ts';
import { wordsFor } from '../../../messages/lang.ts';
import { type Responder, responder } from '../../respond.ts';
import type { ListenerDeps } from '../deps.ts';
import { describeTransportError, newReference } from '../errors.ts';
import { buttonApology } from './apology.ts';

/** Slack errors meaning the bot cannot post there itself (private channel or DM it is not in). */
const CANNOT_POST_HERE = new Set(['not_in_channel', 'channel_not_found', 'restricted_action']);

function slackErrorOf(err: unknown): string | undefined {
  const data = (err as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** Posts as the bot; where the bot may not post, through the response_url (which Slack allows). */
async function postShared(
  client: webApi.WebClient,
  reply: Responder,
  channel: string,
  message: Rendered,
): Promise<'chat.postMessage' | 'response_url'> {
  try {
    await client.chat.postMessage({
      channel,
      ...message,
      unfurl_links: false,
      unfurl_media: false,
    });
    return 'chat.postMessage';
  } catch (err) {
    if (!CANNOT_POST_HERE.has(slackErrorOf(err) ?? '')) throw err;
    await reply({ response_type: 'in_channel', replace_original: false, ...message });
    return 'response_url';
  }
}

export function register(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(
    { type: 'block_actions', action_id: POST_TO_CHANNEL_ACTION },
    async ({ ack, body, action, client }) => {
      await ack();
      deps.metrics?.acked('post_to_channel');
      const userId = body.user.id;
      const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
      const share = decodeShareValue(action.value);
      const where = { user: userId, channel, text: share?.q };
      const reply = responder(body.response_url, deps.responseUrl);
      const tell = (message: Partial<Rendered>) =>
        reply({ response_type: 'ephemeral', replace_original: false, ...message }).catch(
          (err: unknown) =>
            deps.logger.error(
              { ...where, err: describeTransportError(err) },
              'could not reply through response_url',
            ),
        );

      if (!share || !channel) {
        deps.logger.warn(where, 'post to channel: unusable button');
        await tell({ text: wordsFor(ACTION_WORDS, deps.locale).expiredShare });
        return;
      }
      let message: Rendered;
      try {
        const outcome = await deps.run(share.q, {
          userId,
          channelId: channel,
          now: new Date(share.now),
        });
        message = renderForSlack(outcome, {
          locale: deps.locale,
          sharedBy: userId,
          withShareButton: false,
        });
      } catch (err) {
        const reference = newReference();
        deps.logger.error(
          { ...where, err, reference },
          'post to channel: recomputing the answer failed',
        );
        await tell(buttonApology(deps.locale, reference));
        return;
      }
      let via: string;
      try {
        via = await postShared(client, reply, channel, message);
      } catch (err) {
        const reference = newReference();
        deps.logger.error(
          { ...where, err: describeTransportError(err), reference },
          'post to channel failed',
        );
        await tell(buttonApology(deps.locale, reference));
        return;
      }
      deps.logger.info({ ...where, via }, 'answer posted to channel');
      await reply({ delete_original: true }).catch((err: unknown) =>
        deps.logger.warn(
          { ...where, err: describeTransportError(err) },
          'could not remove the ephemeral answer',
        ),
      );
    },
  );
}
