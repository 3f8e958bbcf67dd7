/**
 * The Store itself: transactions, ping, close.
 */
import { describe, expect, it } from 'vitest';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, aSession, aUser, givenUser } from './fixtures.js';

describe.each(await databaseTargets())('Store on $name', (target) => {
  const opened = useStore(target);
  const store = () => opened().store;

  it('answers ping', async () => {
    await expect(store().ping()).resolves.toBeUndefined();
  });

  it('commits a transaction and returns its value', async () => {
    const u = aUser();
    const s = aSession(u.id);
    const value = await store().transaction(async (tx) => {
      await tx.users.create(u);
      await tx.sessions.create(s);
      await tx.events.append({ type: 'x', userId: u.id, actorId: null, ip: null, userAgent: null, at: NOW, details: {} });
      return 42;
    });
    expect(value).toBe(42);
    expect((await store().users.byId(u.id))?.id).toBe(u.id);
    expect((await store().sessions.byId(s.id))?.userId).toBe(u.id);
  });

  it('rolls everything back when the function throws', async () => {
    const u = aUser();
    await expect(
      store().transaction(async (tx) => {
        await tx.users.create(u);
        await tx.sessions.create(aSession(u.id));
        expect((await tx.users.byId(u.id))?.id).toBe(u.id);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store().users.byId(u.id)).toBeUndefined();
  });

  it('joins the outer transaction when nested', async () => {
    const u = aUser();
    await expect(
      store().transaction(async (tx) => {
        await tx.transaction(async (inner) => inner.users.create(u));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await store().users.byId(u.id)).toBeUndefined();
  });

  it('a refused atomic step inside a transaction is visible to the function', async () => {
    const u = await givenUser(store());
    const result = await store().transaction(async (tx) => {
      const first = await tx.users.incrementFailureStreak(u.id);
      const second = await tx.users.incrementFailureStreak(u.id);
      return [first, second];
    });
    expect(result).toEqual([1, 2]);
  });

  it('closing twice is harmless; a closed store refuses work', async () => {
    const extra = await target.open();
    await extra.close();
    await extra.store.close();
    await expect(extra.store.ping()).rejects.toThrow();
  });
});
