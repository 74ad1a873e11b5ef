// retryTransaction: the whole transaction again on a deadlock or serialization failure, a bounded
// number of times, with a jittered backoff; anything else is thrown at once.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { conflictBackoffMs, isRetryableConflict, retryTransaction } from '../../src/store/retry.ts';

const pgError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

/** A Db whose transaction() runs `fn` and counts the attempts (no real store needed). */
function countingDb(): Db & { attempts: number } {
  const db = {
    attempts: 0,
    dialect: 'postgres' as const,
    query: async () => [],
    exec: async () => {},
    close: async () => {},
    transaction: <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      db.attempts++;
      return fn(db);
    },
  };
  return db;
}

describe('retryTransaction', () => {
  it.each([
    ['40P01', true], // deadlock detected
    ['40001', true], // serialization failure
    ['23505', false], // unique violation: a second attempt meets it again
    ['57014', false], // query cancelled
  ])('%s is retryable: %s', (code, retryable) => {
    expect(isRetryableConflict(pgError(code))).toBe(retryable);
  });

  it('runs again after deadlocks and returns the attempt that succeeded', async () => {
    const db = countingDb();
    const seen: number[] = [];
    const result = await retryTransaction(
      db,
      async () => {
        if (db.attempts < 3) throw pgError('40P01');
        return 'written';
      },
      { onRetry: (_err, attempt) => seen.push(attempt) },
    );
    expect(result).toBe('written');
    expect(db.attempts).toBe(3);
    expect(seen).toEqual([1, 2]);
  });

  it('gives up after the attempts allowed, throwing the last conflict', async () => {
    const db = countingDb();
    await expect(
      retryTransaction(db, () => Promise.reject(pgError('40001')), { attempts: 3 }),
    ).rejects.toMatchObject({ code: '40001' });
    expect(db.attempts).toBe(3);
  });

  it('throws any other error at once', async () => {
    const db = countingDb();
    await expect(retryTransaction(db, () => Promise.reject(pgError('23505')))).rejects.toThrow();
    expect(db.attempts).toBe(1);
  });

  it('waits a random time below a ceiling that doubles, up to a second', () => {
    expect(conflictBackoffMs(1, () => 0.999)).toBe(39);
    expect(conflictBackoffMs(3, () => 0.5)).toBe(80);
    expect(conflictBackoffMs(20, () => 0.999)).toBe(999);
    expect(conflictBackoffMs(2, () => 0)).toBe(0);
  });
});
