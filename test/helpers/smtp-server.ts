/**
 * A real SMTP server (the `smtp-server` package) on 127.0.0.1 for tests: it receives what
 * our mailer sends, parses each message with mailparser, and keeps it in `messages`.
 * Plain by default; `tls: 'starttls'` offers STARTTLS, `tls: 'implicit'` is an smtps server
 * (both with smtp-server's built-in self-signed certificate, so clients must skip
 * certificate checks: `?tls.rejectUnauthorized=false`).
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** SMTP envelope. */
  mailFrom: string;
  rcptTo: string[];
  /** Parsed headers and bodies. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Whether the session was encrypted when the message arrived, and who had logged in. */
  secure: boolean;
  user: string | null;
}

export interface SmtpServerOptions {
  /** Listen on this port (e.g. to bring a "down" server back on the port a mailer uses). @default 0 */
  port?: number;
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
  /**
   * On a failed login, answer with a text that contains the password tried: a badly behaved
   * server, to prove the mailer's errors never repeat a credential.
   */
  echoPasswordOnFailure?: boolean;
  tls?: 'none' | 'starttls' | 'implicit';
  /** Refuse these recipients with 550 (mailbox unavailable: a permanent failure). */
  rejectRecipient?: (address: string) => boolean;
  /** Hold the final reply to DATA this long (a slow server: a send stays in flight). */
  replyDelayMs?: number;
}

export interface TestSmtpServer {
  port: number;
  /** `smtp://` (or `smtps://`) URL of this server, with credentials when given. */
  url(creds?: { user: string; pass: string }, query?: string): string;
  messages: ReceivedMail[];
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

function addresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) => o.value.map((v) => v.address ?? ''));
}

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<() => void>();
  const tls = opts.tls ?? 'none';

  const server = new SMTPServer({
    secure: tls === 'implicit',
    disabledCommands: tls === 'none' ? ['STARTTLS'] : [],
    authOptional: !opts.auth,
    // Tests talk over loopback without TLS; a real server would refuse AUTH in the clear.
    allowInsecureAuth: true,
    logger: false,
    closeTimeout: 1000,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.user && auth.password === opts.auth.pass) {
        cb(null, { user: auth.username });
        return;
      }
      const text = opts.echoPasswordOnFailure ? `Invalid username or password (${auth.password})` : 'Invalid username or password';
      cb(Object.assign(new Error(text), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (opts.rejectRecipient?.(address.address)) {
        cb(Object.assign(new Error('5.1.1 Mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            rcptTo: session.envelope.rcptTo.map((r) => r.address),
            from: addresses(mail.from)[0] ?? '',
            to: addresses(mail.to),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            secure: session.secure,
            user: session.user ?? null,
          });
          for (const w of waiters) w();
          setTimeout(() => cb(), opts.replyDelayMs ?? 0);
        })
        .catch((err: Error) => cb(err));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    messages,
    url(creds, query) {
      const scheme = tls === 'implicit' ? 'smtps' : 'smtp';
      const userinfo = creds ? `${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.pass)}@` : '';
      return `${scheme}://${userinfo}127.0.0.1:${port}${query ? `?${query}` : ''}`;
    },
    waitFor(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching mail within ${timeoutMs} ms (received ${messages.length})`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (for a mailer pointed at a server that is down). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}
