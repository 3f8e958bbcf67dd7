import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { notifyUser } from '../notify.js';
import type { Ctx, User } from '../types.js';
import { mfaAudience } from './audience.js';
import { alignGracePeriods } from './grace.js';

const DAY_MS = 86_400_000;
/** Users per query: the job never holds more than this in memory. */
const PAGE = 200;

/**
 * The reminders before an enrolment deadline (issue #6): 3 days and 1 day before. Inside the
 * last day only the 1-day reminder goes out; a deadline already past gets none (login says it).
 */
export function reminderDue(deadline: number, now: number): '3d' | '1d' | undefined {
  const left = deadline - now;
  if (left <= 0) return undefined;
  if (left <= DAY_MS) return '1d';
  if (left <= 3 * DAY_MS) return '3d';
  return undefined;
}

export interface ReminderRun {
  /** Users whose grace period this run started (newly in the policy's audience). */
  started: number;
  /** Reminders this run sent (claimed and queued). */
  sent: number;
}

/**
 * One run of the enrolment-reminder job. Any number of processes may run it at once: each
 * reminder is claimed by a conditional UPDATE in the same transaction that queues the mail, so
 * each (user, kind, deadline) is mailed exactly once.
 *
 * It also aligns grace periods with the policy (core/admin/grace.ts) for changes made without
 * the policy changing (a new account under `all`, a role given elsewhere), so their deadline
 * runs and reminders follow, whether or not they sign in.
 */
export async function runEnrollmentReminders(deps: CoreDeps, now: number): Promise<ReminderRun> {
  const policy = await deps.policy();
  const audience = mfaAudience(policy);
  const started = await alignGracePeriods(deps, policy, now);
  if (audience.kind === 'none') return { started, sent: 0 };
  const graceMs = policy.grace_period_days * DAY_MS;
  // Deadlines in (now, now + 3 days] <=> grace started in (now - grace, now + 3 days - grace].
  const from = now - graceMs + 1;
  const to = now + 3 * DAY_MS - graceMs + 1;
  const ctx: Ctx = { now, ip: null, userAgent: null };
  let sent = 0;
  let afterId: string | undefined;
  for (;;) {
    const users = await deps.store.enforcement.unenrolledStartedBetween(audience, from, to, { afterId, limit: PAGE });
    for (const user of users) if (await remind(deps, user, user.mfaRequiredSince! + graceMs, ctx)) sent++;
    if (users.length < PAGE) break;
    afterId = users[users.length - 1].id;
  }
  return { started, sent };
}

async function remind(deps: CoreDeps, user: User, deadline: number, ctx: Ctx): Promise<boolean> {
  const kind = reminderDue(deadline, ctx.now);
  if (!kind) return false;
  return deps.store.transaction(async (tx) => {
    if (!(await tx.enforcement.claimReminder(user.id, kind, deadline))) return false;
    const txDeps = { ...deps, store: tx };
    await notifyUser(txDeps, user, 'enrollment_reminder', ctx, { deadline });
    await audit(tx, ctx, EVENT.enrollmentReminderSent, user.id, { kind, deadline: new Date(deadline).toISOString() }, null);
    return true;
  });
}
