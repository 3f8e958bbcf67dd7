/**
 * The SMTP mailer (nodemailer). `smtp://user:pass@host:587` connects in the clear and
 * upgrades with STARTTLS whenever the server offers it (nodemailer's default); `smtps://...:465`
 * uses implicit TLS. Credentials come from the URL (percent-encoded where needed). nodemailer's
 * URL query options (`?tls.rejectUnauthorized=false`, `?requireTLS=true`) pass through too.
 */
import type { Transporter } from 'nodemailer';
import type { Mailer } from '../core/ports.js';
import { DeliveryError, redact } from './delivery-error.js';

export interface SmtpMailerOptions {
  /** `smtp://` or `smtps://` URL, with `user:pass@` when the server wants AUTH. */
  url: string;
  /** The From header, e.g. `Twofold <no-reply@example.com>`. */
  from: string;
  /**
   * Upper bound for one send, connection to final reply. Keeps one stuck server from
   * holding an outbox lease (the worker starts a send only while half its lease remains).
   * @default 30000
   */
  sendTimeoutMs?: number;
}

/** The URL's credentials in every spelling an error text could carry them. */
function credentialsOf(url: string): string[] {
  try {
    const u = new URL(url);
    return [u.password, safeDecode(u.password), u.username ? `${u.username}:${u.password}` : ''].filter((s) => s !== '');
  } catch {
    return [];
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The URL without its credentials, to name the server in errors. */
function serverOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the SMTP server';
  }
}

export function createSmtpMailer(opts: SmtpMailerOptions): Mailer & { close(): void } {
  const protocol = /^([a-z]+):/i.exec(opts.url)?.[1]?.toLowerCase();
  if (protocol !== 'smtp' && protocol !== 'smtps') {
    throw new Error('SMTP_URL must start with smtp:// (STARTTLS when offered) or smtps:// (implicit TLS)');
  }
  const secrets = credentialsOf(opts.url);
  const server = serverOf(opts.url);
  const sendTimeoutMs = opts.sendTimeoutMs ?? 30_000;
  // nodemailer is loaded on the first send: a service that mails to the console (the default)
  // never pays its memory.
  let transport: Transporter | undefined;
  const transportOf = async (): Promise<Transporter> =>
    (transport ??= (await import('nodemailer')).createTransport({
    url: opts.url,
    // nodemailer waits 2 minutes to connect and 10 minutes on a silent socket by default:
    // far longer than a one-time code is worth waiting for.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  }));

  return {
    async send(message) {
      try {
        await (await transportOf()).sendMail({
          from: opts.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          signal: AbortSignal.timeout(sendTimeoutMs),
        });
      } catch (err) {
        const e = err as { message?: string; code?: string; responseCode?: number; permanent?: boolean };
        const detail = redact(String(e.message ?? err), secrets);
        // A rejected login is a configuration problem the operator can fix; keep retrying.
        const permanent = e.permanent === true && e.code !== 'EAUTH';
        throw new DeliveryError(`SMTP send via ${server} failed: ${detail}`, {
          permanent,
          status: e.responseCode,
          code: e.code,
        });
      }
    },
    close() {
      transport?.close();
    },
  };
}
