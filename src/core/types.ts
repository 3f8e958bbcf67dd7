/**
 * Domain records. Times are epoch milliseconds from the injected Clock, never the database's.
 */

export type Role = string;

export interface User {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string | null;
  roles: Role[];
  disabled: boolean;
  createdAt: number;
  lastLoginAt: number | null;
  /** When policy started requiring MFA of this user (start of the grace period), if ever. */
  mfaRequiredSince: number | null;
  /** Second-factor failures in a row, across factors; reset by any success. */
  mfaFailureStreak: number;
}

/** RFC 8176 authentication method reference values used by Twofold. */
export type Amr = 'pwd' | 'otp' | 'sms' | 'mfa' | 'hwk' | 'swk' | 'user' | 'pin' | 'kba' | 'mca' | 'device';

/**
 * Assurance levels reported in the access token's `acr` (after NIST SP 800-63B):
 * aal1 = one factor (password; password + email code, which 800-63B does not accept as
 * out-of-band; or a trusted-device cookie standing in for the second factor),
 * aal2 = two factors of different kinds, or a user-verified passkey.
 */
export type Acr = 'aal1' | 'aal2';

export interface Session {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  /** Absolute end of the refresh lifetime. */
  expiresAt: number;
  revokedAt: number | null;
  ip: string | null;
  userAgent: string | null;
  amr: Amr[];
  acr: Acr;
  /** Last time a second factor was verified in this session (step-up freshness). */
  mfaVerifiedAt: number | null;
  /** A session that may only reach the MFA enrolment endpoints (policy enforcement). */
  enrollmentOnly: boolean;
}

export interface RefreshTokenRecord {
  hash: string;
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface MfaPending {
  id: string;
  userId: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  attempts: number;
  consumedAt: number | null;
  ip: string | null;
  userAgent: string | null;
}

export interface PasswordReset {
  id: string;
  userId: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export type MfaMethodType = 'totp' | 'webauthn' | 'email' | 'sms';
export const MFA_METHOD_TYPES: readonly MfaMethodType[] = ['totp', 'webauthn', 'email', 'sms'];

/** Every method a login can be verified with (`backup_code` is not an enrolled method). */
export type VerifyMethod = MfaMethodType | 'backup_code';
export const VERIFY_METHODS: readonly VerifyMethod[] = ['totp', 'webauthn', 'email', 'sms', 'backup_code'];

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface MfaMethod {
  id: string;
  userId: string;
  type: MfaMethodType;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** TOTP: encrypted secret (keyring envelope). */
  secretEnc: string | null;
  totpAlgorithm: TotpAlgorithm | null;
  totpDigits: number | null;
  totpPeriod: number | null;
  /** TOTP: the last accepted time step; a step <= this one is never accepted again. */
  lastStep: number | null;
  /** SMS: E.164 number. Email: the address the factor was proven on. */
  destination: string | null;
  /** WebAuthn fields. */
  credentialId: string | null;
  publicKey: string | null;
  signCount: number | null;
  transports: string[] | null;
  aaguid: string | null;
  deviceType: string | null;
  backedUp: boolean | null;
}

export interface TotpEnrollment {
  id: string;
  userId: string;
  name: string;
  secretEnc: string;
  algorithm: TotpAlgorithm;
  digits: number;
  period: number;
  createdAt: number;
  expiresAt: number;
}

export interface BackupCode {
  id: string;
  userId: string;
  codeHash: string;
  createdAt: number;
  usedAt: number | null;
}

export type OtpChannel = 'email' | 'sms';
export type OtpPurpose = 'enroll' | 'login' | 'step_up';

export interface OtpChallenge {
  id: string;
  userId: string;
  channel: OtpChannel;
  purpose: OtpPurpose;
  /** The login it is bound to, for purpose `login`. */
  mfaPendingId: string | null;
  destination: string;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
  attempts: number;
  consumedAt: number | null;
}

export interface TrustedDevice {
  id: string;
  userId: string;
  secretHash: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
  revokedAt: number | null;
  ip: string | null;
  userAgent: string | null;
}

export type WebAuthnPurpose = 'register' | 'login' | 'passkey' | 'step_up';

export interface WebAuthnChallenge {
  id: string;
  userId: string | null;
  mfaPendingId: string | null;
  purpose: WebAuthnPurpose;
  challenge: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface SecurityEvent {
  id: number;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  at: number;
  details: Record<string, unknown>;
}

export type NewSecurityEvent = Omit<SecurityEvent, 'id'>;

export interface SigningKey {
  kid: string;
  alg: string;
  /** Private JWK, encrypted with the keyring. */
  privateEnc: string;
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  template: string;
  data: Record<string, unknown>;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  sentAt: number | null;
  failedAt: number | null;
  lastError: string | null;
}

export type RequireMfa = 'off' | 'admins' | 'roles' | 'all';

export interface Policy {
  require_mfa: RequireMfa;
  roles: string[];
  grace_period_days: number;
  allowed_methods: VerifyMethod[];
  trusted_device_days: number;
  step_up_max_age_s: number;
  /** Second-factor failures per user per window before a temporary lock. */
  mfa_max_failures: number;
  mfa_lockout_minutes: number;
  /** Failures in a row before only an admin reset or a backup code helps. */
  mfa_hard_lock_streak: number;
}

/** Request context of a domain operation. */
export interface Ctx {
  now: number;
  ip: string | null;
  userAgent: string | null;
}
