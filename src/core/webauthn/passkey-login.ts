import { audit, EVENT } from '../audit.js';
import { startSession, type TokenGrant } from '../auth/sessions.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Amr, Ctx } from '../types.js';
import { checkAssertion } from './assertion.js';
import { takeChallenge } from './challenges.js';
import { userHandleOf } from './options.js';
import { clientChallenge, readAssertion } from './response-json.js';

/**
 * RFC 8176: hwk (a hardware-held key) + user (the authenticator verified the user, by PIN or
 * biometrics) are two factors in one gesture, hence mfa; NIST SP 800-63B 5.1.8 counts a
 * multi-factor cryptographic authenticator as AAL2 (acr aal2).
 */
const PASSKEY_AMR: Amr[] = ['hwk', 'user', 'mfa'];

const refused = () => fail('invalid_credentials', 'the passkey could not be verified');

/**
 * Passwordless sign-in with a discoverable credential (W3C WebAuthn L3 7.2). The challenge
 * is bound to no user (the browser picks the credential), so the credential id names the
 * account, the user handle must agree with it, and user verification is required. Failures
 * all look alike; they spend the per-IP login budget as wrong passwords do (API.md "login
 * failures") and are audited as `login.failed`. A disabled account is refused as at login.
 */
export async function passkeyLogin(deps: CoreDeps, credential: unknown, ctx: Ctx): Promise<Outcome<TokenGrant>> {
  const ipKey = ctx.ip ?? 'unknown';
  const budget = await deps.limiter.consume('login_ip', ipKey);
  if (!budget.allowed) {
    await audit(deps.store, ctx, EVENT.loginLocked, null, { by: 'ip', method: 'passkey' });
    return fail('rate_limited', 'too many failed sign-in attempts; try again later', { retryAfterS: budget.retryAfterS });
  }
  const failed = async (userId: string | null, why: string, details: Record<string, unknown> = {}) => {
    await audit(deps.store, ctx, EVENT.loginFailed, userId, { method: 'passkey', reason: why, ...details });
    return refused();
  };

  const response = readAssertion(credential);
  if (!response) return failed(null, 'malformed');
  const taken = await takeChallenge(deps, clientChallenge(response.response.clientDataJSON), { purpose: 'passkey', userId: null, mfaPendingId: null }, ctx.now);
  if (!taken.ok) return failed(null, `challenge_${taken.reason}`);
  const method = await deps.store.methods.byCredentialId(response.id);
  if (!method || method.type !== 'webauthn') return failed(null, 'unknown_credential');
  const user = await deps.store.users.byId(method.userId);
  if (!user) return failed(null, 'unknown_credential');
  // WebAuthn L3 7.2 step 6: with no user identified beforehand, the user handle must be
  // present and name the account that holds the credential.
  if (response.response.userHandle !== Buffer.from(userHandleOf(user)).toString('base64url')) return failed(user.id, 'user_handle_mismatch');

  const checked = await checkAssertion(deps, { response, method, expectedChallenge: taken.challenge, requireUserVerification: true, ctx });
  if (!checked.ok) return failed(user.id, String(checked.details.why ?? checked.reason), { method_id: method.id });
  await deps.limiter.reward('login_ip', ipKey);

  if (user.disabled) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: 'disabled', method: 'passkey' });
    return fail('forbidden', 'this account is disabled');
  }
  if (!(await deps.policy()).allowed_methods.includes('webauthn')) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: 'method_not_allowed', method: 'passkey' });
    return fail('policy_violation', 'policy does not allow signing in with a passkey; sign in with your password');
  }
  // The user holds a WebAuthn method, so has MFA: no enrolment deadline applies (as at login).
  const grant = await startSession(deps, user, ctx, { amr: PASSKEY_AMR, acr: 'aal2', mfaVerified: true });
  await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant.session.id, amr: PASSKEY_AMR, method: 'passkey', method_id: method.id });
  return ok(grant);
}
