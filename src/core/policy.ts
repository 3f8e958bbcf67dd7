import type { Policy, User } from './types.js';

/**
 * Defaults of API.md "Defaults" and "Administration".
 * - step_up_max_age_s 300: a second factor verified within 5 minutes counts as step-up (API.md).
 * - 10 failures / 15 minutes, 100 in a row: API.md "second-factor failures"; NIST SP 800-63B
 *   5.2.2 limits consecutive failed attempts to 100.
 */
export const DEFAULT_POLICY: Policy = Object.freeze({
  require_mfa: 'off',
  roles: [],
  grace_period_days: 7,
  allowed_methods: ['totp', 'webauthn', 'email', 'sms', 'backup_code'],
  trusted_device_days: 30,
  step_up_max_age_s: 300,
  mfa_max_failures: 10,
  mfa_lockout_minutes: 15,
  mfa_hard_lock_streak: 100,
}) as Policy;

/** Whether policy requires this user to have a second factor. */
export function policyRequiresMfa(policy: Policy, user: Pick<User, 'roles'>): boolean {
  switch (policy.require_mfa) {
    case 'off':
      return false;
    case 'all':
      return true;
    case 'admins':
      return user.roles.includes('admin');
    case 'roles':
      return user.roles.some((r) => policy.roles.includes(r));
  }
}

const DAY_MS = 86_400_000;

/** The enrolment deadline of a user who is required to use MFA since `since`. */
export function enrollDeadline(policy: Policy, since: number): number {
  return since + policy.grace_period_days * DAY_MS;
}
