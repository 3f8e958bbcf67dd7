import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';

type KeyLike = Awaited<ReturnType<typeof importJWK>>;
import type { AccessClaims, Cipher, Random, SigningKeysRepo, TokenSigner } from '../../core/ports.js';
import type { Acr, Amr } from '../../core/types.js';

/** EdDSA (Ed25519): small, fast, deterministic signatures (RFC 8037). */
const ALG = 'EdDSA';
/** Retired keys stay published this long so tokens signed just before a rotation still verify. */
const RETIRED_GRACE_MS = 24 * 3600 * 1000;

interface LoadedKey {
  kid: string;
  publicJwk: JWK;
  publicKey: KeyLike | Uint8Array;
  privateKey: KeyLike | Uint8Array | null;
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

  async function load(): Promise<void> {
    const rows = await repo.all();
    keys = await Promise.all(
      rows.map(async (r) => {
        const publicJwk = JSON.parse(r.publicJwk) as JWK;
        const privateJwk = JSON.parse(cipher.decrypt(r.privateEnc, `signing-key:${r.kid}`).toString('utf8')) as JWK;
        return {
          kid: r.kid,
          publicJwk,
          publicKey: await importJWK(publicJwk, ALG),
          privateKey: r.retiredAt === null ? await importJWK(privateJwk, ALG) : null,
          createdAt: r.createdAt,
          retiredAt: r.retiredAt,
        };
      }),
    );
  }

  async function create(now: number): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
    const kid = opts.random.bytes(12).toString('base64url');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' };
    const privateJwk = await exportJWK(privateKey);
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
      const token = await new SignJWT({ sid: claims.sid, amr: claims.amr, acr: claims.acr })
        .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'at+jwt' })
        .setSubject(claims.sub)
        .setIssuer(issuer)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlS)
        .sign(key.privateKey!);
      return { token, expiresIn: ttlS };
    },
    jwks(now: number) {
      return {
        keys: keys.filter((k) => k.retiredAt === null || now - k.retiredAt < RETIRED_GRACE_MS).map((k) => k.publicJwk),
      };
    },
    async verify(token: string, now: number) {
      if (typeof token !== 'string' || token.length > 4096) return null;
      const kid = peekKid(token);
      if (!kid) return null;
      let key = keys.find((k) => k.kid === kid);
      if (!key) {
        await load();
        key = keys.find((k) => k.kid === kid);
        if (!key) return null;
      }
      try {
        const { payload } = await jwtVerify(token, key.publicKey, {
          issuer,
          algorithms: [ALG],
          currentDate: new Date(now),
          typ: 'at+jwt',
        });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
        return { sub: payload.sub, sid: payload.sid, amr: (payload.amr as Amr[]) ?? [], acr: (payload.acr as Acr) ?? 'aal1' };
      } catch {
        return null;
      }
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

function peekKid(token: string): string | null {
  const head = token.split('.')[0];
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : null;
  } catch {
    return null;
  }
}
