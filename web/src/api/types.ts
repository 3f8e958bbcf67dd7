/** Shapes of the public HTTP API (shared/API.md), as far as the UI reads them. */
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/browser';

export type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON };

export type MfaMethodType = 'totp' | 'webauthn' | 'email' | 'sms';
export type VerifyMethod = MfaMethodType | 'backup_code';
export const METHOD_TYPES: readonly MfaMethodType[] = ['totp', 'webauthn', 'email', 'sms'];

export interface UserSummary {
  id: string;
  email: string;
  roles: string[];
  name?: string | null;
}

/** A token response in cookie mode: the tokens themselves are in httpOnly cookies, not here. */
export interface SignedInResponse {
  mfa_required: false;
  token_type?: string;
  expires_in?: number;
  user?: UserSummary;
  amr?: string[];
  /** Policy requires MFA and the grace period is over: only enrolment endpoints work. */
  mfa_enrollment_required?: boolean;
  /** Policy requires MFA; enrol before this time (RFC 3339). */
  enroll_by?: string | null;
}

export interface MfaRequiredResponse {
  mfa_required: true;
  mfa_token: string;
  methods: VerifyMethod[];
  expires_in: number;
}

export type LoginResponse = SignedInResponse | MfaRequiredResponse;

export interface MfaMethod {
  id: string;
  type: MfaMethodType;
  name: string;
  created_at: string;
  last_used_at: string | null;
  /** SMS: only the last digits of the number are ever shown. */
  phone_last_digits?: string;
  /** Email: the address codes go to. */
  email?: string;
}

export interface MfaStatus {
  enabled: boolean;
  methods: MfaMethod[];
  backup_codes_remaining: number;
  required: boolean;
  enroll_by?: string | null;
  /** The kinds of factor the policy lets this user set up. */
  allowed_methods: MfaMethod['type'][];
}

export interface TotpSetup {
  enrollment_id: string;
  secret: string;
  otpauth_uri: string;
  qr_code: string;
}

export interface MethodVerified {
  method: MfaMethod;
  backup_codes?: string[];
}

export interface ChallengeSent {
  sent: boolean;
  expires_in?: number;
}

export interface TrustedDevice {
  id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface SessionInfo {
  id: string;
  created_at: string;
  last_used_at: string | null;
  ip: string | null;
  user_agent: string | null;
  current: boolean;
}

export interface AuditEvent {
  id: string;
  type: string;
  user_id?: string | null;
  actor_id?: string | null;
  ip?: string | null;
  user_agent?: string | null;
  at: string;
  details?: Record<string, unknown> | null;
}

export interface EventPage {
  events: AuditEvent[];
  next_cursor: string | null;
}

export interface AdminUser {
  id: string;
  email: string;
  roles: string[];
  mfa_enabled: boolean;
  methods: (MfaMethodType | string | { type: string })[];
  created_at: string;
  last_login_at: string | null;
  disabled?: boolean;
}

export interface AdminUserPage {
  users: AdminUser[];
  next_cursor: string | null;
}

export type RequireMfa = 'off' | 'admins' | 'roles' | 'all';
export const REQUIRE_MFA_VALUES: readonly RequireMfa[] = ['off', 'admins', 'roles', 'all'];
export const POLICY_METHODS: readonly VerifyMethod[] = ['totp', 'webauthn', 'email', 'sms', 'backup_code'];

export interface Policy {
  require_mfa: RequireMfa;
  roles: string[];
  grace_period_days: number;
  allowed_methods: VerifyMethod[];
  trusted_device_days: number;
  step_up_max_age_s: number;
  [more: string]: unknown;
}

/** `GET /admin/stats`. Beyond the contract's fields, the service may report more; all optional. */
export interface Stats {
  users: number;
  mfa_enabled: number;
  by_method: Record<string, number>;
  verifications?: Record<string, unknown>;
  lockouts?: number | Record<string, unknown>;
  [more: string]: unknown;
}

/**
 * The proof of a step-up, merged into the body of a sensitive request: a typed code, a
 * passkey's assertion, or (for a user without a second factor) the password.
 */
export type StepUpProof =
  | { method: Exclude<VerifyMethod, 'webauthn'>; code: string }
  | { method: 'webauthn'; credential: AuthenticationResponseJSON }
  | { password: string };
