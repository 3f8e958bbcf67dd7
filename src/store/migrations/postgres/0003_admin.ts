/**
 * PostgreSQL: administration (issue #6). Which enrolment reminders a user was sent, so every
 * process may run the reminder job and each mail still goes out once; an index for the job's
 * scan of grace periods.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The deadline each reminder was sent for (epoch ms): a moved deadline earns a new reminder,
  // the same deadline never a second one (claimed by a conditional UPDATE).
  await db.schema.alterTable('users').addColumn('reminder_3d_deadline', 'bigint').execute();
  await db.schema.alterTable('users').addColumn('reminder_1d_deadline', 'bigint').execute();
  await db.schema.createIndex('users_mfa_required_since').on('users').column('mfa_required_since').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_mfa_required_since').ifExists().execute();
  await db.schema.alterTable('users').dropColumn('reminder_1d_deadline').execute();
  await db.schema.alterTable('users').dropColumn('reminder_3d_deadline').execute();
}
