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

/** Every status a code-sending route may answer besides its success. */
export const SEND_PROBLEMS = [400, 401, 403, 429, 502, 503] as const;
