/**
 * The development SMS sender: prints the text. As with the console mailer, showing the code
 * is its purpose; production sets SMS_PROVIDER to twilio or webhook.
 */
import type { SmsSender } from '../core/ports.js';

export function createConsoleSmsSender(write: (line: string) => void): SmsSender {
  return {
    async send(to, body) {
      write([`--- sms to ${to} ---`, body, '--- end of sms ---'].join('\n'));
    },
  };
}
