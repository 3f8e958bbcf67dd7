import type { MfaAudience } from '../ports.js';
import type { Policy } from '../types.js';

/**
 * Whom the policy requires to use MFA, as the store can query it. Mirrors `policyRequiresMfa`
 * (core/policy.ts), which decides the same for one user in memory.
 */
export function mfaAudience(policy: Policy): MfaAudience {
  switch (policy.require_mfa) {
    case 'off':
      return { kind: 'none' };
    case 'all':
      return { kind: 'all' };
    case 'admins':
      return { kind: 'roles', roles: ['admin'] };
    case 'roles':
      return policy.roles.length > 0 ? { kind: 'roles', roles: [...policy.roles] } : { kind: 'none' };
  }
}
