import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { fail, ok, type Outcome } from '../result.js';
import type { Store } from '../ports.js';
import { newOpaqueToken, parseOpaqueToken } from '../tokens.js';
import type { Acr, Amr, Ctx, Session, User } from '../types.js';

/** What a successful sign-in (or refresh) hands to the client. */
export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  session: Session;
  user: User;
}

const REFRESH_PURPOSE = 'refresh';

/**
 * A refresh token's row key: the token's time-ordered id (UUIDv7), then the keyed hash of its
 * secret. The ids make the keys of new tokens ascend, so an insert lands on the last page of the
 * key's index instead of a random one: one random page fewer in the commit of every sign-in and
 * refresh (bench/README.md, sixth round). Tokens issued before they had ids, a bare secret, are
 * keyed by the hash of the whole token, as then.
 */
const keyOf = (id: string, secretHash: string): string => `${id}.${secretHash}`;

function refreshKey(deps: CoreDeps, presented: string): string {
  const parsed = parseOpaqueToken(presented);
  return parsed ? keyOf(parsed.id, deps.secrets.hash(REFRESH_PURPOSE, parsed.secret)) : deps.secrets.hash(REFRESH_PURPOSE, presented);
}

async function issueRefresh(deps: CoreDeps, session: Session, now: number, store: Store = deps.store): Promise<string> {
  const t = newOpaqueToken(deps.random, deps.secrets, REFRESH_PURPOSE);
  await store.refreshTokens.insert({
    hash: keyOf(t.id, t.hash),
    sessionId: session.id,
    createdAt: now,
    expiresAt: now + deps.settings.refreshTtlS * 1000,
    usedAt: null,
  });
  return t.token;
}

export interface SessionAuth {
  amr: Amr[];
  acr: Acr;
  mfaVerified: boolean;
  enrollmentOnly?: boolean;
}

/** A recorded session and its first refresh token, before the access token is signed. */
export interface RecordedSession {
  session: Session;
  refreshToken: string;
}

/**
 * Write a new session's rows: the session, the user's last login, the first refresh token.
 * Pass the store of an open transaction (`startSession` opens one; `verifyLoginFactor` adds
 * its own rows to it).
 */
export async function recordSession(deps: CoreDeps, store: Store, user: User, ctx: Ctx, auth: SessionAuth): Promise<RecordedSession> {
  const session: Session = {
    id: deps.random.uuid(),
    userId: user.id,
    createdAt: ctx.now,
    lastUsedAt: ctx.now,
    expiresAt: ctx.now + deps.settings.refreshTtlS * 1000,
    revokedAt: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    amr: auth.amr,
    acr: auth.acr,
    mfaVerifiedAt: auth.mfaVerified ? ctx.now : null,
    enrollmentOnly: auth.enrollmentOnly ?? false,
  };
  await store.sessions.create(session);
  await store.users.setLastLogin(user.id, ctx.now);
  const refreshToken = await issueRefresh(deps, session, ctx.now, store);
  return { session, refreshToken };
}

/** Sign the access token of a recorded session: the grant the client receives. */
export async function grantFor(deps: CoreDeps, user: User, recorded: RecordedSession, now: number): Promise<TokenGrant> {
  const { session, refreshToken } = recorded;
  const { token, expiresIn } = await deps.signer.sign({ sub: user.id, sid: session.id, amr: session.amr, acr: session.acr }, now);
  return { accessToken: token, expiresIn, refreshToken, session, user };
}

/**
 * Start a session for a user who has signed in, and issue its first tokens. The rows go in
 * one transaction: one commit instead of three (on SQLite each commit is a WAL write and a
 * round of file locks; bench/README.md), and never a session without its refresh token. The
 * signature comes after it, so the connection is not held while the key signs.
 */
export async function startSession(deps: CoreDeps, user: User, ctx: Ctx, auth: SessionAuth): Promise<TokenGrant> {
  const recorded = await deps.store.transaction((store) => recordSession(deps, store, user, ctx, auth));
  return grantFor(deps, user, recorded, ctx.now);
}

export function isLive(session: Session | undefined, now: number): session is Session {
  return !!session && session.revokedAt === null && session.expiresAt > now;
}

/**
 * Rotate a refresh token. Each token works once: presenting a used one means it was copied,
 * so the whole session is revoked (OAuth 2.0 Security BCP, RFC 9700 4.14.2).
 */
export async function refreshSession(deps: CoreDeps, presented: string, ctx: Ctx): Promise<Outcome<TokenGrant>> {
  if (typeof presented !== 'string' || presented.length < 20 || presented.length > 200) return fail('unauthenticated', 'refresh token is not valid');
  const key = refreshKey(deps, presented);
  const record = await deps.store.refreshTokens.byHash(key);
  if (!record) return fail('unauthenticated', 'refresh token is not valid');
  const session = await deps.store.sessions.byId(record.sessionId);
  if (!isLive(session, ctx.now) || record.expiresAt <= ctx.now) return fail('unauthenticated', 'session has ended');
  const firstUse = record.usedAt === null && (await deps.store.refreshTokens.markUsed(key, ctx.now));
  if (!firstUse) {
    await deps.store.sessions.revoke(session.id, ctx.now);
    await audit(deps.store, ctx, EVENT.refreshReuse, session.userId, { session_id: session.id });
    return fail('unauthenticated', 'refresh token was already used; the session has been revoked');
  }
  const user = await deps.store.users.byId(session.userId);
  if (!user || user.disabled) return fail('unauthenticated', 'session has ended');
  await deps.store.sessions.touch(session.id, ctx.now);
  const refreshToken = await issueRefresh(deps, session, ctx.now);
  const { token, expiresIn } = await deps.signer.sign({ sub: user.id, sid: session.id, amr: session.amr, acr: session.acr }, ctx.now);
  return ok({ accessToken: token, expiresIn, refreshToken, session, user });
}

export async function endSession(deps: CoreDeps, session: Session, ctx: Ctx): Promise<void> {
  await deps.store.sessions.revoke(session.id, ctx.now);
  await audit(deps.store, ctx, EVENT.logout, session.userId, { session_id: session.id });
}

export async function revokeOwnSession(deps: CoreDeps, userId: string, sessionId: string, ctx: Ctx): Promise<Outcome<void>> {
  const session = await deps.store.sessions.byId(sessionId);
  // Another user's session id answers exactly like an unknown one.
  if (!session || session.userId !== userId || !isLive(session, ctx.now)) return fail('not_found', 'no such session');
  await deps.store.sessions.revoke(sessionId, ctx.now);
  await audit(deps.store, ctx, EVENT.sessionRevoked, userId, { session_id: sessionId });
  return ok(undefined);
}
