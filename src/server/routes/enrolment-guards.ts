import type { FastifyRequest } from 'fastify';
import { fail, ok, type Outcome } from '../../core/result.js';
import type { VerifyMethod } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { authOf } from '../http/authenticate.js';

/** Policy can switch each method off (`allowed_methods`). */
export async function requireMethodAllowed(deps: ServerDeps, method: VerifyMethod): Promise<Outcome<void>> {
  const policy = await deps.core.policy();
  return policy.allowed_methods.includes(method) ? ok(undefined) : fail('policy_violation', `policy does not allow the ${method} method`);
}

/**
 * A user who already has MFA confirms a new method with step-up (API.md), so a stolen session
 * cannot add the attacker's authenticator silently. The first method needs none.
 */
export async function requireStepUpToAdd(deps: ServerDeps, request: FastifyRequest, check: () => Promise<Outcome<void>>): Promise<Outcome<void>> {
  const methods = await deps.core.store.methods.listForUser(authOf(request).user.id);
  return methods.length === 0 ? ok(undefined) : check();
}
