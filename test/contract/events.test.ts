/**
 * The audit trail, signing keys, data-encryption key ids and the policy row.
 */
import { describe, expect, it } from 'vitest';
import type { NewSecurityEvent } from '../../src/core/types.js';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, uid } from './fixtures.js';

const targets = await databaseTargets();

const anEvent = (over: Partial<NewSecurityEvent> = {}): NewSecurityEvent => ({
  type: 'login_succeeded',
  userId: null,
  actorId: null,
  ip: '192.0.2.10',
  userAgent: 'ua',
  at: NOW,
  details: {},
  ...over,
});

describe.each(targets)('EventsRepo on $name', (target) => {
  const opened = useStore(target);
  const events = () => opened().store.events;

  it('appends with increasing ids and round-trips the details', async () => {
    const user = uid();
    const a = await events().append(anEvent({ userId: user, actorId: uid(), details: { method: 'totp', n: 3, nested: { ok: true } } }));
    const b = await events().append(anEvent({ userId: user, type: 'mfa_failed', ip: null, userAgent: null }));
    expect(typeof a).toBe('number');
    expect(b).toBeGreaterThan(a);
    const { events: got } = await events().list({ userId: user, limit: 10 });
    expect(got.map((e) => e.id)).toEqual([b, a]);
    expect(got[1]).toMatchObject({ id: a, type: 'login_succeeded', userId: user, at: NOW, details: { method: 'totp', n: 3, nested: { ok: true } } });
    expect(got[0]).toMatchObject({ id: b, ip: null, userAgent: null, details: {} });
  });

  it('appends several events at once, in their order, each with its own details', async () => {
    const user = uid();
    await events().appendAll([anEvent({ userId: user, type: 'mfa.verify_succeeded', details: { method: 'totp' } }), anEvent({ userId: user, type: 'login.succeeded', ip: null, details: { amr: ['pwd', 'otp'] } })]);
    await events().appendAll([anEvent({ userId: user, type: 'a' }), anEvent({ userId: user, type: 'b' }), anEvent({ userId: user, type: 'c', userAgent: null })]);
    await events().appendAll([anEvent({ userId: user, type: 'alone' })]);
    await events().appendAll([]);
    const { events: got } = await events().list({ userId: user, limit: 10 });
    // Newest first: the order they were given, reversed, and ids that ascend with it.
    expect(got.map((e) => e.type)).toEqual(['alone', 'c', 'b', 'a', 'login.succeeded', 'mfa.verify_succeeded']);
    expect([...got].map((e) => e.id).reverse()).toEqual([...got].map((e) => e.id).sort((x, y) => x - y));
    expect(got[5]).toMatchObject({ userId: user, ip: '192.0.2.10', details: { method: 'totp' } });
    expect(got[4]).toMatchObject({ ip: null, details: { amr: ['pwd', 'otp'] } });
    expect(got[1]).toMatchObject({ userAgent: null });
  });

  it('appends all of them or none, inside a transaction that rolls back', async () => {
    const user = uid();
    await expect(
      opened().store.transaction(async (tx) => {
        await tx.events.appendAll([anEvent({ userId: user }), anEvent({ userId: user })]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect((await events().list({ userId: user, limit: 10 })).events).toEqual([]);
  });

  it('pages newest first with an id cursor until next_cursor is null', async () => {
    const user = uid();
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push(await events().append(anEvent({ userId: user, at: NOW + i })));
    const seen: number[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = await events().list({ userId: user, cursor, limit: 3 });
      seen.push(...page.events.map((e) => e.id));
      if (page.nextCursor === null) break;
      expect(page.nextCursor).toBe(page.events[page.events.length - 1].id);
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
    const whole = await events().list({ userId: user, limit: 7 });
    expect(whole.events).toHaveLength(7);
    expect(whole.nextCursor).toBeNull();
  });

  it('filters by user, type and time (since inclusive, until exclusive)', async () => {
    const user = uid();
    const other = uid();
    await events().append(anEvent({ userId: user, type: 'a', at: NOW }));
    const mid = await events().append(anEvent({ userId: user, type: 'b', at: NOW + 10 }));
    await events().append(anEvent({ userId: user, type: 'a', at: NOW + 20 }));
    await events().append(anEvent({ userId: other, type: 'b', at: NOW + 10 }));
    const list = async (f: { type?: string; since?: number; until?: number }) =>
      (await events().list({ userId: user, limit: 10, ...f })).events.map((e) => [e.type, e.at]);
    expect(await list({ type: 'a' })).toEqual([['a', NOW + 20], ['a', NOW]]);
    expect(await list({ since: NOW + 10 })).toEqual([['a', NOW + 20], ['b', NOW + 10]]);
    expect(await list({ until: NOW + 10 })).toEqual([['a', NOW]]);
    expect(await list({ since: NOW + 10, until: NOW + 20 })).toEqual([['b', NOW + 10]]);
    const byType = await events().list({ type: 'b', since: NOW + 10, until: NOW + 11, limit: 10 });
    expect(byType.events.map((e) => e.userId).sort()).toEqual([user, other].sort());
    expect((await events().list({ userId: user, cursor: mid, limit: 10 })).events.map((e) => e.at)).toEqual([NOW]);
  });

  it('counts by type since a time, naming every asked type', async () => {
    const t1 = `t1-${uid()}`;
    const t2 = `t2-${uid()}`;
    await events().append(anEvent({ type: t1, at: NOW - 1 }));
    await events().append(anEvent({ type: t1, at: NOW }));
    await events().append(anEvent({ type: t1, at: NOW + 1 }));
    await events().append(anEvent({ type: t2, at: NOW + 1 }));
    expect(await events().countByType([t1, t2, 'never'], NOW)).toEqual({ [t1]: 2, [t2]: 1, never: 0 });
    expect(await events().countByType([], NOW)).toEqual({});
  });
});

describe.each(targets)('SigningKeysRepo on $name', (target) => {
  const opened = useStore(target);
  const keys = () => opened().store.signingKeys;

  it('inserts, lists active oldest first, retires once, re-seals, lists all', async () => {
    const k = (kid: string, createdAt: number) => ({
      kid,
      alg: 'EdDSA',
      privateEnc: `enc-${kid}`,
      publicJwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: kid }),
      createdAt,
      retiredAt: null,
    });
    const older = k('k1', NOW - 1000);
    const newer = k('k2', NOW);
    await keys().insert(newer);
    await keys().insert(older);
    expect(await keys().listActive()).toEqual([older, newer]);
    await keys().retire('k1', NOW + 1);
    await keys().retire('k1', NOW + 2);
    expect(await keys().listActive()).toEqual([newer]);
    await keys().updatePrivate('k2', 'enc-v2');
    expect(await keys().all()).toEqual([{ ...older, retiredAt: NOW + 1 }, { ...newer, privateEnc: 'enc-v2' }]);
  });
});

describe.each(targets)('KeyIdsRepo on $name', (target) => {
  const opened = useStore(target);
  const keyIds = () => opened().store.keyIds;

  it('lists ids in the order added (not by time), adding twice is a no-op', async () => {
    expect(await keyIds().list()).toEqual([]);
    await keyIds().add('k0000000002', NOW);
    // An earlier clock in another process does not make an id older.
    await keyIds().add('k0000000001', NOW - 1000);
    await keyIds().add('k0000000002', NOW + 5);
    expect(await keyIds().list()).toEqual(['k0000000002', 'k0000000001']);
  });

  it('processes racing to add the same first id leave one', async () => {
    await Promise.all(Array.from({ length: 10 }, () => keyIds().add('k-race', NOW)));
    expect((await keyIds().list()).filter((k) => k === 'k-race')).toEqual(['k-race']);
  });
});

describe.each(targets)('PolicyRepo on $name', (target) => {
  const opened = useStore(target);
  const policy = () => opened().store.policy;

  it('is undefined until set, then holds the last policy put', async () => {
    expect(await policy().get()).toBeUndefined();
    const p = {
      require_mfa: 'roles' as const,
      roles: ['admin', 'ops'],
      grace_period_days: 7,
      allowed_methods: ['totp' as const, 'webauthn' as const],
      trusted_device_days: 30,
      step_up_max_age_s: 300,
      mfa_max_failures: 10,
      mfa_lockout_minutes: 15,
      mfa_hard_lock_streak: 100,
    };
    await policy().put(p, NOW);
    expect(await policy().get()).toEqual(p);
    await policy().put({ ...p, require_mfa: 'all', roles: [] }, NOW + 1);
    expect(await policy().get()).toEqual({ ...p, require_mfa: 'all', roles: [] });
    const rows = await opened().db.selectFrom('policy').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].updated_at).toBe(NOW + 1);
  });
});
