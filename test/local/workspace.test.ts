// The local workspace without a browser: its page server, what typing and clicking send to the
// app (checked with Bolt's own signature verification), the Web API over its conversations, and
// the "Run scheduled jobs now" hook. The app here is a small fake that answers like kpibot does.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalWorkspace, startLocalWorkspace } from '../../src/local/workspace.ts';

const SIGNING_SECRET = 'local-test-signing-secret';
const BOT_TOKEN = 'xoxb-local-test-token';

interface Received {
  verified: boolean;
  fields: Record<string, string>;
  payload?: Record<string, unknown>;
}

/** A fake app: checks the signature, acks, then answers like kpibot (ephemeral answer + button). */
function startFakeApp(workspace: () => LocalWorkspace) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let verified = true;
      try {
        verifySlackRequest({
          signingSecret: SIGNING_SECRET,
          body,
          headers: {
            'x-slack-signature': String(req.headers['x-slack-signature']),
            'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
          },
        });
      } catch {
        verified = false;
      }
      const fields = Object.fromEntries(new URLSearchParams(body));
      const payload = fields.payload
        ? (JSON.parse(fields.payload) as Record<string, unknown>)
        : undefined;
      received.push({ verified, fields, ...(payload ? { payload } : {}) });
      if (!verified) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200).end(fields.text === 'ack-with-body' ? 'Right away!' : '');
      void answer(fields, payload);
    });
  });
  const post = (url: string, body: unknown, token?: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  async function answer(fields: Record<string, string>, payload?: Record<string, unknown>) {
    if (payload) {
      const action = (payload.actions as Array<{ action_id: string; value: string }>)[0]!;
      const channel = (payload.channel as { id: string }).id;
      await post(
        `${workspace().apiUrl}chat.postMessage`,
        {
          channel,
          text: `shared: ${action.value}`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*shared* ${action.value}` } }],
        },
        BOT_TOKEN,
      );
      await post(String(payload.response_url), { delete_original: true });
      return;
    }
    if (fields.text === 'ack-with-body' || fields.text === 'silence') return;
    await post(fields.response_url!, {
      response_type: 'ephemeral',
      text: `ROAS: 10,4× (${fields.text})`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*10,4×*' } },
        {
          type: 'actions',
          block_id: 'kpi_share',
          elements: [
            {
              type: 'button',
              action_id: 'post_to_channel',
              text: { type: 'plain_text', text: 'Post to channel' },
              value: fields.text,
            },
          ],
        },
      ],
    });
  }
  return {
    received,
    server,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
  };
}

let ws: LocalWorkspace;
let app: ReturnType<typeof startFakeApp>;

beforeAll(async () => {
  app = startFakeApp(() => ws);
  const appUrl = await app.listen();
  ws = await startLocalWorkspace({
    appUrl,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    port: 0,
    locale: 'sv-SE',
    timeZone: 'Europe/Stockholm',
  });
});

afterAll(async () => {
  await ws?.stop();
  await new Promise((resolve) => (app?.server as Server | undefined)?.close(resolve));
});

beforeEach(() => {
  ws.standin.reset();
  app.received.length = 0;
  ws.setRunJobsHook(undefined);
});

const page = (path: string, init?: RequestInit) => fetch(new URL(path, ws.url), init);
const postJson = (path: string, body: unknown) =>
  page(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface View {
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  ephemeral: boolean;
  user?: string;
  bot: boolean;
  command?: string;
  responseId?: string;
}

async function state(): Promise<{
  channels: Array<{ id: string; name: string }>;
  messages: View[];
  jobs: { available: boolean; running: boolean; last?: string };
  app: { connected: boolean };
  settings: { locale?: string; timeZone?: string };
}> {
  return (await page('/local/state')).json() as never;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A raw HTTP GET with any Host header (fetch does not let a caller choose it). */
function getWithHost(path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, ws.url.replace('localhost', '127.0.0.1')), {
      headers: { host },
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the page server', () => {
  it('serves the page under a strict Content-Security-Policy, and its assets', async () => {
    const res = await page('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await res.text()).toContain('<script type="module" src="/assets/app.js"></script>');
    for (const asset of ['app.js', 'blockkit.js', 'emoji.js', 'style.css']) {
      const a = await page(`/assets/${asset}`);
      expect(a.status, asset).toBe(200);
      expect(a.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await page('/assets/../workspace.ts')).status).toBe(404);
  });

  it('answers only to loopback host names (no DNS rebinding)', async () => {
    expect(await getWithHost('/local/state', `localhost:${ws.port}`)).toBe(200);
    expect(await getWithHost('/local/state', `127.0.0.1:${ws.port}`)).toBe(200);
    expect(await getWithHost('/local/state', `evil.example:${ws.port}`)).toBe(403);
    expect(await getWithHost('/', 'evil.example')).toBe(403);
  });

  it('refuses cross-site posts and non-JSON bodies', async () => {
    const typed = { channel: 'C0MARKETING', text: 'hello' };
    const crossSite = await page('/local/type', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify(typed),
    });
    expect(crossSite.status).toBe(403);
    const form = await page('/local/type', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C0MARKETING&text=hello',
    });
    expect(form.status).toBe(415);
    expect((await state()).messages).toEqual([]);
  });

  it('starts with #marketing and #alerts, the app connected, and the workspace settings', async () => {
    const s = await state();
    expect(s.channels.map((c) => c.name)).toEqual(['marketing', 'alerts']);
    expect(s.app.connected).toBe(true);
    expect(s.settings).toMatchObject({ locale: 'sv-SE', timeZone: 'Europe/Stockholm' });
  });
});

describe('typing and clicking', () => {
  it('sends a typed /kpi command to the app signed as Slack does, and shows the ephemeral answer', async () => {
    const typed = await postJson('/local/type', {
      channel: 'C0MARKETING',
      text: '/kpi roas last-week',
    });
    expect(typed.status).toBe(200);
    const { responseId } = (await typed.json()) as { responseId: string };
    expect(app.received).toHaveLength(1);
    const [cmd] = app.received;
    expect(cmd!.verified).toBe(true);
    expect(cmd!.fields).toMatchObject({
      command: '/kpi',
      text: 'roas last-week',
      channel_id: 'C0MARKETING',
      channel_name: 'marketing',
      user_id: 'U0LOCAL',
      team_id: 'T0LOCAL',
      response_url: `${ws.apiUrl.replace(/\/api\/$/, '')}/response/${responseId}`,
    });
    const answer = await until(
      async () => (await state()).messages.find((m) => m.responseId === responseId && !m.command),
      'the answer',
    );
    expect(answer).toMatchObject({ channel: 'C0MARKETING', ephemeral: true, bot: true });
    expect(answer.text).toBe('ROAS: 10,4× (roas last-week)');
    // What was typed showed only while the person waited.
    expect((await state()).messages.filter((m) => m.command)).toEqual([]);
  });

  it('shows what was typed while the app has not answered yet', async () => {
    const typed = await postJson('/local/type', { channel: 'C0MARKETING', text: '/kpi silence' });
    const { responseId } = (await typed.json()) as { responseId: string };
    expect((await state()).messages).toEqual([
      expect.objectContaining({
        command: '/kpi silence',
        responseId,
        ephemeral: true,
        user: 'U0LOCAL',
      }),
    ]);
  });

  it('clicking a button sends a signed block_actions payload; the app reposts and removes the ephemeral', async () => {
    await postJson('/local/type', { channel: 'C0MARKETING', text: '/kpi roas last-week' });
    const answer = await until(
      async () => (await state()).messages.find((m) => m.bot && m.ephemeral),
      'the answer',
    );
    const clicked = await postJson('/local/click', {
      channel: answer.channel,
      ts: answer.ts,
      block: 1,
      element: '0',
    });
    expect(clicked.status).toBe(200);
    const action = app.received.at(-1)!;
    expect(action.verified).toBe(true);
    expect(action.payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0LOCAL', name: 'you' },
      channel: { id: 'C0MARKETING', name: 'marketing' },
      container: { type: 'message', message_ts: answer.ts, is_ephemeral: true },
      actions: [
        {
          type: 'button',
          action_id: 'post_to_channel',
          block_id: 'kpi_share',
          value: 'roas last-week',
          text: { type: 'plain_text', text: 'Post to channel' },
        },
      ],
    });
    // Slack leaves the message out of the payload for an ephemeral one.
    expect(action.payload).not.toHaveProperty('message');
    const shared = await until(
      async () => (await state()).messages.find((m) => m.bot && !m.ephemeral),
      'the repost',
    );
    expect(shared.text).toBe('shared: roas last-week');
    expect((await state()).messages.find((m) => m.ts === answer.ts)).toBeUndefined();
  });

  it('sends the message along when the clicked button is on an in-channel message', async () => {
    const posted = (await (
      await fetch(`${ws.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BOT_TOKEN}` },
        body: JSON.stringify({
          channel: '#alerts',
          text: 'ROAS below 3×',
          blocks: [
            {
              type: 'actions',
              block_id: 'alert',
              elements: [
                {
                  type: 'button',
                  action_id: 'alert_acknowledge',
                  value: 'x',
                  text: { type: 'plain_text', text: 'Acknowledge' },
                },
              ],
            },
          ],
        }),
      })
    ).json()) as { ok: boolean; channel: string; ts: string };
    expect(posted).toMatchObject({ ok: true, channel: 'C0ALERTS' });
    await postJson('/local/click', { channel: 'C0ALERTS', ts: posted.ts, block: 0, element: 0 });
    const payload = app.received.at(-1)!.payload!;
    expect(payload.container).toMatchObject({ channel_id: 'C0ALERTS', is_ephemeral: false });
    expect(payload.message).toMatchObject({
      ts: posted.ts,
      text: 'ROAS below 3×',
      bot_id: 'B0KPIBOT',
    });
  });

  it('shows the body of an ack as the answer, as Slack does', async () => {
    await postJson('/local/type', { channel: 'C0MARKETING', text: '/kpi ack-with-body' });
    const m = await until(
      async () => (await state()).messages.find((x) => x.text === 'Right away!'),
      'the ack text',
    );
    expect(m.ephemeral).toBe(true);
  });

  it('answers an unknown command, and a command the app refuses, with a Slackbot notice', async () => {
    const unknown = await postJson('/local/type', { channel: 'C0MARKETING', text: '/weather' });
    expect(unknown.status).toBe(400);
    expect(app.received).toHaveLength(0);
    const s = await state();
    expect(s.messages.at(-1)).toMatchObject({ user: 'USLACKBOT', ephemeral: true });
    expect(s.messages.at(-1)?.text).toContain('`/weather` is not a valid command');
  });

  it('says so when the app refuses the request or does not answer at all', async () => {
    // Another workspace with another signing secret: the app's signature check refuses it.
    const stranger = await startLocalWorkspace({
      appUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      signingSecret: 'not-the-apps-secret',
      botToken: BOT_TOKEN,
      port: 0,
    });
    try {
      expect(await stranger.type('C0MARKETING', '/kpi roas')).toMatchObject({
        ok: false,
        error: 'dispatch_failed',
      });
      expect(app.received.at(-1)?.verified).toBe(false);
      stranger.connectApp('http://127.0.0.1:9'); // nothing listens on the discard port
      expect(await stranger.type('C0MARKETING', '/kpi roas')).toMatchObject({ ok: false });
      const texts = stranger.standin.messages.filter((m) => !m.deleted).map((m) => m.text);
      expect(texts).toEqual([
        '`/kpi` failed with the error "dispatch_failed" (the app answered HTTP 401).',
        '`/kpi` failed with the error "dispatch_failed": the app did not answer (is it running?).',
      ]);
    } finally {
      await stranger.stop();
    }
  });

  it('keeps what a person types as text, escaped as Slack sends it', async () => {
    await postJson('/local/type', {
      channel: 'C0ALERTS',
      text: '<img src=x onerror=alert(1)> & co',
    });
    const [m] = (await state()).messages;
    expect(m).toMatchObject({ channel: 'C0ALERTS', user: 'U0LOCAL', ephemeral: false });
    expect(m!.text).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; co');
    expect(app.received).toHaveLength(0);
  });

  it('streams changes to the page as server-sent events', async () => {
    const controller = new AbortController();
    const res = await page('/local/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const read = async (until: string) => {
      while (!text.includes(until)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    await read('event: snapshot');
    await postJson('/local/type', { channel: 'C0MARKETING', text: 'hello from the test' });
    await read('hello from the test');
    expect(text).toMatch(/event: message\ndata: \{.*"text":"hello from the test"/);
    controller.abort();
  });
});

describe('the Web API over the workspace', () => {
  const api = async (method: string, args: Record<string, unknown>, token = BOT_TOKEN) =>
    (await (
      await fetch(`${ws.apiUrl}${method}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Bearer ${token}`,
        },
        body: new URLSearchParams(
          Object.entries(args).map(([k, v]): [string, string] => [
            k,
            typeof v === 'string' ? v : JSON.stringify(v),
          ]),
        ),
      })
    ).json()) as Record<string, unknown>;

  it('creates any channel a message names, and keeps threads, updates and deletions', async () => {
    const parent = await api('chat.postMessage', {
      channel: '#growth-team',
      text: 'Weekly summary',
    });
    expect(parent).toMatchObject({ ok: true, channel: 'C0GROWTHTEAM' });
    expect((await state()).channels.map((c) => c.name)).toContain('growth-team');
    const reply = await api('chat.postMessage', {
      channel: 'C0GROWTHTEAM',
      thread_ts: parent.ts,
      text: 'By channel',
      metadata: { event_type: 'kpibot_outbox_message', event_payload: { idempotency_key: 'k1' } },
    });
    expect(reply.ok).toBe(true);
    expect(
      await api('chat.update', {
        channel: 'C0GROWTHTEAM',
        ts: parent.ts,
        text: 'Weekly summary (late)',
      }),
    ).toMatchObject({ ok: true });
    await api('chat.postEphemeral', { channel: 'C0GROWTHTEAM', user: 'U0LOCAL', text: 'only you' });

    const history = await api('conversations.history', {
      channel: 'C0GROWTHTEAM',
      include_all_metadata: true,
    });
    expect(history.messages).toEqual([
      expect.objectContaining({ ts: parent.ts, text: 'Weekly summary (late)', reply_count: 1 }),
    ]);
    const replies = await api('conversations.replies', {
      channel: 'C0GROWTHTEAM',
      ts: parent.ts,
      include_all_metadata: true,
    });
    expect(replies.messages).toEqual([
      expect.objectContaining({ ts: parent.ts }),
      expect.objectContaining({
        text: 'By channel',
        thread_ts: parent.ts,
        metadata: { event_type: 'kpibot_outbox_message', event_payload: { idempotency_key: 'k1' } },
      }),
    ]);
    const views = (await state()).messages.filter((m) => m.channel === 'C0GROWTHTEAM');
    expect(views.map((m) => [m.text, m.ephemeral])).toEqual([
      ['Weekly summary (late)', false],
      ['By channel', false],
      ['only you', true],
    ]);
    expect(await api('chat.delete', { channel: 'C0GROWTHTEAM', ts: parent.ts })).toMatchObject({
      ok: true,
    });
    expect((await state()).messages.find((m) => m.ts === parent.ts)).toBeUndefined();
  });

  it('refuses another token, and says who the bot and the person are', async () => {
    expect(await api('auth.test', {}, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await api('auth.test', {})).toMatchObject({
      ok: true,
      user_id: 'U0KPIBOT',
      team: 'kpibot local',
    });
    expect(await api('users.info', { user: 'U0LOCAL' })).toMatchObject({
      ok: true,
      user: { id: 'U0LOCAL', name: 'you', is_admin: true },
    });
  });
});

describe('Run scheduled jobs now', () => {
  it('is unavailable without a hook', async () => {
    expect((await state()).jobs).toMatchObject({ available: false, running: false });
    const res = await postJson('/local/run-jobs', {});
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false });
  });

  it('runs the hook and reports what it said, or that it failed', async () => {
    let runs = 0;
    ws.setRunJobsHook(async () => {
      runs += 1;
      return 'Ran the alert checks and the weekly summary.';
    });
    expect((await state()).jobs.available).toBe(true);
    const res = await postJson('/local/run-jobs', {});
    expect(await res.json()).toEqual({
      ok: true,
      message: 'Ran the alert checks and the weekly summary.',
    });
    expect(runs).toBe(1);
    expect((await state()).jobs).toMatchObject({
      running: false,
      last: 'Ran the alert checks and the weekly summary.',
    });

    ws.setRunJobsHook(async () => {
      throw new Error('store is closed');
    });
    expect(await ws.runJobsNow()).toEqual({
      ok: false,
      message: 'Running the scheduled jobs failed: store is closed',
    });
  });
});
