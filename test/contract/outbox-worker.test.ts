/**
 * The outbox worker against a real store (SQLite and PostgreSQL), a real SMTP server and the
 * Twilio stand-in: messages are delivered once, failures are retried with backoff, nothing is
 * lost across a restart, and concurrent workers never send a message twice.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock, Mailer, Random } from '../../src/core/ports.js';
import {
  createConsoleSmsSender,
  createOutboxWorker,
  createSmtpMailer,
  createTwilioSender,
  enqueueNotification,
  type OutboxResult,
  type OutboxWorkerOptions,
} from '../../src/delivery/index.js';
import type { OpenedStore } from '../../src/store/index.js';
import { databaseTargets } from '../helpers/databases.js';
import { freePort, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server.js';
import { startTwilioStandin } from '../helpers/twilio-standin.js';

const T0 = 1_750_000_000_000;
const FROM = 'Twofold <no-reply@twofold.test>';
const random: Random = { bytes: (n) => randomBytes(n), int: (max) => randomInt(max), uuid: () => randomUUID() };

/** A clock the test moves by hand. */
function manualClock(start = T0): Clock & { set(ms: number): void; advance(ms: number): void } {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

const codeMail = (to: string, code: string) => ({ channel: 'email' as const, to, template: 'otp_code', data: { code, appUrl: 'https://auth.example.test' } });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function smtpServer(opts: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> {
  const s = await startSmtpServer(opts);
  cleanups.push(() => s.close());
  return s;
}

function smtpMailer(url: string): Mailer {
  const m = createSmtpMailer({ url, from: FROM });
  cleanups.push(() => m.close());
  return m;
}

describe.each(await databaseTargets())('outbox worker on $name', (target) => {
  let opened: OpenedStore;
  const results: OutboxResult[] = [];
  const worker = (o: Partial<OutboxWorkerOptions> & Pick<OutboxWorkerOptions, 'mailer' | 'clock'>, store = opened) =>
    createOutboxWorker({ outbox: store.store.outbox, sms: createConsoleSmsSender(() => {}), onResult: (r) => results.push(r), ...o });

  beforeEach(async (ctx) => {
    if (target.skipReason) ctx.skip(target.skipReason);
    opened ??= await target.open();
    // Each case starts from an empty outbox: claimDue sees the whole table.
    await opened.db.deleteFrom('outbox').execute();
    results.length = 0;
  });
  afterEach(async () => {
    if (!target.skipReason) expect(await opened.store.outbox.pending()).toBe(0);
  });
  afterAll(() => target.cleanup());

  it('delivers 3 queued messages to a real SMTP server exactly once', async () => {
    const smtp = await smtpServer();
    const clock = manualClock();
    for (const [i, to] of ['a@one.test', 'b@one.test', 'c@one.test'].entries()) {
      await enqueueNotification(opened.store.outbox, random, T0, codeMail(to, `10000${i}`));
    }
    const w = worker({ mailer: smtpMailer(smtp.url()), clock });

    expect(await w.drain()).toBe(3);
    expect(await w.drain()).toBe(0);
    clock.advance(10 * 60_000);
    expect(await w.drain()).toBe(0);

    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['a@one.test', 'b@one.test', 'c@one.test']);
    expect(smtp.messages.find((m) => m.to[0] === 'b@one.test')?.text).toMatch(/^ {4}100001$/m);
    expect(results.map((r) => [r.ok, r.attempt, r.template])).toEqual([
      [true, 1, 'otp_code'],
      [true, 1, 'otp_code'],
      [true, 1, 'otp_code'],
    ]);
  });

  it('retries with backoff while the SMTP server is down, and delivers once it is back', async () => {
    const port = await freePort();
    const clock = manualClock();
    await enqueueNotification(opened.store.outbox, random, T0, codeMail('late@two.test', '222333'));
    const w = worker({ mailer: smtpMailer(`smtp://127.0.0.1:${port}`), clock });

    expect(await w.drain()).toBe(0);
    expect(results[0]).toMatchObject({ ok: false, attempt: 1, gaveUp: false });
    expect(results[0].error).toMatch(/ECONNREFUSED|connect/i);

    // First retry 5 s later, the second 10 s after that: not before.
    clock.advance(4_999);
    expect(await w.drain()).toBe(0);
    expect(results).toHaveLength(1);
    clock.advance(1);
    expect(await w.drain()).toBe(0);
    expect(results[1]).toMatchObject({ ok: false, attempt: 2 });

    const smtp = await smtpServer({ port });
    clock.advance(9_999);
    expect(await w.drain()).toBe(0);
    clock.advance(1);
    expect(await w.drain()).toBe(1);
    expect(results[2]).toMatchObject({ ok: true, attempt: 3 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0].text).toContain('222333');
  });

  it('gives up after maxAttempts, and at once on a permanent refusal', async () => {
    const smtp = await smtpServer({ rejectRecipient: (a) => a.endsWith('@three.test') });
    const clock = manualClock();
    const w = worker({ mailer: smtpMailer(smtp.url()), clock, maxAttempts: 3 });

    await enqueueNotification(opened.store.outbox, random, T0, codeMail('gone@three.test', '1'));
    expect(await w.drain()).toBe(0);
    expect(results).toEqual([expect.objectContaining({ ok: false, attempt: 1, gaveUp: true })]);
    expect(results[0].error).toContain('550');

    // Now a transient failure: down for good, 3 attempts, then given up.
    const port = await freePort();
    const down = worker({ mailer: smtpMailer(`smtp://127.0.0.1:${port}`), clock, maxAttempts: 3 });
    results.length = 0;
    await enqueueNotification(opened.store.outbox, random, clock.now(), codeMail('x@four.test', '2'));
    for (let i = 0; i < 5; i++) {
      await down.drain();
      clock.advance(60 * 60_000);
    }
    expect(results.map((r) => [r.attempt, r.gaveUp])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const row = await opened.db.selectFrom('outbox').selectAll().where('recipient', '=', 'x@four.test').executeTakeFirstOrThrow();
    expect(row.failed_at).not.toBeNull();
    expect(row.attempts).toBe(3);
  });

  it('gives up at once on a message whose template data cannot render', async () => {
    const smtp = await smtpServer();
    const w = worker({ mailer: smtpMailer(smtp.url()), clock: manualClock() });
    // Written directly, as an older or buggy producer might: no code.
    await opened.store.outbox.enqueue({
      id: randomUUID(), channel: 'email', to: 'bad@five.test', template: 'otp_code', data: {},
      createdAt: T0, attempts: 0, nextAttemptAt: T0, sentAt: null, failedAt: null, lastError: null,
    });
    expect(await w.drain()).toBe(0);
    expect(results).toEqual([expect.objectContaining({ ok: false, gaveUp: true, error: expect.stringContaining('code') })]);
    expect(smtp.messages).toHaveLength(0);
  });

  it('queued messages survive closing and reopening the store (a restart)', async () => {
    const smtp = await smtpServer();
    const before = await target.open();
    for (const to of ['r1@six.test', 'r2@six.test']) await enqueueNotification(before.store.outbox, random, T0, codeMail(to, '606060'));
    await before.close();

    const after = await target.open();
    const w = worker({ mailer: smtpMailer(smtp.url()), clock: manualClock() }, after);
    expect(await w.drain()).toBe(2);
    expect(smtp.messages.map((m) => m.to[0]).sort()).toEqual(['r1@six.test', 'r2@six.test']);
  });

  it('a message leased by a worker that died is sent by another once the lease lapses', async () => {
    const smtp = await smtpServer();
    const clock = manualClock();
    await enqueueNotification(opened.store.outbox, random, T0, codeMail('crash@seven.test', '777'));
    // The crashed worker: claimed, never sent.
    expect(await opened.store.outbox.claimDue(T0, 10, 60_000)).toHaveLength(1);

    const w = worker({ mailer: smtpMailer(smtp.url()), clock, leaseMs: 60_000 });
    expect(await w.drain()).toBe(0);
    clock.advance(60_000);
    expect(await w.drain()).toBe(1);
    expect(smtp.messages).toHaveLength(1);
  });

  it('two workers on two connections draining at once deliver each message exactly once', async () => {
    const smtp = await smtpServer();
    const clock = manualClock();
    const N = 30;
    for (let i = 0; i < N; i++) await enqueueNotification(opened.store.outbox, random, T0, codeMail(`m${i}@eight.test`, String(100000 + i)));

    const second = await target.open();
    const a = worker({ mailer: smtpMailer(smtp.url()), clock, batch: 4 });
    const b = worker({ mailer: smtpMailer(smtp.url()), clock, batch: 4 }, second);
    const [sentA, sentB] = await Promise.all([a.drain(), b.drain()]);

    expect(sentA + sentB).toBe(N);
    const recipients = smtp.messages.map((m) => m.to[0]);
    expect(recipients).toHaveLength(N);
    expect(new Set(recipients).size).toBe(N);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('sends SMS through the Twilio API', async () => {
    const creds = { accountSid: 'AC0123456789abcdef0123456789abcdef', authToken: 'tok_outbox' };
    const twilio = await startTwilioStandin(creds);
    cleanups.push(() => twilio.close());
    const sms = createTwilioSender({ ...creds, from: '+15005550006', apiBase: twilio.apiBase });
    const w = createOutboxWorker({ outbox: opened.store.outbox, mailer: smtpMailer('smtp://127.0.0.1:1'), sms, clock: manualClock() });

    await enqueueNotification(opened.store.outbox, random, T0, {
      channel: 'sms', to: '+14155550123', template: 'otp_code', data: { code: '909090', host: 'auth.example.test' },
    });
    twilio.failNext(1, 503);
    expect(await w.drain()).toBe(0);
    const later = createOutboxWorker({ outbox: opened.store.outbox, mailer: smtpMailer('smtp://127.0.0.1:1'), sms, clock: manualClock(T0 + 5_000) });
    expect(await later.drain()).toBe(1);
    expect(twilio.accepted.map((m) => [m.to, m.body])).toEqual([
      ['+14155550123', 'Your Twofold code is 909090. It expires in 10 minutes.\n\n@auth.example.test #909090'],
    ]);
  });

  it('start() polls and delivers on its own; stop() waits for the send in flight', async () => {
    const smtp = await smtpServer({ replyDelayMs: 300 });
    const w = worker({ mailer: smtpMailer(smtp.url()), clock: { now: () => Date.now() }, pollMs: 20 });
    w.start();
    w.start(); // idempotent
    await enqueueNotification(opened.store.outbox, random, Date.now(), codeMail('poll@nine.test', '4242'));
    // The server has the message but holds its reply: the send is in flight.
    await smtp.waitFor((m) => m.to[0] === 'poll@nine.test', 5000);
    expect(results).toHaveLength(0);
    await w.stop();
    expect(results).toEqual([expect.objectContaining({ ok: true, attempt: 1 })]);
    expect(await opened.store.outbox.pending()).toBe(0);

    // Stopped: nothing more is sent.
    await enqueueNotification(opened.store.outbox, random, Date.now(), codeMail('after@nine.test', '4343'));
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages).toHaveLength(1);
    expect(await w.drain()).toBe(1); // drain() still works on demand
  });

  it('a store failure is reported to onError and never escapes the polling loop', async () => {
    const broken = await target.open();
    await broken.close();
    const errors: unknown[] = [];
    const w = createOutboxWorker({
      outbox: broken.store.outbox, mailer: smtpMailer('smtp://127.0.0.1:1'), sms: createConsoleSmsSender(() => {}),
      clock: { now: () => Date.now() }, pollMs: 10, onError: (e) => errors.push(e),
    });
    w.start();
    await new Promise((r) => setTimeout(r, 100));
    await w.stop();
    // It kept polling after the first failure.
    expect(errors.length).toBeGreaterThan(1);
    await expect(w.drain()).rejects.toThrow();
  });
});
