/**
 * The core's CodeSender port over the real mailer and SMS provider: renders the `otp_code`
 * template and sends it at once (the user is waiting; the outbox is for notifications).
 */
import type { CodeSender } from '../core/otp-codes/index.js';
import type { Mailer, SmsSender } from '../core/ports.js';
import { redact } from '../delivery/delivery-error.js';
import { isPermanent, renderMessage } from '../delivery/index.js';
import type { Metrics } from './metrics.js';

export function createCodeSender(io: { mailer: Mailer; sms: SmsSender; metrics: Metrics }): CodeSender {
  return {
    async send(m) {
      // Rendering errors are bugs: they throw (the caller removes the unsent code).
      const r = renderMessage('otp_code', { code: m.code, minutes: m.minutes, purpose: m.purpose, host: m.host, name: m.name });
      try {
        if (m.channel === 'email') await io.mailer.send({ to: m.to, subject: r.subject, text: r.text, html: r.html });
        else await io.sms.send(m.to, r.sms);
      } catch (err) {
        io.metrics.messages.inc({ channel: m.channel, outcome: 'failed' });
        // Senders strip credentials from their errors; a provider echoing the message back
        // must not put the code into the audit trail either.
        const error = redact(err instanceof Error ? err.message : String(err), [m.code]).slice(0, 500);
        return { ok: false, permanent: isPermanent(err), error };
      }
      io.metrics.messages.inc({ channel: m.channel, outcome: 'sent' });
      return { ok: true };
    },
  };
}
