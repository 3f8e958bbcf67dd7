import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { qrDataUrl, qrPng } from '../../src/server/qr.js';

/** The PNG's chunks, checked for well-formedness on the way. */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const out: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    out.push({ type: png.toString('ascii', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + len) });
    at += 12 + len;
  }
  return out;
}

describe('QR code PNG', () => {
  it('draws each module as a 6x6 block inside a 4-module white margin, 1 bit per pixel', () => {
    const size = 5;
    const dark = (x: number, y: number) => (x + 2 * y) % 3 === 0;
    const parts = chunks(qrPng(size, dark));
    expect(parts.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = parts[0]!.data;
    const px = (size + 8) * 6;
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]]).toEqual([px, px, 1, 0, 0, 0, 0]);
    const raw = inflateSync(parts[1]!.data);
    const rowBytes = 1 + Math.ceil(px / 8);
    expect(raw.length).toBe(rowBytes * px);
    for (let y = 0; y < px; y++) {
      expect(raw[y * rowBytes]).toBe(0);
      for (let x = 0; x < px; x++) {
        const white = (raw[y * rowBytes + 1 + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
        const mx = Math.floor(x / 6) - 4;
        const my = Math.floor(y / 6) - 4;
        const inside = mx >= 0 && mx < size && my >= 0 && my < size;
        expect(white, `pixel ${x},${y}`).toBe(!(inside && dark(mx, my)));
      }
    }
  });

  it('is a data URL of a PNG sized for the symbol the text needs', async () => {
    const url = await qrDataUrl('otpauth://totp/Twofold:a%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Twofold');
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    const ihdr = chunks(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'))[0]!.data;
    // 77 bytes at level M need version 5: 37 modules, plus the margins.
    expect(ihdr.readUInt32BE(0)).toBe((37 + 8) * 6);
  });
});
