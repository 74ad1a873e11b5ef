// What the person at the page does, played towards the app as Slack plays it: text typed into a
// channel (a slash command, signed and posted to the app; or a plain message), a button clicked
// (a signed block_actions payload), an ephemeral message dismissed. When the app refuses or does
// not answer, the person gets Slack's own kind of notice, visible only to them.
import { type Channel, SLACKBOT, type StoredMessage } from './conversations.ts';
import type { SlackStandin, SlashCommandSent } from './standin.ts';

/** Where the local workspace logs (pino's shape). */
export interface WorkspaceLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface TypedResult {
  ok: boolean;
  /** The response_url id of a slash command sent to the app. */
  responseId?: string;
  error?: string;
}

/** Text a person typed, as Slack sends it on: `&`, `<` and `>` escaped. */
export function escapeForSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slackbot notice only the person sees ("/kpi failed with the error …"). */
function notice(ws: SlackStandin, channel: string, user: string, text: string): StoredMessage {
  return ws.conversations.add({ channel, user: SLACKBOT, visibleTo: user, text });
}

/** The person at the page and what they act on. */
interface Person {
  standin: SlackStandin;
  me: { id: string; name: string };
  commands: readonly string[];
  log: WorkspaceLogger | undefined;
}

/** A slash command's name (lower-cased) and arguments, or undefined for a plain message. */
function parseSlash(text: string): { command: string; args: string } | undefined {
  const slash = /^(\/\S+)\s*([\s\S]*)$/.exec(text);
  return slash ? { command: slash[1]!.toLowerCase(), args: slash[2]!.trim() } : undefined;
}

/** An immediate answer in a slash command's ack body, as a response_url post would carry it. */
function ackAnswer(raw: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : { text: raw };
  } catch {
    return { text: raw };
  }
}

function postPlain(p: Person, channel: Channel, text: string, threadTs?: string): TypedResult {
  p.standin.conversations.add({
    channel: channel.id,
    user: p.me.id,
    text: escapeForSlack(text),
    ...(threadTs ? { threadTs } : {}),
  });
  return { ok: true };
}

/** Why the command cannot be sent (told to the person), or undefined if it can. */
function refuseCommand(p: Person, channel: Channel, command: string): TypedResult | undefined {
  const { standin, me, commands } = p;
  if (!commands.includes(command)) {
    notice(
      standin,
      channel.id,
      me.id,
      `\`${escapeForSlack(command)}\` is not a valid command. This workspace knows ${commands.map((c) => `\`${c}\``).join(', ')}.`,
    );
    return { ok: false, error: 'invalid_command' };
  }
  if (!standin.eventsUrl) {
    notice(standin, channel.id, me.id, 'The app is not connected yet. Try again in a moment.');
    return { ok: false, error: 'app_not_connected' };
  }
  return undefined;
}

/** What the app's ack means for the person: the echo's end, notices, an answer in the body. */
function afterAck(
  p: Person,
  channel: Channel,
  command: string,
  echo: StoredMessage,
  sent: SlashCommandSent,
): TypedResult {
  const { standin, me } = p;
  echo.responseId = sent.responseId;
  const answeredAlready = standin.messages.some(
    (m) => m.responseId === sent.responseId && m.command === undefined,
  );
  if (answeredAlready || sent.status !== 200) standin.conversations.answered(undefined, echo);
  else standin.conversations.changed(echo);
  if (sent.status !== 200) {
    notice(
      standin,
      channel.id,
      me.id,
      `\`${command}\` failed with the error "dispatch_failed" (the app answered HTTP ${sent.status}).`,
    );
    return { ok: false, responseId: sent.responseId, error: 'dispatch_failed' };
  }
  if (sent.elapsedMs > 3000) {
    notice(
      standin,
      channel.id,
      me.id,
      `The app took ${(sent.elapsedMs / 1000).toFixed(1)} s to acknowledge \`${command}\`: in Slack this fails with "operation_timeout" (the limit is 3 s).`,
    );
  }
  if (sent.body.trim() !== '') {
    // An immediate answer in the ack's body: Slack shows it like a response_url post.
    standin.conversations.applyResponse(sent.responseId, ackAnswer(sent.body));
  }
  return { ok: true, responseId: sent.responseId };
}

