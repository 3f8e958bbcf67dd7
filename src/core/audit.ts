import type { Ctx, NewSecurityEvent } from './types.js';
import type { Store } from './ports.js';

/** Every audit event type; details never carry a secret, a code or a token. */
export const EVENT = {
  registered: 'user.registered',
  userCreated: 'user.created',
  userUpdated: 'user.updated',
  loginSucceeded: 'login.succeeded',
  loginFailed: 'login.failed',
  loginLocked: 'login.rate_limited',
  mfaRequired: 'login.mfa_required',
  logout: 'logout',
  passwordChanged: 'password.changed',
  passwordResetRequested: 'password.reset_requested',
  passwordReset: 'password.reset',
  sessionRevoked: 'session.revoked',
  refreshReuse: 'session.refresh_token_reused',
  mfaVerified: 'mfa.verify_succeeded',
  mfaFailed: 'mfa.verify_failed',
  mfaReplay: 'mfa.replay_rejected',
  mfaLockout: 'mfa.lockout',
  stepUp: 'mfa.step_up',
  enrollStarted: 'mfa.enrollment_started',
  enrollCompleted: 'mfa.enrollment_completed',
  methodRemoved: 'mfa.method_removed',
  methodRenamed: 'mfa.method_renamed',
  mfaDisabled: 'mfa.disabled',
  backupCodeUsed: 'mfa.backup_code_used',
  backupCodesRegenerated: 'mfa.backup_codes_regenerated',
  codeSent: 'mfa.code_sent',
  codeSendFailed: 'mfa.code_send_failed',
  deviceTrusted: 'device.trusted',
  deviceRevoked: 'device.revoked',
  deviceRejected: 'device.rejected',
  webauthnCloneSuspected: 'webauthn.clone_suspected',
  mfaReset: 'admin.mfa_reset',
  policyUpdated: 'admin.policy_updated',
  adminAction: 'admin.action',
  enrollmentReminderSent: 'mfa.enrollment_reminder_sent',
  keysRotated: 'keys.rotated',
} as const;

export type EventType = (typeof EVENT)[keyof typeof EVENT];

/** The audit entry of a request, to append now (`audit`) or together with others (`EventsRepo.appendAll`). */
export function auditEntry(ctx: Ctx, type: EventType, userId: string | null, details: Record<string, unknown> = {}, actorId: string | null = userId): NewSecurityEvent {
  return { type, userId, actorId, ip: ctx.ip, userAgent: ctx.userAgent, at: ctx.now, details };
}

export async function audit(
  store: Pick<Store, 'events'>,
  ctx: Ctx,
  type: EventType,
  userId: string | null,
  details: Record<string, unknown> = {},
  actorId: string | null = userId,
): Promise<void> {
  await store.events.append(auditEntry(ctx, type, userId, details, actorId));
}
