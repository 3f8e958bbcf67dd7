/**
 * The development mailer: prints each message instead of sending it. Printing the code is
 * the whole point here (a developer signs in with it), which is why this is the only place
 * a code may reach a log; production configures SMTP_URL.
 */
import type { Mailer } from '../core/ports.js';

export function createConsoleMailer(write: (line: string) => void): Mailer & { close(): void } {
  return {
    async send(message) {
      write(
        [`--- mail to ${message.to} ---`, `Subject: ${message.subject}`, '', message.text.trimEnd(), '--- end of mail ---'].join('\n'),
      );
    },
    close() {},
  };
}
