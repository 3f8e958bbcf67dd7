/**
 * Record builders for the contract suite: complete domain records with unique ids, overridable.
 */
import { randomUUID } from 'node:crypto';
import type {
  BackupCode,
  MfaMethod,
  MfaPending,
  OtpChallenge,
  OutboxMessage,
  PasswordReset,
  Session,
  TotpEnrollment,
  TrustedDevice,
  User,
  WebAuthnChallenge,
} from '../../src/core/types.js';
import type { Store } from '../../src/core/ports.js';

/** A fixed "now" well past 2^31 ms, so a 32-bit column would show. */
export const NOW = 1_750_000_000_000;
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const uid = (): string => randomUUID();

export function aUser(over: Partial<User> = {}): User {
  const id = uid();
  return {
    id,
    email: `user-${id}@example.test`,
    name: null,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    roles: [],
    disabled: false,
    createdAt: NOW,
    lastLoginAt: null,
    mfaRequiredSince: null,
    mfaFailureStreak: 0,
    ...over,
  };
}

/** Create a user and answer it (most records need an owner: foreign keys are on). */
export async function givenUser(store: Store, over: Partial<User> = {}): Promise<User> {
  const u = aUser(over);
  await store.users.create(u);
  return u;
}

export function aSession(userId: string, over: Partial<Session> = {}): Session {
  return {
    id: uid(),
    userId,
    createdAt: NOW,
    lastUsedAt: NOW,
    expiresAt: NOW + 30 * 24 * HOUR,
    revokedAt: null,
    ip: '203.0.113.7',
    userAgent: 'contract-test',
    amr: ['pwd'],
    acr: 'aal1',
    mfaVerifiedAt: null,
    enrollmentOnly: false,
    ...over,
  };
}

export function aPending(userId: string, over: Partial<MfaPending> = {}): MfaPending {
  return {
    id: uid(),
    userId,
    secretHash: `h-${uid()}`,
    createdAt: NOW,
    expiresAt: NOW + 5 * MINUTE,
    attempts: 0,
    consumedAt: null,
    ip: null,
    userAgent: null,
    ...over,
  };
}

export function aReset(userId: string, over: Partial<PasswordReset> = {}): PasswordReset {
  return { id: uid(), userId, secretHash: `h-${uid()}`, createdAt: NOW, expiresAt: NOW + HOUR, usedAt: null, ...over };
}

export function aTotpMethod(userId: string, over: Partial<MfaMethod> = {}): MfaMethod {
  return {
    id: uid(),
    userId,
    type: 'totp',
    name: 'Authenticator',
    createdAt: NOW,
    lastUsedAt: null,
    secretEnc: `enc-${uid()}`,
    totpAlgorithm: 'SHA1',
    totpDigits: 6,
    totpPeriod: 30,
    lastStep: null,
    destination: null,
    credentialId: null,
    publicKey: null,
    signCount: null,
    transports: null,
    aaguid: null,
    deviceType: null,
    backedUp: null,
    ...over,
  };
}

export function aWebAuthnMethod(userId: string, over: Partial<MfaMethod> = {}): MfaMethod {
  return {
    ...aTotpMethod(userId),
    type: 'webauthn',
    name: 'Security key',
    secretEnc: null,
    totpAlgorithm: null,
    totpDigits: null,
    totpPeriod: null,
    credentialId: `cred-${uid()}`,
    publicKey: 'pQECAyYgASFYIA',
    signCount: 0,
    transports: ['usb', 'nfc'],
    aaguid: '00000000-0000-0000-0000-000000000000',
    deviceType: 'singleDevice',
    backedUp: false,
    ...over,
  };
}

export function aTotpEnrollment(userId: string, over: Partial<TotpEnrollment> = {}): TotpEnrollment {
  return {
    id: uid(),
    userId,
    name: 'Phone',
    secretEnc: `enc-${uid()}`,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    createdAt: NOW,
    expiresAt: NOW + 10 * MINUTE,
    ...over,
  };
}

export function backupCodes(userId: string, n: number, createdAt = NOW): BackupCode[] {
  return Array.from({ length: n }, (_, i) => ({ id: uid(), userId, codeHash: `code-${i}-${uid()}`, createdAt, usedAt: null }));
}

export function anOtp(userId: string, over: Partial<OtpChallenge> = {}): OtpChallenge {
  return {
    id: uid(),
    userId,
    channel: 'email',
    purpose: 'login',
    mfaPendingId: null,
    destination: 'someone@example.test',
    codeHash: `h-${uid()}`,
    createdAt: NOW,
    expiresAt: NOW + 10 * MINUTE,
    attempts: 0,
    consumedAt: null,
    ...over,
  };
}

export function aDevice(userId: string, over: Partial<TrustedDevice> = {}): TrustedDevice {
  return {
    id: uid(),
    userId,
    secretHash: `h-${uid()}`,
    name: 'Firefox on Linux',
    createdAt: NOW,
    lastUsedAt: null,
    expiresAt: NOW + 30 * 24 * HOUR,
    revokedAt: null,
    ip: '198.51.100.1',
    userAgent: 'Mozilla/5.0',
    ...over,
  };
}

export function aWebAuthnChallenge(userId: string | null, over: Partial<WebAuthnChallenge> = {}): WebAuthnChallenge {
  return {
    id: uid(),
    userId,
    mfaPendingId: null,
    purpose: 'login',
    challenge: `ch-${uid()}`,
    createdAt: NOW,
    expiresAt: NOW + 5 * MINUTE,
    usedAt: null,
    ...over,
  };
}

export function aMessage(over: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: uid(),
    channel: 'email',
    to: 'someone@example.test',
    template: 'otp_code',
    data: { code: '123456', nested: { ok: true } },
    createdAt: NOW,
    attempts: 0,
    nextAttemptAt: NOW,
    sentAt: null,
    failedAt: null,
    lastError: null,
    ...over,
  };
}

/** Run `n` callers at once and collect their answers. */
export function race<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => fn(i)));
}

export const countTrue = (xs: boolean[]): number => xs.filter(Boolean).length;
