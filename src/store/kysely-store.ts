/**
 * The Store port over Kysely: one implementation for SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../core/ports.js';
import type { Database, Dialect } from './schema.js';
import { createBackupCodesRepo } from './repos/backup-codes.js';
import type { RepoDeps } from './repos/codec.js';
import { runDirectly } from './repos/prepared.js';
import type { SqliteGroupCommit } from './sqlite-group-commit.js';
import { createEnforcementRepo } from './repos/enforcement.js';
import { createEventsRepo } from './repos/events.js';
import { createKeyIdsRepo } from './repos/key-ids.js';
import { createMethodsRepo } from './repos/methods.js';
import { createMfaPendingRepo } from './repos/mfa-pending.js';
import { createOtpChallengesRepo } from './repos/otp-challenges.js';
import { createOutboxRepo } from './repos/outbox.js';
import { createPasswordResetsRepo } from './repos/password-resets.js';
import { createPolicyRepo } from './repos/policy.js';
import { createPurgeRepo } from './repos/purge.js';
import { createRefreshTokensRepo } from './repos/refresh-tokens.js';
import { createSessionsRepo } from './repos/sessions.js';
import { createSigningKeysRepo } from './repos/signing-keys.js';
import { createStatsRepo } from './repos/stats.js';
import { createTotpEnrollmentsRepo } from './repos/totp-enrollments.js';
import { createTrustedDevicesRepo } from './repos/trusted-devices.js';
import { createUsersRepo } from './repos/users.js';
import { createWebAuthnChallengesRepo } from './repos/webauthn-challenges.js';

/**
 * Build a Store on `db`. When `db` is a transaction, every repository runs in it, `transaction`
 * joins it (Kysely has no nested transactions) and `close` does nothing.
 *
 * @param close what `close()` does for a root store (the opener owns the pool or file).
 */
export function createKyselyStore(db: Kysely<Database>, dialect: Dialect, close: () => Promise<void> = async () => {}, sqlite?: SqliteGroupCommit): Store {
  const deps: RepoDeps = { db, dialect };
  // The root handle's queries run as a connection of their own (the same as Kysely's
  // per-query connections: never the holder of a store transaction).
  if (sqlite && !db.isTransaction) {
    const outside = {};
    runDirectly(db, (query) => sqlite.execute(outside, query));
  }
  const store: Store = {
    purge: createPurgeRepo(deps),
    keyIds: createKeyIdsRepo(deps),
    users: createUsersRepo(deps),
    sessions: createSessionsRepo(deps),
    refreshTokens: createRefreshTokensRepo(deps),
    mfaPending: createMfaPendingRepo(deps),
    passwordResets: createPasswordResetsRepo(deps),
    events: createEventsRepo(deps),
    signingKeys: createSigningKeysRepo(deps),
    methods: createMethodsRepo(deps),
    totpEnrollments: createTotpEnrollmentsRepo(deps),
    backupCodes: createBackupCodesRepo(deps),
    otpChallenges: createOtpChallengesRepo(deps),
    trustedDevices: createTrustedDevicesRepo(deps),
    webauthnChallenges: createWebAuthnChallengesRepo(deps),
    policy: createPolicyRepo(deps),
    outbox: createOutboxRepo(deps),
    enforcement: createEnforcementRepo(deps),
    stats: createStatsRepo(deps),

    // Inside `fn`, use only `tx`: on SQLite the one connection is held by the transaction, so a
    // query through the outer store would wait for it forever.
    transaction(fn) {
      if (db.isTransaction) return fn(store);
      return db.transaction().execute((trx) => {
        if (sqlite) {
          // The driver has just begun this transaction on its connection, which holds the
          // one SQLite connection until it ends: that is the handle its queries run as.
          const handle = sqlite.unitHandle;
          if (handle) runDirectly(trx, (query) => sqlite.execute(handle, query));
        }
        return fn(createKyselyStore(trx, dialect, undefined, sqlite));
      });
    },

    async ping() {
      await sql`select 1`.execute(db);
    },

    close: db.isTransaction ? async () => {} : close,
  };
  return store;
}
