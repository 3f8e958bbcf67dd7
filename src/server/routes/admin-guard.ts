import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler, onSendAsyncHookHandler } from 'fastify';
import { requireFreshAdmin } from '../../core/admin/admin-freshness.js';
import { audit, EVENT } from '../../core/audit.js';
import type { ServerDeps } from '../deps.js';
import { requireSession } from '../http/authenticate.js';
import { ctxOf } from '../http/context.js';
import { sendProblem } from '../http/problems.js';

/** The target a handler names for the audit entry when it is not the `:id` of the path. */
const targets = new WeakMap<FastifyRequest, string>();

export function setAdminTarget(request: FastifyRequest, id: string): void {
  targets.set(request, id);
}

/**
 * Every admin route's guard, run at `onRequest` so a caller who is not an administrator learns
 * nothing, not even how the body is validated: 401 without a session (an MFA-pending token
 * included: it is no session), 403 `policy_violation` for an enrolment-only session, 403
 * `forbidden` for a non-admin, 401 `step_up_required` for an admin whose second factor is not
 * fresh where policy requires MFA of admins (core/admin/admin-freshness.ts).
 */
function adminGuard(deps: ServerDeps): onRequestAsyncHookHandler {
  const session = requireSession(deps, { admin: true });
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    await session.call(this, request, reply);
    if (!request.auth) return reply;
    const fresh = await requireFreshAdmin(deps.core, request.auth.user, request.auth.session, deps.clock.now());
    if (!fresh.ok) return sendProblem(reply, fresh.error);
  };
}

/**
 * Audit each call an administrator makes (`admin.action`, actor and subject the admin, the
 * target in the details), whatever its outcome, before the answer leaves.
 */
function auditCall(deps: ServerDeps): onSendAsyncHookHandler {
  return async function onSend(request, reply, payload) {
    const auth = request.auth;
    if (!auth || !auth.user.roles.includes('admin')) return payload;
    const params = request.params as { id?: string } | undefined;
    const route = `${request.method} ${(request.routeOptions.url ?? '').replace(/^\/api\/v1/, '')}`;
    const target = targets.get(request) ?? params?.id ?? null;
    await audit(deps.core.store, ctxOf(request, deps.clock), EVENT.adminAction, auth.user.id, { route, target, status: reply.statusCode });
    return payload;
  };
}

/** Spread into an admin route's options: `{ ...admin, schema, ... }`. */
export function adminHooks(deps: ServerDeps): { onRequest: onRequestAsyncHookHandler; onSend: onSendAsyncHookHandler } {
  return { onRequest: adminGuard(deps), onSend: auditCall(deps) };
}

/** The problems every admin route may answer besides its own. */
export const ADMIN_PROBLEMS = [401, 403] as const;
