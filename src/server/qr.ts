/** QR codes for TOTP setup (API.md `POST /mfa/totp/setup` → `qr_code`). */
import { crc32, deflateSync } from 'node:zlib';

/** Pixels per module: a 41-module symbol (version 4 with its quiet zone) is 246 px square. */
const SCALE = 6;
/** The QR standard's (ISO/IEC 18004) minimum quiet zone, in modules. */
const MARGIN = 4;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A black-and-white PNG (1 bit per pixel, grayscale) of a square module matrix: `dark(x, y)`
 * for x, y in [0, size). The qrcode package's own PNG is RGBA at 8 bits per channel, 32 times
 * the pixel data, and deflates it with zlib's default 256 KB state on every enrolment; this one
 * deflates about 8 KB of rows with a 4 KB window.
 */
export function qrPng(size: number, dark: (x: number, y: number) => boolean): Buffer {
  const px = (size + 2 * MARGIN) * SCALE;
  const rowBytes = 1 + Math.ceil(px / 8);
  const raw = Buffer.alloc(rowBytes * px, 0xff);
  for (let y = 0; y < px; y++) {
    raw[y * rowBytes] = 0; // filter type None
    const my = Math.floor(y / SCALE) - MARGIN;
    if (my < 0 || my >= size) continue;
    for (let x = 0; x < px; x++) {
      const mx = Math.floor(x / SCALE) - MARGIN;
      if (mx >= 0 && mx < size && dark(mx, my)) raw[y * rowBytes + 1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px, 0);
  ihdr.writeUInt32BE(px, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // colour type: grayscale; compression, filter and interlace methods stay 0
  const idat = deflateSync(raw, { level: 9, windowBits: 12, memLevel: 4 });
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A `data:image/png;base64,...` URL of `text` as a QR code. Error correction M (15 % of the
 * symbol recoverable) is the usual choice for screens: sturdier than L, smaller than Q/H.
 */
export async function qrDataUrl(text: string): Promise<string> {
  // Loaded on first use: only TOTP setup draws QR codes.
  const { default: QRCode } = await import('qrcode');
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const png = qrPng(modules.size, (x, y) => modules.data[y * modules.size + x] === 1);
  return `data:image/png;base64,${png.toString('base64')}`;
}
