// The workspace's conversations as Slack keeps them: channels (by id and by name), their messages
// with thread replies under their parent, ephemeral messages seen by one person only, updates and
// deletions, and what a post to a response_url does (new message, replace or delete the original).
// In memory, no I/O; every change is announced to listeners (the page's live updates).
import { EventEmitter } from 'node:events';

export interface Channel {
  id: string;
  name: string;
  /** A direct message with `user` (the app posted to a user id). */
  isIm: boolean;
  user?: string;
  /** Seconds since the epoch. */
  created: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  deleted?: boolean;
  attachments?: unknown[];
  /** The parent's ts, for a thread reply. */
  threadTs?: string;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  /** Ephemeral: only this user sees it, and it is never in the channel's history. */
  visibleTo?: string;
  /** Who posted it: the bot's user id, a person's, or USLACKBOT for the workspace's notices. */
  user?: string;
  botId?: string;
  metadata?: unknown;
  /** The response_url (id) it came through. */
  responseId?: string;
  /** The slash command a person typed, echoed to them (Slack shows it while it waits). */
  command?: string;
}

/** What a response_url is about: where it posts and which message is its "original". */
export interface ResponseContext {
  /** A slash command's URL, or one from a button click. */
  kind: 'command' | 'action';
  channel: string;
  user: string;
  /** The message `replace_original` and `delete_original` act on. */
  originalTs?: string;
  threadTs?: string;
}

export type ConversationEvent =
  | { type: 'message'; message: StoredMessage }
  | { type: 'channel'; channel: Channel }
  | { type: 'reset' };

export interface BotIdentity {
  userId: string;
  botId: string;
}

/** The user id Slack uses for its own notices ("Only visible to you" errors). */
export const SLACKBOT = 'USLACKBOT';

const CHANNEL_ID = /^[CG][A-Z0-9]+$/;
const IM_ID = /^D[A-Z0-9]+$/;
const USER_ID = /^[UW][A-Z0-9]+$/;

/** `#Marketing Team` → `marketing-team`; Slack's channel-name alphabet, at most 80 characters. */
export function channelName(raw: string): string {
  return raw
    .trim()
    .replace(/^#/, '')
    .toLowerCase()
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9_-]/g, '')
    .slice(0, 80);
}

const truthy = (v: unknown) => v === true || v === 'true';
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : undefined);

export class Conversations {
  readonly channels = new Map<string, Channel>();
  readonly messages: StoredMessage[] = [];
  readonly responseContexts = new Map<string, ResponseContext>();
  private readonly events = new EventEmitter();
  private tsCounter = 0;

  constructor(
    readonly bot: BotIdentity,
    /** Channels that exist from the start (names), e.g. marketing and alerts. */
    private readonly seedChannels: readonly string[] = ['marketing', 'alerts'],
    private readonly now: () => number = Date.now,
  ) {
    this.events.setMaxListeners(0);
    for (const name of seedChannels) this.channelNamed(name);
  }

  onChange(listener: (event: ConversationEvent) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  /** A new message timestamp: seconds, then a counter so that each one is unique and ordered. */
  nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  /** The channel `name` (created if new). Undefined for a name with no usable character. */
  channelNamed(raw: string): Channel | undefined {
    const name = channelName(raw);
    if (!name) return undefined;
    for (const c of this.channels.values()) if (c.name === name && !c.isIm) return c;
    const base = `C0${name.toUpperCase().replace(/[^A-Z0-9]/g, '') || 'CHANNEL'}`;
    let id = base;
    for (let i = 2; this.channels.has(id); i++) id = `${base}${i}`;
    return this.addChannel({ id, name, isIm: false });
  }

  /**
   * The conversation a Web API `channel` argument means: a channel id (kept as given, created if
   * new), a user id (their direct message with the bot), or a channel name with or without `#`
   * (created if new: in this workspace any channel the app names exists).
   */
  resolve(ref: unknown): Channel | undefined {
    const raw = str(ref)?.trim();
    if (!raw) return undefined;
    const known = this.channels.get(raw);
    if (known) return known;
    if (CHANNEL_ID.test(raw))
      return this.addChannel({ id: raw, name: raw.toLowerCase(), isIm: false });
    if (IM_ID.test(raw)) return this.addChannel({ id: raw, name: raw.toLowerCase(), isIm: true });
    if (USER_ID.test(raw)) {
      const id = `D${raw.slice(1)}`;
      return (
        this.channels.get(id) ??
        this.addChannel({ id, name: raw.toLowerCase(), isIm: true, user: raw })
      );
    }
    return this.channelNamed(raw);
  }

  find(channel: string, ts: unknown): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  /** Stores a new message and announces it. */
  add(message: Omit<StoredMessage, 'ts'>): StoredMessage {
    const stored: StoredMessage = { ...message, ts: this.nextTs() };
    this.messages.push(stored);
    this.changed(stored);
    return stored;
  }

  /** Announces a change made to a stored message (edit, deletion). */
  changed(message: StoredMessage): void {
    this.events.emit('change', { type: 'message', message } satisfies ConversationEvent);
  }

  /** Thread replies under `ts` in `channel`, oldest first (ephemeral ones included). */
  replies(channel: string, ts: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadTs === ts && !m.deleted);
  }

