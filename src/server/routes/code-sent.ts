import { z } from 'zod';
import { isCodeFactor, type CodeFactor, type CodeSent } from '../../core/otp-codes/index.js';
import type { OtpChannel } from '../../core/types.js';
import type { ServerDeps } from '../deps.js';

/** The 202 answer of every request that sends an email or SMS code. */
export const CodeSentResponse = z.object({
  sent: z.literal(true),
  expires_in: z.number().int().describe('seconds the code is valid'),
});

export const codeSentJson = (s: CodeSent): z.infer<typeof CodeSentResponse> => ({ sent: true, expires_in: s.expiresIn });

/** Where codes of a channel leave: the registered factor carries its sender. */
export function codeFactorOf(deps: ServerDeps, channel: OtpChannel): CodeFactor {
  const f = deps.registry.get(channel);
  if (!isCodeFactor(f)) throw new Error(`no ${channel} code factor is registered`);
  return f;
}

/** What every code-sending route documents in the OpenAPI file. */
export const SEND_DESCRIPTION = [
  'The code has 6 digits, is valid 10 minutes (never longer than the sign-in it belongs to: `expires_in` says), allows 5 tries and works once;',
  'a new one replaces the previous one without resetting its tries.',
  'At most one send per 30 s and 3 per hour per user: 429 `rate_limited` with Retry-After, and nothing is sent.',
  'A provider that refuses the message is 502 `delivery_failed` (check the address or number); one that cannot be reached is 503 `delivery_unavailable` (try again);',
  'either way no code is left behind.',
  'For `/auth/mfa/challenge`, an invalid mfa_token is 401 `mfa_token_invalid`, and a method the account has not enrolled (or policy has switched off) is 400 `validation_failed` naming `method`.',
].join(' ');

/** Every status a code-sending route may answer besides its success. */
export const SEND_PROBLEMS = [400, 401, 403, 429, 502, 503] as const;
