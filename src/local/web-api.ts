// The Slack Web API methods the stand-in answers, over the workspace's conversations: what the
// app calls (auth.test, chat.*, users.info, conversations.*) and what Socket Mode needs
// (apps.connections.open). Each handler gets the parsed arguments and returns Slack's JSON answer.
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { apiMessage, type Conversations, type StoredMessage } from './conversations.ts';

export interface SlackUser {
  id: string;
  name: string;
  real_name?: string;
  is_admin?: boolean;
  tz?: string;
}

export type ApiHandler = (call: {
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
}) => Record<string, unknown>;

export interface WebApiContext {
  conversations: Conversations;
  users: Map<string, SlackUser>;
  team: { id: string; domain: string; name: string };
  bot: { userId: string; botId: string; appId: string; name: string };
  /** The stand-in's base URL (`http://127.0.0.1:<port>`), for Socket Mode and permalinks. */
  url(): string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : undefined);

function channelInfo(c: {
  id: string;
  name: string;
  isIm: boolean;
  user?: string;
  created: number;
}) {
  return {
    id: c.id,
    name: c.name,
    created: c.created,
    is_channel: !c.isIm,
    is_im: c.isIm,
    is_private: false,
    is_member: true,
    is_archived: false,
    ...(c.user ? { user: c.user } : {}),
  };
}

export function userInfo(user: SlackUser) {
  return {
    tz: 'Europe/Stockholm',
    deleted: false,
    is_bot: false,
    ...user,
    profile: { real_name: user.real_name ?? user.name, display_name: user.name },
  };
}

/** A boolean argument, sent as JSON (`true`) or form-encoded (`'true'`). */
const flag = (v: unknown) => v === true || v === 'true';

/** The text, blocks and attachments of a chat.* call. */
function messageContent(body: Record<string, unknown>) {
  return {
    text: str(body.text),
    blocks: list(body.blocks),
    attachments: list(body.attachments),
  };
}

function hasContent(body: Record<string, unknown>): boolean {
  return Boolean(body.text || list(body.blocks)?.length || list(body.attachments)?.length);
}

/** A top-level message's replies that everyone sees (0 for a reply). */
function replyCount(conv: Conversations, m: StoredMessage): number {
  return m.threadTs ? 0 : conv.replies(m.channel, m.ts).filter((r) => !r.visibleTo).length;
}

/** api.test, auth.test, the Socket Mode connection and the App Home view. */
function appHandlers(ctx: WebApiContext): Record<string, ApiHandler> {
  return {
    'api.test': ({ body }) => ({ ok: true, args: body }),
    'apps.connections.open': () => ({
      ok: true,
      url: `${ctx.url().replace(/^http/, 'ws')}/socket-mode?ticket=${randomBytes(8).toString('hex')}`,
    }),
    'auth.test': () => ({
      ok: true,
      url: `https://${ctx.team.domain}.slack.com/`,
      team: ctx.team.name,
      user: ctx.bot.name,
      team_id: ctx.team.id,
      user_id: ctx.bot.userId,
      bot_id: ctx.bot.botId,
      is_enterprise_install: false,
    }),
    'views.publish': ({ body }) => ({
      ok: true,
      view: {
        id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
        type: 'home',
        ...(body.view as object),
      },
    }),
  };
}

