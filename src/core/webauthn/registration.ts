import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { factorAdded, newMethodRow } from '../mfa/after-change.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, MfaMethod, Session, User } from '../types.js';
import { whyRejected } from './assertion.js';
import { takeChallenge } from './challenges.js';
import { relyingParty } from './relying-party.js';
import { clientChallenge, readAttestation } from './response-json.js';
import { webauthnLibrary } from './library.js';

type Library = typeof import('@simplewebauthn/server');

const conflict = () => fail('conflict', 'this security key or passkey is already registered');

/**
 * Finish a registration (W3C WebAuthn L3 7.1): the response must answer a `register`
 * challenge issued to this user (which `POST /mfa/webauthn/register/options` handed out only
 * after step-up, when the user already had MFA), come from our origin and RP ID, and show user
 * presence. Attestation is not asked for (`none`): Twofold trusts the user's choice of
 * authenticator, as most services do; the AAGUID is kept to tell models apart in lists.
 * A credential id that exists (for anyone) is refused with `conflict`: the unique index on
 * credential_id decides a race.
 */
export async function confirmRegistration(
  deps: CoreDeps,
  user: User,
  session: Session,
  credential: unknown,
  name: string | undefined,
  ctx: Ctx,
): Promise<Outcome<{ method: MfaMethod; backupCodes?: string[] }>> {
  const response = readAttestation(credential);
  if (!response) return fail('validation_failed', 'credential: is not a WebAuthn registration response (RegistrationResponseJSON)', { field: 'credential' });
  const taken = await takeChallenge(deps, clientChallenge(response.response.clientDataJSON), { purpose: 'register', userId: user.id, mfaPendingId: null }, ctx.now);
  if (!taken.ok) return fail('not_found', 'no such pending registration (it may have expired or been used: start again)');

  const rp = relyingParty(deps.settings);
  let verified: Awaited<ReturnType<Library['verifyRegistrationResponse']>>;
  try {
    verified = await (await webauthnLibrary()).verifyRegistrationResponse({
      response,
      expectedChallenge: taken.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      expectedType: 'webauthn.create',
      requireUserPresence: true,
      // A security key without a PIN is a fine second factor; passwordless sign-in checks
      // user verification on every assertion instead.
      requireUserVerification: false,
    });
  } catch (err) {
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: 'webauthn', purpose: 'enroll', reason: whyRejected(err) });
    return fail('invalid_code', 'the security key response is not valid');
  }
  if (!verified.verified) {
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: 'webauthn', purpose: 'enroll', reason: 'not_verified' });
    return fail('invalid_code', 'the security key response is not valid');
  }

  const info = verified.registrationInfo;
  if (await deps.store.methods.byCredentialId(info.credential.id)) return conflict();
  const discoverable = response.clientExtensionResults.credProps?.rk === true;
  const method: MfaMethod = {
    ...newMethodRow(deps, user.id, 'webauthn', name ?? (discoverable ? 'Passkey' : 'Security key'), ctx.now),
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    signCount: info.credential.counter,
    transports: response.response.transports ?? [],
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
  };
  try {
    await deps.store.methods.insert(method);
  } catch (err) {
    if (await deps.store.methods.byCredentialId(info.credential.id)) return conflict();
    throw err;
  }
  const { backupCodes } = await factorAdded(deps, user, session, method, ctx);
  return ok({ method, backupCodes });
}