/** Sends a slash command to the app, signed, and shows the person what Slack would. */
async function sendCommand(
  p: Person,
  channel: Channel,
  command: string,
  args: string,
): Promise<TypedResult> {
  const { standin, me } = p;
  const refused = refuseCommand(p, channel, command);
  if (refused) return refused;
  // What was typed, shown to the person until the answer comes (Slack shows it while waiting).
  const typed = `${command}${args ? ` ${args}` : ''}`;
  const echo = standin.conversations.add({
    channel: channel.id,
    user: me.id,
    visibleTo: me.id,
    command: typed,
    text: escapeForSlack(typed),
  });
  let sent: SlashCommandSent;
  try {
    sent = await standin.slashCommand(args, {
      command,
      channelId: channel.id,
      channelName: channel.name,
      userId: me.id,
      userName: me.name,
    });
  } catch (err) {
    p.log?.warn({ err: (err as Error).message }, 'local workspace: could not reach the app');
    notice(
      standin,
      channel.id,
      me.id,
      `\`${command}\` failed with the error "dispatch_failed": the app did not answer (is it running?).`,
    );
    standin.conversations.answered(undefined, echo);
    return { ok: false, error: 'dispatch_failed' };
  }
  return afterAck(p, channel, command, echo, sent);
}

async function type(
  p: Person,
  channelId: string,
  raw: string,
  threadTs?: string,
): Promise<TypedResult> {
  const channel = p.standin.conversations.channels.get(channelId);
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const text = raw.trim();
  if (!text) return { ok: false, error: 'no_text' };
  const slash = parseSlash(text);
  if (!slash) return postPlain(p, channel, text, threadTs);
  return sendCommand(p, channel, slash.command, slash.args);
}

type Block = { block_id?: string; elements?: unknown[]; accessory?: unknown };
type Button = { type?: string; action_id?: string; value?: string; text?: { text?: string } };

/** The block and the button in it a click names, if it names a button with an action id. */
function clickedButton(
  message: StoredMessage,
  blockIndex: number,
  elementKey: string,
): { block: Block | undefined; button: Button & { action_id: string } } | undefined {
  const block = (message.blocks ?? [])[blockIndex] as Block | undefined;
  const el = (
    elementKey === 'accessory' ? block?.accessory : block?.elements?.[Number(elementKey)]
  ) as Button | undefined;
  if (el?.type !== 'button' || !el.action_id) return undefined;
  return { block, button: { ...el, action_id: el.action_id } };
}

async function click(
  p: Person,
  channelId: string,
  ts: string,
  blockIndex: number,
  elementKey: string,
): Promise<TypedResult> {
  const { standin, me } = p;
  const message = standin.conversations.find(channelId, ts);
  if (!message || (message.visibleTo && message.visibleTo !== me.id))
    return { ok: false, error: 'message_not_found' };
  const clicked = clickedButton(message, blockIndex, elementKey);
  if (!clicked) return { ok: false, error: 'no_button' };
  if (!standin.eventsUrl) return { ok: false, error: 'app_not_connected' };
  const { block, button: el } = clicked;
  try {
    const sent = await standin.blockAction({
      actionId: el.action_id,
      ...(el.value !== undefined ? { value: el.value } : {}),
      ...(block?.block_id ? { blockId: block.block_id } : {}),
      ...(el.text?.text ? { text: el.text.text } : {}),
      channelId: message.channel,
      messageTs: message.ts,
      userId: me.id,
      userName: me.name,
    });
    if (sent.status !== 200) {
      notice(
        standin,
        message.channel,
        me.id,
        `That button did not work: the app answered HTTP ${sent.status}.`,
      );
      return { ok: false, error: 'dispatch_failed' };
    }
    return { ok: true, responseId: sent.responseId };
  } catch (err) {
    p.log?.warn({ err: (err as Error).message }, 'local workspace: could not reach the app');
    notice(standin, message.channel, me.id, 'That button did not work: the app did not answer.');
    return { ok: false, error: 'dispatch_failed' };
  }
}

function dismiss(p: Person, channelId: string, ts: string): boolean {
  const message = p.standin.conversations.find(channelId, ts);
  if (!message || message.visibleTo !== p.me.id) return false;
  message.deleted = true;
  p.standin.conversations.changed(message);
  return true;
}

export function actingPerson(
  standin: SlackStandin,
  me: { id: string; name: string },
  commands: readonly string[],
  log: WorkspaceLogger | undefined,
) {
  const p: Person = { standin, me, commands, log };
  return {
    type: (channelId: string, raw: string, threadTs?: string) => type(p, channelId, raw, threadTs),
    click: (channelId: string, ts: string, blockIndex: number, elementKey: string) =>
      click(p, channelId, ts, blockIndex, elementKey),
    dismiss: (channelId: string, ts: string) => dismiss(p, channelId, ts),
  };
}
