/**
 * MFA-pending tokens collected from password logins, kept per user until a verify uses them.
 * Each token works once and lives 5 minutes (API.md), so old ones are dropped, never sent.
 */

/** Leave a margin under the 300 s lifetime: a token must still be alive when the server reads it. */
const USABLE_FOR_MS = 280_000;

export class TokenBank {
  private readonly perUser: { token: string; at: number }[][];
  private total = 0;

  constructor(users: number) {
    this.perUser = Array.from({ length: users }, () => []);
  }

  add(user: number, token: string, at = Date.now()): void {
    this.perUser[user].push({ token, at });
    this.total++;
  }

  get size(): number {
    return this.total;
  }

  has(user: number, now = Date.now()): boolean {
    this.dropExpired(user, now);
    return this.perUser[user].length > 0;
  }

  /** The user's oldest live token, removed from the bank. */
  take(user: number, now = Date.now()): string | null {
    this.dropExpired(user, now);
    const t = this.perUser[user].shift();
    if (!t) return null;
    this.total--;
    return t.token;
  }

  private dropExpired(user: number, now: number): void {
    const list = this.perUser[user];
    while (list.length > 0 && now - list[0].at > USABLE_FOR_MS) {
      list.shift();
      this.total--;
    }
  }
}
