import { describe, expect, it } from 'vitest';
import { DEFAULT_SLACK_API_URL, normaliseApiUrl } from '../../src/outbox/slack-api.ts';

describe('normaliseApiUrl (one base URL for Bolt’s WebClient and the outbox client)', () => {
  it('adds the trailing slash once', () => {
    expect(normaliseApiUrl('http://127.0.0.1:4000/api')).toBe('http://127.0.0.1:4000/api/');
    expect(normaliseApiUrl('http://127.0.0.1:4000/api/')).toBe('http://127.0.0.1:4000/api/');
  });
  it('falls back to slack.com when unset or empty', () => {
    expect(normaliseApiUrl(undefined)).toBe(DEFAULT_SLACK_API_URL);
    expect(normaliseApiUrl('')).toBe('https://slack.com/api/');
  });
});
