// The logger keeps secrets out of every line: by key (pino redact) and by value (scrubber).
import { describe, expect, it } from 'vitest';
import { createLogger, createScrubber, REDACTED } from '../src/logger.ts';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (l: string) => void lines.push(l) }, { secrets });
  return {
    logger,
    lines,
    parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes JSON lines at the chosen level', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => void lines.push(l) });
    logger.info('hidden');
    logger.warn({ n: 1 }, 'shown');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 40, n: 1, msg: 'shown' });
  });

  it('redacts secret keys at any of the first levels of nesting', () => {
    const { logger, parsed } = capture();
    logger.info(
      {
        token: 'a',
        config: { slack: { botToken: 'b', signingSecret: 'c', appToken: 'd' } },
        req: { headers: { authorization: 'Bearer e', 'x-slack-signature': 'v0=f', cookie: 'g' } },
        body: { response_url: 'https://hooks.slack.com/commands/T/1/x' },
      },
      'm',
    );
    const [line] = parsed();
    expect(line).toMatchObject({
      token: REDACTED,
      config: { slack: { botToken: REDACTED, signingSecret: REDACTED, appToken: REDACTED } },
      req: {
        headers: { authorization: REDACTED, 'x-slack-signature': REDACTED, cookie: REDACTED },
      },
      body: { response_url: REDACTED },
    });
  });

  it('scrubs known secret values and token-shaped strings from messages and errors', () => {
    const { logger, lines } = capture(['my-signing-secret-value']);
    logger.error(
      { err: new Error('auth failed for xoxb-123-456-abc with my-signing-secret-value') },
      'calling with xapp-1-A1-xyz, Bearer sk.live.123 and postgres://kpi:hunter2pass@db/kpi',
    );
    const out = lines.join('');
    for (const secret of [
      'xoxb-123',
      'my-signing-secret-value',
      'xapp-1',
      'sk.live.123',
      'hunter2pass',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('postgres://kpi:[Redacted]@db/kpi');
  });
});

describe('createScrubber', () => {
  it.each([
    // Slack bot, user and app tokens
    ['xoxb-1-2-abc', REDACTED],
    ['token=xoxp-9-8-def end', `token=${REDACTED} end`],
    // a configured secret, also when JSON-escaped inside a string
    ['s"e\\cret-value!', REDACTED],
    // ordinary text is untouched
    ['ROAS 3.00× for week 46', 'ROAS 3.00× for week 46'],
  ])('%s → %s', (input, expected) => {
    const scrub = createScrubber(['s"e\\cret-value!']);
    expect(scrub(input)).toBe(expected);
  });

  it('ignores very short secrets rather than blanking ordinary text', () => {
    expect(createScrubber(['abc'])(`abc def`)).toBe('abc def');
  });
});
