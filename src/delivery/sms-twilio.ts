/**
 * SMS through Twilio's Messages API (2010-04-01), or anything that speaks it:
 * `POST {apiBase}/2010-04-01/Accounts/{AccountSid}/Messages.json`, a form-encoded body with
 * `To` (E.164), `From` and `Body`, HTTP Basic auth with the Account SID and Auth Token.
 * Twilio answers 201 with the message resource, or an error document
 * `{code, message, more_info, status}`; we surface `code` and `message`, never the token.
 */
import type { SmsSender } from '../core/ports.js';
import { DeliveryError, describeFetchError, redact } from './delivery-error.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio number in E.164, an alphanumeric sender ID, or a Messaging Service SID (`MG...`). */
  from: string;
  /** Where the API lives; tests point it at a local stand-in. @default 'https://api.twilio.com' */
  apiBase?: string;
  fetchImpl?: typeof fetch;
  /** @default 10000 */
  timeoutMs?: number;
}

interface TwilioErrorBody {
  code?: number | string;
  message?: string;
}

export function createTwilioSender(opts: TwilioOptions): SmsSender {
  const base = (opts.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '');
  const endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`;
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const secrets = [opts.authToken];
  // A Messaging Service picks the sender itself and is named by its own parameter.
  const fromField = /^MG[0-9a-f]{32}$/i.test(opts.from) ? 'MessagingServiceSid' : 'From';

  return {
    async send(to, body) {
      const form = new URLSearchParams({ To: to, [fromField]: opts.from, Body: body });
      let res: Response;
      try {
        res = await doFetch(endpoint, {
          method: 'POST',
          headers: {
            authorization: auth,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        throw new DeliveryError(`Twilio request failed: ${redact(describeFetchError(err, timeoutMs), secrets)}`);
      }
      const text = await res.text().catch(() => '');
      if (res.ok) return;

      let parsed: TwilioErrorBody = {};
      try {
        parsed = JSON.parse(text) as TwilioErrorBody;
      } catch {
        // Not JSON (a proxy's error page): the status alone has to do.
      }
      const code = parsed.code !== undefined ? ` ${parsed.code}` : '';
      const message = parsed.message ? `: ${parsed.message}` : '';
      // 400 is Twilio refusing this message (bad number, unverified sender): sending it again
      // gets the same answer. 401/403 are credentials and 429/5xx are transient: retry.
      throw new DeliveryError(redact(`Twilio rejected the message (HTTP ${res.status}${code})${message}`, secrets), {
        permanent: res.status === 400,
        status: res.status,
        code: parsed.code,
      });
    },
  };
}
