/** One SQLite transaction shared by the writes of one event-loop turn. */
export class Group {
  readonly durable: Promise<void>;
  #resolve!: () => void;
  #reject!: (err: unknown) => void;

  constructor() {
    this.durable = new Promise<void>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A failed group nobody waits for (only reads joined it) is not an unhandled rejection:
    // its error was already thrown to the statement that caused it.
    this.durable.catch(() => {});
  }

  settle(err?: unknown): void {
    if (err === undefined) this.#resolve();
    else this.#reject(err);
  }
}
