/**
 * Cross-checks against independent implementations: oathtool (OATH Toolkit) computes codes
 * that our verifier must accept, and zbar decodes the QR image back to the exact URI.
 * Without the tools the tests are skipped with a reason, except under CI=true, where a missing
 * tool is a failure (CI must not silently lose this coverage).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { base32Encode, hotp, otpauthUri, timeStep, verifyTotp } from '../../../src/core/otp/index.js';
import type { TotpAlgorithm } from '../../../src/core/types.js';
import { nodeRandom } from '../../../src/server/crypto/random.js';
import { qrDataUrl } from '../../../src/server/qr.js';

const CI = process.env.CI === 'true';

function available(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function requireTool(tool: string, pkg: string): boolean {
  const ok = available(tool);
  if (!ok && !CI) console.warn(`skipping ${tool} cross-checks: ${tool} is not installed (Debian package ${pkg})`);
  return ok || CI;
}

const haveOathtool = requireTool('oathtool', 'oathtool');
const haveZbar = requireTool('zbarimg', 'zbar-tools');

describe.runIf(haveOathtool)('oathtool as an independent TOTP client', () => {
  it('is installed', () => expect(available('oathtool'), 'oathtool missing under CI=true').toBe(true));

  const cases: Array<{ algorithm: TotpAlgorithm; flag: string; digits: number }> = [
    { algorithm: 'SHA1', flag: '--totp', digits: 6 },
    { algorithm: 'SHA1', flag: '--totp', digits: 8 },
    { algorithm: 'SHA256', flag: '--totp=sha256', digits: 8 },
    { algorithm: 'SHA512', flag: '--totp=sha512', digits: 8 },
  ];

  for (const { algorithm, flag, digits } of cases) {
    it(`accepts oathtool ${flag} -d ${digits} codes for a random 20-byte secret`, () => {
      for (let round = 0; round < 3; round++) {
        const key = nodeRandom.bytes(20);
        const secret = base32Encode(key);
        // A random whole second between 2001 and 2100, so runs cover many steps.
        const nowMs = (1_000_000_000 + nodeRandom.int(3_100_000_000)) * 1000;
        const iso = new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const code = execFileSync('oathtool', [flag, '-d', String(digits), '-b', secret, '--now', iso], { encoding: 'utf8' }).trim();
        expect(code).toMatch(new RegExp(`^[0-9]{${digits}}$`));
        expect(verifyTotp({ key, code, nowMs, algorithm, digits })).toEqual({ ok: true, step: timeStep(nowMs, 30) });
      }
    });
  }

  it('agrees with oathtool --hotp on counters past 2^32', () => {
    const key = nodeRandom.bytes(20);
    for (const counter of [2n ** 32n, 2n ** 32n + 12345n, 2n ** 63n + 1n]) {
      const code = execFileSync('oathtool', ['--hotp', '-c', counter.toString(), '-b', base32Encode(key)], { encoding: 'utf8' }).trim();
      expect(hotp(key, counter)).toBe(code);
    }
  });
});

describe.runIf(haveZbar)('zbarimg decodes the setup QR code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twofold-qr-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is installed', () => expect(available('zbarimg'), 'zbarimg missing under CI=true').toBe(true));

  it('round-trips an otpauth URI with encoded characters exactly', async () => {
    const uri = otpauthUri({
      issuer: 'Twofold Test: Zürich',
      account: 'jürgen+2fa@example.com',
      secretBase32: base32Encode(nodeRandom.bytes(20)),
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
    });
    const dataUrl = await qrDataUrl(uri);
    const prefix = 'data:image/png;base64,';
    expect(dataUrl.startsWith(prefix)).toBe(true);
    const png = Buffer.from(dataUrl.slice(prefix.length), 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const file = join(dir, 'qr.png');
    writeFileSync(file, png);
    const decoded = execFileSync('zbarimg', ['--raw', '-q', '--nodbus', file], { encoding: 'utf8' });
    expect(decoded.replace(/\n$/, '')).toBe(uri);
  });
});
