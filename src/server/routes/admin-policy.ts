import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { storedPolicy, updatePolicy } from '../../core/admin/policy-update.js';
import type { Policy } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { authOf } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';
import { problems, VerifyMethod } from '../schemas.js';
import { adminHooks, ADMIN_PROBLEMS } from './admin-guard.js';
import { Role } from './admin-schemas.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/**
 * Bounds that keep a policy usable and within the standards: NIST SP 800-63B 5.2.2 caps
 * consecutive failures at 100; a year is the longest grace or device memory worth offering.
 */
const PolicyFields = {
  require_mfa: z.enum(['off', 'admins', 'roles', 'all']),
  roles: z.array(Role).max(20).describe('the roles required to use MFA when require_mfa is "roles"'),
  grace_period_days: int(0, 365).describe('days a user required to use MFA may still sign in without it (0: none)'),
  allowed_methods: z.array(VerifyMethod).min(1).max(5).describe('at least one of totp, webauthn, email, sms'),
  trusted_device_days: int(0, 365).describe('how long "trust this browser" lasts (0: never honoured)'),
  step_up_max_age_s: int(0, 86_400).describe('a second factor this recent counts as step-up (0: always ask)'),
  mfa_max_failures: int(3, 100).describe('second-factor failures per user per window before a temporary lock'),
  mfa_lockout_minutes: int(1, 1440).describe('the window and the temporary lock, in minutes'),
  mfa_hard_lock_streak: int(10, 100).describe('failures in a row before only a backup code or an admin reset helps'),
};
const PolicySchema = z.object(PolicyFields);

function policyJson(p: Policy): z.infer<typeof PolicySchema> {
  return {
    require_mfa: p.require_mfa,
    roles: p.roles,
    grace_period_days: p.grace_period_days,
    allowed_methods: p.allowed_methods,
    trusted_device_days: p.trusted_device_days,
    step_up_max_age_s: p.step_up_max_age_s,
    mfa_max_failures: p.mfa_max_failures,
    mfa_lockout_minutes: p.mfa_lockout_minutes,
    mfa_hard_lock_streak: p.mfa_hard_lock_streak,
  };
}

export function adminPolicyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['admin'];
  const admin = adminHooks(deps);

  r.get('/admin/policy', {
    ...admin,
    schema: { tags, summary: 'The MFA policy in force', response: { 200: PolicySchema, ...problems(...ADMIN_PROBLEMS) } },
  }, async () => policyJson(await storedPolicy(deps.core)));

  r.put('/admin/policy', {
    ...admin,
    schema: {
      tags,
      summary: 'Change the MFA policy',
      description:
        'Fields left out keep their value. The change is audited with the old and new values and is in force in every ' +
        'process within 1 second (each process caches the policy that long). Users it newly requires to use MFA start ' +
        'their grace period now; reminders are mailed 3 days and 1 day before the deadline.',
      body: z.object(PolicyFields).partial().strict(),
      response: { 200: PolicySchema, ...problems(400, ...ADMIN_PROBLEMS) },
    },
  }, async (request, reply) => {
    const patch = request.body as Partial<Policy>;
    const out = await updatePolicy(deps.core, authOf(request).user, patch, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return policyJson(out.value);
  });
}
