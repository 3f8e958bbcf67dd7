/**
 * Enrolment reminders (core/admin/reminders.ts, run by the job compose.ts starts): one mail 3
 * days and one 1 day before the deadline, however many runs and processes; none for a deadline
 * already past, for a user who enrolled or one outside the policy. On both databases, with the
 * clock moved rather than waited for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEnrollmentReminders } from '../../src/core/admin/reminders.js';
import { newMethodRow } from '../../src/core/mfa/after-change.js';
import { en } from '../../src/delivery/templates/locales/en.js';
import { enrollmentReminderJob } from '../../src/server/jobs/enrollment-reminders.js';
import { mutableClock, startTestApp, type TestApp } from '../helpers/app.js';
import { skipCasesIf } from '../helpers/databases.js';
import { freshEmail, givenAccount, mailsTo, putPolicyDirectly, sharedDatabases } from './admin-fixtures.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const SUBJECT = 'Subject: Set up two-step verification';

describe.each(await sharedDatabases('reminder cases on postgres'))('reminders on $name', (db) => {
  let t: TestApp;
  let other: TestApp;
  const run = (app: TestApp = t) => runEnrollmentReminders(app.composed.deps.core, app.clock.now());
  const reminders = async (email: string) => (await mailsTo(t, email)).filter((m) => m.includes(SUBJECT));
  /**
   * Both "processes" run the job. On PostgreSQL truly at once. SQLite one after the other: both
   * apps live in this one thread, and better-sqlite3 waits for another connection's write lock
   * synchronously, so the holder could never commit (separate processes wait in their own
   * threads; SQLite lets one writer in at a time anyway, which is what this order is).
   */
  const runBoth = async () => {
    if (db.name === 'postgres') await Promise.all([run(), run(), run(other)]);
    else {
      await Promise.all([run(), run()]);
      await run(other);
    }
  };

  beforeAll(async () => {
    if (db.skipReason) return;
    const clock = mutableClock();
    // Two apps on one database, one clock: two processes running the job.
    t = await startTestApp({ env: await db.env(), clock });
    other = await startTestApp({ env: await db.env(), clock });
  });
  skipCasesIf(db.skipReason);
  afterAll(async () => {
    await t?.close();
    await other?.close();
    await db.cleanup();
  });

  it('sends one reminder 3 days and one 1 day before the deadline, however often it runs', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('remind');
    await givenAccount(t, email);
    const start = t.clock.now();
    // The first run starts the grace period of users who came under the policy (no login needed).
    expect((await run()).started).toBeGreaterThanOrEqual(1);
    expect(await reminders(email)).toHaveLength(0);

    t.clock.set(start + 4 * DAY + MINUTE);
    await runBoth();
    await run();
    const first = await reminders(email);
    expect(first).toHaveLength(1);
    expect(first[0]).toContain(en.dateTime(start + 7 * DAY));

    t.clock.set(start + 6 * DAY + MINUTE);
    await runBoth();
    await run();
    expect(await reminders(email)).toHaveLength(2);

    // Past the deadline: nothing more (login tells them now).
    t.clock.set(start + 7 * DAY + MINUTE);
    await run();
    expect(await reminders(email)).toHaveLength(2);
    const core = t.composed.deps.core;
    const user = (await core.store.users.byEmail(email))!;
    const trail = await core.store.events.list({ userId: user.id, type: 'mfa.enrollment_reminder_sent', limit: 10 });
    expect(trail.events.map((e) => e.details.kind)).toEqual(['1d', '3d']);
  });

  it('inside the last day only the 1-day reminder goes out', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('lastday');
    const id = await givenAccount(t, email);
    await t.composed.deps.core.store.users.update(id, { mfaRequiredSince: t.clock.now() - 6 * DAY - 12 * 3_600_000 });
    await runBoth();
    const mails = await reminders(email);
    expect(mails).toHaveLength(1);
    const user = (await t.composed.deps.core.store.users.byEmail(email))!;
    const trail = await t.composed.deps.core.store.events.list({ userId: user.id, type: 'mfa.enrollment_reminder_sent', limit: 10 });
    expect(trail.events.map((e) => e.details.kind)).toEqual(['1d']);
  });

  it('a deadline already past, an enrolled user or one outside the policy gets none', async () => {
    await putPolicyDirectly(t, { require_mfa: 'roles', roles: ['finance'], grace_period_days: 7 });
    const core = t.composed.deps.core;
    const inWindow = t.clock.now() - 5 * DAY;
    const past = freshEmail('past');
    await core.store.users.update(await givenAccount(t, past, ['finance']), { mfaRequiredSince: t.clock.now() - 10 * DAY });
    const enrolled = freshEmail('enrolled');
    const enrolledId = await givenAccount(t, enrolled, ['finance']);
    await core.store.users.update(enrolledId, { mfaRequiredSince: inWindow });
    await core.store.methods.insert({ ...newMethodRow(core, enrolledId, 'totp', 'app', t.clock.now()), secretEnc: 'x' });
    const outside = freshEmail('outside');
    await core.store.users.update(await givenAccount(t, outside, ['staff']), { mfaRequiredSince: inWindow });
    const disabled = freshEmail('disabled');
    const disabledId = await givenAccount(t, disabled, ['finance']);
    await core.store.users.update(disabledId, { mfaRequiredSince: inWindow, disabled: true });
    const due = freshEmail('due');
    await core.store.users.update(await givenAccount(t, due, ['finance']), { mfaRequiredSince: inWindow });

    await run();
    for (const email of [past, enrolled, outside, disabled]) expect(await reminders(email), email).toHaveLength(0);
    expect(await reminders(due)).toHaveLength(1);
  });

  it('a moved deadline earns a reminder of its own', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('moved');
    const id = await givenAccount(t, email);
    await t.composed.deps.core.store.users.update(id, { mfaRequiredSince: t.clock.now() - 5 * DAY });
    await run();
    expect(await reminders(email)).toHaveLength(1);
    // The admin gives everyone a day more: still inside 3 days of the new deadline.
    await putPolicyDirectly(t, { grace_period_days: 8 });
    await run();
    await run();
    expect(await reminders(email)).toHaveLength(2);
  });

  it('the server job runs the same work, never twice at once', async () => {
    await putPolicyDirectly(t, { require_mfa: 'all', grace_period_days: 7 });
    const email = freshEmail('job');
    const id = await givenAccount(t, email);
    await t.composed.deps.core.store.users.update(id, { mfaRequiredSince: t.clock.now() - 5 * DAY });
    const job = enrollmentReminderJob(t.composed.deps, { info: () => {}, warn: () => {} });
    const a = job.runOnce();
    expect(job.runOnce()).toBe(a);
    await a;
    await job.stop();
    expect(await reminders(email)).toHaveLength(1);
  });
});
