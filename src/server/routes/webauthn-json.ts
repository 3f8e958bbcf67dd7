import { z } from 'zod';

/**
 * The WebAuthn JSON shapes of W3C WebAuthn L3 5.1 (`toJSON()`, `parse*OptionsFromJSON`), for
 * validation at the edge and the OpenAPI document. Objects are loose: browsers add fields as
 * the standard grows, and what matters is checked again by core and by @simplewebauthn/server.
 */

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const b64url = (max: number) => z.string().min(1).max(max).regex(B64URL, 'must be base64url');
/** WebAuthn L3 5.8.3: credential ids are at most 1023 bytes (1364 base64url characters). */
const CredentialId = b64url(1364);
/** Bounded well below the 64 KiB body limit; real values are a few hundred bytes to a few KiB. */
const Blob = b64url(32_768);
const Transports = z.array(z.string().max(32)).max(10);

const Descriptor = z.looseObject({ id: z.string(), type: z.literal('public-key'), transports: z.array(z.string()).optional() });

export const CreationOptions = z
  .looseObject({
    rp: z.looseObject({ name: z.string(), id: z.string().optional() }),
    user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
    challenge: z.string(),
    pubKeyCredParams: z.array(z.looseObject({ type: z.literal('public-key'), alg: z.number() })),
    timeout: z.number().optional(),
    excludeCredentials: z.array(Descriptor).optional(),
    authenticatorSelection: z.looseObject({}).optional(),
    attestation: z.string().optional(),
    hints: z.array(z.string()).optional(),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('PublicKeyCredentialCreationOptionsJSON (W3C WebAuthn L3 5.4): pass to PublicKeyCredential.parseCreationOptionsFromJSON');

export const RequestOptions = z
  .looseObject({
    challenge: z.string(),
    timeout: z.number().optional(),
    rpId: z.string().optional(),
    allowCredentials: z.array(Descriptor).optional(),
    userVerification: z.string().optional(),
    hints: z.array(z.string()).optional(),
    extensions: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('PublicKeyCredentialRequestOptionsJSON (W3C WebAuthn L3 5.5): pass to PublicKeyCredential.parseRequestOptionsFromJSON');

const common = {
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  authenticatorAttachment: z.string().max(32).nullable().optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).optional(),
};

export const RegistrationResponse = z
  .looseObject({
    ...common,
    response: z.looseObject({ clientDataJSON: Blob, attestationObject: Blob, transports: Transports.optional() }),
  })
  .describe('RegistrationResponseJSON (W3C WebAuthn L3 5.1): `credential.toJSON()` after navigator.credentials.create');

export const AuthenticationResponse = z
  .looseObject({
    ...common,
    response: z.looseObject({ clientDataJSON: Blob, authenticatorData: Blob, signature: Blob, userHandle: b64url(128).nullable().optional() }),
  })
  .describe('AuthenticationResponseJSON (W3C WebAuthn L3 5.1): `credential.toJSON()` after navigator.credentials.get');
