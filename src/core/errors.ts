/**
 * The stable machine codes of every expected failure (API.md "Conventions").
 * The server maps each one to an HTTP status in one exhaustive table, so adding a code here
 * does not compile until it is mapped there.
 */
export const ERROR_CODES = [
  'validation_failed',
  'invalid_credentials',
  'unauthenticated',
  'mfa_token_invalid',
  'invalid_code',
  'step_up_required',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'policy_violation',
  'delivery_failed',
  'delivery_unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];
