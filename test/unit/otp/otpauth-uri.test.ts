import { describe, expect, it } from 'vitest';
import { otpauthUri } from '../../../src/core/otp/index.js';

const secretBase32 = 'JBSWY3DPEHPK3PXP';

describe('otpauthUri', () => {
  it('writes the Key Uri Format with every parameter', () => {
    expect(otpauthUri({ issuer: 'Twofold', account: 'alice', secretBase32, algorithm: 'SHA1', digits: 6, period: 30 })).toBe(
      'otpauth://totp/Twofold:alice?secret=JBSWY3DPEHPK3PXP&issuer=Twofold&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('defaults to SHA1, 6 digits, 30 s', () => {
    expect(otpauthUri({ issuer: 'Twofold', account: 'alice', secretBase32 })).toBe(
      'otpauth://totp/Twofold:alice?secret=JBSWY3DPEHPK3PXP&issuer=Twofold&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('percent-encodes spaces, @, : and non-ASCII in issuer and account, keeping the separator colon', () => {
    const uri = otpauthUri({
      issuer: 'Acme Co: Zürich',
      account: 'jürgen.o@example.com',
      secretBase32,
      algorithm: 'SHA256',
      digits: 8,
      period: 60,
    });
    expect(uri).toBe(
      'otpauth://totp/Acme%20Co%3A%20Z%C3%BCrich:j%C3%BCrgen.o%40example.com' +
        '?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Co%3A%20Z%C3%BCrich&algorithm=SHA256&digits=8&period=60',
    );
    // Exactly one literal colon in the label, and a URL parser gives the parts back.
    const url = new URL(uri);
    const label = decodeURIComponent(url.pathname.replace(/^\/\/totp\//, '').replace(/^\//, ''));
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('issuer')).toBe('Acme Co: Zürich');
    expect(url.searchParams.get('secret')).toBe(secretBase32);
    expect(uri.split('?')[0].match(/:/g)).toHaveLength(2); // "otpauth:" and the separator
    expect(label.endsWith(':jürgen.o@example.com')).toBe(true);
  });

  it('omits the issuer when there is none', () => {
    expect(otpauthUri({ issuer: '', account: 'a b', secretBase32 })).toBe(
      'otpauth://totp/a%20b?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
    );
  });

  it('refuses a secret that is not unpadded upper-case base32, and an empty account', () => {
    for (const bad of ['jbswy3dpehpk3pxp', 'JBSWY3DP=', 'JBSW&issuer=x', '']) {
      expect(() => otpauthUri({ issuer: 'T', account: 'a', secretBase32: bad }), bad).toThrow(TypeError);
    }
    expect(() => otpauthUri({ issuer: 'T', account: '', secretBase32 })).toThrow(TypeError);
  });
});
