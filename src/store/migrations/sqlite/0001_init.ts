/**
 * SQLite: the initial schema (see src/store/schema.ts for the conventions).
 * A migration is frozen once released: later changes go in a new file, never here.
 */
import { sql, type Kysely } from 'kysely';

/** SQLite's INTEGER holds 64 bits; better-sqlite3 returns it as a JS number. */
const TIME = 'integer';
const INT = 'integer';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('roles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('disabled', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('last_login_at', TIME)
    .addColumn('mfa_required_since', TIME)
    .addColumn('mfa_failure_streak', INT, (c) => c.notNull().defaultTo(0))
    .execute();
  // UsersRepo.list pages in (created_at, id) order.
  await db.schema.createIndex('users_created_id').on('users').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('last_used_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('revoked_at', TIME)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('amr', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('acr', 'text', (c) => c.notNull())
    .addColumn('mfa_verified_at', TIME)
    .addColumn('enrollment_only', INT, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('used_at', TIME)
    .execute();
  await db.schema.createIndex('refresh_tokens_session').on('refresh_tokens').column('session_id').execute();

  await db.schema
    .createTable('mfa_pending')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('attempts', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('consumed_at', TIME)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('mfa_pending_user').on('mfa_pending').column('user_id').execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('used_at', TIME)
    .execute();
  await db.schema.createIndex('password_resets_user').on('password_resets').column('user_id').execute();

  await db.schema
    .createTable('security_events')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('at', TIME, (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  // AUTOINCREMENT: ids are never reused, so an `id < cursor` page is stable.
  // EventsRepo.list: newest first by id, optionally per user or per type; countByType by time.
  await db.schema.createIndex('security_events_user_id').on('security_events').columns(['user_id', 'id']).execute();
  await db.schema.createIndex('security_events_type_id').on('security_events').columns(['type', 'id']).execute();
  await db.schema.createIndex('security_events_at').on('security_events').column('at').execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('private_enc', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('retired_at', TIME)
    .execute();

  await db.schema
    .createTable('mfa_methods')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('last_used_at', TIME)
    .addColumn('secret_enc', 'text')
    .addColumn('totp_algorithm', 'text')
    .addColumn('totp_digits', INT)
    .addColumn('totp_period', INT)
    .addColumn('last_step', TIME)
    .addColumn('destination', 'text')
    .addColumn('credential_id', 'text', (c) => c.unique())
    .addColumn('public_key', 'text')
    .addColumn('sign_count', TIME)
    .addColumn('transports', 'text')
    .addColumn('aaguid', 'text')
    .addColumn('device_type', 'text')
    .addColumn('backed_up', INT)
    .execute();
  await db.schema.createIndex('mfa_methods_user').on('mfa_methods').column('user_id').execute();

  await db.schema
    .createTable('totp_enrollments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_enc', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('digits', INT, (c) => c.notNull())
    .addColumn('period', INT, (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('totp_enrollments_user').on('totp_enrollments').column('user_id').execute();

  await db.schema
    .createTable('backup_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('used_at', TIME)
    .execute();
  await db.schema.createIndex('backup_codes_user_hash').on('backup_codes').columns(['user_id', 'code_hash']).execute();

  await db.schema
    .createTable('otp_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('mfa_pending_id', 'text')
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('attempts', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('consumed_at', TIME)
    .execute();
  await db.schema
    .createIndex('otp_challenges_lookup')
    .on('otp_challenges')
    .columns(['user_id', 'channel', 'purpose', 'created_at'])
    .execute();

  await db.schema
    .createTable('trusted_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('last_used_at', TIME)
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('revoked_at', TIME)
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('trusted_devices_user').on('trusted_devices').column('user_id').execute();

  await db.schema
    .createTable('webauthn_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('mfa_pending_id', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('used_at', TIME)
    .execute();
  await db.schema.createIndex('webauthn_challenges_user').on('webauthn_challenges').column('user_id').execute();

  await db.schema
    .createTable('policy')
    .addColumn('id', INT, (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('attempts', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', TIME, (c) => c.notNull())
    .addColumn('lease_until', TIME)
    .addColumn('sent_at', TIME)
    .addColumn('failed_at', TIME)
    .addColumn('last_error', 'text')
    .execute();
  // claimDue scans only what is still to be sent.
  await db.schema
    .createIndex('outbox_due')
    .on('outbox')
    .column('next_attempt_at')
    .where(sql.ref('sent_at'), 'is', null)
    .where(sql.ref('failed_at'), 'is', null)
    .execute();

  // RateLimiterSQLite's layout. Created here so it exists before the first limiter call.
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('points', INT, (c) => c.notNull().defaultTo(0))
    .addColumn('expire', TIME)
    .execute();
  await db.schema.createIndex('rate_limits_expire').on('rate_limits').column('expire').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'rate_limits',
    'outbox',
    'policy',
    'webauthn_challenges',
    'trusted_devices',
    'otp_challenges',
    'backup_codes',
    'totp_enrollments',
    'mfa_methods',
    'signing_keys',
    'security_events',
    'password_resets',
    'mfa_pending',
    'refresh_tokens',
    'sessions',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
