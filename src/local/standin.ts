// A local Slack stand-in: plays Slack for the app over real HTTP. The same code serves the tests
// (test/helpers/slack-standin.ts) and the local workspace in the browser (workspace.ts).
//
// Towards the app it is Slack's side of the wire: it signs slash commands and button clicks
// with the signing secret (v0 HMAC-SHA256 of `v0:<timestamp>:<body>`, headers
// `x-slack-signature` and `x-slack-request-timestamp`) and posts them to the app's
// /slack/events. Towards the app's Web API client (SLACK_API_URL = `standin.apiUrl`) it serves
// the methods the app calls (web-api.ts) over the workspace's conversations (conversations.ts),
// and it serves the `response_url`s it hands out (`/response/<id>`). Every call is recorded for
// assertions, and it can be told to answer the next calls with 429 + Retry-After or with a 5xx,
// or to hold them for a while before answering.
//
// Socket Mode too: with `appToken` set it answers `apps.connections.open` with a ws:// URL of its
// own, says hello on the WebSocket, and `socketSlashCommand` / `socketBlockAction` deliver
// envelopes there and wait for the app's ack.
//
// Other routes (the workspace's page) can be added on the same server with `addRoute`.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { apiMessage, Conversations, type StoredMessage } from './conversations.ts';
import { signSlackRequest } from './signing.ts';
import { type ApiHandler, type SlackUser, webApiHandlers } from './web-api.ts';
import { acceptWebSocket, type WebSocketConnection } from './websocket-server.ts';

export type { Channel, ResponseContext, StoredMessage } from './conversations.ts';
export { signSlackRequest } from './signing.ts';
export type { ApiHandler, SlackUser } from './web-api.ts';

export interface StandinOptions {
  signingSecret: string;
  /** The bot token the app is configured with; Web API calls with another token get invalid_auth. */
  botToken: string;
  /** Socket Mode: the app-level token (`xapp-…`) `apps.connections.open` accepts. */
  appToken?: string;
  teamId?: string;
  teamDomain?: string;
  teamName?: string;
  appId?: string;
  botUserId?: string;
  botId?: string;
  botName?: string;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: the stand-in signs requests for anyone who asks). */
  host?: string;
  /** Who sends slash commands and clicks when the call does not say (default U0ADA, "ada"). */
  defaultUser?: { id: string; name: string };
  /** Channels that exist from the start (default: marketing, alerts). */
  channels?: readonly string[];
  /** Keep at most this many recorded calls (oldest dropped); default: all (tests). */
  maxRecordedCalls?: number;
  /** Do not keep the process alive just for this server (local mode: the app's server does). */
  unref?: boolean;
}

export type CallKind = 'api' | 'response_url';

export interface RecordedCall {
  /** Order of arrival, from 1. */
  seq: number;
  kind: CallKind;
  /** Web API method (`chat.postMessage`) or the response_url id. */
  name: string;
  headers: IncomingHttpHeaders;
  /** The parsed body: JSON, or a form whose JSON-looking values (blocks…) are decoded. */
  body: Record<string, unknown>;
  /** What the stand-in answered. */
  status: number;
  response: unknown;
  /** Milliseconds since the epoch when it arrived. */
  at: number;
}

/** A 429 without `retryAfterSeconds` has no Retry-After header. */
export type Fault = { status: 429; retryAfterSeconds?: number } | { status: 500 | 502 | 503 | 504 };

export interface FaultScope {
  kind?: CallKind;
  /** Only calls to this Web API method (or response_url id). */
  name?: string;
}

export type Signing = 'valid' | 'forged' | 'stale' | 'unsigned';

export interface SentRequest {
  status: number;
  body: string;
  /** From sending the request to having the whole HTTP response: the app's ack time. */
  elapsedMs: number;
}

export interface SlashCommandSent extends SentRequest {
  responseUrl: string;
  responseId: string;
}

export interface SocketDelivery {
  /** From sending the envelope to receiving the app's ack for it. */
  elapsedMs: number;
  /** What the app sent with its ack (empty for a plain ack). */
  ackPayload: unknown;
  responseUrl: string;
  responseId: string;
}

