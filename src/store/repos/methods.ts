import type { Selectable } from 'kysely';
import type { MethodsRepo } from '../../core/ports.js';
import type { MfaMethod, MfaMethodType, TotpAlgorithm } from '../../core/types.js';
import type { MfaMethodsTable } from '../schema.js';
import { affected, inTransaction, lockUser, parseJsonOrNull, toBoolOrNull, type RepoDeps } from './codec.js';
import { prepared } from './prepared.js';

function toMethod(r: Selectable<MfaMethodsTable>): MfaMethod {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type as MfaMethodType,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    secretEnc: r.secret_enc,
    totpAlgorithm: r.totp_algorithm as TotpAlgorithm | null,
    totpDigits: r.totp_digits,
    totpPeriod: r.totp_period,
    lastStep: r.last_step,
    destination: r.destination,
    credentialId: r.credential_id,
    publicKey: r.public_key,
    signCount: r.sign_count,
    transports: parseJsonOrNull<string[]>(r.transports),
    aaguid: r.aaguid,
    deviceType: r.device_type,
    backedUp: toBoolOrNull(r.backed_up),
  };
}

// Every verification reads the user's methods and advances a TOTP step: compiled once (prepared.ts).
const selectForUser = prepared((db, userId: string) =>
  db.selectFrom('mfa_methods').selectAll().where('user_id', '=', userId).orderBy('created_at', 'asc').orderBy('id', 'asc'),
);
// RFC 6238 5.2: a code is accepted once. The step moves only forward, in one statement, so a
// replay of the same (or an older) step loses even when it races the first use.
const advanceStep = prepared((db, id: string, step: number, now: number) =>
  db
    .updateTable('mfa_methods')
    .set({ last_step: step, last_used_at: now })
    .where('id', '=', id)
    .where('type', '=', 'totp')
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)])),
);

export function createMethodsRepo(deps: RepoDeps): MethodsRepo {
  const { db, dialect } = deps;
  return {
    async insert(m) {
      await db
        .insertInto('mfa_methods')
        .values({
          id: m.id,
          user_id: m.userId,
          type: m.type,
          name: m.name,
          created_at: m.createdAt,
          last_used_at: m.lastUsedAt,
          secret_enc: m.secretEnc,
          totp_algorithm: m.totpAlgorithm,
          totp_digits: m.totpDigits,
          totp_period: m.totpPeriod,
          last_step: m.lastStep,
          destination: m.destination,
          credential_id: m.credentialId,
          public_key: m.publicKey,
          sign_count: m.signCount,
          transports: m.transports === null ? null : JSON.stringify(m.transports),
          aaguid: m.aaguid,
          device_type: m.deviceType,
          backed_up: m.backedUp === null ? null : m.backedUp ? 1 : 0,
        })
        .execute();
    },

    async byId(id) {
      const r = await db.selectFrom('mfa_methods').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toMethod(r);
    },

    /** In enrolment order. */
    async listForUser(userId) {
      return (await selectForUser(deps, userId)).rows.map(toMethod);
    },

    async byCredentialId(credentialId) {
      const r = await db.selectFrom('mfa_methods').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return r && toMethod(r);
    },

    async rename(id, name) {
      await db.updateTable('mfa_methods').set({ name }).where('id', '=', id).execute();
    },

    async delete(id) {
      return affected(await db.deleteFrom('mfa_methods').where('id', '=', id).executeTakeFirst()) === 1;
    },

    async deleteOwned(id, userId, keepOne) {
      const last = new Error('last method');
      try {
        return await inTransaction(db, async (trx) => {
          // Lock first on PostgreSQL; on SQLite the DELETE makes this the one writer.
          await lockUser(trx, dialect, userId);
          const n = affected(await trx.deleteFrom('mfa_methods').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst());
          const row = await trx.selectFrom('mfa_methods').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
          const remaining = Number(row.n);
          if (n === 0) return { outcome: 'not_found' as const, remaining };
          if (keepOne && remaining === 0) throw last;
          return { outcome: 'deleted' as const, remaining };
        });
      } catch (err) {
        if (err === last) return { outcome: 'last' as const, remaining: 1 };
        throw err;
      }
    },

    async deleteAllForUser(userId) {
      return affected(await db.deleteFrom('mfa_methods').where('user_id', '=', userId).executeTakeFirst());
    },

    async touch(id, now) {
      await db.updateTable('mfa_methods').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    async advanceTotpStep(id, step, now) {
      return affected(await advanceStep(deps, id, step, now)) === 1;
    },

    async updateSignCount(id, expected, next, now) {
      // WebAuthn L3 6.1.1: a counter that did not move as expected hints at a cloned
      // authenticator; the compare-and-set lets exactly one of racing assertions through.
      const r = await db
        .updateTable('mfa_methods')
        .set({ sign_count: next, last_used_at: now })
        .where('id', '=', id)
        .where('sign_count', '=', expected)
        .executeTakeFirst();
      return affected(r) === 1;
    },

    async updateSecret(id, secretEnc) {
      await db.updateTable('mfa_methods').set({ secret_enc: secretEnc }).where('id', '=', id).execute();
    },

    async listWithSecrets() {
      const rows = await db
        .selectFrom('mfa_methods')
        .select(['id', 'user_id', 'secret_enc'])
        .where('secret_enc', 'is not', null)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, userId: r.user_id, secretEnc: r.secret_enc }));
    },

    async countByType() {
      const rows = await db
        .selectFrom('mfa_methods')
        .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('type')
        .execute();
      return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    },

    async typesForUsers(userIds) {
      if (userIds.length === 0) return {};
      const rows = await db
        .selectFrom('mfa_methods')
        .select(['user_id', 'type'])
        .distinct()
        .where('user_id', 'in', userIds)
        .orderBy('user_id')
        .orderBy('type')
        .execute();
      const out: Record<string, MfaMethodType[]> = {};
      for (const r of rows) (out[r.user_id] ??= []).push(r.type as MfaMethodType);
      return out;
    },

    async usersWithMfa() {
      const r = await db
        .selectFrom('mfa_methods')
        .select((eb) => eb.fn.count<number>('user_id').distinct().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
