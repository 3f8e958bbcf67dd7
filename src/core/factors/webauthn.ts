import type { Factor } from '../auth/factor.js';
import { checkAssertion } from '../webauthn/assertion.js';
import { takeChallenge } from '../webauthn/challenges.js';
import { clientChallenge, readAssertion } from '../webauthn/response-json.js';

/**
 * Security keys and passkeys as a second factor (W3C WebAuthn L3 7.2), at login and for
 * step-up. The response must answer a challenge issued for exactly this use: for a login, by
 * `POST /auth/mfa/webauthn/options` for this user and this MFA-pending token; for step-up, by
 * `POST /mfa/step-up/webauthn/options` for this user. The credential must be one of the user's
 * own: another user's key, an unknown key, a bad signature, a replay or a counter that went
 * backwards are all the same "not valid" to the caller (and a failure on the user's budget).
 */
export const webauthnFactor: Factor = {
  method: 'webauthn',
  async available(_deps, _user, methods) {
    return methods.some((m) => m.type === 'webauthn');
  },
  async verify(deps, attempt) {
    const response = readAssertion(attempt.credential);
    if (!response) return { ok: false, reason: 'invalid', details: { why: 'malformed' } };
    const taken = await takeChallenge(
      deps,
      clientChallenge(response.response.clientDataJSON),
      { purpose: attempt.purpose, userId: attempt.user.id, mfaPendingId: attempt.purpose === 'login' ? attempt.pendingId : null },
      attempt.ctx.now,
    );
    if (!taken.ok) return { ok: false, reason: taken.reason, details: { why: 'challenge' } };
    // Only the user's own credentials are candidates: another user's id is simply unknown here.
    const method = attempt.methods.find((m) => m.type === 'webauthn' && m.credentialId === response.id);
    if (!method) return { ok: false, reason: 'invalid', details: { why: 'unknown_credential' } };
    const checked = await checkAssertion(deps, { response, method, expectedChallenge: taken.challenge, requireUserVerification: false, ctx: attempt.ctx });
    if (!checked.ok) return checked;
    // RFC 8176: hwk = proof of a hardware key; user = the authenticator verified the user too.
    return { ok: true, amr: checked.userVerified ? ['hwk', 'user'] : ['hwk'], acr: 'aal2', methodId: method.id };
  },
};
