import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../deps.js';
import { adminAuditRoutes } from './admin-audit.js';
import { adminPolicyRoutes } from './admin-policy.js';
import { adminStatsRoutes } from './admin-stats.js';
import { adminUserRoutes } from './admin-users.js';
import { authChallengeRoutes } from './auth-challenge.js';
import { authLoginRoutes } from './auth-login.js';
import { authPasskeyRoutes } from './auth-passkey.js';
import { authPasswordRoutes } from './auth-password.js';
import { mfaEmailRoutes } from './mfa-email.js';
import { mfaManageRoutes } from './mfa-manage.js';
import { mfaSmsRoutes } from './mfa-sms.js';
import { mfaTotpRoutes } from './mfa-totp.js';
import { mfaWebAuthnRoutes } from './mfa-webauthn.js';
import { sessionRoutes } from './sessions.js';
import { stepUpChallengeRoutes } from './step-up-challenge.js';
import { stepUpRoutes } from './step-up.js';
import { trustedDeviceRoutes } from './trusted-devices.js';

/** Every route of API.md under /api/v1. Factor and admin modules add theirs here. */
export function apiRoutes(api: FastifyInstance, deps: ServerDeps): void {
  authLoginRoutes(api, deps);
  authPasswordRoutes(api, deps);
  sessionRoutes(api, deps);
  mfaManageRoutes(api, deps);
  mfaTotpRoutes(api, deps);
  trustedDeviceRoutes(api, deps);
  authPasskeyRoutes(api, deps);
  mfaWebAuthnRoutes(api, deps);
  authChallengeRoutes(api, deps);
  mfaEmailRoutes(api, deps);
  mfaSmsRoutes(api, deps);
  stepUpChallengeRoutes(api, deps);
  stepUpRoutes(api, deps);
  adminUserRoutes(api, deps);
  adminAuditRoutes(api, deps);
  adminStatsRoutes(api, deps);
  adminPolicyRoutes(api, deps);
}
