import type { Store } from '../core/ports.js';

/** The first data-encryption key id of a fresh installation. */
export const FIRST_KID = 'k0000000001';

/**
 * The keyring's key ids, oldest first, as recorded in the database so every process encrypts
 * under the same current key (`twofold keys rotate` appends one). A fresh database gets the
 * first id recorded; two processes racing to do so insert the same id, which is idempotent.
 */
export async function loadKeyIds(store: Store, now: number): Promise<string[]> {
  let kids = await store.keyIds.list();
  if (kids.length === 0) {
    await store.keyIds.add(FIRST_KID, now);
    kids = await store.keyIds.list();
  }
  return kids;
}
