import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from '@simplewebauthn/server';

/**
 * Shape checks for the JSON a browser sends back (W3C WebAuthn L3 5.1, `toJSON()`), done in
 * core because a factor also receives credentials from routes that only know "an object".
 * Anything that is not the expected shape answers null, never throws: the caller turns it
 * into an ordinary "not valid" result rather than a 5xx.
 */

const B64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** WebAuthn L3 5.8.3: a credential id is at most 1023 bytes, i.e. 1364 base64url characters. */
const MAX_ID_CHARS = 1364;
/** Generous bounds for the other fields; the HTTP body limit (64 KiB) caps the sum anyway. */
const MAX_FIELD_CHARS = 60_000;

const TRANSPORTS: readonly AuthenticatorTransportFuture[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function b64url(x: unknown, max = MAX_FIELD_CHARS): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= max && B64URL.test(x);
}

function common(x: unknown): x is Record<string, unknown> & { id: string; rawId: string; response: Record<string, unknown> } {
  return isRecord(x) && x.type === 'public-key' && b64url(x.id, MAX_ID_CHARS) && x.rawId === x.id && isRecord(x.response) && b64url(x.response.clientDataJSON);
}

/** The known transports a registration reported, unknown ones dropped (they are only hints). */
export function knownTransports(x: unknown): AuthenticatorTransportFuture[] {
  if (!Array.isArray(x)) return [];
  return [...new Set(x.filter((t): t is AuthenticatorTransportFuture => TRANSPORTS.includes(t as AuthenticatorTransportFuture)))];
}

export function readAssertion(x: unknown): AuthenticationResponseJSON | null {
  if (!common(x)) return null;
  const r = x.response;
  if (!b64url(r.authenticatorData) || !b64url(r.signature)) return null;
  if (r.userHandle !== undefined && r.userHandle !== null && !b64url(r.userHandle, 128)) return null;
  return {
    id: x.id,
    rawId: x.rawId,
    type: 'public-key',
    response: {
      clientDataJSON: r.clientDataJSON as string,
      authenticatorData: r.authenticatorData,
      signature: r.signature,
      ...(typeof r.userHandle === 'string' ? { userHandle: r.userHandle } : {}),
    },
    clientExtensionResults: isRecord(x.clientExtensionResults) ? x.clientExtensionResults : {},
  };
}

export function readAttestation(x: unknown): RegistrationResponseJSON | null {
  if (!common(x)) return null;
  const r = x.response;
  if (!b64url(r.attestationObject)) return null;
  return {
    id: x.id,
    rawId: x.rawId,
    type: 'public-key',
    response: { clientDataJSON: r.clientDataJSON as string, attestationObject: r.attestationObject, transports: knownTransports(r.transports) },
    clientExtensionResults: isRecord(x.clientExtensionResults) ? x.clientExtensionResults : {},
  };
}

/**
 * The challenge the client says it signed, read from clientDataJSON (WebAuthn L3 5.8.1) so the
 * server can find the stored challenge it must match. Only a lookup key: the verification
 * library compares it again, and the signature covers it.
 */
export function clientChallenge(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    return isRecord(data) && b64url(data.challenge, 256) ? data.challenge : null;
  } catch {
    return null;
  }
}
