import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachePreparedStatements } from '../../../src/store/sqlite-statement-cache.js';

function db(max?: number) {
  const d = cachePreparedStatements(new BetterSqlite3(':memory:'), max);
  d.exec('create table t (id integer primary key, v text)');
  return d;
}

describe('SQLite prepared-statement cache', () => {
  it('hands out one compiled statement per SQL text, and it keeps giving right answers', () => {
    const d = db();
    const insert = d.prepare('insert into t (v) values (?)');
    expect(d.prepare('insert into t (v) values (?)')).toBe(insert);
    for (const v of ['a', 'b', 'c']) d.prepare('insert into t (v) values (?)').run(v);
    expect(d.prepare('select v from t where id = ?').get(2)).toEqual({ v: 'b' });
    expect(d.prepare('select v from t where id = ?').get(3)).toEqual({ v: 'c' });
    expect(d.prepare('select count(*) as n from t').get()).toEqual({ n: 3 });
  });

  it('keeps at most `max` statements, dropping the oldest', () => {
    const d = db(2);
    const a = d.prepare('select 1');
    const b = d.prepare('select 2');
    expect(d.prepare('select 1')).toBe(a);
    const c = d.prepare('select 3'); // the cache is full: the oldest (select 1) goes
    expect(d.prepare('select 2')).toBe(b);
    expect(d.prepare('select 3')).toBe(c);
    const a2 = d.prepare('select 1');
    expect(a2).not.toBe(a);
    expect(a2.get()).toEqual({ 1: 1 });
  });

  it('works inside better-sqlite3 transactions (as the SQLite rate limiter uses it), rollback included', () => {
    const d = db();
    const insert = d.transaction((v: string, fail: boolean) => {
      d.prepare('insert into t (v) values (?)').run(v);
      if (fail) throw new Error('rollback');
    });
    insert('kept', false);
    expect(() => insert('dropped', true)).toThrow('rollback');
    expect(d.prepare('select v from t').all()).toEqual([{ v: 'kept' }]);
  });
});
