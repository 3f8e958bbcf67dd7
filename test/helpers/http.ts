import type { FastifyInstance, InjectOptions } from 'fastify';

export interface Res {
  status: number;
  body: any;
  headers: Record<string, string | string[] | undefined>;
}

const UNPREFIXED = ['/api/', '/.well-known/', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];

/** API.md paths are written without the /api/v1 base, as in the contract. */
export function apiUrl(url: string): string {
  return UNPREFIXED.some((p) => url.startsWith(p)) ? url : `/api/v1${url}`;
}

/** In-process HTTP (app.inject): JSON in, parsed JSON out. */
export async function call(app: FastifyInstance, method: InjectOptions['method'], url: string, opts: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string | Buffer } = {}): Promise<Res> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | Buffer | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  if (opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  const res = await app.inject({ method, url: apiUrl(url), headers, payload });
  let body: any = res.body;
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('json') && res.body) body = JSON.parse(res.body);
  return { status: res.statusCode, body, headers: res.headers as Res['headers'] };
}

export const STRONG = 'correct horse battery staple';

/** Register and log in a user without MFA; returns its tokens. */
export async function signUp(app: FastifyInstance, email: string, password = STRONG): Promise<{ userId: string; access: string; refresh: string }> {
  const reg = await call(app, 'POST', '/auth/register', { body: { email, password } });
  if (reg.status !== 201) throw new Error(`register ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await call(app, 'POST', '/auth/login', { body: { email, password } });
  if (login.status !== 200 || login.body.mfa_required) throw new Error(`login ${login.status} ${JSON.stringify(login.body)}`);
  return { userId: reg.body.user_id, access: login.body.access_token, refresh: login.body.refresh_token };
}
