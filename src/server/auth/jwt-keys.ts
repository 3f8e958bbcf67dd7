import { createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { AccessClaims, Cipher, Random, SigningKeysRepo, TokenSigner } from '../../core/ports.js';
import type { Acr, Amr } from '../../core/types.js';
import { JWS_ALG, peekHeader, signCompact, verifyCompact } from './jws.js';

type JWK = JsonWebKey & { kid?: string; alg?: string; use?: string };

/** EdDSA (Ed25519): small, fast, deterministic signatures (RFC 8037). */
const ALG = JWS_ALG;
/** RFC 9068 §2.1: access tokens are typed `at+jwt`. */
const TYP = 'at+jwt';
/**
 * A token naming a key this process has not loaded makes it re-read the keys (another process
 * may have rotated), at most once per this many ms: otherwise every forged `kid` would cost a
 * database read and a decryption of every signing key.
 */
const UNKNOWN_KID_RELOAD_MS = 1000;
/** Retired keys stay published this long so tokens signed just before a rotation still verify. */
const RETIRED_GRACE_MS = 24 * 3600 * 1000;

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: KeyObject;
  privateKey: KeyObject | null;
  createdAt: number;
  retiredAt: number | null;
}

export interface VerifiedAccess {
  sub: string;
  sid: string;
  amr: Amr[];
  acr: Acr;
}

export interface JwtKeys extends TokenSigner {
  jwks(now: number): { keys: JWK[] };
  verify(token: string, now: number): Promise<VerifiedAccess | null>;
  /** Create a new signing key and retire the others (`twofold keys rotate`). */
  rotate(now: number): Promise<string>;
  /** Re-read keys from the store (another process may have rotated). */
  reload(): Promise<void>;
}

/**
 * Access-token keys persisted in the database (private half encrypted with the keyring), so
 * restarts and other processes sign and verify with the same keys.
 */
export async function createJwtKeys(opts: {
  repo: SigningKeysRepo;
  cipher: Cipher;
  random: Random;
  issuer: string;
  ttlS: number;
  now: number;
}): Promise<JwtKeys> {
  const { repo, cipher, issuer, ttlS } = opts;
  let keys: LoadedKey[] = [];
  let unknownKidReloadAt = -Infinity;

  async function load(): Promise<void> {
    const rows = await repo.all();
    keys = rows.map((r) => {
      const publicJwk = JSON.parse(r.publicJwk) as JWK;
      const privateJwk = JSON.parse(cipher.decrypt(r.privateEnc, `signing-key:${r.kid}`).toString('utf8')) as JWK;
      return {
        kid: r.kid,
        publicJwk,
        publicKey: createPublicKey({ key: publicJwk, format: 'jwk' }),
        privateKey: r.retiredAt === null ? createPrivateKey({ key: privateJwk, format: 'jwk' }) : null,
        createdAt: r.createdAt,
        retiredAt: r.retiredAt,
      };
    });
  }

  async function create(now: number): Promise<string> {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const kid = opts.random.bytes(12).toString('base64url');
    const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: ALG, use: 'sig' };
    const privateJwk = privateKey.export({ format: 'jwk' });
    await repo.insert({
      kid,
      alg: ALG,
      privateEnc: cipher.encrypt(Buffer.from(JSON.stringify(privateJwk)), `signing-key:${kid}`),
      publicJwk: JSON.stringify(publicJwk),
      createdAt: now,
      retiredAt: null,
    });
    return kid;
  }

  await load();
  if (!keys.some((k) => k.retiredAt === null)) {
    await create(opts.now);
    await load();
  }

  function current(): LoadedKey {
    const active = keys.filter((k) => k.privateKey && k.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt);
    if (!active[0]) throw new Error('no active signing key');
    return active[0];
  }

  return {
    async sign(claims: AccessClaims, now: number) {
      const key = current();
      const iat = Math.floor(now / 1000);
      const payload = { sid: claims.sid, amr: claims.amr, acr: claims.acr, sub: claims.sub, iss: issuer, iat, exp: iat + ttlS };
      return { token: signCompact({ kid: key.kid, typ: TYP }, payload, key.privateKey!), expiresIn: ttlS };
    },
    jwks(now: number) {
      return {
        keys: keys.filter((k) => k.retiredAt === null || now - k.retiredAt < RETIRED_GRACE_MS).map((k) => k.publicJwk),
      };
    },
    async verify(token: string, now: number) {
      if (typeof token !== 'string' || token.length > 4096) return null;
      const kid = peekHeader(token)?.kid;
      if (typeof kid !== 'string') return null;
      let key = keys.find((k) => k.kid === kid);
      if (!key) {
        if (now - unknownKidReloadAt < UNKNOWN_KID_RELOAD_MS) return null;
        unknownKidReloadAt = now;
        await load();
        key = keys.find((k) => k.kid === kid);
        if (!key) return null;
      }
      const jws = verifyCompact(token, key.publicKey);
      if (!jws || jws.header.typ !== TYP) return null;
      const p = jws.payload;
      const nowS = Math.floor(now / 1000);
      // RFC 7519 §4.1.4: expired at `exp` itself; `nbf` (never set by us) is honoured if present.
      if (p.iss !== issuer || typeof p.exp !== 'number' || nowS >= p.exp) return null;
      if (p.nbf !== undefined && (typeof p.nbf !== 'number' || nowS < p.nbf)) return null;
      if (typeof p.sub !== 'string' || typeof p.sid !== 'string') return null;
      return { sub: p.sub, sid: p.sid, amr: Array.isArray(p.amr) ? (p.amr as Amr[]) : [], acr: typeof p.acr === 'string' ? (p.acr as Acr) : 'aal1' };
    },
    async rotate(now: number) {
      const kid = await create(now);
      for (const k of keys) if (k.retiredAt === null) await repo.retire(k.kid, now);
      await load();
      return kid;
    },
    reload: load,
  };
}
