import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';

/** Cookie names and rules of docs/browser-session.md. */
export const COOKIE = {
  access: 'twofold_at',
  refresh: 'twofold_rt',
  csrf: 'twofold_csrf',
  device: 'twofold_device',
} as const;

export const REFRESH_PATH = '/api/v1/auth/token';
export const DEVICE_PATH = '/api/v1/auth';

/** Whether the client asked for cookie mode (header `X-Twofold-Session: cookie`). */
export function wantsCookies(request: FastifyRequest): boolean {
  return request.headers['x-twofold-session'] === 'cookie';
}

export function cookieBase(secure: boolean): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path: '/' };
}

export function setSessionCookies(
  reply: FastifyReply,
  secure: boolean,
  t: { accessToken: string; expiresIn: number; refreshToken: string; refreshTtlS: number; csrf: string },
): void {
  const base = cookieBase(secure);
  reply.setCookie(COOKIE.access, t.accessToken, { ...base, maxAge: t.expiresIn });
  reply.setCookie(COOKIE.refresh, t.refreshToken, { ...base, path: REFRESH_PATH, maxAge: t.refreshTtlS });
  reply.setCookie(COOKIE.csrf, t.csrf, { ...base, httpOnly: false, maxAge: t.refreshTtlS });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  const base = cookieBase(secure);
  reply.clearCookie(COOKIE.access, base);
  reply.clearCookie(COOKIE.refresh, { ...base, path: REFRESH_PATH });
  reply.clearCookie(COOKIE.csrf, { ...base, httpOnly: false });
}

export function setDeviceCookie(reply: FastifyReply, secure: boolean, token: string, maxAgeS: number): void {
  reply.setCookie(COOKIE.device, token, { ...cookieBase(secure), path: DEVICE_PATH, maxAge: maxAgeS });
}
