// The local workspace's page on the stand-in's port: the HTML, CSS and JavaScript under ./page,
// live updates as server-sent events (`/local/events`), and what the page asks for (`/local/…`:
// type a command or a message, click a button, dismiss an ephemeral message, run the jobs).
//
// Only for the person at this machine: requests must name a loopback host (no DNS rebinding),
// POSTs must be JSON from the page's own origin (no cross-site form posts), and the page runs
// under a Content-Security-Policy that allows no inline script.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { ConversationEvent, StoredMessage } from './conversations.ts';
import type { SlackStandin, StandinRoute } from './standin.ts';

export interface PageAssets {
  /** Folder holding index.html, style.css, app.js, blockkit.js, emoji.js. */
  dir: string;
}

export interface WorkspaceOps {
  me: { id: string; name: string; realName?: string };
  standin: SlackStandin;
  settings: { locale?: string; timeZone?: string; commands: readonly string[] };
  jobs(): { available: boolean; running: boolean; last?: string };
  appConnected(): boolean;
  userName(id: string): string | undefined;
  type(
    channelId: string,
    text: string,
    threadTs?: string,
  ): Promise<{ ok: boolean; responseId?: string; error?: string }>;
  click(
    channelId: string,
    ts: string,
    blockIndex: number,
    elementKey: string,
  ): Promise<{ ok: boolean; responseId?: string; error?: string }>;
  dismiss(channelId: string, ts: string): boolean;
  runJobsNow(): Promise<{ ok: boolean; message: string }>;
}

/** A message as the page gets it. */
export interface MessageView {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  threadTs?: string;
  broadcast?: boolean;
  ephemeral: boolean;
  user?: string;
  bot: boolean;
  command?: string;
  responseId?: string;
  deleted: boolean;
}

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/assets/style.css': 'style.css',
  '/assets/app.js': 'app.js',
  '/assets/blockkit.js': 'blockkit.js',
  '/assets/emoji.js': 'emoji.js',
};

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  'img-src * data:',
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_BODY_BYTES = 64 * 1024;
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

export function messageView(m: StoredMessage): MessageView {
  return {
    channel: m.channel,
    ts: m.ts,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.threadTs ? { threadTs: m.threadTs } : {}),
    ...(m.broadcast ? { broadcast: true } : {}),
    ephemeral: m.visibleTo !== undefined,
    ...(m.user ? { user: m.user } : {}),
    bot: m.botId !== undefined,
    ...(m.command ? { command: m.command } : {}),
    ...(m.responseId ? { responseId: m.responseId } : {}),
    deleted: Boolean(m.deleted),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}

