import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { deadlinePassedWithoutMfa } from '../../core/auth/enforcement.js';
import { isLive } from '../../core/auth/sessions.js';
import type { Failure } from '../../core/result.js';
import type { Session, User } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';
import { COOKIE } from './cookies.js';
import { sendProblem } from './problems.js';

export interface AuthState {
  user: User;
  session: Session;
  via: 'bearer' | 'cookie';
}

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthState | null;
  }
}

/** Only write last_used_at this often: a read per request, not a write per request. */
const TOUCH_EVERY_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Who is calling: a Bearer access token, or the browser's cookie (then CSRF-checked). The
 * token's `sid` must name a live session, so logout and revocation take effect at once.
 */
export async function authenticate(deps: ServerDeps, request: FastifyRequest): Promise<AuthState | Failure> {
  const header = request.headers.authorization;
  let token: string | undefined;
  let via: AuthState['via'] = 'bearer';
  if (typeof header === 'string' && header.length > 0) {
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!m) return { code: 'unauthenticated', detail: 'Authorization must be "Bearer <access_token>"' };
    token = m[1];
  } else if (request.cookies?.[COOKIE.access]) {
    token = request.cookies[COOKIE.access];
    via = 'cookie';
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      const expected = request.cookies[COOKIE.csrf];
      if (typeof sent !== 'string' || !expected || !equalStrings(sent, expected)) {
        return { code: 'forbidden', detail: 'CSRF token missing or wrong (X-CSRF-Token header)' };
      }
    }
  }
  if (!token) return { code: 'unauthenticated', detail: 'sign in first' };
  const now = deps.clock.now();
  const claims = await deps.jwt.verify(token, now);
  if (!claims) return { code: 'unauthenticated', detail: 'access token is not valid or has expired' };
  const session = await deps.core.store.sessions.byId(claims.sid);
  if (!isLive(session, now) || session.userId !== claims.sub) return { code: 'unauthenticated', detail: 'session has ended' };
  const user = await deps.core.store.users.byId(claims.sub);
  if (!user || user.disabled) return { code: 'unauthenticated', detail: 'session has ended' };
  if (now - session.lastUsedAt > TOUCH_EVERY_MS) await deps.core.store.sessions.touch(session.id, now);
  if (!session.enrollmentOnly && (await deadlinePassedWithoutMfa(deps.core, user, now))) session.enrollmentOnly = true;
  return { user, session, via };
}

function isFailure(x: AuthState | Failure): x is Failure {
  return 'code' in x;
}

/**
 * Guard for routes that need a full session. Run at `onRequest`, before the body is parsed or
 * validated: a caller without a session learns nothing about what the route accepts.
 * `enrollment: true` also admits the restricted
 * session of a user whom policy forces to enrol (API.md "Administration").
 */
export function requireSession(deps: ServerDeps, opts: { enrollment?: boolean; admin?: boolean } = {}): onRequestAsyncHookHandler {
  return async function guard(request: FastifyRequest, reply: FastifyReply) {
    const result = await authenticate(deps, request);
    if (isFailure(result)) return sendProblem(reply, result);
    if (result.session.enrollmentOnly && !opts.enrollment) {
      return sendProblem(reply, { code: 'policy_violation', detail: 'policy requires you to set up a second factor first' });
    }
    if (opts.admin && !result.user.roles.includes('admin')) return sendProblem(reply, { code: 'forbidden', detail: 'administrators only' });
    request.auth = result;
  };
}

/** The authenticated state of a guarded route (the guard ran, so it is set). */
export function authOf(request: FastifyRequest): AuthState {
  if (!request.auth) throw new Error('route is missing its requireSession guard');
  return request.auth;
}