export interface SlashCommandOptions {
  command?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  signing?: Signing;
}

export interface BlockActionOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The button's label (Slack sends it with the action). */
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  /** The message the button is on; ephemeral messages have no `message` in the payload. */
  messageTs?: string;
  isEphemeral?: boolean;
  /** Reuse an existing response_url (e.g. the one the ephemeral answer came through). */
  responseId?: string;
  signing?: Signing;
}

/** A route on the stand-in's server besides Slack's own (`/api/…`, `/response/…`). */
export interface StandinRoute {
  method: string;
  /** Exact path, or a prefix when it ends with `/`. */
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const looksJson = /^[[{]/.test(value);
    if (looksJson) {
      try {
        out[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[key] = value;
  }
  return out;
}

/** The URL other processes on this machine reach a server on `host` through. */
function baseUrl(host: string, port: number): string {
  const loopback = ['127.0.0.1', '0.0.0.0', '::', 'localhost', ''].includes(host);
  if (loopback) return `http://127.0.0.1:${port}`;
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
}

export class SlackStandin {
  readonly calls: RecordedCall[] = [];
  readonly conversations: Conversations;
  /** Every message the workspace holds (the conversations' own list). */
  readonly messages: StoredMessage[];
  readonly users = new Map<string, SlackUser>();
  /** Where signed requests go: the app's `http://127.0.0.1:<port>/slack/events`. */
  eventsUrl: string | undefined;

  readonly team: { id: string; domain: string; name: string };
  readonly bot: { userId: string; botId: string; appId: string; name: string };
  readonly defaultUser: { id: string; name: string };

  private readonly events = new EventEmitter();
  private readonly faults: Array<{ fault: Fault; scope: FaultScope }> = [];
  private readonly delays: Array<{ ms: number; scope: FaultScope }> = [];
  private readonly overrides = new Map<string, ApiHandler>();
  private readonly handlers: Record<string, ApiHandler>;
  private readonly routes: StandinRoute[] = [];
  private seq = 0;
  private readonly sockets = new Set<WebSocketConnection>();
  private readonly pendingAcks = new Map<string, (payload: unknown) => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: StandinOptions,
  ) {
    this.team = {
      id: opts.teamId ?? 'T0STANDIN',
      domain: opts.teamDomain ?? 'standin',
      name: opts.teamName ?? 'Stand-in Workspace',
    };
    this.bot = {
      userId: opts.botUserId ?? 'U0KPIBOT',
      botId: opts.botId ?? 'B0KPIBOT',
      appId: opts.appId ?? 'A0KPIBOT',
      name: opts.botName ?? 'kpibot',
    };
    this.defaultUser = opts.defaultUser ?? { id: 'U0ADA', name: 'ada' };
    this.conversations = new Conversations(this.bot, opts.channels);
    this.messages = this.conversations.messages;
    this.events.setMaxListeners(100);
    this.handlers = webApiHandlers({
      conversations: this.conversations,
      users: this.users,
      team: this.team,
      bot: this.bot,
      url: () => this.url,
    });
  }

  /** Starts the stand-in on `opts.port` (default: a free port) on loopback. */
  static async start(opts: StandinOptions): Promise<SlackStandin> {
    let standin: SlackStandin | undefined;
    const server = createServer((req, res) => {
      if (!standin) {
        res.writeHead(503).end();
        return;
      }
      standin.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
        else res.end();
      });
    });
    server.on('upgrade', (req, socket) => {
      if (!standin || !req.url?.startsWith('/socket-mode')) {
        socket.destroy();
        return;
      }
      standin.acceptSocket(req, socket);
    });
    const host = opts.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    if (opts.unref) server.unref();
    const { port } = server.address() as AddressInfo;
    standin = new SlackStandin(server, baseUrl(host, port), opts);
    return standin;
  }

  /** The base URL for the app's Web API client (SLACK_API_URL). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.close(1001);
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Serves another route on the same port (the local workspace's page). */
  addRoute(route: StandinRoute): void {
    this.routes.push(route);
  }

  /** Calls `listener` with every recorded call; returns the function that stops it. */
  onCall(listener: (call: RecordedCall) => void): () => void {
    this.events.on('call', listener);
    return () => this.events.off('call', listener);
  }

  // -------------------------------------------------------------------------------------------
  // Behaviour controls

  /** The next `count` calls in `scope` fail with `fault` (429 with Retry-After, or a 5xx). */
  failNext(count: number, fault: Fault, scope: FaultScope = {}): void {
    for (let i = 0; i < count; i++) this.faults.push({ fault, scope });
  }

  /** The next `count` calls in `scope` are answered only after `ms` milliseconds. */
  delayNext(count: number, ms: number, scope: FaultScope = {}): void {
    for (let i = 0; i < count; i++) this.delays.push({ ms, scope });
  }

  /** Answers a Web API method with `handler` instead of the built-in behaviour. */
  setApiHandler(method: string, handler: ApiHandler | undefined): void {
    if (handler) this.overrides.set(method, handler);
    else this.overrides.delete(method);
  }

  /** Forgets recorded calls, stored messages, pending faults and overrides. */
  reset(): void {
    this.calls.length = 0;
    this.conversations.reset();
    this.faults.length = 0;
    this.delays.length = 0;
    this.overrides.clear();
  }

  // -------------------------------------------------------------------------------------------
  // Assertions and waiting

  apiCalls(method?: string): RecordedCall[] {
    return this.calls.filter(
      (c) => c.kind === 'api' && (method === undefined || c.name === method),
    );
  }

  responses(responseId?: string): RecordedCall[] {
    return this.calls.filter(
      (c) => c.kind === 'response_url' && (responseId === undefined || c.name === responseId),
    );
  }

  /** Resolves with the first recorded call (past or future) matching `predicate`. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 10_000): Promise<RecordedCall> {
    const found = this.calls.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onCall = (call: RecordedCall) => {
        if (!predicate(call)) return;
        cleanup();
        resolve(call);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `slack stand-in: no matching call within ${timeoutMs} ms (${this.calls.length} calls recorded)`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('call', onCall);
      };
      this.events.on('call', onCall);
    });
  }

  /** The `n`-th (from 0) post to a response_url, waiting for it if needed. */
  waitForResponse(
    responseId: string,
    opts: { index?: number; timeoutMs?: number } = {},
  ): Promise<RecordedCall> {
    const index = opts.index ?? 0;
    return this.waitFor(
      (c) =>
        c.kind === 'response_url' &&
        c.name === responseId &&
        this.responses(responseId).indexOf(c) === index,
      opts.timeoutMs,
    );
  }

  /** The first successful call to a Web API method after `afterSeq`, waiting for it if needed. */
  waitForApi(
    method: string,
    opts: { afterSeq?: number; timeoutMs?: number } = {},
  ): Promise<RecordedCall> {
    const after = opts.afterSeq ?? 0;
    return this.waitFor(
      (c) => c.kind === 'api' && c.name === method && c.seq > after && c.status === 200,
      opts.timeoutMs,
    );
  }

  // -------------------------------------------------------------------------------------------
  // Slack → app

  /** Sends a signed slash command, as Slack does when someone types `/kpi <text>`. */
  async slashCommand(text: string, opts: SlashCommandOptions = {}): Promise<SlashCommandSent> {
    const { fields, responseUrl, responseId } = this.slashCommandFields(text, opts);
    const sent = await this.send(new URLSearchParams(fields).toString(), opts.signing ?? 'valid');
    return { ...sent, responseUrl, responseId };
  }

  /** Sends a signed block_actions payload, as Slack does when someone clicks a button. */
  async blockAction(opts: BlockActionOptions): Promise<SlashCommandSent> {
    const { payload, responseUrl, responseId } = this.blockActionPayload(opts);
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const sent = await this.send(body, opts.signing ?? 'valid');
    return { ...sent, responseUrl, responseId };
  }

  /** Socket Mode: delivers a slash command envelope and waits for the app's ack. */
  socketSlashCommand(text: string, opts: SlashCommandOptions = {}): Promise<SocketDelivery> {
    const { fields, responseUrl, responseId } = this.slashCommandFields(text, opts);
    return this.deliver('slash_commands', fields, responseUrl, responseId);
  }

  /** Socket Mode: delivers a block_actions envelope and waits for the app's ack. */
  socketBlockAction(opts: BlockActionOptions): Promise<SocketDelivery> {
    const { payload, responseUrl, responseId } = this.blockActionPayload(opts);
    return this.deliver('interactive', payload, responseUrl, responseId);
  }

  /** Resolves once an app is connected over Socket Mode (hello sent). */
  async waitForSocket(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.openSocket() === undefined) {
      if (Date.now() > deadline) throw new Error('slack stand-in: no Socket Mode connection');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Clicks the button `actionId` found in `message` (a recorded response_url post or
   * chat.postMessage call), with the button's own value and block id.
   */
  clickButton(
    message: RecordedCall,
    actionId: string,
    opts: Omit<BlockActionOptions, 'actionId'> = {},
  ) {
    const button = findButton(message.body.blocks, actionId);
    if (!button) throw new Error(`slack stand-in: no button "${actionId}" in that message`);
    return this.blockAction({
      ...opts,
      actionId,
      value: button.value,
      blockId: button.blockId,
      ...(button.text !== undefined && opts.text === undefined ? { text: button.text } : {}),
    });
  }

  /** Posts any body to the app with the chosen signing (tests of the signature check). */
  async send(
    body: string,
    signing: Signing = 'valid',
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<SentRequest> {
    if (!this.eventsUrl)
      throw new Error('slack stand-in: set eventsUrl to the app’s /slack/events first');
    const now = Math.floor(Date.now() / 1000);
    const timestamp = signing === 'stale' ? now - 6 * 60 : now;
    const secret =
      signing === 'forged' ? `${this.opts.signingSecret}-forged` : this.opts.signingSecret;
    const headers: Record<string, string> = { 'content-type': contentType };
    if (signing !== 'unsigned') {
      headers['x-slack-request-timestamp'] = String(timestamp);
      headers['x-slack-signature'] = signSlackRequest(secret, timestamp, body);
    }
    const started = performance.now();
    const res = await fetch(this.eventsUrl, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, body: text, elapsedMs: performance.now() - started };
  }

  private slashCommandFields(text: string, opts: SlashCommandOptions) {
    const responseId = this.newResponseId();
    const responseUrl = `${this.url}/response/${responseId}`;
    const channel = this.channelFor(opts.channelId, opts.channelName);
    const userId = opts.userId ?? this.defaultUser.id;
    this.conversations.openResponse(responseId, {
      kind: 'command',
      channel: channel.id,
      user: userId,
    });
    const fields: Record<string, string> = {
      token: 'standin-verification-token',
      team_id: this.team.id,
      team_domain: this.team.domain,
      channel_id: channel.id,
      channel_name: channel.name,
      user_id: userId,
      user_name: opts.userName ?? this.userName(userId),
      command: opts.command ?? '/kpi',
      text,
      api_app_id: this.bot.appId,
      is_enterprise_install: 'false',
      response_url: responseUrl,
      trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
    };
    return { fields, responseUrl, responseId };
  }

  private blockActionPayload(opts: BlockActionOptions) {
    const channel = this.channelFor(opts.channelId, opts.channelName);
    const userId = opts.userId ?? this.defaultUser.id;
    const userName = opts.userName ?? this.userName(userId);
    const responseId = opts.responseId ?? this.newResponseId();
    const responseUrl = `${this.url}/response/${responseId}`;
    if (!this.conversations.responseContexts.has(responseId)) {
      this.conversations.openResponse(responseId, {
        kind: 'action',
        channel: channel.id,
        user: userId,
        ...(opts.messageTs ? { originalTs: opts.messageTs } : {}),
      });
    }
    const message = opts.messageTs
      ? this.conversations.find(channel.id, opts.messageTs)
      : undefined;
    const isEphemeral = opts.isEphemeral ?? (message ? message.visibleTo !== undefined : true);
    const actionTs = this.conversations.nextTs();
    const payload = {
      type: 'block_actions',
      user: { id: userId, username: userName, name: userName, team_id: this.team.id },
      api_app_id: this.bot.appId,
      token: 'standin-verification-token',
      container: {
        type: 'message',
        message_ts: opts.messageTs ?? actionTs,
        channel_id: channel.id,
        is_ephemeral: isEphemeral,
        ...(message?.threadTs ? { thread_ts: message.threadTs } : {}),
      },
      trigger_id: `${Date.now()}.${randomBytes(6).toString('hex')}`,
      team: { id: this.team.id, domain: this.team.domain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: channel.id, name: channel.name },
      // Slack includes the message only when it is not ephemeral.
      ...(message && !isEphemeral ? { message: apiMessage(message) } : {}),
      state: { values: {} },
      response_url: responseUrl,
      actions: [
        {
          type: 'button',
          action_id: opts.actionId,
          block_id: opts.blockId ?? 'block',
          text: { type: 'plain_text', text: opts.text ?? 'button', emoji: true },
          ...(opts.value !== undefined ? { value: opts.value } : {}),
          action_ts: actionTs,
        },
      ],
    };
    return { payload, responseUrl, responseId };
  }

  private channelFor(id: string | undefined, name: string | undefined) {
    const known = id ? this.conversations.channels.get(id) : undefined;
    if (known) return known;
    if (id) return this.conversations.resolve(id) ?? { id, name: name ?? id.toLowerCase() };
    return this.conversations.channelNamed(name ?? 'marketing')!;
  }

  private userName(id: string): string {
    if (id === this.defaultUser.id) return this.defaultUser.name;
    return this.users.get(id)?.name ?? id.toLowerCase();
  }

  private openSocket(): WebSocketConnection | undefined {
    return [...this.sockets].reverse().find((s) => s.isOpen);
  }

  private deliver(
    type: string,
    payload: unknown,
    responseUrl: string,
    responseId: string,
  ): Promise<SocketDelivery> {
    const socket = this.openSocket();
    if (!socket) return Promise.reject(new Error('slack stand-in: no Socket Mode connection'));
    const envelopeId = randomBytes(8).toString('hex');
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingAcks.delete(envelopeId);
        reject(new Error(`slack stand-in: no ack for envelope ${envelopeId} within 10 s`));
      }, 10_000);
      this.pendingAcks.set(envelopeId, (ackPayload) => {
        clearTimeout(timer);
        resolve({ elapsedMs: performance.now() - started, ackPayload, responseUrl, responseId });
      });
      socket.sendText(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
        }),
      );
    });
  }

  /** Takes over an upgraded /socket-mode connection: hello, heartbeat pings, acks. */
  private acceptSocket(req: IncomingMessage, socket: Duplex): void {
    const ws = acceptWebSocket(req, socket);
    if (!ws) return;
    this.sockets.add(ws);
    const heartbeat = setInterval(() => ws.ping(), 10_000);
    heartbeat.unref();
    ws.on('close', () => {
      clearInterval(heartbeat);
      this.sockets.delete(ws);
    });
    ws.on('message', (text: string) => {
      let message: { envelope_id?: string; payload?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return;
      }
      const settle = message.envelope_id ? this.pendingAcks.get(message.envelope_id) : undefined;
      if (settle && message.envelope_id) {
        this.pendingAcks.delete(message.envelope_id);
        settle(message.payload ?? {});
      }
    });
    ws.sendText(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.size,
        debug_info: { host: 'slack-standin', approximate_connection_time: 3600 },
        connection_info: { app_id: this.bot.appId },
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // app → Slack

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', this.url).pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    const route = this.routes.find(
      (r) =>
        (r.method === method || (method === 'HEAD' && r.method === 'GET')) &&
        (r.path.endsWith('/') && r.path !== '/' ? path.startsWith(r.path) : path === r.path),
    );
    if (route) {
      await route.handler(req, res);
      return;
    }
    const raw = await readBody(req);
    let kind: CallKind;
    let name: string;
    if (path.startsWith('/api/')) {
      kind = 'api';
      name = path.slice('/api/'.length);
    } else if (path.startsWith('/response/')) {
      kind = 'response_url';
      name = path.slice('/response/'.length);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = parseBody(raw, req.headers['content-type']);
    } catch {
      this.reply(res, { kind, name, headers: req.headers, body: { raw } }, 400, {
        ok: false,
        error: 'invalid_json',
      });
      return;
    }
    const call = { kind, name, headers: req.headers, body };
    const delay = this.take(this.delays, kind, name);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay.ms));
    const fault = this.take(this.faults, kind, name)?.fault;
    if (fault) {
      const headers: Record<string, string> =
        fault.status === 429 && fault.retryAfterSeconds !== undefined
          ? { 'retry-after': String(fault.retryAfterSeconds) }
          : {};
      this.reply(
        res,
        call,
        fault.status,
        { ok: false, error: fault.status === 429 ? 'ratelimited' : 'internal_error' },
        headers,
      );
      return;
    }
    if (kind === 'response_url') {
      this.conversations.applyResponse(name, body);
      this.reply(res, call, 200, { ok: true });
      return;
    }
    const token =
      (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(body.token ?? '');
    const expected = name === 'apps.connections.open' ? this.opts.appToken : this.opts.botToken;
    if (expected === undefined || token !== expected) {
      this.reply(res, call, 200, { ok: false, error: token ? 'invalid_auth' : 'not_authed' });
      return;
    }
    const handler = this.overrides.get(name) ?? this.handlers[name];
    const answer = handler
      ? handler({ body, headers: req.headers })
      : { ok: false, error: 'unknown_method' };
    this.reply(res, call, 200, answer);
  }

  private reply(
    res: ServerResponse,
    call: Omit<RecordedCall, 'seq' | 'status' | 'response' | 'at'>,
    status: number,
    response: unknown,
    headers: Record<string, string> = {},
  ): void {
    const recorded: RecordedCall = { ...call, seq: ++this.seq, status, response, at: Date.now() };
    this.calls.push(recorded);
    const max = this.opts.maxRecordedCalls;
    if (max !== undefined && this.calls.length > max) this.calls.splice(0, this.calls.length - max);
    const text = JSON.stringify(response);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
    this.events.emit('call', recorded);
  }

  /** Removes and returns the first entry of `list` whose scope matches the call. */
  private take<T extends { scope: FaultScope }>(
    list: T[],
    kind: CallKind,
    name: string,
  ): T | undefined {
    const i = list.findIndex(
      (f) =>
        (f.scope.kind === undefined || f.scope.kind === kind) &&
        (f.scope.name === undefined || f.scope.name === name),
    );
    return i < 0 ? undefined : list.splice(i, 1)[0];
  }

  private newResponseId(): string {
    return `${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
  }
}

/** The button `actionId` in Block Kit `blocks` (actions blocks and section accessories). */
export function findButton(
  blocks: unknown,
  actionId: string,
): { value?: string; blockId?: string; text?: string } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const block of blocks as Array<{
    type?: string;
    block_id?: string;
    elements?: unknown[];
    accessory?: unknown;
  }>) {
    const candidates =
      block.type === 'actions' && Array.isArray(block.elements)
        ? block.elements
        : block.accessory
          ? [block.accessory]
          : [];
    for (const element of candidates as Array<{
      action_id?: string;
      value?: string;
      text?: { text?: string };
    }>) {
      if (element.action_id === actionId)
        return { value: element.value, blockId: block.block_id, text: element.text?.text };
    }
  }
  return undefined;
}

/** Starts a stand-in (see SlackStandin). */
export function startSlackStandin(opts: StandinOptions): Promise<SlackStandin> {
  return SlackStandin.start(opts);
}
