import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../../src/server/crypto/password-hasher.js';

describe('password hasher (argon2id)', () => {
  const hasher = createPasswordHasher();

  it('hashes with argon2id at the OWASP parameters m=19456, t=2, p=1', async () => {
    const h = await hasher.hash('correct horse battery staple');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hasher.needsRehash(h)).toBe(false);
  });

  it('verifies the right password and rejects a wrong one', async () => {
    const h = await hasher.hash('correct horse battery staple');
    expect(await hasher.verify(h, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(h, 'correct horse battery stapl')).toBe(false);
    expect(await hasher.verify(h, '')).toBe(false);
  });

  it('salts: two hashes of one password differ', async () => {
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('answers false, never throws, for a malformed hash', async () => {
    for (const bad of ['', 'not a hash', '$argon2id$v=19$m=19456,t=2,p=1$', '$2b$10$abcdefghijklmnopqrstuv', '$argon2id$v=19$m=19456,t=2,p=1$!!!$???']) {
      await expect(hasher.verify(bad, 'password')).resolves.toBe(false);
    }
  });

  it('normalises Unicode (NFKC, NIST SP 800-63B): composed and decomposed forms match', async () => {
    const h = await hasher.hash('caf\u00e9');
    expect(await hasher.verify(h, 'cafe\u0301')).toBe(true);
  });

  it('verifyDummy costs an argon2 verification and is always false', async () => {
    await hasher.verifyDummy('warm-up');
    const h = await hasher.hash('pw');
    const t0 = performance.now();
    await hasher.verify(h, 'wrong');
    const real = performance.now() - t0;
    const t1 = performance.now();
    expect(await hasher.verifyDummy('wrong')).toBe(false);
    const dummy = performance.now() - t1;
    // Same argon2 work: not instant, and within a generous factor of a real verification.
    expect(dummy).toBeGreaterThan(real / 4);
    expect(dummy).toBeLessThan(real * 4 + 50);
  });

  it('flags hashes made with other parameters for rehash', async () => {
    const weak = createPasswordHasher({ memoryCost: 4096, timeCost: 1 });
    const h = await weak.hash('pw');
    expect(h).toMatch(/m=4096,t=1,p=1/);
    expect(hasher.needsRehash(h)).toBe(true);
    expect(await hasher.verify(h, 'pw')).toBe(true);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });

  it('runs off the event loop: a timer fires while hashes are computed', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([hasher.hash('a'), hasher.hash('b'), hasher.hash('c')]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});
