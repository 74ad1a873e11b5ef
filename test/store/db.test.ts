// The store port itself: value types coming back, exec, and transaction semantics.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db.ts';
import { storeKinds } from '../helpers/test-db.ts';

describe.each(storeKinds())('$name store: the Db port', ({ name, create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec('drop table if exists t; create table t (id int primary key, label text)');
  });

  it('says which dialect it is', () => {
    expect(db.dialect).toBe(name);
  });

  it('returns dates as YYYY-MM-DD strings, double precision and bigint as numbers', async () => {
    const [row] = await db.query<{ d: unknown; f: unknown; b: unknown; n: unknown; ts: unknown }>(
      `select $1::date as d, 2.5::float8 as f, 9007199254740991::bigint as b,
              count(*) as n, now() as ts
       from (values (1), (2)) v(x)`,
      ['2026-03-29'],
    );
    expect(row).toEqual({
      d: '2026-03-29',
      f: 2.5,
      b: 9007199254740991,
      n: 2,
      ts: expect.any(Date),
    });
  });

  it('passes parameters, never splices them into SQL', async () => {
    const evil = "x'); drop table t; --";
    await db.query('insert into t (id, label) values ($1, $2)', [1, evil]);
    expect(await db.query('select label from t')).toEqual([{ label: evil }]);
  });

  it('runs several statements with exec', async () => {
    await db.exec(`insert into t values (1, 'a'); insert into t values (2, 'b');`);
    expect(await db.query('select id from t order by id')).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('commits a transaction and returns its result', async () => {
    const out = await db.transaction(async (tx) => {
      await tx.query('insert into t values (1, $1)', ['a']);
      return 42;
    });
    expect(out).toBe(42);
    expect(await db.query('select count(*) as n from t')).toEqual([{ n: 1 }]);
  });

  it('rolls back everything when the callback throws, nested calls included', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values (1, $1)', ['outer']);
        await tx.transaction(async (inner) => {
          await inner.query('insert into t values (2, $1)', ['inner']);
        });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('select count(*) as n from t')).toEqual([{ n: 0 }]);
  });

  it('runs a nested transaction in the same transaction (sees uncommitted rows)', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into t values (1, $1)', ['a']);
      const seen = await tx.transaction((inner) => inner.query('select id from t'));
      expect(seen).toEqual([{ id: 1 }]);
    });
    expect(await db.query('select count(*) as n from t')).toEqual([{ n: 1 }]);
  });

  it('joins the transaction when the outer db is used inside the callback', async () => {
    // On PGlite (one connection) running outside the transaction would wait for it forever.
    await expect(
      db.transaction(async () => {
        await db.query('insert into t values (1, $1)', ['via outer db']);
        await db.transaction((again) => again.query('insert into t values (2, $1)', ['nested']));
        expect(await db.query('select count(*) as n from t')).toEqual([{ n: 2 }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await db.query('select count(*) as n from t')).toEqual([{ n: 0 }]);
  });

  it('refuses a tx used after its transaction ended', async () => {
    let leaked: Db | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('select 1')).rejects.toThrow(/already ended/);
    expect(await db.query('select 1 as one')).toEqual([{ one: 1 }]);
  });

  it('rolls back on an SQL error and stays usable', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values (1, $1)', ['a']);
        await tx.query('insert into t values (1, $1)', ['duplicate key']);
      }),
    ).rejects.toThrow(/duplicate key|unique/i);
    expect(await db.query('select count(*) as n from t')).toEqual([{ n: 0 }]);
    await db.query('insert into t values (3, $1)', ['after']);
    expect(await db.query('select id from t')).toEqual([{ id: 3 }]);
  });
});
