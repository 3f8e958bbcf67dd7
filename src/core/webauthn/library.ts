/**
 * @simplewebauthn/server, loaded on first use: it is the heaviest module of the service (about
 * 12 MB resident), and a deployment whose users never touch WebAuthn should not pay for it.
 */
type Library = typeof import('@simplewebauthn/server');

let loading: Promise<Library> | undefined;

export function webauthnLibrary(): Promise<Library> {
  loading ??= import('@simplewebauthn/server');
  return loading;
}
