import { ApiError, parseRetryAfter, type ProblemBody } from './problem';

/**
 * The one way the UI talks to the service (docs/browser-session.md):
 * - cookie mode (`X-Twofold-Session: cookie`), so tokens stay in httpOnly cookies, never in JS;
 * - double-submit CSRF: the readable `twofold_csrf` cookie echoed in `X-CSRF-Token` on every
 *   state-changing request;
 * - on 401 `unauthenticated`, one `POST /auth/token/refresh {}` and one retry.
 */
export const API_BASE = '/api/v1';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Skip the refresh-and-retry dance (sign-in endpoints, the refresh call itself). */
  noRefresh?: boolean;
  signal?: AbortSignal;
}

// Endpoints that never take a session: a 401 there is an answer, not an expired access token.
const PUBLIC_PREFIXES = ['/auth/login', '/auth/register', '/auth/mfa/', '/auth/passkey/', '/auth/password/forgot', '/auth/password/reset', '/auth/token/refresh'];

type SessionLostListener = () => void;
const sessionLostListeners = new Set<SessionLostListener>();

/** Called when a refresh fails: the browser's session is gone and the user must sign in again. */
export function onSessionLost(listener: SessionLostListener): () => void {
  sessionLostListeners.add(listener);
  return () => sessionLostListeners.delete(listener);
}

export function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

function headersFor(method: HttpMethod, hasBody: boolean): Headers {
  const headers = new Headers({ Accept: 'application/json, application/problem+json', 'X-Twofold-Session': 'cookie' });
  if (hasBody) headers.set('Content-Type', 'application/json');
  if (method !== 'GET') {
    const csrf = readCookie('twofold_csrf');
    if (csrf) headers.set('X-CSRF-Token', csrf);
  }
  return headers;
}

async function send(method: HttpMethod, path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  const hasBody = body !== undefined;
  try {
    return await fetch(API_BASE + path, {
      method,
      credentials: 'same-origin',
      headers: headersFor(method, hasBody),
      body: hasBody ? JSON.stringify(body) : undefined,
      signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network_error', detail: '' });
  }
}

async function toError(res: Response): Promise<ApiError> {
  let body: ProblemBody = {};
  const type = res.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      body = (await res.json()) as ProblemBody;
    } catch {
      body = {};
    }
  }
  return new ApiError(res.status, body, parseRetryAfter(res.headers.get('Retry-After'), Date.now()));
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204 || res.status === 205) return undefined as T;
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, { code: 'unexpected_response' });
  }
}

// Concurrent 401s share one refresh: a rotated refresh token must not be presented twice.
let refreshing: Promise<boolean> | null = null;

function refreshOnce(): Promise<boolean> {
  refreshing ??= send('POST', '/auth/token/refresh', {})
    .then((res) => res.ok)
    .catch(() => false)
    .finally(() => {
      setTimeout(() => (refreshing = null), 0);
    });
  return refreshing;
}

/** Sends one API request and returns its JSON body (undefined for 204), or throws ApiError. */
export async function request<T>(method: HttpMethod, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  let res = await send(method, path, body, opts.signal);
  if (res.ok) return parse<T>(res);
  let error = await toError(res);
  const mayRefresh = !opts.noRefresh && !PUBLIC_PREFIXES.some((p) => path.startsWith(p));
  if (error.status === 401 && error.code === 'unauthenticated' && mayRefresh) {
    if (await refreshOnce()) {
      res = await send(method, path, body, opts.signal);
      if (res.ok) return parse<T>(res);
      error = await toError(res);
    } else {
      sessionLostListeners.forEach((l) => l());
    }
  }
  throw error;
}

export const api = {
  get: <T>(path: string, opts?: RequestOptions) => request<T>('GET', path, undefined, opts),
  post: <T>(path: string, body: unknown = {}, opts?: RequestOptions) => request<T>('POST', path, body, opts),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, body, opts),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, body, opts),
  del: <T = void>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('DELETE', path, body, opts),
};

/** Builds `?a=1&b=2` from the defined, non-empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
