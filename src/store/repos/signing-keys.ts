import type { Selectable } from 'kysely';
import type { SigningKeysRepo } from '../../core/ports.js';
import type { SigningKey } from '../../core/types.js';
import type { SigningKeysTable } from '../schema.js';
import type { RepoDeps } from './codec.js';

function toKey(r: Selectable<SigningKeysTable>): SigningKey {
  return {
    kid: r.kid,
    alg: r.alg,
    privateEnc: r.private_enc,
    publicJwk: r.public_jwk,
    createdAt: r.created_at,
    retiredAt: r.retired_at,
  };
}

/** Lists are oldest first (creation order): the newest key is the last one. */
export function createSigningKeysRepo({ db }: RepoDeps): SigningKeysRepo {
  return {
    async insert(k) {
      await db
        .insertInto('signing_keys')
        .values({
          kid: k.kid,
          alg: k.alg,
          private_enc: k.privateEnc,
          public_jwk: k.publicJwk,
          created_at: k.createdAt,
          retired_at: k.retiredAt,
        })
        .execute();
    },

    async listActive() {
      const rows = await db
        .selectFrom('signing_keys')
        .selectAll()
        .where('retired_at', 'is', null)
        .orderBy('created_at', 'asc')
        .orderBy('kid', 'asc')
        .execute();
      return rows.map(toKey);
    },

    async retire(kid, at) {
      // The first retirement time stands: retiring twice does not extend a key's publication.
      await db.updateTable('signing_keys').set({ retired_at: at }).where('kid', '=', kid).where('retired_at', 'is', null).execute();
    },

    async updatePrivate(kid, privateEnc) {
      await db.updateTable('signing_keys').set({ private_enc: privateEnc }).where('kid', '=', kid).execute();
    },

    async all() {
      const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at', 'asc').orderBy('kid', 'asc').execute();
      return rows.map(toKey);
    },
  };
}
