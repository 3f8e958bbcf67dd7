import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { authLoginRoutes } from './auth-login.js';
import { authPasswordRoutes } from './auth-password.js';
import { mfaManageRoutes } from './mfa-manage.js';
import { mfaTotpRoutes } from './mfa-totp.js';
import { sessionRoutes } from './sessions.js';
import { trustedDeviceRoutes } from './trusted-devices.js';

/** Every route of API.md under /api/v1. Factor and admin modules add theirs here. */
export function apiRoutes(api: FastifyInstance, deps: ServerDeps): void {
  authLoginRoutes(api, deps);
  authPasswordRoutes(api, deps);
  sessionRoutes(api, deps);
  mfaManageRoutes(api, deps);
  mfaTotpRoutes(api, deps);
  trustedDeviceRoutes(api, deps);
}
