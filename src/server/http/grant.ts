import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenGrant } from '../../core/auth/sessions.js';
import type { ServerDeps } from '../deps.js';
import { iso } from '../schemas.js';
import { setDeviceCookie, setSessionCookies, wantsCookies } from './cookies.js';

export function isSecure(deps: ServerDeps): boolean {
  return deps.config.publicUrl.startsWith('https://');
}

/**
 * The token response of API.md. In cookie mode (docs/browser-session.md) the tokens go into
 * httpOnly cookies and leave the body.
 */
export function grantResponse(
  deps: ServerDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  grant: TokenGrant,
  extra: { device?: { token: string; expiresAt: number }; enrollBy?: number; enrollmentRequired?: boolean } = {},
) {
  const cookies = wantsCookies(request);
  const body: Record<string, unknown> = {
    mfa_required: false,
    token_type: 'bearer',
    expires_in: grant.expiresIn,
    user: { id: grant.user.id, email: grant.user.email, roles: grant.user.roles },
  };
  if (cookies) {
    setSessionCookies(reply, isSecure(deps), {
      accessToken: grant.accessToken,
      expiresIn: grant.expiresIn,
      refreshToken: grant.refreshToken,
      refreshTtlS: deps.core.settings.refreshTtlS,
      csrf: deps.core.random.bytes(24).toString('base64url'),
    });
  } else {
    body.access_token = grant.accessToken;
    body.refresh_token = grant.refreshToken;
  }
  if (extra.device) {
    if (cookies) {
      const maxAge = Math.max(1, Math.floor((extra.device.expiresAt - grant.session.createdAt) / 1000));
      setDeviceCookie(reply, isSecure(deps), extra.device.token, maxAge);
    } else body.device_token = extra.device.token;
  }
  if (extra.enrollBy !== undefined) body.enroll_by = iso(extra.enrollBy);
  if (extra.enrollmentRequired) body.mfa_enrollment_required = true;
  reply.header('Cache-Control', 'no-store');
  return body;
}