/** Host names the page answers to: loopback, plus the interface it was bound to. */
function hostAllowed(req: IncomingMessage, boundHost: string | undefined): boolean {
  const header = req.headers.host ?? '';
  const name = header.replace(/:\d+$/, '').toLowerCase();
  if (LOOPBACK_NAMES.has(name)) return true;
  return boundHost !== undefined && !LOOPBACK_NAMES.has(boundHost) && name === boundHost;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(
          typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : undefined,
        );
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

type PageFile = { type: string; body: Buffer };

/** The page's files, read once, by the path they are served on. */
function loadFiles(dir: string): Map<string, PageFile> {
  const files = new Map<string, PageFile>();
  for (const [path, file] of Object.entries(FILES)) {
    const ext = file.slice(file.lastIndexOf('.') + 1);
    files.set(path, {
      type: TYPES[ext] ?? 'application/octet-stream',
      body: readFileSync(`${dir.replace(/\/?$/, '/')}${file}`),
    });
  }
  return files;
}

/** Whether the person at the page sees the message (not someone else's ephemeral one). */
function visibleTo(ops: WorkspaceOps, m: StoredMessage): boolean {
  return m.visibleTo === undefined || m.visibleTo === ops.me.id;
}

/** Everything the page shows but the messages. */
function pageState(ops: WorkspaceOps) {
  const { standin, me } = ops;
  const users: Record<string, string> = {};
  for (const id of [...standin.users.keys(), standin.bot.userId, 'USLACKBOT'])
    users[id] = ops.userName(id) ?? id;
  return {
    workspace: {
      name: standin.team.name,
      botName: standin.bot.name,
      botUserId: standin.bot.userId,
    },
    me,
    users,
    channels: [...standin.conversations.channels.values()].map((c) => ({
      id: c.id,
      name: c.name,
      isIm: c.isIm,
    })),
    jobs: ops.jobs(),
    app: { connected: ops.appConnected() },
    settings: ops.settings,
  };
}

/** The state and every message the person sees. */
function pageSnapshot(ops: WorkspaceOps) {
  const messages = ops.standin.conversations.messages;
  return {
    ...pageState(ops),
    messages: messages.filter((m) => !m.deleted && visibleTo(ops, m)).map(messageView),
  };
}

function writeEvent(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** The pages listening on `/local/events`, fed every change to the conversations. */
function createEventHub(ops: WorkspaceOps) {
  const clients = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown) => {
    for (const res of clients) writeEvent(res, event, data);
  };
  const broadcastState = () => broadcast('state', pageState(ops));
  const unsubscribe = ops.standin.conversations.onChange((event: ConversationEvent) => {
    if (event.type === 'message') {
      if (visibleTo(ops, event.message)) broadcast('message', messageView(event.message));
    } else if (event.type === 'channel') {
      broadcastState();
    } else {
      broadcast('snapshot', pageSnapshot(ops));
    }
  });
  const keepAlive = setInterval(() => {
    for (const res of clients) res.write(': keep-alive\n\n');
  }, 20_000);
  keepAlive.unref();
  return {
    clients,
    broadcastState,
    close() {
      clearInterval(keepAlive);
      unsubscribe();
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}

/** Why a request is refused (status and error), or undefined if the page may answer it. */
function refusal(
  req: IncomingMessage,
  boundHost: string | undefined,
  post: boolean,
): { status: number; error: string } | undefined {
  if (!hostAllowed(req, boundHost)) {
    return { status: 403, error: 'This page answers on localhost only.' };
  }
  if (!post) return undefined;
  const origin = str(req.headers.origin);
  if (origin !== undefined && originHost(origin) !== req.headers.host) {
    return { status: 403, error: 'cross-origin request refused' };
  }
  if (!str(req.headers['content-type'])?.includes('application/json')) {
    return { status: 415, error: 'send JSON' };
  }
  return undefined;
}

function guard(
  boundHost: string | undefined,
  handler: StandinRoute['handler'],
  post = false,
): StandinRoute['handler'] {
  return async (req, res) => {
    const refused = refusal(req, boundHost, post);
    if (refused) {
      send(res, refused.status, { ok: false, error: refused.error });
      return;
    }
    await handler(req, res);
  };
}

function fileRoute(boundHost: string | undefined, path: string, file: PageFile): StandinRoute {
  return {
    method: 'GET',
    path,
    handler: guard(boundHost, (_req, res) => {
      res.writeHead(200, {
        'content-type': file.type,
        'content-length': file.body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        ...(path === '/' ? { 'content-security-policy': CSP } : {}),
      });
      res.end(file.body);
    }),
  };
}

function postRoute(
  boundHost: string | undefined,
  path: string,
  fn: (body: Record<string, unknown>) => Promise<unknown> | unknown,
): StandinRoute {
  return {
    method: 'POST',
    path,
    handler: guard(
      boundHost,
      async (req, res) => {
        const body = await readJson(req);
        if (!body) {
          send(res, 400, { ok: false, error: 'invalid_json' });
          return;
        }
        const result = (await fn(body)) as { ok?: boolean };
        send(res, result.ok === false ? 400 : 200, result);
      },
      true,
    ),
  };
}

/** What the page asks the workspace to do: type, click, dismiss, run the jobs. */
function actionRoutes(ops: WorkspaceOps, boundHost: string | undefined): StandinRoute[] {
  const post = (path: string, fn: Parameters<typeof postRoute>[2]) =>
    postRoute(boundHost, path, fn);
  return [
    post('/local/type', (b) => {
      const channel = str(b.channel);
      const text = str(b.text);
      if (!channel || text === undefined) return { ok: false, error: 'channel and text required' };
      return ops.type(channel, text, str(b.threadTs));
    }),
    post('/local/click', (b) => {
      const channel = str(b.channel);
      const ts = str(b.ts);
      const block = Number(b.block);
      const element = str(b.element) ?? (typeof b.element === 'number' ? String(b.element) : '');
      if (!channel || !ts || !Number.isInteger(block) || !element)
        return { ok: false, error: 'channel, ts, block and element required' };
      return ops.click(channel, ts, block, element);
    }),
    post('/local/dismiss', (b) => ({
      ok: ops.dismiss(str(b.channel) ?? '', str(b.ts) ?? ''),
    })),
    post('/local/run-jobs', () => ops.runJobsNow()),
  ];
}

export function pageRoutes(
  ops: WorkspaceOps,
  assets: PageAssets = { dir: fileURLToPath(new URL('./page/', import.meta.url)) },
  boundHost?: string,
): { routes: StandinRoute[]; broadcastState(): void; close(): void } {
  const files = loadFiles(assets.dir);
  const hub = createEventHub(ops);
  const routes: StandinRoute[] = [
    ...[...files.entries()].map(([path, file]) => fileRoute(boundHost, path, file)),
    {
      method: 'GET',
      path: '/local/state',
      handler: guard(boundHost, (_req, res) => send(res, 200, pageSnapshot(ops))),
    },
    {
      method: 'GET',
      path: '/local/events',
      handler: guard(boundHost, (req, res) => {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        writeEvent(res, 'snapshot', pageSnapshot(ops));
        hub.clients.add(res);
        req.on('close', () => hub.clients.delete(res));
      }),
    },
    ...actionRoutes(ops, boundHost),
  ];
  return { routes, broadcastState: hub.broadcastState, close: hub.close };
}
