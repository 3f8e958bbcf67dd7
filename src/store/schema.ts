/**
 * The Kysely view of the database, shared by both dialects.
 *
 * Conventions (the same on SQLite and PostgreSQL, so one repository implementation serves both):
 * - times are epoch milliseconds from the app's Clock (BIGINT on PostgreSQL, parsed to JS numbers
 *   by the pool; INTEGER on SQLite), never the database's `now()`;
 * - booleans are integers 0/1 (`IntBool`);
 * - arrays and objects are JSON text (`Json`);
 * - ids are text (uuid), except `security_events.id`, an auto-increment integer that doubles as
 *   the pagination cursor.
 */
import type { Generated } from 'kysely';

/** 0 or 1: SQLite has no boolean type, so PostgreSQL stores the same integer for one code path. */
export type IntBool = number;
/** JSON text, parsed and written by the repositories. */
export type Json = string;

export interface UsersTable {
  id: string;
  /** Stored lowercased; unique. */
  email: string;
  name: string | null;
  password_hash: string | null;
  /** JSON array of role names. */
  roles: Json;
  disabled: IntBool;
  created_at: number;
  last_login_at: number | null;
  mfa_required_since: number | null;
  mfa_failure_streak: number;
  /** The enrolment deadline the 3-day (1-day) reminder was sent for (0003_admin). */
  reminder_3d_deadline: number | null;
  reminder_1d_deadline: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  last_used_at: number;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
  /** JSON array of RFC 8176 values. */
  amr: Json;
  acr: string;
  mfa_verified_at: number | null;
  enrollment_only: IntBool;
}

export interface RefreshTokensTable {
  hash: string;
  session_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface MfaPendingTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  consumed_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  secret_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SecurityEventsTable {
  id: Generated<number>;
  type: string;
  /** No foreign key: the audit trail outlives the accounts it mentions. */
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  at: number;
  /** JSON object. */
  details: Json;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  private_enc: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface MfaMethodsTable {
  id: string;
  user_id: string;
  type: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
  secret_enc: string | null;
  totp_algorithm: string | null;
  totp_digits: number | null;
  totp_period: number | null;
  last_step: number | null;
  destination: string | null;
  /** Unique when set. */
  credential_id: string | null;
  public_key: string | null;
  sign_count: number | null;
  /** JSON array of transports. */
  transports: Json | null;
  aaguid: string | null;
  device_type: string | null;
  backed_up: IntBool | null;
}

export interface TotpEnrollmentsTable {
  id: string;
  user_id: string;
  name: string;
  secret_enc: string;
  algorithm: string;
  digits: number;
  period: number;
  created_at: number;
  expires_at: number;
}

export interface BackupCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface OtpChallengesTable {
  id: string;
  user_id: string;
  channel: string;
  purpose: string;
  mfa_pending_id: string | null;
  destination: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  attempts: number;
  consumed_at: number | null;
}

export interface TrustedDevicesTable {
  id: string;
  user_id: string;
  secret_hash: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number;
  revoked_at: number | null;
  ip: string | null;
  user_agent: string | null;
}

export interface WebAuthnChallengesTable {
  id: string;
  user_id: string | null;
  mfa_pending_id: string | null;
  purpose: string;
  challenge: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A single row (id = 1) holding the policy as JSON text. */
export interface PolicyTable {
  id: number;
  data: Json;
  updated_at: number;
}

export interface OutboxTable {
  id: string;
  channel: string;
  /** `to` is reserved in SQL. */
  recipient: string;
  template: string;
  /** JSON object. */
  data: Json;
  created_at: number;
  /** Claims so far, the current one included. */
  attempts: number;
  next_attempt_at: number;
  /** A worker's claim lasts until then; another worker may claim the message after it. */
  lease_until: number | null;
  sent_at: number | null;
  failed_at: number | null;
  last_error: string | null;
}

/**
 * rate-limiter-flexible's table (RateLimiterSQLite / RateLimiterPostgres layout), created by
 * the migrations so every process finds it on first use. Written only by the library.
 */
export interface RateLimitsTable {
  key: string;
  points: number;
  expire: number | null;
}

/** Data-encryption key ids in the order they were added; the last one encrypts. */
export interface KeyIdsTable {
  seq: Generated<number>;
  kid: string;
  created_at: number;
}

export interface Database {
  key_ids: KeyIdsTable;
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  mfa_pending: MfaPendingTable;
  password_resets: PasswordResetsTable;
  security_events: SecurityEventsTable;
  signing_keys: SigningKeysTable;
  mfa_methods: MfaMethodsTable;
  totp_enrollments: TotpEnrollmentsTable;
  backup_codes: BackupCodesTable;
  otp_challenges: OtpChallengesTable;
  trusted_devices: TrustedDevicesTable;
  webauthn_challenges: WebAuthnChallengesTable;
  policy: PolicyTable;
  outbox: OutboxTable;
  rate_limits: RateLimitsTable;
}

export type Dialect = 'sqlite' | 'postgres';
