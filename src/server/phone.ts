/**
 * Phone numbers for SMS codes: E.164 (ITU-T E.164, `+` and the country code), checked with
 * libphonenumber-js's full metadata (`/max`), which knows each country's number ranges; the
 * default metadata only checks lengths.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';

type PhoneLib = typeof import('libphonenumber-js/max');
let phoneLib: PhoneLib | undefined;

/**
 * The library, loaded at the first phone number this process checks: its metadata takes about
 * 2 MB of heap, for a factor many deployments never enable, and the service's memory budget
 * is tight (bench/README.md). Synchronous (its CommonJS build), since zod refinements are.
 */
function lib(): PhoneLib {
  return (phoneLib ??= createRequire(import.meta.url)('libphonenumber-js/max') as PhoneLib);
}

/**
 * The E.164 form of a number given in international form, or null when it is not a valid
 * number. Spaces and punctuation ("+1 (415) 555-2671") are tolerated; a national form
 * ("0612345678") is not, since the country would be a guess.
 */
export function toE164(input: string): string | null {
  const s = input.trim();
  if (!s.startsWith('+')) return null;
  const parsed = lib().parsePhoneNumberFromString(s);
  return parsed?.isValid() ? parsed.number : null;
}

export const PhoneNumber = z
  .string()
  .max(40, 'is too long')
  .refine((v) => toE164(v) !== null, {
    message: 'must be a valid phone number in international E.164 form: + then the country code (e.g. +14155552671)',
  })
  .describe('E.164, e.g. +14155552671');
