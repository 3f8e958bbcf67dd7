/**
 * A software WebAuthn authenticator and client for API tests without a browser: it builds the
 * same JSON a browser's `credential.toJSON()` gives (W3C WebAuthn L3 5.1), with real P-256
 * keys, so the server's verification runs for real. Every field can be overridden, which is
 * how the tests produce responses no honest browser would: a wrong origin or RP ID, user
 * presence or verification missing, a counter that goes backwards, a bad signature.
 *
 * Formats: authenticator data (L3 6.1), attested credential data (6.5.1), the `none`
 * attestation statement (8.7), COSE EC2 keys (RFC 9053 7.1), ES256 DER signatures (L3 6.5.5).
 */
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const b64u = (b: Uint8Array | Buffer): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

/** Authenticator data flags (W3C WebAuthn L3 6.1). */
export const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 } as const;

export interface SoftCredential {
  id: string;
  privateKey: KeyObject;
  cosePublicKey: Uint8Array;
  rpId: string;
  userHandle: string | null;
  signCount: number;
  discoverable: boolean;
}

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  type?: string;
  challenge?: string;
  /** Replace the flags byte entirely. */
  flags?: number;
  /** Report this counter (and remember it). */
  counter?: number;
  /** Which held credential answers (default: the first allowed one). */
  credentialId?: string;
  userHandle?: string | null;
}

function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' });
  // COSE_Key EC2: kty 2, alg -7 (ES256), crv 1 (P-256), x, y (RFC 9053 7.1, IANA COSE).
  return isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]),
  );
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  /** AAGUID of this model (all zero is what `none` attestation usually reports). */
  aaguid = Buffer.alloc(16);

  /**
   * @param origin the page origin the "browser" reports in clientDataJSON
   * @param opts.counting whether the signature counter increments (false: always 0, as synced passkeys)
   * @param opts.userVerified whether the user is verified when asked (UV flag)
   * @param opts.residentKeys false: a plain security key that cannot store discoverable credentials
   */
  constructor(
    public origin: string,
    public opts: { counting?: boolean; userVerified?: boolean; residentKeys?: boolean } = {},
  ) {}

  private clientData(type: string, challenge: string, o: CeremonyOverrides): string {
    return b64u(Buffer.from(JSON.stringify({ type: o.type ?? type, challenge: o.challenge ?? challenge, origin: o.origin ?? this.origin, crossOrigin: false })));
  }

  private uvFlag(requested: string | undefined): number {
    return requested !== 'discouraged' && this.opts.userVerified !== false ? FLAG.UV : 0;
  }

  /** navigator.credentials.create(): answers a RegistrationResponseJSON. */
  create(options: any, o: CeremonyOverrides = {}): any {
    const excluded = new Set((options.excludeCredentials ?? []).map((d: any) => d.id));
    if (!o.credentialId && this.credentials.some((c) => excluded.has(c.id))) throw new Error('InvalidStateError: this authenticator is already registered');
    const rpId = options.rp.id;
    const rk = options.authenticatorSelection?.residentKey;
    if (rk === 'required' && this.opts.residentKeys === false) throw new Error('NotAllowedError: no resident key support');
    const discoverable = rk !== 'discouraged' && this.opts.residentKeys !== false;
    // `credentialId` re-registers a key this authenticator holds, as a client that ignores
    // excludeCredentials would (the server must refuse the duplicate).
    const again = o.credentialId ? this.credentials.find((c) => c.id === o.credentialId) : undefined;
    let cred: SoftCredential;
    if (again) cred = again;
    else {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      cred = { id: b64u(randomBytes(32)), privateKey, cosePublicKey: coseKey(publicKey), rpId, userHandle: options.user.id, signCount: o.counter ?? 0, discoverable };
      this.credentials.push(cred);
    }
    const id = Buffer.from(cred.id, 'base64url');
    const flags = o.flags ?? (FLAG.UP | this.uvFlag(options.authenticatorSelection?.userVerification) | FLAG.AT);
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length);
    const authData = Buffer.concat([sha256(o.rpId ?? rpId), Buffer.from([flags]), u32(cred.signCount), this.aaguid, idLen, id, cred.cosePublicKey]);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()], ['authData', new Uint8Array(authData)]]) as any);
    return {
      id: cred.id,
      rawId: cred.id,
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      response: { clientDataJSON: this.clientData('webauthn.create', options.challenge, o), attestationObject: b64u(attestationObject), transports: ['usb'] },
      clientExtensionResults: { credProps: { rk: discoverable } },
    };
  }

  /** navigator.credentials.get(): answers an AuthenticationResponseJSON. */
  get(options: any, o: CeremonyOverrides = {}): any {
    const allowed: string[] = (options.allowCredentials ?? []).map((d: any) => d.id);
    const candidates = this.credentials.filter((c) => c.rpId === (options.rpId ?? c.rpId) && (allowed.length ? allowed.includes(c.id) : c.discoverable));
    const cred = o.credentialId ? this.credentials.find((c) => c.id === o.credentialId) : candidates[0];
    if (!cred) throw new Error('NotAllowedError: no credential for this request');
    cred.signCount = o.counter ?? (this.opts.counting === false ? 0 : cred.signCount + 1);
    const flags = o.flags ?? (FLAG.UP | this.uvFlag(options.userVerification));
    const authData = Buffer.concat([sha256(o.rpId ?? cred.rpId), Buffer.from([flags]), u32(cred.signCount)]);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o);
    const signature = sign('sha256', Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), cred.privateKey);
    const userHandle = o.userHandle === undefined ? cred.userHandle : o.userHandle;
    return {
      id: cred.id,
      rawId: cred.id,
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      response: { clientDataJSON, authenticatorData: b64u(authData), signature: b64u(signature), ...(userHandle !== null ? { userHandle } : {}) },
      clientExtensionResults: {},
    };
  }
}

/**
 * Sign an assertion again after editing it, with the credential's private key (PKCS#8 DER, as
 * CDP `WebAuthn.getCredentials` returns it; ES256 or Ed25519): the way to present a response that is validly
 * signed yet says something the server must refuse (another RP ID, no user presence).
 */
export function resignAssertion(
  assertion: any,
  pkcs8: Buffer,
  edit: { rpId?: string; flags?: (f: number) => number; counter?: number; origin?: string },
): any {
  const authData = Buffer.from(assertion.response.authenticatorData, 'base64url');
  if (edit.rpId !== undefined) sha256(edit.rpId).copy(authData, 0);
  if (edit.flags) authData[32] = edit.flags(authData[32]);
  if (edit.counter !== undefined) authData.writeUInt32BE(edit.counter, 33);
  let clientDataJSON: string = assertion.response.clientDataJSON;
  if (edit.origin !== undefined) {
    const data = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    clientDataJSON = b64u(Buffer.from(JSON.stringify({ ...data, origin: edit.origin })));
  }
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  // EdDSA signs the message itself (RFC 8032); ECDSA and RSA hash it with SHA-256 (COSE -7, -257).
  const digest = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  const signature = sign(digest, Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), key);
  return { ...assertion, response: { ...assertion.response, authenticatorData: b64u(authData), clientDataJSON, signature: b64u(signature) } };
}

/** Flip one bit of a base64url field (a signature, say). */
export function flipByte(b64url: string, index = 10): string {
  const b = Buffer.from(b64url, 'base64url');
  b[index % b.length] ^= 0x01;
  return b64u(b);
}
