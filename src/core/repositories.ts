/**
 * Repository ports: what the core needs from storage. Every method that guards security is one
 * atomic conditional statement in the store (DESIGN.md practice 5); times come from the caller.
 */
import type {
  Acr,
  Amr,
  BackupCode,
  MfaMethod,
  MfaMethodType,
  MfaPending,
  NewSecurityEvent,
  OtpChallenge,
  OutboxMessage,
  PasswordReset,
  Policy,
  RefreshTokenRecord,
  SecurityEvent,
  Session,
  SigningKey,
  TotpEnrollment,
  TrustedDevice,
  User,
  WebAuthnChallenge,
} from './types.js';

export interface UsersRepo {
  create(user: User): Promise<void>;
  byId(id: string): Promise<User | undefined>;
  byEmail(email: string): Promise<User | undefined>;
  setPasswordHash(id: string, hash: string): Promise<void>;
  setLastLogin(id: string, at: number): Promise<void>;
  update(id: string, patch: Partial<Pick<User, 'roles' | 'disabled' | 'name' | 'mfaRequiredSince'>>): Promise<void>;
  /** Atomically add one to the failure streak and return the new value. */
  incrementFailureStreak(id: string): Promise<number>;
  resetFailureStreak(id: string): Promise<void>;
  countAdmins(): Promise<number>;
  list(opts: { query?: string; cursor?: string; limit: number }): Promise<{ users: User[]; nextCursor: string | null }>;
  count(): Promise<number>;
  /**
   * Change roles and/or disabled unless that would leave no enabled admin, atomically across
   * processes (two admins demoting each other at once cannot both succeed).
   */
  updateKeepingAnAdmin(id: string, patch: { roles?: string[]; disabled?: boolean }): Promise<'updated' | 'not_found' | 'last_admin'>;
}

export interface SessionsRepo {
  create(session: Session): Promise<void>;
  byId(id: string): Promise<Session | undefined>;
  /** Live = not revoked and not expired at `now`. */
  listLive(userId: string, now: number): Promise<Session[]>;
  touch(id: string, now: number): Promise<void>;
  /** Revoke one session; answers whether it was live. */
  revoke(id: string, now: number): Promise<boolean>;
  revokeAllForUser(userId: string, now: number, exceptId?: string): Promise<number>;
  markMfaVerified(id: string, now: number, amr: Amr[], acr: Acr): Promise<void>;
  /** The user enrolled a factor: the restricted enrolment-only session becomes a full one. */
  clearEnrollmentOnly(id: string): Promise<void>;
}

export interface RefreshTokensRepo {
  insert(rec: RefreshTokenRecord): Promise<void>;
  byHash(hash: string): Promise<RefreshTokenRecord | undefined>;
  /** Atomic single use: true exactly once per token. */
  markUsed(hash: string, now: number): Promise<boolean>;
}

export interface MfaPendingRepo {
  create(rec: MfaPending): Promise<void>;
  byId(id: string): Promise<MfaPending | undefined>;
  /**
   * Atomically reserve one verification attempt: succeeds only while the token is unconsumed,
   * unexpired and has attempts left, so concurrent callers never evaluate more than the budget.
   */
  reserveAttempt(id: string, maxAttempts: number, now: number): Promise<boolean>;
  /** Atomic single success: true for exactly one caller. */
  consume(id: string, now: number): Promise<boolean>;
}

export interface PasswordResetsRepo {
  create(rec: PasswordReset): Promise<void>;
  byId(id: string): Promise<PasswordReset | undefined>;
  /** Atomic single use. */
  consume(id: string, now: number): Promise<boolean>;
  invalidateForUser(userId: string, now: number): Promise<void>;
}

export interface EventsRepo {
  append(event: NewSecurityEvent): Promise<number>;
  /** Append several events at once, in this order (one statement: the sign-in's two entries). */
  appendAll(events: NewSecurityEvent[]): Promise<void>;
  list(filter: {
    userId?: string;
    type?: string;
    since?: number;
    until?: number;
    cursor?: number;
    limit: number;
  }): Promise<{ events: SecurityEvent[]; nextCursor: number | null }>;
  countByType(types: string[], since: number): Promise<Record<string, number>>;
}

