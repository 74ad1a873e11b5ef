// `/kpi …`: acknowledge at once (an empty ack, so Slack shows nothing yet), then compute and
// answer through response_url, visible only to the person who asked. A few answers are computed
// at once (answer-slots.ts), so answer work never holds up the next command's ack.
import type { App } from '@slack/bolt';
import { apologyView, type Rendered, renderForSlack } from '../../../commands/views/slack.ts';
import type { CommandContext } from '../../../reply/command.ts';
import { answerSlots, FULL } from '../../answer-slots.ts';
import { responder } from '../../respond.ts';
import { adminCheck } from '../admin.ts';
import type { ListenerDeps } from '../deps.ts';
import { describeTransportError, newReference } from '../errors.ts';

export const KPI_COMMAND = '/kpi';

/** Answers computed at once: enough to keep the store busy, few enough to leave acks the loop. */
const ANSWERS_AT_ONCE = 4;
/**
 * Answers waiting for a slot at most (about 5 s of answers at the soak's rate; each holds a few
 * KB): past it a command is told to ask again, at once, instead of waiting minutes.
 */
export const ANSWERS_WAITING_MAX = 200;

const BUSY: Rendered = renderForSlack(
  {
    kind: 'message',
    tone: 'info',
    title: 'Many questions at once',
    lines: ['kpibot is answering a lot of questions right now. Please ask again in a minute.'],
  },
  { locale: 'en', withShareButton: false },
);

export function register(app: App, deps: ListenerDeps): void {
  const inSlot = answerSlots(ANSWERS_AT_ONCE, ANSWERS_WAITING_MAX);
  app.command(KPI_COMMAND, async ({ command, ack, client }) => {
    const started = performance.now();
    await ack();
    deps.metrics?.acked(KPI_COMMAND);
    const where = { user: command.user_id, channel: command.channel_id, text: command.text };
    const ctx: CommandContext = {
      userId: command.user_id,
      channelId: command.channel_id,
      isAdmin: adminCheck(client, command.user_id, deps),
    };
    const replied = await inSlot(() => reply(command.text, ctx, deps, where));
    const { message, kind } = replied === FULL ? { message: BUSY, kind: 'busy' } : replied;
    try {
      await responder(
        command.response_url,
        deps.responseUrl,
      )({
        response_type: 'ephemeral',
        ...message,
      });
      deps.metrics?.answered(kind, (performance.now() - started) / 1000, true);
      deps.logger.info({ ...where, outcome: kind }, 'kpi command answered');
    } catch (err) {
      deps.metrics?.answered(kind, (performance.now() - started) / 1000, false);
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
