/**
 * Turns at one resource, first come first served, handed from holder to holder: whoever is
 * woken already holds it, so nobody arriving in between can slip ahead (sqlite-group-commit.ts
 * relies on that: a query woken from the queue must not find a store transaction begun
 * under it).
 */
export class Turns {
  #held = false;
  readonly #waiting: (() => void)[] = [];

  /** Whether somebody holds the resource (or was handed it and has not run yet). */
  get held(): boolean {
    return this.#held;
  }

  /** Resolves once the resource is the caller's. */
  take(): Promise<void> {
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  /** Hand the resource to the next in line, or free it. */
  give(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}
