import { describe, expect, it } from 'vitest';
import { databaseTargets, useStore } from '../helpers/databases.js';
import { NOW, aMessage } from './fixtures.js';

const LEASE = 60_000;

// Every case starts from an empty outbox: claimDue sees the whole table.
describe.each(await databaseTargets())('OutboxRepo on $name', (target) => {
  const opened = useStore(target);
  const outbox = () => opened().store.outbox;
  const empty = () => opened().db.deleteFrom('outbox').execute();

  it('claims due messages oldest first, up to the limit, field for field', async () => {
    await empty();
    const later = aMessage({ nextAttemptAt: NOW + 1000 });
    const a = aMessage({ nextAttemptAt: NOW - 20, channel: 'sms', to: '+15555550123', data: { code: '1' } });
    const b = aMessage({ nextAttemptAt: NOW - 10 });
    const c = aMessage({ nextAttemptAt: NOW });
    for (const m of [later, c, b, a]) await outbox().enqueue(m);
    expect(await outbox().pending()).toBe(4);
    const first = await outbox().claimDue(NOW, 2, LEASE);
    expect(first).toEqual([
      { ...a, attempts: 1 },
      { ...b, attempts: 1 },
    ]);
    const second = await outbox().claimDue(NOW, 10, LEASE);
    expect(second.map((m) => m.id)).toEqual([c.id]);
    expect(await outbox().claimDue(NOW, 10, LEASE)).toEqual([]);
  });

  it('a lapsed lease makes a message claimable again, counting the attempt', async () => {
    await empty();
    const m = aMessage();
    await outbox().enqueue(m);
    expect(await outbox().claimDue(NOW, 10, LEASE)).toHaveLength(1);
    expect(await outbox().claimDue(NOW + LEASE - 1, 10, LEASE)).toEqual([]);
    const again = await outbox().claimDue(NOW + LEASE, 10, LEASE);
    expect(again.map((x) => [x.id, x.attempts])).toEqual([[m.id, 2]]);
  });

  it('a sent message is never claimed again and no longer pending', async () => {
    await empty();
    const m = aMessage();
    await outbox().enqueue(m);
    await outbox().claimDue(NOW, 10, LEASE);
    await outbox().markSent(m.id, NOW + 5);
    expect(await outbox().pending()).toBe(0);
    expect(await outbox().claimDue(NOW + 10 * LEASE, 10, LEASE)).toEqual([]);
    const row = await opened().db.selectFrom('outbox').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row.sent_at).toBe(NOW + 5);
  });

  it('a failed attempt is retried at the given time, or given up for good', async () => {
    await empty();
    const m = aMessage();
    await outbox().enqueue(m);
    await outbox().claimDue(NOW, 10, LEASE);
    await outbox().markFailed(m.id, 'smtp 451', NOW + 5000, NOW);
    expect(await outbox().claimDue(NOW + 4999, 10, LEASE)).toEqual([]);
    const retried = await outbox().claimDue(NOW + 5000, 10, LEASE);
    expect(retried).toEqual([{ ...m, attempts: 2, nextAttemptAt: NOW + 5000, lastError: 'smtp 451' }]);
    await outbox().markFailed(m.id, 'smtp 550', null, NOW + 6000);
    expect(await outbox().pending()).toBe(0);
    expect(await outbox().claimDue(NOW + 10 * LEASE, 10, LEASE)).toEqual([]);
    const row = await opened().db.selectFrom('outbox').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ failed_at: NOW + 6000, last_error: 'smtp 550' });
  });

  it('two stores on the same database (two processes) never claim one message twice', async () => {
    await empty();
    const other = await target.open();
    for (let i = 0; i < 40; i++) await outbox().enqueue(aMessage({ nextAttemptAt: NOW - i }));
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? outbox() : other.store.outbox).claimDue(NOW, 5, LEASE)),
    );
    const ids = claims.flat().map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    const rest = await other.store.outbox.claimDue(NOW, 100, LEASE);
    expect(ids.length + rest.length).toBe(40);
  });
});