export interface SigningKeysRepo {
  insert(key: SigningKey): Promise<void>;
  listActive(): Promise<SigningKey[]>;
  retire(kid: string, at: number): Promise<void>;
  updatePrivate(kid: string, privateEnc: string): Promise<void>;
  all(): Promise<SigningKey[]>;
}

export interface MethodsRepo {
  insert(method: MfaMethod): Promise<void>;
  byId(id: string): Promise<MfaMethod | undefined>;
  listForUser(userId: string): Promise<MfaMethod[]>;
  byCredentialId(credentialId: string): Promise<MfaMethod | undefined>;
  rename(id: string, name: string): Promise<void>;
  delete(id: string): Promise<boolean>;
  /**
   * Delete a user's method atomically with the count of what remains: with `keepOne`, removing
   * the last method is refused (two parallel deletes of a user's last two methods cannot both
   * succeed). `remaining` is the count after the delete.
   */
  deleteOwned(id: string, userId: string, keepOne: boolean): Promise<{ outcome: 'deleted' | 'not_found' | 'last'; remaining: number }>;
  deleteAllForUser(userId: string): Promise<number>;
  touch(id: string, now: number): Promise<void>;
  /** Atomic compare-and-set: accept `step` only if it is newer than the stored last step. */
  advanceTotpStep(id: string, step: number, now: number): Promise<boolean>;
  /** Atomic compare-and-set of the WebAuthn signature counter. */
  updateSignCount(id: string, expected: number, next: number, now: number): Promise<boolean>;
  updateSecret(id: string, secretEnc: string): Promise<void>;
  listWithSecrets(): Promise<Pick<MfaMethod, 'id' | 'userId' | 'secretEnc'>[]>;
  countByType(): Promise<Record<string, number>>;
  usersWithMfa(): Promise<number>;
  /** The method types each of these users has enrolled (users without any are absent). */
  typesForUsers(userIds: string[]): Promise<Record<string, MfaMethodType[]>>;
}

export interface TotpEnrollmentsRepo {
  create(rec: TotpEnrollment): Promise<void>;
  byId(id: string): Promise<TotpEnrollment | undefined>;
  /** Atomic single use: the enrolment is deleted by the one caller that gets true. */
  consume(id: string): Promise<boolean>;
  updateSecret(id: string, secretEnc: string): Promise<void>;
  listWithSecrets(): Promise<Pick<TotpEnrollment, 'id' | 'userId' | 'secretEnc'>[]>;
}

export interface BackupCodesRepo {
  /** Replace every code of the user by these, in one transaction. */
  replaceAll(userId: string, codes: BackupCode[]): Promise<void>;
  /** Atomic single use: true exactly once per code. */
  consume(userId: string, codeHash: string, now: number): Promise<boolean>;
  remaining(userId: string): Promise<number>;
  deleteAllForUser(userId: string): Promise<void>;
  usersBelow(threshold: number): Promise<number>;
}

export interface OtpChallengesRepo {
  /** Insert, replacing (invalidating) earlier unconsumed challenges of the same user, channel and purpose. */
  replace(rec: OtpChallenge): Promise<void>;
  /**
   * `replace` for a resend: the new challenge starts with the tries already spent on the live
   * one it replaces (same user, channel, purpose and binding, unexpired), read and removed in
   * the same statement so a try reserved concurrently is never lost. Answers the attempts the
   * new challenge starts with.
   */
  replaceCarryingAttempts(rec: OtpChallenge, now: number): Promise<number>;
  latest(userId: string, channel: string, purpose: string, mfaPendingId: string | null): Promise<OtpChallenge | undefined>;
  reserveAttempt(id: string, maxAttempts: number, now: number): Promise<boolean>;
  consume(id: string, now: number): Promise<boolean>;
  delete(id: string): Promise<void>;
}

export interface TrustedDevicesRepo {
  create(rec: TrustedDevice): Promise<void>;
  byId(id: string): Promise<TrustedDevice | undefined>;
  listLive(userId: string, now: number): Promise<TrustedDevice[]>;
  touch(id: string, now: number): Promise<void>;
  revoke(id: string, userId: string, now: number): Promise<boolean>;
  revokeAllForUser(userId: string, now: number): Promise<number>;
}

