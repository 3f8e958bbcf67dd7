/** WebAuthn (W3C WebAuthn Level 3): registration, sign-in options, assertions, passkeys. */
export { checkAssertion, type AssertionResult } from './assertion.js';
export { issueChallenge, takeChallenge, type ChallengeBinding } from './challenges.js';
export { loginOptions, passkeyOptions, registrationOptions, stepUpOptions, userHandleOf } from './options.js';
export { passkeyLogin } from './passkey-login.js';
export { confirmRegistration } from './registration.js';
export { CHALLENGE_BYTES, CHALLENGE_TTL_MS, relyingParty, type RelyingParty } from './relying-party.js';
export { clientChallenge, readAssertion, readAttestation } from './response-json.js';
