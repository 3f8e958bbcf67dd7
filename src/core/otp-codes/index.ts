/** Email and SMS one-time codes: issue and send, check, enrol, and the factor shape. */
export { CODE_DIGITS, CODE_MAX_TRIES, CODE_TTL_MS } from './constants.js';
export type { CodeDelivery, CodeMessage, CodeSender } from './sender.js';
export { sendCode, destinationHint } from './issue.js';
export type { CodeRequest, CodeSent } from './issue.js';
export { checkCode } from './verify.js';
export type { CodeCheck, CodeRejection } from './verify.js';
export { createCodeFactor, isCodeFactor } from './code-factor.js';
export type { CodeFactor, CodeFactorOptions } from './code-factor.js';
export { sendLoginCode, sendStepUpCode } from './challenge.js';
export type { LoginCodeInput } from './challenge.js';
export { startCodeEnrollment, confirmCodeEnrollment } from './enroll.js';
