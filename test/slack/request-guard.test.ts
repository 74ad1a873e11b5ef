// The pure parts of the Slack request guard, with an injected clock: the signature and the
// timestamp window both ways, and what a request is remembered by.
import { describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../src/local/signing.ts';
import { checkSlackRequest, requestKey } from '../../src/slack/request-guard.ts';

const SECRET = 'guard-signing-secret-0123456789abcdef';
const NOW_MS = Date.UTC(2026, 10, 18, 9, 0, 0);
const NOW = NOW_MS / 1000;
const BODY = 'command=%2Fkpi&text=roas';

const headers = (timestamp: number, secret = SECRET, body = BODY) => ({
  'x-slack-request-timestamp': String(timestamp),
  'x-slack-signature': signSlackRequest(secret, timestamp, body),
});

describe('checkSlackRequest', () => {
  it.each([
    ['signed now', headers(NOW), true],
    ['signed 4 min ago', headers(NOW - 240), true],
    ['signed 4 min ahead (clock skew)', headers(NOW + 240), true],
    ['signed 6 min ago (stale)', headers(NOW - 360), false],
    ['signed 10 min ahead', headers(NOW + 600), false],
    ['another secret', headers(NOW, `${SECRET}-x`), false],
    ['another body', headers(NOW, SECRET, 'text=other'), false],
    ['no headers', {}, false],
    [
      'a timestamp that is not a number',
      { ...headers(NOW), 'x-slack-request-timestamp': '1e9' },
      false,
    ],
  ])('%s → accepted: %s', (_case, h, accepted) => {
    expect(checkSlackRequest(SECRET, h, BODY, NOW_MS).ok).toBe(accepted);
  });
});

describe('requestKey', () => {
  const event = (id: string) => JSON.stringify({ type: 'event_callback', event_id: id, event: {} });

  it('remembers an event by its id, whatever signature a retry carries', () => {
    const json = 'application/json';
    expect(requestKey(json, event('Ev01'), 'v0=aa')).toBe(requestKey(json, event('Ev01'), 'v0=bb'));
    expect(requestKey(json, event('Ev01'), 'v0=aa')).not.toBe(
      requestKey(json, event('Ev02'), 'v0=aa'),
    );
  });

  it('remembers commands, interactions and anything else by signature', () => {
    const form = 'application/x-www-form-urlencoded';
    expect(requestKey(form, BODY, 'v0=aa')).toBe('sig:v0=aa');
    expect(requestKey('application/json', '{"type":"url_verification"}', 'v0=cc')).toBe(
      'sig:v0=cc',
    );
    expect(requestKey('application/json', 'not json', 'v0=dd')).toBe('sig:v0=dd');
  });
});
