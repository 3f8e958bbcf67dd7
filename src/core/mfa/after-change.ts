import type { CoreDeps } from '../deps.js';
import type { Ctx, MfaMethod, Session, User } from '../types.js';
import { issueBackupCodes } from './backup-codes.js';
import { audit, EVENT } from '../audit.js';
import { notifyUser } from '../notify.js';

/**
 * What every newly verified factor does: the audit entry, the notification mail, the end of
 * the user's other sessions (a factor change is a security change), a restricted enrolment
 * session becoming a full one, and the backup codes when it is the user's first factor.
 */
export async function factorAdded(deps: CoreDeps, user: User, session: Session, method: MfaMethod, ctx: Ctx): Promise<{ backupCodes?: string[] }> {
  const methods = await deps.store.methods.listForUser(user.id);
  const first = methods.length === 1;
  const backupCodes = first ? await issueBackupCodes(deps, user.id, ctx.now) : undefined;
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  // Email codes are the weaker factor (NIST SP 800-63B does not accept email as out-of-band).
  const acr = method.type === 'email' ? session.acr : 'aal2';
  await deps.store.sessions.markMfaVerified(session.id, ctx.now, [...new Set([...session.amr, 'mfa' as const])], acr);
  if (session.enrollmentOnly) await deps.store.sessions.clearEnrollmentOnly(session.id);
  await audit(deps.store, ctx, EVENT.enrollCompleted, user.id, { method: method.type, method_id: method.id, name: method.name, first });
  await notifyUser(deps, user, 'factor_added', ctx, { methodType: method.type, methodName: method.name });
  return { backupCodes };
}

/** A blank method row of a type; the factor module fills in its own fields. */
export function newMethodRow(deps: CoreDeps, userId: string, type: MfaMethod['type'], name: string, now: number, id = deps.random.uuid()): MfaMethod {
  return {
    id,
    userId,
    type,
    name,
    createdAt: now,
    lastUsedAt: null,
    secretEnc: null,
    totpAlgorithm: null,
    totpDigits: null,
    totpPeriod: null,
    lastStep: null,
    destination: null,
    credentialId: null,
    publicKey: null,
    signCount: null,
    transports: null,
    aaguid: null,
    deviceType: null,
    backedUp: null,
  };
}
