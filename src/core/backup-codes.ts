/**
 * Backup (recovery) codes: single-use codes a user keeps on paper for when every other factor
 * is lost. They are shown once and stored only as keyed hashes (the caller hashes them).
 */
import type { Random } from './ports.js';

/**
 * 32 symbols, so each is exactly 5 bits and `random.int(32)` draws them without bias.
 * Lower-case letters and digits without the classic look-alikes 1/i/l and o: it is the 31
 * symbols `23456789abcdefghjkmnpqrstuvwxyz` plus `0`, which is unambiguous once `o` is gone
 * (codes are shown in lower case, where `0` is taller than `o`). Look-alikes are refused,
 * not mapped, so a code has exactly one spelling.
 */
export const BACKUP_CODE_ALPHABET = '023456789abcdefghjkmnpqrstuvwxyz';

/** Symbols per code: 10 × 5 bits = 50 bits (API.md "Defaults": >= 50 bits each). */
export const BACKUP_CODE_LENGTH = 10;
export const BACKUP_CODE_BITS = BACKUP_CODE_LENGTH * Math.log2(BACKUP_CODE_ALPHABET.length);

/** API.md "Defaults": 10 codes. */
export const BACKUP_CODE_COUNT = 10;

const GROUP = BACKUP_CODE_LENGTH / 2;
const SHAPE = new RegExp(`^[${BACKUP_CODE_ALPHABET}]{${BACKUP_CODE_LENGTH}}$`);

/**
 * `count` distinct codes, each shown as two groups of five (`k7f3q-9xm2p`).
 * @param count @default 10
 */
export function generateBackupCodes(random: Random, count: number = BACKUP_CODE_COUNT): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`backup code count must be a positive integer, got ${count}`);
  const codes = new Set<string>();
  // A repeat within one set is vanishingly rare at 50 bits, but two equal codes would make
  // one of them unusable (single use by hash), so draw again rather than hand it out.
  while (codes.size < count) {
    let raw = '';
    for (let i = 0; i < BACKUP_CODE_LENGTH; i++) raw += BACKUP_CODE_ALPHABET[random.int(BACKUP_CODE_ALPHABET.length)];
    codes.add(`${raw.slice(0, GROUP)}-${raw.slice(GROUP)}`);
  }
  return [...codes];
}

/**
 * The canonical form (10 lower-case symbols, no dash) of what a user typed, or null if it
 * cannot be a backup code. Accepts any case, surrounding whitespace and the dash between
 * the two groups (API.md "accepted with or without the dash and in any case"). Hash this
 * form, both when storing and when checking.
 */
export function normalizeBackupCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  // ASCII-only case folding: String#toLowerCase would turn e.g. the Kelvin sign into "k".
  let code = input.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (code.length === BACKUP_CODE_LENGTH + 1 && code[GROUP] === '-') code = code.slice(0, GROUP) + code.slice(GROUP + 1);
  return SHAPE.test(code) ? code : null;
}
