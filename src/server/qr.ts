/** QR codes for TOTP setup (API.md `POST /mfa/totp/setup` → `qr_code`). */

/**
 * A `data:image/png;base64,...` URL of `text` as a QR code. Error correction M (15 % of the
 * symbol recoverable) is the usual choice for screens: sturdier than L, smaller than Q/H.
 * The 4-module quiet zone is the QR standard's (ISO/IEC 18004) minimum.
 */
export async function qrDataUrl(text: string): Promise<string> {
  // Loaded on first use: only TOTP setup draws QR codes.
  const { default: QRCode } = await import('qrcode');
  return QRCode.toDataURL(text, { type: 'image/png', errorCorrectionLevel: 'M', margin: 4, scale: 6 });
}
