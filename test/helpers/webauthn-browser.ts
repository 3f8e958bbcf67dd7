/**
 * WebAuthn ceremonies in a real browser for test/e2e/webauthn-browser.test.ts: Debian's
 * Chromium driven by playwright-core (never a downloaded browser), a CDP virtual authenticator
 * (Chrome DevTools Protocol, WebAuthn domain), and the app started in-process on a free port
 * with TWOFOLD_PUBLIC_URL = the page's origin, so origin and RP ID are the real ones.
 *
 * The ceremonies run inside the page with the standard JSON helpers of W3C WebAuthn L3
 * (`PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`,
 * `credential.toJSON()`), exactly as a web page would.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { startTestApp, type TestApp } from './app.js';

export const CHROMIUM = '/usr/bin/chromium';
/** DESIGN.md "Facts about these machines": Chromium as root, headless and quiet. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Null when the browser suite can run. Without Chromium it is skipped with a printed reason,
 * except under CI=true, where a missing browser is a failure: CI must prove the ceremonies.
 */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const reason = `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
  if (process.env.CI === 'true') throw new Error(`${reason}: the WebAuthn browser suite is required with CI=true`);
  console.log(`skipping the WebAuthn browser suite: ${reason}; set CI=true to fail instead`);
  return reason;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** A port nobody listens on right now (the app must know its public URL before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The real app listening on 127.0.0.1, its public URL `http://localhost:<port>`. */
export async function listeningApp(env: Record<string, string> = {}): Promise<{ t: TestApp; origin: string }> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const t = await startTestApp({ env: { TWOFOLD_PUBLIC_URL: origin, ...env } });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { t, origin };
}

/** CDP WebAuthn.VirtualAuthenticatorOptions (the parts used here; playwright-core does not export its Protocol types). */
export interface AuthenticatorOptions {
  protocol: 'ctap2' | 'u2f';
  transport: 'usb' | 'nfc' | 'ble' | 'cable' | 'internal';
  hasResidentKey?: boolean;
  hasUserVerification?: boolean;
  isUserVerified?: boolean;
  automaticPresenceSimulation?: boolean;
}

/** CDP WebAuthn.Credential: binary fields are plain base64. */
export interface CdpCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  /** PKCS#8 DER, base64. */
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** W3C WebAuthn L3 / CDP defaults of issue #5: a CTAP2 platform authenticator with resident keys and UV. */
export const PLATFORM_AUTHENTICATOR: AuthenticatorOptions = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
  automaticPresenceSimulation: true,
};

export class VirtualAuthenticator {
  constructor(
    readonly cdp: CDPSession,
    readonly id: string,
  ) {}

  static async add(cdp: CDPSession, options: Partial<AuthenticatorOptions> = {}): Promise<VirtualAuthenticator> {
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { ...PLATFORM_AUTHENTICATOR, ...options } });
    return new VirtualAuthenticator(cdp, authenticatorId);
  }

  async credentials(): Promise<CdpCredential[]> {
    return (await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.id })).credentials;
  }

  /** The credential with this base64url id (CDP speaks plain base64). */
  async credential(idB64url: string): Promise<CdpCredential> {
    const found = (await this.credentials()).find((c) => Buffer.from(c.credentialId, 'base64').toString('base64url') === idB64url);
    if (!found) throw new Error(`the authenticator holds no credential ${idB64url}`);
    return found;
  }

  /** Replace a credential by a copy with another signature counter (a clone, or a reset key). */
  async setSignCount(idB64url: string, signCount: number): Promise<void> {
    const c = await this.credential(idB64url);
    await this.cdp.send('WebAuthn.removeCredential', { authenticatorId: this.id, credentialId: c.credentialId });
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId: this.id, credential: { ...c, signCount } });
  }

  setUserVerified(isUserVerified: boolean): Promise<unknown> {
    return this.cdp.send('WebAuthn.setUserVerified', { authenticatorId: this.id, isUserVerified });
  }

  remove(): Promise<unknown> {
    return this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.id });
  }
}

export interface WebAuthnPage {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticator: VirtualAuthenticator;
  close(): Promise<void>;
}

/** A fresh browser context on `origin`/healthz (same origin as the API, a secure context) with a virtual authenticator. */
export async function openWebAuthnPage(browser: Browser, origin: string, options: Partial<AuthenticatorOptions> = {}): Promise<WebAuthnPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/healthz`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const authenticator = await VirtualAuthenticator.add(cdp, options);
  return { context, page, cdp, authenticator, close: () => context.close() };
}

export interface ApiResult {
  status: number;
  body: any;
}

/** fetch() from the page to the API (same origin), JSON in and out. */
export function pageFetch(page: Page, path: string, body: unknown, token?: string): Promise<ApiResult> {
  return page.evaluate(
    async ({ path, body, token }) => {
      const res = await fetch(`/api/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    { path, body, token },
  );
}

/** The outcome of a ceremony in the page: the credential's JSON, or the DOMException's name. */
export type Ceremony = { ok: true; credential: any } | { ok: false; error: string };

/** navigator.credentials.create() with options from the API. */
export function createInPage(page: Page, options: unknown): Promise<Ceremony> {
  return page.evaluate(async (options) => {
    // Runs in the page; the test tsconfig has no DOM library, hence `any`.
    const w = globalThis as any;
    try {
      const publicKey = w.PublicKeyCredential.parseCreationOptionsFromJSON(options);
      const cred = await w.navigator.credentials.create({ publicKey });
      return { ok: true as const, credential: cred.toJSON() };
    } catch (e) {
      return { ok: false as const, error: `${(e as Error).name}: ${(e as Error).message}` };
    }
  }, options);
}

/** navigator.credentials.get() with options from the API (optionally with conditional mediation). */
export function getInPage(page: Page, options: unknown, mediation?: 'conditional'): Promise<Ceremony> {
  return page.evaluate(
    async ({ options, mediation }) => {
      const w = globalThis as any;
      try {
        const publicKey = w.PublicKeyCredential.parseRequestOptionsFromJSON(options);
        const cred = await w.navigator.credentials.get({ publicKey, ...(mediation ? { mediation } : {}) });
        return { ok: true as const, credential: cred.toJSON() };
      } catch (e) {
        return { ok: false as const, error: `${(e as Error).name}: ${(e as Error).message}` };
      }
    },
    { options, mediation },
  );
}

/** The credential of a ceremony that must have worked. */
export function credentialOf(c: Ceremony): any {
  if (!c.ok) throw new Error(`WebAuthn ceremony failed in the browser: ${c.error}`);
  return c.credential;
}