export interface WebAuthnChallengesRepo {
  create(rec: WebAuthnChallenge): Promise<void>;
  byId(id: string): Promise<WebAuthnChallenge | undefined>;
  byChallenge(challenge: string): Promise<WebAuthnChallenge | undefined>;
  /** Atomic single use. */
  consume(id: string, now: number): Promise<boolean>;
}

/** Whom policy requires to use MFA, in terms a query can use (core/admin/audience.ts). */
export type MfaAudience = { kind: 'none' } | { kind: 'all' } | { kind: 'roles'; roles: string[] };

/** Policy enforcement for users without a second factor: grace periods and reminders. */
export interface EnforcementRepo {
  /**
   * Start the grace period (mfa_required_since = now) of every enabled user of `audience` who
   * has no method and no start yet, in one statement. Answers how many started.
   */
  startGrace(audience: MfaAudience, now: number): Promise<number>;
  /**
   * Forget the grace start of every user outside `audience` (no longer required to use MFA),
   * so a later requirement starts a full grace period again. Answers how many.
   */
  endGrace(audience: MfaAudience): Promise<number>;
  /** Enabled users of `audience` without a method whose grace started in [from, to), by id after `afterId`. */
  unenrolledStartedBetween(audience: MfaAudience, from: number, to: number, page: { afterId?: string; limit: number }): Promise<User[]>;
  /** Claim the `kind` reminder of `deadline` for the user: true for exactly one caller. */
  claimReminder(userId: string, kind: '3d' | '1d', deadline: number): Promise<boolean>;
}

/** Aggregates for the adoption statistics, computed by the database. */
export interface StatsRepo {
  /** Users holding at least one method of each type. */
  usersByMethod(): Promise<Record<MfaMethodType, number>>;
  /**
   * Security events of `types` at or after `since`, grouped by type and `details.method`;
   * `recent` counts those at or after `recentSince` (>= since).
   */
  eventsByMethod(types: string[], since: number, recentSince: number): Promise<{ type: string; method: string | null; total: number; recent: number }[]>;
  /** Enabled users of `audience` without a method whose grace started: before or after the deadline. */
  graceCounts(audience: MfaAudience, graceMs: number, now: number): Promise<{ inside: number; past: number }>;
}

export interface PolicyRepo {
  get(): Promise<Policy | undefined>;
  put(policy: Policy, now: number): Promise<void>;
  /**
   * Inside a transaction: hold off every other policy writer until it ends, so a read, merge
   * and write of the policy is one step (two administrators saving at once both keep their
   * fields).
   */
  lock(): Promise<void>;
}

export interface OutboxRepo {
  enqueue(msg: OutboxMessage): Promise<void>;
  /** Claim up to `limit` due messages for `leaseMs` (so concurrent workers never send one twice). */
  claimDue(now: number, limit: number, leaseMs: number): Promise<OutboxMessage[]>;
  markSent(id: string, now: number): Promise<void>;
  markFailed(id: string, error: string, nextAttemptAt: number | null, now: number): Promise<void>;
  pending(): Promise<number>;
}

/** The ids of the data-encryption keys, oldest first; the last encrypts (key rotation). */
export interface KeyIdsRepo {
  list(): Promise<string[]>;
  /** Record a key id; adding one that exists is a no-op. */
  add(kid: string, now: number): Promise<void>;
}

export interface PurgeRepo {
  /** Delete rows that ended before `before` (expired, revoked, delivered); answers counts by table. */
  purgeExpired(before: number): Promise<Record<string, number>>;
}

export interface Store {
  purge: PurgeRepo;
  keyIds: KeyIdsRepo;
  users: UsersRepo;
  sessions: SessionsRepo;
  refreshTokens: RefreshTokensRepo;
  mfaPending: MfaPendingRepo;
  passwordResets: PasswordResetsRepo;
  events: EventsRepo;
  signingKeys: SigningKeysRepo;
  methods: MethodsRepo;
  totpEnrollments: TotpEnrollmentsRepo;
  backupCodes: BackupCodesRepo;
  otpChallenges: OtpChallengesRepo;
  trustedDevices: TrustedDevicesRepo;
  webauthnChallenges: WebAuthnChallengesRepo;
  policy: PolicyRepo;
  outbox: OutboxRepo;
  enforcement: EnforcementRepo;
  stats: StatsRepo;
  /** Run `fn` in one database transaction; the store passed in is bound to it. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
