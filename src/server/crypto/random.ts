/** The Random port over node:crypto's CSPRNG. */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Random } from '../../core/ports.js';

export const nodeRandom: Random = Object.freeze({
  bytes: (n: number): Buffer => randomBytes(n),
  // randomInt rejects out-of-range maxima itself and draws without modulo bias.
  int: (max: number): number => randomInt(max),
  uuid: (): string => randomUUID(),
});
