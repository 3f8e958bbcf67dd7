import { generateKeyPairSync, sign } from 'node:crypto';
import { compactVerify, CompactSign, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { peekHeader, signCompact, verifyCompact } from '../../../src/server/auth/jws.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A compact JWS over arbitrary header and payload text, signed with the real key. */
function rawSigned(header: unknown, payload: unknown, key = privateKey): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}

describe('compact JWS with EdDSA (node:crypto)', () => {
  it('signs what jose verifies, and verifies what jose signs', async () => {
    const token = signCompact({ kid: 'k1', typ: 'at+jwt' }, { sub: 'u1', n: 1 }, privateKey);
    const joseKey = await importJWK({ ...publicKey.export({ format: 'jwk' }) }, 'EdDSA');
    const checked = await compactVerify(token, joseKey);
    expect(checked.protectedHeader).toEqual({ kid: 'k1', typ: 'at+jwt', alg: 'EdDSA' });
    expect(JSON.parse(Buffer.from(checked.payload).toString())).toEqual({ sub: 'u1', n: 1 });

    const joseSigned = await new CompactSign(Buffer.from(JSON.stringify({ sub: 'u2' })))
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k2' })
      .sign(await importJWK(privateKey.export({ format: 'jwk' }), 'EdDSA'));
    expect(verifyCompact(joseSigned, publicKey)).toEqual({ header: { alg: 'EdDSA', kid: 'k2' }, payload: { sub: 'u2' } });
  });

  it('the header names the algorithm itself: a caller cannot set another', () => {
    const token = signCompact({ alg: 'none', kid: 'k' }, { sub: 'u' }, privateKey);
    expect(peekHeader(token)).toEqual({ alg: 'EdDSA', kid: 'k' });
    expect(verifyCompact(token, publicKey)?.payload).toEqual({ sub: 'u' });
  });

  it('rejects another key, a changed payload or signature, and malformed tokens', () => {
    const token = signCompact({ kid: 'k' }, { sub: 'u' }, privateKey);
    const [h, p, s] = token.split('.') as [string, string, string];
    expect(verifyCompact(token, other.publicKey)).toBeNull();
    expect(verifyCompact(`${h}.${b64({ sub: 'admin' })}.${s}`, publicKey)).toBeNull();
    const flipped = Buffer.from(s, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(verifyCompact(`${h}.${p}.${flipped.toString('base64url')}`, publicKey)).toBeNull();
    for (const bad of ['', 'a.b', `${h}.${p}`, `${h}.${p}.`, `${h}.${p}.${s}.x`, `${h}.${p}.${s}=`, `${h} .${p}.${s}`, `${h}.${p}.${s.slice(0, 40)}`]) {
      expect(verifyCompact(bad, publicKey), bad).toBeNull();
    }
  });

  it('rejects any alg but EdDSA, a crit header, and a header or payload that is not a JSON object', () => {
    expect(verifyCompact(rawSigned({ alg: 'EdDSA' }, { sub: 'u' }), publicKey)).not.toBeNull();
    expect(verifyCompact(rawSigned({ alg: 'none' }, { sub: 'u' }), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned({ alg: 'ES256' }, { sub: 'u' }), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned({}, { sub: 'u' }), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned({ alg: 'EdDSA', crit: ['exp'], exp: 1 }, { sub: 'u' }), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned('not json', { sub: 'u' }), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned([{ alg: 'EdDSA' }], { sub: 'u' }), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned({ alg: 'EdDSA' }, 'plain text'), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned({ alg: 'EdDSA' }, [1, 2]), publicKey)).toBeNull();
    expect(verifyCompact(rawSigned({ alg: 'EdDSA' }, null), publicKey)).toBeNull();
  });

  it('peekHeader reads the unverified header and refuses garbage', () => {
    expect(peekHeader(signCompact({ kid: 'abc' }, {}, privateKey))?.kid).toBe('abc');
    for (const bad of ['', '.x.y', '***.x.y', `${b64('[1]')}.x.y`, `${b64('nope')}.x.y`]) expect(peekHeader(bad), bad).toBeNull();
  });
});