  /**
   * What conversations.history returns: the channel's top-level messages everyone sees, newest
   * first, between `oldest` and `latest` (Slack ts strings), at most `limit`.
   */
  history(channel: string, opts: { oldest?: unknown; latest?: unknown; limit?: unknown } = {}) {
    const oldest = Number(str(opts.oldest) ?? opts.oldest ?? 0) || 0;
    const latest = Number(str(opts.latest) ?? opts.latest ?? Number.POSITIVE_INFINITY);
    const limit = Math.max(1, Math.min(1000, Number(opts.limit ?? 100) || 100));
    return this.messages
      .filter(
        (m) =>
          m.channel === channel &&
          !m.deleted &&
          !m.visibleTo &&
          (!m.threadTs || m.broadcast) &&
          Number(m.ts) >= oldest &&
          Number(m.ts) <= latest,
      )
      .reverse()
      .slice(0, limit);
  }

  /** Registers a response_url handed out with a slash command or a button click. */
  openResponse(responseId: string, context: ResponseContext): void {
    this.responseContexts.set(responseId, context);
  }

  /**
   * A post to a response_url: `delete_original`, `replace_original`, or a new message (in the
   * channel with `response_type: in_channel`, else ephemeral to the person). A slash command's
   * URL has no original until it has posted; then its latest message is the original.
   */
  applyResponse(responseId: string, body: Record<string, unknown>): StoredMessage | undefined {
    let ctx = this.responseContexts.get(responseId);
    if (!ctx) {
      // A URL this workspace did not hand out: post where Slack's stand-in posts by default.
      const channel = this.channelNamed('marketing')!;
      ctx = { kind: 'command', channel: channel.id, user: 'U0ADA' };
      this.responseContexts.set(responseId, ctx);
    }
    const original = ctx.originalTs ? this.find(ctx.channel, ctx.originalTs) : undefined;
    if (truthy(body.delete_original)) {
      if (original) {
        original.deleted = true;
        this.changed(original);
      }
      return original;
    }
    const content = {
      text: str(body.text),
      blocks: list(body.blocks),
      attachments: list(body.attachments),
    };
    if (truthy(body.replace_original) && original) {
      original.text = content.text;
      original.blocks = content.blocks;
      original.attachments = content.attachments;
      this.changed(original);
      return original;
    }
    if (!content.text && !content.blocks && !content.attachments) return undefined;
    const threadTs = str(body.thread_ts) ?? ctx.threadTs;
    const message = this.add({
      channel: ctx.channel,
      ...content,
      user: this.bot.userId,
      botId: this.bot.botId,
      responseId,
      ...(body.response_type === 'in_channel' ? {} : { visibleTo: ctx.user }),
      ...(threadTs ? { threadTs } : {}),
    });
    if (ctx.kind === 'command') ctx.originalTs = message.ts;
    this.answered(responseId);
    return message;
  }

  /**
   * The command a person typed is shown to them only while they wait (as Slack does): once an
   * answer came through its response_url, or when it could not be sent, it goes.
   */
  answered(responseId: string | undefined, echo?: StoredMessage): void {
    for (const m of echo ? [echo] : this.messages) {
      if (m.command === undefined || m.deleted) continue;
      if (echo === undefined && m.responseId !== responseId) continue;
      m.deleted = true;
      this.changed(m);
    }
  }

  /** Forgets every message and response_url; channels other than the seeded ones go too. */
  reset(): void {
    this.messages.length = 0;
    this.responseContexts.clear();
    this.channels.clear();
    for (const name of this.seedChannels) this.channelNamed(name);
    this.events.emit('change', { type: 'reset' } satisfies ConversationEvent);
  }

  private addChannel(channel: Omit<Channel, 'created'>): Channel {
    const created: Channel = { ...channel, created: Math.floor(this.now() / 1000) };
    this.channels.set(created.id, created);
    this.events.emit('change', { type: 'channel', channel: created } satisfies ConversationEvent);
    return created;
  }
}

/** A message as the Web API returns it (history, replies, postMessage's `message`). */
export function apiMessage(
  m: StoredMessage,
  opts: { replyCount?: number; withMetadata?: boolean } = {},
): Record<string, unknown> {
  return {
    type: 'message',
    ts: m.ts,
    ...(m.user ? { user: m.user } : {}),
    ...(m.botId ? { bot_id: m.botId } : {}),
    text: m.text ?? '',
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(opts.replyCount ? { thread_ts: m.ts, reply_count: opts.replyCount } : {}),
    ...(opts.withMetadata && m.metadata ? { metadata: m.metadata } : {}),
  };
}
