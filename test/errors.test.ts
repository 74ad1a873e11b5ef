// Coded errors: a stable code, the cause kept, the user's mistakes told apart from ours.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.ts';
import { asKpibotError, ErrorCode, hasCode, KpibotError, UserError } from '../src/errors.ts';
import { CsvSyntaxError } from '../src/ingest/csv.ts';
import { ResponseUrlError } from '../src/slack/respond.ts';

describe('errors', () => {
  it('a user error carries its code, its class name and says it is for the user', () => {
    const err = new ConfigError('tiers.rosa: no such KPI');
    expect(err).toBeInstanceOf(UserError);
    expect(err).toBeInstanceOf(KpibotError);
    expect([err.name, err.code, err.userFacing, err.retryable]).toEqual([
      'ConfigError',
      ErrorCode.Config,
      true,
      false,
    ]);
    expect(hasCode(err, ErrorCode.Config)).toBe(true);
    expect(hasCode(err, ErrorCode.Import)).toBe(false);
    const csv = new CsvSyntaxError('unclosed quote', 12);
    expect([csv.name, csv.code, csv.line]).toEqual(['CsvSyntaxError', ErrorCode.CsvSyntax, 12]);
  });

  it('our errors keep their cause and are not for the user', () => {
    const cause = new Error('ECONNRESET');
    const err = new ResponseUrlError('no answer', undefined, 3, { cause });
    expect([err.code, err.userFacing, err.cause]).toEqual([ErrorCode.ResponseUrl, false, cause]);
  });

  it('wraps anything else as unknown, with the original as cause', () => {
    const original = new TypeError('x is undefined');
    const wrapped = asKpibotError(original);
    expect([wrapped.code, wrapped.message, wrapped.cause]).toEqual([
      ErrorCode.Unknown,
      'x is undefined',
      original,
    ]);
    expect(asKpibotError('a string').message).toBe('a string');
    const coded = new ConfigError('bad');
    expect(asKpibotError(coded)).toBe(coded);
  });

  it('a log line shows the code (pino copies own enumerable fields)', () => {
    const err = new ConfigError('bad');
    expect(JSON.parse(JSON.stringify({ ...err }))).toMatchObject({ code: 'kpibot_config_error' });
  });
});
