/** node:crypto implementations of the core's crypto ports, and the master key they derive from. */
export { nodeRandom } from './random.js';
export { createPasswordHasher, ARGON2_DEFAULTS } from './password-hasher.js';
export type { PasswordHasherOptions, ServerPasswordHasher } from './password-hasher.js';
export { loadMasterKey, MASTER_KEY_MIN_BYTES, SECRET_KEY_FILE } from './master-key.js';
export type { LoadMasterKeyOptions } from './master-key.js';
export { createSecretHasher } from './secret-hasher.js';
export { createKeyring, newKid, DecryptError } from './keyring.js';
export type { Keyring } from './keyring.js';
