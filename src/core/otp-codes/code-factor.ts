/**
 * The shape shared by the email and SMS factors: a `Factor` that must send a code before it
 * can verify one, and carries the sender it sends through.
 */
import type { Factor, FactorRejection } from '../auth/factor.js';
import type { Acr, Amr, MfaMethod, OtpChannel } from '../types.js';
import type { CodeSender } from './sender.js';
import { checkCode, type CodeRejection } from './verify.js';

export interface CodeFactor extends Factor {
  method: OtpChannel;
  /** How this factor's codes leave (built by the server from the mailer or SMS provider). */
  sender: CodeSender;
  /** The enrolled method a login or step-up code goes to: the one named, else the oldest. */
  methodFor(methods: MfaMethod[], methodId?: string): MfaMethod | undefined;
}

export function isCodeFactor(f: Factor | undefined): f is CodeFactor {
  return !!f && (f.method === 'email' || f.method === 'sms') && 'sender' in f && 'methodFor' in f;
}

/** The factor-level answer: every rejection looks the same to the caller anyway. */
const REJECTION: Record<CodeRejection, FactorRejection> = { none: 'invalid', wrong: 'invalid', used_up: 'expired', replayed: 'replayed' };

export interface CodeFactorOptions {
  channel: OtpChannel;
  /** RFC 8176 values this factor contributes to the access token. */
  amr: Amr[];
  acr: Acr;
  sender: CodeSender;
}

export function createCodeFactor(opts: CodeFactorOptions): CodeFactor {
  const { channel } = opts;
  const enrolled = (methods: MfaMethod[]) => methods.filter((m) => m.type === channel && m.destination);
  return {
    method: channel,
    inline: true,
    sender: opts.sender,
    methodFor(methods, methodId) {
      const own = enrolled(methods);
      return methodId === undefined ? own[0] : own.find((m) => m.id === methodId);
    },
    async available(_deps, _user, methods) {
      return enrolled(methods).length > 0;
    },
    async verify(deps, attempt) {
      const checked = await checkCode(deps, {
        userId: attempt.user.id,
        channel,
        purpose: attempt.purpose,
        pendingId: attempt.purpose === 'login' ? attempt.pendingId : null,
        code: attempt.code ?? '',
        now: attempt.ctx.now,
      });
      if (!checked.ok) return { ok: false, reason: REJECTION[checked.reason], details: { code_check: checked.reason } };
      // The code proves the destination it went to; that must still be an enrolled method.
      const method = enrolled(attempt.methods).find((m) => m.destination === checked.challenge.destination);
      if (!method) return { ok: false, reason: 'not_enrolled' };
      await deps.store.methods.touch(method.id, attempt.ctx.now);
      return { ok: true, amr: opts.amr, acr: opts.acr, methodId: method.id };
    },
  };
}
