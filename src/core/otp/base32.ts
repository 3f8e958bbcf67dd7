/**
 * Base32, RFC 4648 §6: the encoding authenticator apps expect for TOTP secrets (Key Uri Format).
 * Written by hand because it is twenty lines and every library variant differs on padding
 * and case; these rules are the ones authenticator apps and oathtool accept.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * A partial final block can only hold 2, 4, 5 or 7 symbols (RFC 4648 §6, the padding cases);
 * a remainder of 1, 3 or 6 symbols cannot come from any byte string.
 */
const IMPOSSIBLE_REMAINDERS = new Set([1, 3, 6]);

/** Upper-case base32 without padding (the Key Uri Format omits it). */
export function base32Encode(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes base32 in any case, ignoring whitespace (apps show secrets in groups) and trailing
 * `=` padding. Throws on any other character or an impossible length, so a mistyped secret is
 * never silently truncated. Unused trailing bits are ignored, as oathtool does.
 */
export function base32Decode(text: string): Buffer {
  const cleaned = text.replace(/\s+/g, '').replace(/=+$/, '').toUpperCase();
  if (IMPOSSIBLE_REMAINDERS.has(cleaned.length % 8)) {
    throw new TypeError(`invalid base32: ${cleaned.length} symbols cannot encode whole bytes`);
  }
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const ch of cleaned) {
    const value = VALUES.get(ch);
    if (value === undefined) throw new TypeError('invalid base32: unexpected character');
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}
