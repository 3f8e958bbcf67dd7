import type {
  AuthenticatorTransportFuture,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { audit, EVENT } from '../audit.js';
import { loginMethodsFor, type FactorRegistry } from '../auth/factor.js';
import { resolveMfaPending } from '../auth/mfa-pending.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Ctx, MfaMethod, User } from '../types.js';
import { issueChallenge } from './challenges.js';
import { webauthnLibrary } from './library.js';
import { CHALLENGE_TTL_MS, relyingParty } from './relying-party.js';

/**
 * COSE algorithms we accept (IANA COSE registry): EdDSA (-8), ES256 (-7), RS256 (-257), in
 * that order of preference; ES256 is what every FIDO2 authenticator implements (FIDO CTAP 2.1).
 */
const ALGORITHMS = [-8, -7, -257];

/** The user handle (WebAuthn L3 14.6.1: no personal data): the user's random UUID, as UTF-8. */
export function userHandleOf(user: Pick<User, 'id'>): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(user.id, 'utf8'));
}

function descriptors(methods: MfaMethod[]): { id: string; transports?: AuthenticatorTransportFuture[] }[] {
  return methods
    .filter((m) => m.type === 'webauthn' && m.credentialId)
    .map((m) => ({ id: m.credentialId!, ...(m.transports?.length ? { transports: m.transports as AuthenticatorTransportFuture[] } : {}) }));
}

/**
 * Options to register a new security key or passkey. Every key the user already has is
 * excluded (WebAuthn L3 5.4 `excludeCredentials`), so one authenticator is not enrolled twice.
 * `passkey: true` asks for a discoverable credential with user verification (usable for
 * passwordless sign-in); otherwise a discoverable one is only preferred, and a plain security
 * key without a PIN still works as a second factor.
 */
export async function registrationOptions(deps: CoreDeps, user: User, opts: { passkey?: boolean }, ctx: Ctx): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(deps.settings);
  const methods = await deps.store.methods.listForUser(user.id);
  const { bytes } = await issueChallenge(deps, { purpose: 'register', userId: user.id, mfaPendingId: null }, ctx);
  const options = await (await webauthnLibrary()).generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userID: userHandleOf(user),
    userDisplayName: user.name ?? user.email,
    challenge: bytes,
    timeout: CHALLENGE_TTL_MS,
    attestationType: 'none',
    excludeCredentials: descriptors(methods),
    authenticatorSelection: opts.passkey
      ? { residentKey: 'required', requireResidentKey: true, userVerification: 'required' }
      : { residentKey: 'preferred', requireResidentKey: false, userVerification: 'preferred' },
    // credProps tells whether the new credential is discoverable (WebAuthn L3 10.1.3).
    extensions: { credProps: true },
    supportedAlgorithmIDs: ALGORITHMS,
  });
  await audit(deps.store, ctx, EVENT.enrollStarted, user.id, { method: 'webauthn', passkey: !!opts.passkey });
  return options;
}

/** Request options for a user's own credentials, for a login or a step-up. */
async function ownCredentialOptions(deps: CoreDeps, user: User, binding: { purpose: 'login' | 'step_up'; mfaPendingId: string | null }, methods: MfaMethod[], ctx: Ctx) {
  const { bytes } = await issueChallenge(deps, { purpose: binding.purpose, userId: user.id, mfaPendingId: binding.mfaPendingId }, ctx);
  return (await webauthnLibrary()).generateAuthenticationOptions({
    rpID: relyingParty(deps.settings).rpID,
    challenge: bytes,
    timeout: CHALLENGE_TTL_MS,
    allowCredentials: descriptors(methods),
    // A second factor after the password proves possession; asking for a PIN on top is not
    // needed (@simplewebauthn's advice for 2FA); authenticators may still verify the user.
    userVerification: 'discouraged',
  });
}

const noKeys = () => fail('not_found', 'no security key or passkey is enrolled');

/** `POST /auth/mfa/webauthn/options`: a challenge bound to this user and this MFA-pending token. */
export async function loginOptions(deps: CoreDeps, registry: FactorRegistry, mfaToken: string, ctx: Ctx): Promise<Outcome<PublicKeyCredentialRequestOptionsJSON>> {
  const pending = await resolveMfaPending(deps, mfaToken, ctx.now);
  const user = pending && (await deps.store.users.byId(pending.userId));
  if (!pending || !user || user.disabled) return fail('mfa_token_invalid', 'the sign-in step has expired or is not valid; sign in again');
  const methods = await deps.store.methods.listForUser(user.id);
  if (!(await loginMethodsFor(deps, registry, user, methods)).includes('webauthn')) return noKeys();
  return ok(await ownCredentialOptions(deps, user, { purpose: 'login', mfaPendingId: pending.id }, methods, ctx));
}

/** `POST /mfa/step-up/webauthn/options`: a challenge bound to the session's user. */
export async function stepUpOptions(deps: CoreDeps, registry: FactorRegistry, user: User, ctx: Ctx): Promise<Outcome<PublicKeyCredentialRequestOptionsJSON>> {
  const methods = await deps.store.methods.listForUser(user.id);
  if (!(await loginMethodsFor(deps, registry, user, methods)).includes('webauthn')) return noKeys();
  return ok(await ownCredentialOptions(deps, user, { purpose: 'step_up', mfaPendingId: null }, methods, ctx));
}

/**
 * `POST /auth/passkey/options`: a challenge bound to nobody yet, with no allowCredentials,
 * so the browser offers its discoverable credentials, in a modal or in autofill (conditional
 * mediation, WebAuthn L3 5.1.4.1, needs exactly this). User verification is required: the
 * passkey stands for both factors.
 */
export async function passkeyOptions(deps: CoreDeps, ctx: Ctx): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const { bytes } = await issueChallenge(deps, { purpose: 'passkey', userId: null, mfaPendingId: null }, ctx);
  return (await webauthnLibrary()).generateAuthenticationOptions({
    rpID: relyingParty(deps.settings).rpID,
    challenge: bytes,
    timeout: CHALLENGE_TTL_MS,
    allowCredentials: [],
    userVerification: 'required',
  });
}
