import { beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation } from '../../src/store/index.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, aSession, aUser, givenUser } from './fixtures.js';

const targets = await databaseTargets();

describe.each(targets)('UsersRepo on $name', (target) => {
  const opened = useStore(target);
  const users = () => opened().store.users;

  it('round-trips every field', async () => {
    const u = aUser({
      name: 'Ada Lovelace',
      roles: ['admin', 'auditor'],
      disabled: true,
      lastLoginAt: NOW + 5,
      mfaRequiredSince: NOW - 10,
      mfaFailureStreak: 3,
    });
    await users().create(u);
    expect(await users().byId(u.id)).toEqual(u);
    expect(await users().byId('nope')).toBeUndefined();
  });

  it('stores emails lowercased and finds them in any case', async () => {
    const u = aUser({ email: 'Mixed.Case@Example.TEST' });
    await users().create(u);
    expect((await users().byId(u.id))?.email).toBe('mixed.case@example.test');
    expect((await users().byEmail('MIXED.case@example.test'))?.id).toBe(u.id);
    expect(await users().byEmail('other@example.test')).toBeUndefined();
  });

  it('refuses a second account with the same email in another case (unique violation)', async () => {
    const u = await givenUser(opened().store, { email: 'dup@example.test' });
    const err = await users()
      .create(aUser({ email: 'DUP@example.test' }))
      .then(() => undefined, (e: unknown) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect((await users().byEmail('dup@example.test'))?.id).toBe(u.id);
  });

  it('sets the password hash and the last login', async () => {
    const u = await givenUser(opened().store);
    await users().setPasswordHash(u.id, 'new-hash');
    await users().setLastLogin(u.id, NOW + 99);
    const got = await users().byId(u.id);
    expect(got?.passwordHash).toBe('new-hash');
    expect(got?.lastLoginAt).toBe(NOW + 99);
  });

  it('updates only the patched fields', async () => {
    const u = await givenUser(opened().store, { name: 'Before', roles: ['x'] });
    await users().update(u.id, { roles: ['admin'], disabled: true });
    expect(await users().byId(u.id)).toEqual({ ...u, roles: ['admin'], disabled: true });
    await users().update(u.id, { name: null, mfaRequiredSince: NOW });
    expect(await users().byId(u.id)).toEqual({ ...u, roles: ['admin'], disabled: true, name: null, mfaRequiredSince: NOW });
    await users().update(u.id, { mfaRequiredSince: null, disabled: false });
    expect(await users().byId(u.id)).toEqual({ ...u, roles: ['admin'], name: null });
    await users().update(u.id, {});
    expect((await users().byId(u.id))?.roles).toEqual(['admin']);
  });

  it('counts failure streaks up and resets them', async () => {
    const u = await givenUser(opened().store);
    expect(await users().incrementFailureStreak(u.id)).toBe(1);
    expect(await users().incrementFailureStreak(u.id)).toBe(2);
    expect((await users().byId(u.id))?.mfaFailureStreak).toBe(2);
    await users().resetFailureStreak(u.id);
    expect((await users().byId(u.id))?.mfaFailureStreak).toBe(0);
    expect(await users().incrementFailureStreak('no-such-user')).toBe(0);
  });

  it('deleting a user cascades to what it owns (foreign keys are enforced)', async () => {
    const u = await givenUser(opened().store);
    const s = aSession(u.id);
    await opened().store.sessions.create(s);
    await opened().db.deleteFrom('users').where('id', '=', u.id).execute();
    expect(await opened().store.sessions.byId(s.id)).toBeUndefined();
    await expect(opened().store.sessions.create(aSession('missing-user'))).rejects.toThrow();
  });
});

// Counting and listing see the whole table: every case starts from an empty one.
describe.each(targets)('UsersRepo listing on $name', (target) => {
  const opened = useStore(target);
  const users = () => opened().store.users;
  beforeEach(async () => {
    if (!target.skipReason) await opened().db.deleteFrom('users').execute();
  });

  it('counts users and enabled admins exactly', async () => {
    expect(await users().count()).toBe(0);
    expect(await users().countAdmins()).toBe(0);
    await givenUser(opened().store, { roles: ['admin'] });
    await givenUser(opened().store, { roles: ['auditor', 'admin'] });
    await givenUser(opened().store, { roles: ['admin'], disabled: true });
    await givenUser(opened().store, { roles: ['administrator', 'x"admin'] });
    await givenUser(opened().store);
    expect(await users().countAdmins()).toBe(2);
    expect(await users().count()).toBe(5);
    await opened().db.deleteFrom('users').execute();
  });

  it('lists in (created_at, id) order, a page at a time, until next_cursor is null', async () => {
    const made = [];
    for (let i = 0; i < 7; i++) {
      // Pairs share a creation time: the id breaks the tie.
      made.push(await givenUser(opened().store, { createdAt: NOW + Math.floor(i / 2) }));
    }
    const expected = [...made].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map((u) => u.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await users().list({ cursor, limit: 3 });
      pages++;
      seen.push(...page.users.map((u) => u.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
    const exact = await users().list({ limit: 7 });
    expect(exact.users).toHaveLength(7);
    expect(exact.nextCursor).toBeNull();
    expect(await users().list({ cursor: 'not-a-cursor', limit: 3 })).toEqual({ users: [], nextCursor: null });
    await opened().db.deleteFrom('users').execute();
  });

  it('searches email and name by case-insensitive substring, wildcards taken literally', async () => {
    const alice = await givenUser(opened().store, { email: 'alice@corp.example', name: 'Alice Liddell' });
    const bob = await givenUser(opened().store, { email: 'bob@corp.example', name: 'Robert 100% Tables' });
    const carol = await givenUser(opened().store, { email: 'carol_x@home.example', name: null });
    const ids = async (query: string) => (await users().list({ query, limit: 10 })).users.map((u) => u.id).sort();
    expect(await ids('ALICE')).toEqual([alice.id]);
    expect(await ids('liddell')).toEqual([alice.id]);
    expect(await ids('corp')).toEqual([alice.id, bob.id].sort());
    expect(await ids('100%')).toEqual([bob.id]);
    expect(await ids('%')).toEqual([bob.id]);
    expect(await ids('_x')).toEqual([carol.id]);
    expect(await ids('l_x')).toEqual([carol.id]);
    expect(await ids('a_i')).toEqual([]);
    expect(await ids('nobody')).toEqual([]);
    expect(await ids('')).toHaveLength(3);
    const page = await users().list({ query: 'example', limit: 2 });
    expect(page.users).toHaveLength(2);
    const rest = await users().list({ query: 'example', limit: 2, cursor: page.nextCursor ?? undefined });
    expect(rest.users).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });
});
