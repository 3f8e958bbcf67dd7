/**
 * A counting gate: at most `limit` tasks run at once, the others wait their turn in arrival
 * order (FIFO, so no login starves behind later ones).
 */
export type Gate = <T>(task: () => Promise<T>) => Promise<T>;

export function createGate(limit: number): Gate {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`gate limit must be a positive integer, got ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];

  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < limit) running++;
    // A finishing task hands its slot straight to the next waiter (running stays the same).
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
