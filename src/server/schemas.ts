import { z } from 'zod';
import { VERIFY_METHODS } from '../core/types.js';

/** Shared request/response schemas; validated once at the edge and published as OpenAPI. */

/** RFC 5321 caps a path at 256 octets, so an address is at most 254 characters. */
export const Email = z.email({ message: 'must be an email address' }).max(254);
/** The upper bound keeps hashing work bounded; core checks the real rules (length, common). */
export const Password = z.string().min(1, 'is required').max(1024, 'is too long');
export const Name = z.string().trim().min(1).max(100);
export const VerifyMethod = z.enum(VERIFY_METHODS as [string, ...string[]]);
export const OneTimeCode = z.string().max(64, 'is too long');
/** WebAuthn responses are JSON objects; @simplewebauthn checks their inside. */
export const Credential = z.record(z.string(), z.unknown());

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    field: z.string().optional(),
  })
  .describe('RFC 9457 problem details');

export const UserSummary = z.object({ id: z.string(), email: z.string(), roles: z.array(z.string()) });

export const TokenResponse = z.object({
  mfa_required: z.literal(false),
  access_token: z.string().optional().describe('omitted in cookie mode'),
  token_type: z.literal('bearer'),
  expires_in: z.number().int(),
  refresh_token: z.string().optional().describe('omitted in cookie mode'),
  user: UserSummary,
  device_token: z.string().optional(),
  enroll_by: z.string().optional(),
  mfa_enrollment_required: z.boolean().optional(),
});

export const MfaRequiredResponse = z.object({
  mfa_required: z.literal(true),
  mfa_token: z.string(),
  methods: z.array(VerifyMethod),
  expires_in: z.number().int(),
});

/** Step-up proof, merged into the body of sensitive requests (API.md "Step-up"). */
export const StepUpFields = {
  method: VerifyMethod.optional(),
  code: OneTimeCode.optional(),
  credential: Credential.optional(),
  password: Password.optional(),
};

export const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, Problem]));

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
