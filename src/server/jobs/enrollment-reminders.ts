import type { Logger } from 'pino';
import { runEnrollmentReminders } from '../../core/admin/reminders.js';
import type { ServerDeps } from '../deps.js';
import { periodicJob, type PeriodicJob } from './periodic.js';

/**
 * Reminders go out 3 days and 1 day before a deadline: checking every 10 minutes sends each
 * within 10 minutes of its time, at the cost of one indexed query per run.
 */
export const REMINDER_INTERVAL_MS = 10 * 60_000;

/**
 * The enrolment-reminder job. Every process runs it; core/admin/reminders.ts claims each
 * reminder atomically, so N processes still send each one once.
 */
export function enrollmentReminderJob(deps: ServerDeps, log: Pick<Logger, 'info' | 'warn'>, intervalMs = REMINDER_INTERVAL_MS): PeriodicJob {
  return periodicJob({
    name: 'enrollment-reminders',
    intervalMs,
    log,
    run: async () => {
      const r = await runEnrollmentReminders(deps.core, deps.clock.now());
      if (r.started > 0 || r.sent > 0) log.info({ grace_started: r.started, reminders_sent: r.sent }, 'enrolment reminders');
    },
  });
}
