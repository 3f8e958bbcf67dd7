import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { totpAad } from '../factors/totp.js';
import { base32Encode, otpauthUri, verifyTotp } from '../otp/index.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, MfaMethod, Session, TotpAlgorithm, User } from '../types.js';
import { factorAdded, newMethodRow } from './after-change.js';

/** RFC 4226 4 R6 recommends 160-bit shared secrets. */
const SECRET_BYTES = 20;
/** A pending enrolment lives 15 minutes (issue #3). */
const ENROLLMENT_TTL_MS = 15 * 60_000;

export interface TotpOptions {
  algorithm: TotpAlgorithm;
  digits: 6 | 8;
  period: number;
}

export const TOTP_DEFAULT_OPTIONS: TotpOptions = { algorithm: 'SHA1', digits: 6, period: 30 };

export interface TotpSetup {
  enrollmentId: string;
  secret: string;
  otpauthUri: string;
}

/** Start a TOTP enrolment: a fresh secret, encrypted at rest, active only once verified. */
export async function startTotpEnrollment(deps: CoreDeps, user: User, name: string | undefined, options: TotpOptions, ctx: Ctx): Promise<TotpSetup> {
  const id = deps.random.uuid();
  const key = deps.random.bytes(SECRET_BYTES);
  const secret = base32Encode(key);
  await deps.store.totpEnrollments.create({
    id,
    userId: user.id,
    name: name ?? 'Authenticator app',
    secretEnc: deps.cipher.encrypt(key, totpAad(id)),
    algorithm: options.algorithm,
    digits: options.digits,
    period: options.period,
    createdAt: ctx.now,
    expiresAt: ctx.now + ENROLLMENT_TTL_MS,
  });
  key.fill(0);
  await audit(deps.store, ctx, EVENT.enrollStarted, user.id, { method: 'totp', enrollment_id: id });
  const uri = otpauthUri({ issuer: deps.settings.issuer, account: user.email, secretBase32: secret, algorithm: options.algorithm, digits: options.digits, period: options.period });
  return { enrollmentId: id, secret, otpauthUri: uri };
}

/**
 * Confirm an enrolment with a code from the app. The accepted step is stored as the method's
 * last step, so the enrolment code cannot be replayed for the first login.
 */
export async function confirmTotpEnrollment(
  deps: CoreDeps,
  user: User,
  session: Session,
  enrollmentId: string,
  code: string,
  ctx: Ctx,
): Promise<Outcome<{ method: MfaMethod; backupCodes?: string[] }>> {
  const enrollment = await deps.store.totpEnrollments.byId(enrollmentId);
  if (!enrollment || enrollment.userId !== user.id || enrollment.expiresAt <= ctx.now) {
    return fail('not_found', 'no such pending enrolment (it may have expired: start again)');
  }
  const budget = await deps.limiter.consume('mfa_user', user.id);
  if (!budget.allowed) return fail('rate_limited', 'too many failed attempts; try again later', { retryAfterS: budget.retryAfterS });
  const key = deps.cipher.decrypt(enrollment.secretEnc, totpAad(enrollment.id));
  const result = verifyTotp({ key, code, nowMs: ctx.now, periodS: enrollment.period, digits: enrollment.digits, algorithm: enrollment.algorithm });
  key.fill(0);
  if (!result.ok) {
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: 'totp', purpose: 'enroll', reason: result.reason });
    return fail('invalid_code', 'the code is not valid');
  }
  await deps.limiter.reward('mfa_user', user.id);
  if (!(await deps.store.totpEnrollments.consume(enrollment.id))) return fail('not_found', 'no such pending enrolment');
  const method: MfaMethod = {
    ...newMethodRow(deps, user.id, 'totp', enrollment.name, ctx.now, enrollment.id),
    secretEnc: enrollment.secretEnc,
    totpAlgorithm: enrollment.algorithm,
    totpDigits: enrollment.digits,
    totpPeriod: enrollment.period,
    lastStep: result.step,
    lastUsedAt: ctx.now,
  };
  await deps.store.methods.insert(method);
  const { backupCodes } = await factorAdded(deps, user, session, method, ctx);
  return ok({ method, backupCodes });
}