/** chat.*: post, update, delete, ephemeral messages and permalinks. */
function chatHandlers(ctx: WebApiContext): Record<string, ApiHandler> {
  const { conversations: conv } = ctx;
  return {
    'chat.postMessage': ({ body }) => {
      const channel = conv.resolve(body.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!hasContent(body)) return { ok: false, error: 'no_text' };
      const threadTs = str(body.thread_ts);
      const message = conv.add({
        channel: channel.id,
        ...messageContent(body),
        user: ctx.bot.userId,
        botId: ctx.bot.botId,
        ...(threadTs ? { threadTs } : {}),
        ...(threadTs && flag(body.reply_broadcast) ? { broadcast: true } : {}),
        ...(body.metadata ? { metadata: body.metadata } : {}),
      });
      return {
        ok: true,
        channel: channel.id,
        ts: message.ts,
        message: apiMessage(message, { withMetadata: true }),
      };
    },
    'chat.update': ({ body }) => {
      const channel = conv.resolve(body.channel);
      const message = channel ? conv.find(channel.id, body.ts) : undefined;
      if (!message || message.visibleTo) return { ok: false, error: 'message_not_found' };
      const next = messageContent(body);
      message.text = next.text ?? message.text;
      message.blocks = next.blocks ?? message.blocks;
      message.attachments = next.attachments ?? message.attachments;
      if (body.metadata) message.metadata = body.metadata;
      conv.changed(message);
      return { ok: true, channel: message.channel, ts: message.ts, text: message.text };
    },
    'chat.delete': ({ body }) => {
      const channel = conv.resolve(body.channel);
      const message = channel ? conv.find(channel.id, body.ts) : undefined;
      if (!message) return { ok: false, error: 'message_not_found' };
      message.deleted = true;
      conv.changed(message);
      return { ok: true, channel: message.channel, ts: message.ts };
    },
    'chat.postEphemeral': ({ body }) => {
      const channel = conv.resolve(body.channel);
      const user = str(body.user);
      if (!channel || !user) return { ok: false, error: 'channel_not_found' };
      if (!hasContent(body)) return { ok: false, error: 'no_text' };
      const threadTs = str(body.thread_ts);
      const message = conv.add({
        channel: channel.id,
        ...messageContent(body),
        user: ctx.bot.userId,
        botId: ctx.bot.botId,
        visibleTo: user,
        ...(threadTs ? { threadTs } : {}),
      });
      return { ok: true, message_ts: message.ts };
    },
    'chat.getPermalink': ({ body }) => {
      const channel = conv.resolve(body.channel);
      const message = channel ? conv.find(channel.id, body.message_ts) : undefined;
      if (!channel || !message) return { ok: false, error: 'message_not_found' };
      return {
        ok: true,
        channel: channel.id,
        permalink: `${ctx.url()}/#${channel.id}/${message.ts}`,
      };
    },
  };
}

function userHandlers(ctx: WebApiContext): Record<string, ApiHandler> {
  return {
    'users.info': ({ body }) => {
      const id = str(body.user);
      const user = id
        ? (ctx.users.get(id) ?? { id, name: id.toLowerCase(), real_name: id, is_admin: false })
        : undefined;
      if (!user) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: userInfo(user) };
    },
    'users.list': () => ({
      ok: true,
      members: [...ctx.users.values()].map(userInfo),
      response_metadata: { next_cursor: '' },
    }),
  };
}

/** conversations.*: channel info and lists, joining, history and threads. */
function conversationHandlers(conv: Conversations): Record<string, ApiHandler> {
  return {
    'conversations.info': ({ body }) => {
      const channel = conv.resolve(body.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel: channelInfo(channel) };
    },
    'conversations.list': () => ({
      ok: true,
      channels: [...conv.channels.values()].filter((c) => !c.isIm).map(channelInfo),
      response_metadata: { next_cursor: '' },
    }),
    'conversations.join': ({ body }) => {
      const channel = conv.resolve(body.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      return { ok: true, channel: channelInfo(channel) };
    },
    'conversations.history': ({ body }) => {
      const channel = conv.resolve(body.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const withMetadata = flag(body.include_all_metadata);
      return {
        ok: true,
        messages: conv
          .history(channel.id, body)
          .map((m) => apiMessage(m, { replyCount: replyCount(conv, m), withMetadata })),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },
    'conversations.replies': ({ body }) => {
      const channel = conv.resolve(body.channel);
      const parent = channel ? conv.find(channel.id, body.ts) : undefined;
      if (!channel || !parent) return { ok: false, error: 'thread_not_found' };
      const withMetadata = flag(body.include_all_metadata);
      const oldest = Number(str(body.oldest) ?? 0) || 0;
      const replies = conv
        .replies(channel.id, parent.ts)
        .filter((m) => !m.visibleTo && Number(m.ts) >= oldest);
      return {
        ok: true,
        messages: [
          apiMessage(parent, { replyCount: replies.length, withMetadata }),
          ...replies.map((m) => apiMessage(m, { withMetadata })),
        ],
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    },
  };
}

export function webApiHandlers(ctx: WebApiContext): Record<string, ApiHandler> {
  return {
    ...appHandlers(ctx),
    ...chatHandlers(ctx),
    ...userHandlers(ctx),
    ...conversationHandlers(ctx.conversations),
  };
}
