import type { AuthenticationResponseJSON, AuthenticatorTransportFuture } from '@simplewebauthn/server';
import { audit, EVENT } from '../audit.js';
import type { FactorRejection } from '../auth/factor.js';
import type { CoreDeps } from '../deps.js';
import type { Ctx, MfaMethod } from '../types.js';
import { webauthnLibrary } from './library.js';
import { relyingParty } from './relying-party.js';

type Library = typeof import('@simplewebauthn/server');

export type AssertionResult =
  | { ok: true; userVerified: boolean }
  | { ok: false; reason: FactorRejection; details: Record<string, unknown> };

/**
 * Why the library refused a response, for the audit trail only (the caller always sees one
 * answer). Matched on its messages, so an unknown one is simply "rejected".
 */
export function whyRejected(err: unknown): string {
  const message = err instanceof Error ? err.message : '';
  const rules: [RegExp, string][] = [
    [/origin/i, 'origin'],
    [/RP ID/i, 'rp_id'],
    [/not present/i, 'user_presence'],
    [/verification required/i, 'user_verification'],
    [/challenge/i, 'challenge'],
    [/type/i, 'type'],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? 'rejected';
}

/**
 * Check an assertion against one stored credential (W3C WebAuthn L3 7.2): origin, RP ID,
 * challenge, user presence (always) and user verification (when asked), the signature, then
 * the signature counter. The challenge must already have been spent by the caller.
 *
 * The counter is checked here, after the signature, rather than by the library (which checks
 * it first): only a response the authenticator really signed can raise the clone alarm.
 * L3 6.1.1 / 7.2 step 21: when either counter is non-zero, a new value that is not greater
 * than the stored one is a sign of a cloned authenticator; we refuse it and audit
 * `webauthn.clone_suspected`. Authenticators that do not count (always 0, as synced passkeys
 * do) pass. The new value is stored with one compare-and-set, so of two racing assertions
 * with the same counter only one wins.
 */
export async function checkAssertion(
  deps: CoreDeps,
  input: { response: AuthenticationResponseJSON; method: MfaMethod; expectedChallenge: string; requireUserVerification: boolean; ctx: Ctx },
): Promise<AssertionResult> {
  const { method, ctx } = input;
  if (method.type !== 'webauthn' || !method.credentialId || !method.publicKey) return { ok: false, reason: 'not_enrolled', details: {} };
  const rp = relyingParty(deps.settings);
  const stored = method.signCount ?? 0;
  let info: Awaited<ReturnType<Library['verifyAuthenticationResponse']>>['authenticationInfo'];
  try {
    const result = await (await webauthnLibrary()).verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      expectedType: 'webauthn.get',
      requireUserVerification: input.requireUserVerification,
      // Counter 0 turns the library's own (pre-signature) counter check off; ours follows.
      credential: {
        id: method.credentialId,
        publicKey: new Uint8Array(Buffer.from(method.publicKey, 'base64url')),
        counter: 0,
        transports: (method.transports ?? []) as AuthenticatorTransportFuture[],
      },
    });
    if (!result.verified) return { ok: false, reason: 'invalid', details: { method_id: method.id, why: 'signature' } };
    info = result.authenticationInfo;
  } catch (err) {
    return { ok: false, reason: 'invalid', details: { method_id: method.id, why: whyRejected(err) } };
  }

  const presented = info.newCounter;
  if (stored > 0 && presented <= stored) {
    await audit(deps.store, ctx, EVENT.webauthnCloneSuspected, method.userId, { method_id: method.id, stored_count: stored, presented_count: presented });
    return { ok: false, reason: 'invalid', details: { method_id: method.id, why: 'counter' } };
  }
  if (!(await deps.store.methods.updateSignCount(method.id, stored, presented, ctx.now))) {
    return { ok: false, reason: 'replayed', details: { method_id: method.id, why: 'counter_race' } };
  }
  return { ok: true, userVerified: info.userVerified };
}
