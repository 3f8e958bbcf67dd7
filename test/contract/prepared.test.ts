/**
 * Prepared queries (src/store/repos/prepared.ts) on both engines: compiled once per dialect,
 * then each call's values by position (and by column for rows), constants of the builder
 * kept, inside and outside transactions, and a builder that would bake a value into the SQL
 * refused.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { affected, type RepoDeps } from '../../src/store/repos/codec.js';
import { prepared, preparedRow, preparedRows } from '../../src/store/repos/prepared.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, givenUser } from './fixtures.js';

const targets = await databaseTargets();

// Module-level, as the repositories hold them: one instance serves both engines in this file.
const insertEvent = preparedRow<{ type: string; user_id: string | null; actor_id: string | null; ip: string | null; user_agent: string | null; at: number; details: string }, { id: number | bigint }>(
  ['type', 'user_id', 'actor_id', 'ip', 'user_agent', 'at', 'details'],
  (db, row) => db.insertInto('security_events').values(row).returning('id'),
);
const insertTwo = preparedRows<{ type: string; user_id: string | null; actor_id: string | null; ip: string | null; user_agent: string | null; at: number; details: string }, unknown>(
  ['type', 'user_id', 'actor_id', 'ip', 'user_agent', 'at', 'details'],
  2,
  (db, rows) => db.insertInto('security_events').values(rows),
);
const byTypeSince = prepared((db, type: string, since: number) =>
  db.selectFrom('security_events').select(['type', 'at', 'details']).where('type', '=', type).where('at', '>=', since).orderBy('id', 'asc'),
);
// The `+ 1` is the builder's own constant: it must survive as a parameter of every call.
const bumpStreak = prepared((db, id: string) =>
  db
    .updateTable('users')
    .set((eb) => ({ mfa_failure_streak: eb('mfa_failure_streak', '+', 1) }))
    .where('id', '=', id)
    .returning('mfa_failure_streak'),
);
const renameIfStreak = prepared((db, id: string, name: string, streak: number) =>
  db.updateTable('users').set({ name }).where('id', '=', id).where('mfa_failure_streak', '=', streak),
);

describe.each(targets)('prepared queries on $name', (target) => {
  const opened = useStore(target);
  const deps = (): RepoDeps => ({ db: opened().db, dialect: opened().dialect });
  const row = (type: string, at: number, details = '{}') => ({ type, user_id: null, actor_id: null, ip: null, user_agent: null, at, details });

  it('runs with each call’s values, by column for rows and by position for arguments', async () => {
    const type = `t.${Math.random()}`;
    const first = await insertEvent(deps(), row(type, NOW, '{"n":1}'));
    const second = await insertEvent(deps(), row(type, NOW + 10, '{"n":2}'));
    expect(Number(second.rows[0].id)).toBeGreaterThan(Number(first.rows[0].id));
    expect((await byTypeSince(deps(), type, NOW)).rows).toEqual([
      { type, at: NOW, details: '{"n":1}' },
      { type, at: NOW + 10, details: '{"n":2}' },
    ]);
    expect((await byTypeSince(deps(), type, NOW + 5)).rows).toEqual([{ type, at: NOW + 10, details: '{"n":2}' }]);
    expect((await byTypeSince(deps(), 'other', NOW)).rows).toEqual([]);
  });

  it('fills each row of a multi-row insert from its own row, and refuses another number of rows', async () => {
    const type = `rows.${Math.random()}`;
    await insertTwo(deps(), [row(type, NOW, '{"r":0}'), row(type, NOW + 1, '{"r":1}')]);
    await insertTwo(deps(), [row(type, NOW + 2, '{"r":2}'), row(type, NOW + 3, '{"r":3}')]);
    expect((await byTypeSince(deps(), type, NOW)).rows.map((r) => [r.at, r.details])).toEqual([
      [NOW, '{"r":0}'],
      [NOW + 1, '{"r":1}'],
      [NOW + 2, '{"r":2}'],
      [NOW + 3, '{"r":3}'],
    ]);
    expect(() => insertTwo(deps(), [row(type, NOW)])).toThrow(/2 rows called with 1/);
  });

  it('keeps the builder’s constants and reports changed rows', async () => {
    const u = await givenUser(opened().store);
    expect((await bumpStreak(deps(), u.id)).rows).toEqual([{ mfa_failure_streak: 1 }]);
    expect((await bumpStreak(deps(), u.id)).rows).toEqual([{ mfa_failure_streak: 2 }]);
    expect(affected(await renameIfStreak(deps(), u.id, 'Ada', 1))).toBe(0);
    expect(affected(await renameIfStreak(deps(), u.id, 'Ada', 2))).toBe(1);
    expect((await opened().store.users.byId(u.id))?.name).toBe('Ada');
  });

  it('joins the caller’s transaction, and rolls back with it', async () => {
    const u = await givenUser(opened().store);
    await expect(
      opened().db.transaction().execute(async (trx) => {
        await bumpStreak({ db: trx, dialect: opened().dialect }, u.id);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await opened().store.users.byId(u.id))?.mfaFailureStreak).toBe(0);
    await opened().db.transaction().execute((trx) => bumpStreak({ db: trx, dialect: opened().dialect }, u.id));
    expect((await opened().store.users.byId(u.id))?.mfaFailureStreak).toBe(1);
  });

  it('refuses a builder that writes a value into the SQL text', () => {
    const inlined = prepared((db, id: string) => db.selectFrom('users').select('id').where('id', '=', sql.raw<string>(`'${id}'`)));
    expect(() => inlined(deps(), 'x')).toThrow(/inlines a value/);
  });
});
