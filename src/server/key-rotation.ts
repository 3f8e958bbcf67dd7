import { audit, EVENT } from '../core/audit.js';
import { totpAad } from '../core/factors/totp.js';
import type { Ctx } from '../core/types.js';
import { newKid, type Keyring } from './crypto/index.js';
import type { ServerDeps } from './deps.js';

/** What `twofold keys rotate` did. */
export interface KeyRotation {
  /** The new data-encryption key id (now current). */
  kid: string;
  /** The new access-token signing key id. */
  signingKid: string;
  /** TOTP methods re-encrypted. */
  methods: number;
  /** Pending TOTP enrolments re-encrypted. */
  enrollments: number;
  /** Signing keys whose private half was re-encrypted. */
  signingKeys: number;
}

/** The AAD of a signing key's private half (the same as `auth/jwt-keys.ts` seals it with). */
const signingKeyAad = (kid: string) => `signing-key:${kid}`;

/**
 * Rotate every key without downtime (`twofold keys rotate`): record a new data-encryption key id
 * (the last recorded id is the one every process encrypts under), re-encrypt each stored secret
 * under it, and start a new access-token signing key (the old ones stay published for a grace
 * period, so tokens already issued keep verifying).
 *
 * Old key ids are never dropped: every kid is derived from the master key, so a process that
 * has not yet picked up the new id (compose.ts refreshes every minute) keeps reading and
 * writing envelopes that stay valid; a later rotation re-encrypts whatever it wrote meanwhile.
 * Each row is re-encrypted on its own (no long transaction): a crash midway leaves every row
 * readable, and running the command again finishes the job.
 */
export async function rotateKeys(deps: ServerDeps, now: number, ctx: Ctx = { now, ip: null, userAgent: 'twofold keys rotate' }): Promise<KeyRotation> {
  const { store, random } = deps.core;
  const cipher = deps.keyring;
  const kid = newKid(random);
  await store.keyIds.add(kid, now);
  cipher.setKids(await store.keyIds.list());

  const reseal = (envelope: string, aad: string): string => {
    const plain = cipher.decrypt(envelope, aad);
    try {
      return cipher.encrypt(plain, aad);
    } finally {
      plain.fill(0);
    }
  };

  let methods = 0;
  for (const m of await store.methods.listWithSecrets()) {
    if (!m.secretEnc || !cipher.needsRotation(m.secretEnc)) continue;
    await store.methods.updateSecret(m.id, reseal(m.secretEnc, totpAad(m.id)));
    methods++;
  }
  let enrollments = 0;
  for (const e of await store.totpEnrollments.listWithSecrets()) {
    if (!cipher.needsRotation(e.secretEnc)) continue;
    await store.totpEnrollments.updateSecret(e.id, reseal(e.secretEnc, totpAad(e.id)));
    enrollments++;
  }
  let signingKeys = 0;
  for (const k of await store.signingKeys.all()) {
    if (!cipher.needsRotation(k.privateEnc)) continue;
    await store.signingKeys.updatePrivate(k.kid, reseal(k.privateEnc, signingKeyAad(k.kid)));
    signingKeys++;
  }
  // Sealed under the new kid, since the keyring's current kid is already the new one.
  const signingKid = await deps.jwt.rotate(now);

  await audit(store, ctx, EVENT.keysRotated, null, { kid, signing_kid: signingKid, methods, enrollments, signing_keys: signingKeys });
  return { kid, signingKid, methods, enrollments, signingKeys };
}

const ENVELOPE_KID = /^v1\.([A-Za-z0-9_-]{1,64})\./;

/**
 * The keyring of a running process, made to follow rotations done elsewhere. Right after
 * `twofold keys rotate` in another process, the secrets are sealed under a key id this process
 * has not read yet (it re-reads the ids every minute): without this, every TOTP check would fail
 * until then. Every key id is derived from the master key and GCM authenticates the envelope,
 * so opening one under an id met in our own database is safe; the id is learnt as an older one,
 * and only `setKids` (the refresh) changes the id new envelopes are sealed under.
 */
export function followRotations(inner: Keyring, kids: string[]): Keyring {
  let known = [...kids];
  return {
    currentKid: () => inner.currentKid(),
    needsRotation: (envelope) => inner.needsRotation(envelope),
    encrypt: (plaintext, aad) => inner.encrypt(plaintext, aad),
    setKids(next) {
      inner.setKids(next);
      known = [...next];
    },
    decrypt(envelope, aad) {
      const kid = typeof envelope === 'string' ? ENVELOPE_KID.exec(envelope)?.[1] : undefined;
      if (kid === undefined || known.includes(kid)) return inner.decrypt(envelope, aad);
      const before = known;
      // Prepended: the last id stays the current one.
      known = [kid, ...known];
      inner.setKids(known);
      try {
        return inner.decrypt(envelope, aad);
      } catch (err) {
        // A forged or corrupt envelope: do not keep its id.
        known = before;
        inner.setKids(known);
        throw err;
      }
    },
  };
}
