import { audit, EVENT } from '../audit.js';
import type { CoreDeps } from '../deps.js';
import { notifyUser } from '../notify.js';
import { fail, ok, type Outcome } from '../result.js';
import { newOpaqueToken, parseOpaqueToken } from '../tokens.js';
import type { Ctx, TrustedDevice, User } from '../types.js';
import { deviceName } from './device-name.js';

const PURPOSE = 'trusted_device';
const DAY_MS = 86_400_000;

/** Remember this browser: a `id.secret` token whose secret is stored only as a keyed hash. */
export async function trustDevice(deps: CoreDeps, user: User, ctx: Ctx): Promise<{ token: string; device: TrustedDevice }> {
  const policy = await deps.policy();
  const t = newOpaqueToken(deps.random, deps.secrets, PURPOSE);
  const device: TrustedDevice = {
    id: t.id,
    userId: user.id,
    secretHash: t.hash,
    name: deviceName(ctx.userAgent),
    createdAt: ctx.now,
    lastUsedAt: ctx.now,
    expiresAt: ctx.now + policy.trusted_device_days * DAY_MS,
    revokedAt: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  };
  await deps.store.trustedDevices.create(device);
  await audit(deps.store, ctx, EVENT.deviceTrusted, user.id, { device_id: device.id, name: device.name });
  await notifyUser(deps, user, 'trusted_device_added', ctx, { deviceName: device.name });
  return { token: t.token, device };
}

/**
 * Whether a presented device token lets this user skip the second factor. Any other answer
 * (another user's token, tampered, expired, revoked) falls back to asking for the factor, and
 * is audited.
 */
export async function checkTrustedDevice(deps: CoreDeps, user: User, token: unknown, ctx: Ctx): Promise<boolean> {
  if (token === undefined || token === null || token === '') return false;
  const parsed = parseOpaqueToken(token);
  const device = parsed ? await deps.store.trustedDevices.byId(parsed.id) : undefined;
  const good =
    !!parsed &&
    !!device &&
    device.userId === user.id &&
    device.revokedAt === null &&
    device.expiresAt > ctx.now &&
    deps.secrets.verify(PURPOSE, parsed.secret, device.secretHash);
  if (!good) {
    await audit(deps.store, ctx, EVENT.deviceRejected, user.id, { device_id: device?.id ?? null });
    return false;
  }
  await deps.store.trustedDevices.touch(device!.id, ctx.now);
  return true;
}

export async function revokeTrustedDevice(deps: CoreDeps, userId: string, id: string, ctx: Ctx): Promise<Outcome<void>> {
  const done = await deps.store.trustedDevices.revoke(id, userId, ctx.now);
  if (!done) return fail('not_found', 'no such trusted device');
  await audit(deps.store, ctx, EVENT.deviceRevoked, userId, { device_id: id });
  return ok(undefined);
}

export async function revokeAllTrustedDevices(deps: CoreDeps, userId: string, ctx: Ctx, reason: string): Promise<number> {
  const n = await deps.store.trustedDevices.revokeAllForUser(userId, ctx.now);
  if (n > 0) await audit(deps.store, ctx, EVENT.deviceRevoked, userId, { all: true, count: n, reason });
  return n;
}
