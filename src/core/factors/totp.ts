import type { Factor } from '../auth/factor.js';
import { verifyTotp } from '../otp/index.js';

/** AAD binding a TOTP secret's ciphertext to its method row (the enrolment shares the id). */
export const totpAad = (id: string) => `totp:${id}`;

/**
 * Authenticator apps (RFC 6238). A code is accepted once per time step and method: the step is
 * advanced by one atomic compare-and-set, so neither a replay nor a parallel race can use one
 * code twice (Kratos and better-auth accept a replayed code; Logto's conditional UPDATE is
 * the model here).
 */
export const totpFactor: Factor = {
  method: 'totp',
  inline: true,
  async available(_deps, _user, methods) {
    return methods.some((m) => m.type === 'totp');
  },
  async verify(deps, attempt) {
    const code = attempt.code ?? '';
    let replayed = false;
    for (const m of attempt.methods) {
      if (m.type !== 'totp' || !m.secretEnc) continue;
      const key = deps.cipher.decrypt(m.secretEnc, totpAad(m.id));
      const result = verifyTotp({
        key,
        code,
        nowMs: attempt.ctx.now,
        periodS: m.totpPeriod ?? 30,
        digits: m.totpDigits ?? 6,
        algorithm: m.totpAlgorithm ?? 'SHA1',
        lastStep: m.lastStep,
      });
      key.fill(0);
      if (result.ok) {
        if (await deps.store.methods.advanceTotpStep(m.id, result.step, attempt.ctx.now)) {
          return { ok: true, amr: ['otp'], acr: 'aal2', methodId: m.id };
        }
        replayed = true;
      } else if (result.reason === 'replayed') replayed = true;
      else if (result.reason === 'malformed') break;
    }
    return { ok: false, reason: replayed ? 'replayed' : 'invalid' };
  },
};
