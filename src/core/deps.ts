import type {
  Cipher,
  Limiter,
  PasswordHasher,
  Random,
  SecretHasher,
  Store,
  TokenSigner,
} from './ports.js';
import type { Policy } from './types.js';

/** Settings the core needs, parsed and frozen by the server's config. */
export interface CoreSettings {
  /** The origin users see: links in mail, WebAuthn RP. */
  publicUrl: string;
  /** Issuer shown in authenticator apps. */
  issuer: string;
  openRegistration: boolean;
  /** Answer 202 without a hint instead of 409 when a registering email exists. */
  hideExistingEmail: boolean;
  /** @default 900 (API.md: access token 15 minutes) */
  accessTtlS: number;
  /** @default 2592000 (API.md: refresh token 30 days) */
  refreshTtlS: number;
  /** @default 300 (API.md: MFA-pending token 5 minutes) */
  mfaPendingTtlS: number;
  /** @default 3600 (API.md: reset link valid 1 hour) */
  resetTtlS: number;
}

/** Everything a core operation may use; built once by the composition root. */
export interface CoreDeps {
  store: Store;
  random: Random;
  passwords: PasswordHasher & { verifyDummy(password: string): Promise<boolean> };
  secrets: SecretHasher;
  cipher: Cipher;
  signer: TokenSigner;
  limiter: Limiter;
  settings: CoreSettings;
  /** The policy in force (stored in the database, so every process sees a change at once). */
  policy(): Promise<Policy>;
}
