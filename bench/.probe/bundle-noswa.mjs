var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// src/core/audit.ts
async function audit(store, ctx, type, userId, details = {}, actorId = userId) {
  const event = { type, userId, actorId, ip: ctx.ip, userAgent: ctx.userAgent, at: ctx.now, details };
  await store.events.append(event);
}
var EVENT;
var init_audit = __esm({
  "src/core/audit.ts"() {
    "use strict";
    EVENT = {
      registered: "user.registered",
      userCreated: "user.created",
      userUpdated: "user.updated",
      loginSucceeded: "login.succeeded",
      loginFailed: "login.failed",
      loginLocked: "login.rate_limited",
      mfaRequired: "login.mfa_required",
      logout: "logout",
      passwordChanged: "password.changed",
      passwordResetRequested: "password.reset_requested",
      passwordReset: "password.reset",
      sessionRevoked: "session.revoked",
      refreshReuse: "session.refresh_token_reused",
      mfaVerified: "mfa.verify_succeeded",
      mfaFailed: "mfa.verify_failed",
      mfaReplay: "mfa.replay_rejected",
      mfaLockout: "mfa.lockout",
      stepUp: "mfa.step_up",
      enrollStarted: "mfa.enrollment_started",
      enrollCompleted: "mfa.enrollment_completed",
      methodRemoved: "mfa.method_removed",
      methodRenamed: "mfa.method_renamed",
      mfaDisabled: "mfa.disabled",
      backupCodeUsed: "mfa.backup_code_used",
      backupCodesRegenerated: "mfa.backup_codes_regenerated",
      codeSent: "mfa.code_sent",
      codeSendFailed: "mfa.code_send_failed",
      deviceTrusted: "device.trusted",
      deviceRevoked: "device.revoked",
      deviceRejected: "device.rejected",
      webauthnCloneSuspected: "webauthn.clone_suspected",
      mfaReset: "admin.mfa_reset",
      policyUpdated: "admin.policy_updated",
      adminAction: "admin.action",
      enrollmentReminderSent: "mfa.enrollment_reminder_sent",
      keysRotated: "keys.rotated"
    };
  }
});

// src/core/otp/hotp.ts
import { createHmac } from "node:crypto";
function assertDigits(digits) {
  if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
    throw new RangeError(`OTP digits must be an integer from ${MIN_DIGITS} to ${MAX_DIGITS}, got ${digits}`);
  }
}
function counterBytes(counter) {
  let c;
  if (typeof counter === "number") {
    if (!Number.isSafeInteger(counter)) throw new RangeError(`HOTP counter must be a safe integer, got ${counter}`);
    c = BigInt(counter);
  } else {
    c = counter;
  }
  if (c < 0n || c > MAX_COUNTER) throw new RangeError(`HOTP counter must be in [0, 2^64), got ${c}`);
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64BE(c);
  return buf;
}
function hotp(key, counter, opts = {}) {
  const algorithm = opts.algorithm ?? "SHA1";
  const digits = opts.digits ?? 6;
  assertDigits(digits);
  const hashName = HMAC_HASH[algorithm];
  if (hashName === void 0) throw new RangeError(`unknown OTP algorithm ${String(algorithm)}`);
  const mac = createHmac(hashName, key).update(counterBytes(counter)).digest();
  const offset = mac[mac.length - 1] & 15;
  const binary = (mac.readUInt32BE(offset) & 2147483647) >>> 0;
  return (binary % 10 ** digits).toString().padStart(digits, "0");
}
var HMAC_HASH, MIN_DIGITS, MAX_DIGITS, MAX_COUNTER;
var init_hotp = __esm({
  "src/core/otp/hotp.ts"() {
    "use strict";
    HMAC_HASH = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" };
    MIN_DIGITS = 6;
    MAX_DIGITS = 10;
    MAX_COUNTER = (1n << 64n) - 1n;
  }
});

// src/core/otp/totp.ts
import { timingSafeEqual } from "node:crypto";
function assertPeriod(periodS) {
  if (!Number.isInteger(periodS) || periodS <= 0) throw new RangeError(`TOTP period must be a positive integer of seconds, got ${periodS}`);
}
function timeStep(nowMs, periodS) {
  assertPeriod(periodS);
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new RangeError(`TOTP time must be a non-negative number of milliseconds, got ${nowMs}`);
  return Math.floor(nowMs / (periodS * 1e3));
}
function verifyTotp(input) {
  const periodS = input.periodS ?? TOTP_DEFAULTS.periodS;
  const digits = input.digits ?? TOTP_DEFAULTS.digits;
  const algorithm = input.algorithm ?? TOTP_DEFAULTS.algorithm;
  const window = input.window ?? TOTP_DEFAULTS.window;
  assertDigits(digits);
  if (!Number.isInteger(window) || window < 0) throw new RangeError(`TOTP window must be a non-negative integer, got ${window}`);
  if (typeof input.code !== "string" || !new RegExp(`^[0-9]{${digits}}$`).test(input.code)) {
    return { ok: false, reason: "malformed" };
  }
  const given = Buffer.from(input.code, "ascii");
  const current = timeStep(input.nowMs, periodS);
  let matched = -1;
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const candidate = Buffer.from(hotp(input.key, step, { algorithm, digits }), "ascii");
    const equal = timingSafeEqual(candidate, given);
    if (equal && step > matched) matched = step;
  }
  if (matched < 0) return { ok: false, reason: "mismatch" };
  if (input.lastStep !== void 0 && input.lastStep !== null && matched <= input.lastStep) {
    return { ok: false, reason: "replayed" };
  }
  return { ok: true, step: matched };
}
var TOTP_DEFAULTS;
var init_totp = __esm({
  "src/core/otp/totp.ts"() {
    "use strict";
    init_hotp();
    TOTP_DEFAULTS = Object.freeze({
      periodS: 30,
      digits: 6,
      algorithm: "SHA1",
      /**
       * One step either side absorbs clock drift and the time a user takes to type: RFC 6238 §5.2
       * recommends at most one step of network delay. A wider window multiplies an attacker's
       * chances per guess, so it stays at 1.
       */
      window: 1
    });
  }
});

// src/core/otp/base32.ts
function base32Encode(data) {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = (buffer << 8 | byte) & 4095;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[buffer >>> bits & 31];
    }
  }
  if (bits > 0) out += ALPHABET[buffer << 5 - bits & 31];
  return out;
}
var ALPHABET, VALUES;
var init_base32 = __esm({
  "src/core/otp/base32.ts"() {
    "use strict";
    ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));
  }
});

// src/core/otp/otpauth-uri.ts
function otpauthUri(input) {
  const algorithm = input.algorithm ?? TOTP_DEFAULTS.algorithm;
  const digits = input.digits ?? TOTP_DEFAULTS.digits;
  const period = input.period ?? TOTP_DEFAULTS.periodS;
  if (!/^[A-Z2-7]+$/.test(input.secretBase32)) {
    throw new TypeError("otpauthUri: secretBase32 must be upper-case base32 without padding");
  }
  if (input.account === "") throw new TypeError("otpauthUri: account must not be empty");
  const label = input.issuer === "" ? encodeURIComponent(input.account) : `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = [`secret=${input.secretBase32}`];
  if (input.issuer !== "") params.push(`issuer=${encodeURIComponent(input.issuer)}`);
  params.push(`algorithm=${algorithm}`, `digits=${digits}`, `period=${period}`);
  return `otpauth://totp/${label}?${params.join("&")}`;
}
var init_otpauth_uri = __esm({
  "src/core/otp/otpauth-uri.ts"() {
    "use strict";
    init_totp();
  }
});

// src/core/otp/index.ts
var init_otp = __esm({
  "src/core/otp/index.ts"() {
    "use strict";
    init_hotp();
    init_totp();
    init_base32();
    init_otpauth_uri();
  }
});

// src/core/factors/totp.ts
var totpAad, totpFactor;
var init_totp2 = __esm({
  "src/core/factors/totp.ts"() {
    "use strict";
    init_otp();
    totpAad = (id) => `totp:${id}`;
    totpFactor = {
      method: "totp",
      async available(_deps, _user, methods) {
        return methods.some((m) => m.type === "totp");
      },
      async verify(deps, attempt) {
        const code = attempt.code ?? "";
        let replayed = false;
        for (const m of attempt.methods) {
          if (m.type !== "totp" || !m.secretEnc) continue;
          const key = deps.cipher.decrypt(m.secretEnc, totpAad(m.id));
          const result = verifyTotp({
            key,
            code,
            nowMs: attempt.ctx.now,
            periodS: m.totpPeriod ?? 30,
            digits: m.totpDigits ?? 6,
            algorithm: m.totpAlgorithm ?? "SHA1",
            lastStep: m.lastStep
          });
          key.fill(0);
          if (result.ok) {
            if (await deps.store.methods.advanceTotpStep(m.id, result.step, attempt.ctx.now)) {
              return { ok: true, amr: ["otp"], acr: "aal2", methodId: m.id };
            }
            replayed = true;
          } else if (result.reason === "replayed") replayed = true;
          else if (result.reason === "malformed") break;
        }
        return { ok: false, reason: replayed ? "replayed" : "invalid" };
      }
    };
  }
});

// src/server/crypto/random.ts
import { randomBytes, randomInt, randomUUID } from "node:crypto";
var nodeRandom;
var init_random = __esm({
  "src/server/crypto/random.ts"() {
    "use strict";
    nodeRandom = Object.freeze({
      bytes: (n) => randomBytes(n),
      // randomInt rejects out-of-range maxima itself and draws without modulo bias.
      int: (max) => randomInt(max),
      uuid: () => randomUUID()
    });
  }
});

// src/server/crypto/password-hasher.ts
import { randomBytes as randomBytes2 } from "node:crypto";
import { hash, parseOptions, verify } from "@node-rs/argon2";
function createPasswordHasher(opts = {}) {
  const params = {
    algorithm: ARGON2ID,
    memoryCost: opts.memoryCost ?? ARGON2_DEFAULTS.memoryCost,
    timeCost: opts.timeCost ?? ARGON2_DEFAULTS.timeCost,
    parallelism: opts.parallelism ?? ARGON2_DEFAULTS.parallelism
  };
  const hashPassword = (password) => hash(normalize(password), params);
  const verifyPassword = async (stored, password) => {
    try {
      return await verify(stored, normalize(password));
    } catch {
      return false;
    }
  };
  const dummy = hashPassword(randomBytes2(32).toString("base64url"));
  dummy.catch(() => void 0);
  return {
    hash: hashPassword,
    verify: verifyPassword,
    async verifyDummy(password) {
      await verifyPassword(await dummy, password);
      return false;
    },
    needsRehash(stored) {
      try {
        const p = parseOptions(stored);
        return p.algorithm !== ARGON2ID || p.memoryCost !== params.memoryCost || p.timeCost !== params.timeCost || p.parallelism !== params.parallelism;
      } catch {
        return true;
      }
    }
  };
}
var ARGON2ID, ARGON2_DEFAULTS, normalize;
var init_password_hasher = __esm({
  "src/server/crypto/password-hasher.ts"() {
    "use strict";
    ARGON2ID = 2;
    ARGON2_DEFAULTS = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    normalize = (password) => password.normalize("NFKC");
  }
});

// src/server/crypto/master-key.ts
import { randomBytes as randomBytes3 } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync as readFileSync2, statSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
function decodeKey(text, source) {
  const value = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    throw new Error(`${source} is not valid base64: generate a key with \`openssl rand -base64 32\``);
  }
  const key = Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (key.length < MASTER_KEY_MIN_BYTES) {
    throw new Error(
      `${source} must decode to at least ${MASTER_KEY_MIN_BYTES} bytes, got ${key.length}: generate a key with \`openssl rand -base64 32\``
    );
  }
  return key;
}
function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
function readKeyFile(path4, warn) {
  if (process.platform !== "win32" && (statSync(path4).mode & 63) !== 0) {
    warn(`the secret key file ${path4} is readable by other users; run \`chmod 600 ${path4}\``);
  }
  return decodeKey(readFileSync2(path4, "utf8"), `the secret key file ${path4}`);
}
function publishNewKey(path4, key) {
  const tmp = `${path4}.${process.pid}.${randomBytes3(6).toString("hex")}.tmp`;
  writeNewFile(tmp, key);
  try {
    linkSync(tmp, path4);
    return true;
  } catch (err) {
    const code = err.code;
    if (code === "EEXIST") return false;
    if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOSYS") {
      try {
        writeNewFile(path4, key);
        return true;
      } catch (err2) {
        if (err2.code === "EEXIST") return false;
        throw err2;
      }
    }
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}
function writeNewFile(path4, key) {
  const fd = openSync(path4, "wx", 384);
  try {
    fchmodSync(fd, 384);
    writeSync(fd, `${key.toString("base64")}
`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
function readExisting(path4, warn) {
  let lastError;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return readKeyFile(path4, warn);
    } catch (err) {
      if (err.code === "ENOENT") return void 0;
      lastError = err;
      sleepMs(20);
    }
  }
  throw lastError;
}
function loadMasterKey(opts) {
  if (opts.envValue !== void 0 && opts.envValue.trim() !== "") {
    return decodeKey(opts.envValue, "TWOFOLD_SECRET_KEY");
  }
  const path4 = join(opts.dataDir, SECRET_KEY_FILE);
  mkdirSync(opts.dataDir, { recursive: true, mode: 448 });
  const existing = readExisting(path4, opts.warn);
  if (existing !== void 0) {
    opts.warn(`using the secret key at ${path4}; set TWOFOLD_SECRET_KEY in production`);
    return existing;
  }
  const key = randomBytes3(MASTER_KEY_MIN_BYTES);
  if (publishNewKey(path4, key)) {
    opts.warn(
      `generated a secret key at ${path4}; set TWOFOLD_SECRET_KEY in production, and back the key up: without it, encrypted TOTP secrets cannot be read`
    );
    return key;
  }
  const winner = readExisting(path4, opts.warn);
  if (winner === void 0) throw new Error(`the secret key file ${path4} vanished while starting`);
  opts.warn(`using the secret key at ${path4}; set TWOFOLD_SECRET_KEY in production`);
  return winner;
}
var MASTER_KEY_MIN_BYTES, SECRET_KEY_FILE;
var init_master_key = __esm({
  "src/server/crypto/master-key.ts"() {
    "use strict";
    MASTER_KEY_MIN_BYTES = 32;
    SECRET_KEY_FILE = "secret.key";
  }
});

// src/server/crypto/hkdf.ts
import { hkdfSync } from "node:crypto";
function deriveKey(master, info) {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), Buffer.from(info, "utf8"), 32));
}
function assertMasterKey(master) {
  if (!Buffer.isBuffer(master) || master.length < 32) throw new RangeError("the master key must be at least 32 bytes");
}
var init_hkdf = __esm({
  "src/server/crypto/hkdf.ts"() {
    "use strict";
  }
});

// src/server/crypto/secret-hasher.ts
import { createHmac as createHmac2, timingSafeEqual as timingSafeEqual2 } from "node:crypto";
function createSecretHasher(master) {
  assertMasterKey(master);
  const masterCopy = Buffer.from(master);
  const keys = /* @__PURE__ */ new Map();
  const keyFor = (purpose) => {
    if (typeof purpose !== "string" || purpose === "") throw new TypeError("secret hasher: purpose must be a non-empty string");
    let key = keys.get(purpose);
    if (key === void 0) {
      key = deriveKey(masterCopy, `twofold:hash:${purpose}`);
      keys.set(purpose, key);
    }
    return key;
  };
  const mac = (purpose, value) => createHmac2("sha256", keyFor(purpose)).update(value, "utf8").digest();
  return {
    hash: (purpose, value) => mac(purpose, value).toString("base64url"),
    verify(purpose, value, stored) {
      const expected = Buffer.from(mac(purpose, value).toString("base64url"), "utf8");
      const given = Buffer.from(String(stored), "utf8");
      return given.length === expected.length && timingSafeEqual2(given, expected);
    }
  };
}
var init_secret_hasher = __esm({
  "src/server/crypto/secret-hasher.ts"() {
    "use strict";
    init_hkdf();
  }
});

// src/server/crypto/keyring.ts
import { createCipheriv, createDecipheriv, randomBytes as randomBytes4 } from "node:crypto";
function checkKids(kids) {
  if (!Array.isArray(kids) || kids.length === 0) throw new RangeError("keyring: at least one key id is required");
  for (const kid of kids) {
    if (typeof kid !== "string" || !KID_SHAPE.test(kid)) throw new RangeError(`keyring: invalid key id ${JSON.stringify(kid)}`);
  }
  return [...kids];
}
function parse(envelope) {
  const parts = typeof envelope === "string" ? envelope.split(".") : [];
  if (parts.length !== 5 || parts[0] !== VERSION) throw new DecryptError("keyring: not a v1 envelope");
  const [, kid, iv, ciphertext, tag] = parts;
  if (!KID_SHAPE.test(kid) || !B64URL.test(iv) || !B64URL.test(ciphertext) || !B64URL.test(tag)) {
    throw new DecryptError("keyring: malformed envelope");
  }
  const parsed = {
    kid,
    iv: Buffer.from(iv, "base64url"),
    ciphertext: Buffer.from(ciphertext, "base64url"),
    tag: Buffer.from(tag, "base64url")
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) throw new DecryptError("keyring: malformed envelope");
  return parsed;
}
function createKeyring(master, kids) {
  assertMasterKey(master);
  const masterCopy = Buffer.from(master);
  let known = checkKids(kids);
  const dataKeys = /* @__PURE__ */ new Map();
  const dataKey = (kid) => {
    let key = dataKeys.get(kid);
    if (key === void 0) {
      key = deriveKey(masterCopy, `twofold:dek:${kid}`);
      dataKeys.set(kid, key);
    }
    return key;
  };
  const current = () => known[known.length - 1];
  return {
    currentKid: current,
    setKids(next) {
      known = checkKids(next);
    },
    encrypt(plaintext, aad) {
      const kid = current();
      const iv = randomBytes4(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", dataKey(kid), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, kid, iv.toString("base64url"), ciphertext.toString("base64url"), tag.toString("base64url")].join(".");
    },
    decrypt(envelope, aad) {
      const { kid, iv, ciphertext, tag } = parse(envelope);
      if (!known.includes(kid)) throw new DecryptError(`keyring: key id "${kid}" is not in the keyring`);
      const decipher = createDecipheriv("aes-256-gcm", dataKey(kid), iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
      } catch {
        throw new DecryptError("keyring: authentication failed (wrong key or aad, or tampered data)");
      }
    },
    needsRotation(envelope) {
      return parse(envelope).kid !== current();
    }
  };
}
function newKid(random) {
  let kid = "k";
  for (let i = 0; i < 8; i++) kid += KID_ALPHABET[random.int(KID_ALPHABET.length)];
  return kid;
}
var VERSION, IV_BYTES, TAG_BYTES, KID_SHAPE, B64URL, DecryptError, KID_ALPHABET;
var init_keyring = __esm({
  "src/server/crypto/keyring.ts"() {
    "use strict";
    init_hkdf();
    VERSION = "v1";
    IV_BYTES = 12;
    TAG_BYTES = 16;
    KID_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;
    B64URL = /^[A-Za-z0-9_-]*$/;
    DecryptError = class extends Error {
      name = "DecryptError";
    };
    KID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  }
});

// src/server/crypto/index.ts
var init_crypto = __esm({
  "src/server/crypto/index.ts"() {
    "use strict";
    init_random();
    init_password_hasher();
    init_master_key();
    init_secret_hasher();
    init_keyring();
  }
});

// src/server/key-rotation.ts
async function rotateKeys(deps, now, ctx = { now, ip: null, userAgent: "twofold keys rotate" }) {
  const { store, random } = deps.core;
  const cipher = deps.keyring;
  const kid = newKid(random);
  await store.keyIds.add(kid, now);
  cipher.setKids(await store.keyIds.list());
  const reseal = (envelope, aad) => {
    const plain = cipher.decrypt(envelope, aad);
    try {
      return cipher.encrypt(plain, aad);
    } finally {
      plain.fill(0);
    }
  };
  let methods = 0;
  for (const m of await store.methods.listWithSecrets()) {
    if (!m.secretEnc || !cipher.needsRotation(m.secretEnc)) continue;
    await store.methods.updateSecret(m.id, reseal(m.secretEnc, totpAad(m.id)));
    methods++;
  }
  let enrollments = 0;
  for (const e of await store.totpEnrollments.listWithSecrets()) {
    if (!cipher.needsRotation(e.secretEnc)) continue;
    await store.totpEnrollments.updateSecret(e.id, reseal(e.secretEnc, totpAad(e.id)));
    enrollments++;
  }
  let signingKeys = 0;
  for (const k of await store.signingKeys.all()) {
    if (!cipher.needsRotation(k.privateEnc)) continue;
    await store.signingKeys.updatePrivate(k.kid, reseal(k.privateEnc, signingKeyAad(k.kid)));
    signingKeys++;
  }
  const signingKid = await deps.jwt.rotate(now);
  await audit(store, ctx, EVENT.keysRotated, null, { kid, signing_kid: signingKid, methods, enrollments, signing_keys: signingKeys });
  return { kid, signingKid, methods, enrollments, signingKeys };
}
function followRotations(inner, kids) {
  let known = [...kids];
  return {
    currentKid: () => inner.currentKid(),
    needsRotation: (envelope) => inner.needsRotation(envelope),
    encrypt: (plaintext, aad) => inner.encrypt(plaintext, aad),
    setKids(next) {
      inner.setKids(next);
      known = [...next];
    },
    decrypt(envelope, aad) {
      const kid = typeof envelope === "string" ? ENVELOPE_KID.exec(envelope)?.[1] : void 0;
      if (kid === void 0 || known.includes(kid)) return inner.decrypt(envelope, aad);
      const before = known;
      known = [kid, ...known];
      inner.setKids(known);
      try {
        return inner.decrypt(envelope, aad);
      } catch (err) {
        known = before;
        inner.setKids(known);
        throw err;
      }
    }
  };
}
var signingKeyAad, ENVELOPE_KID;
var init_key_rotation = __esm({
  "src/server/key-rotation.ts"() {
    "use strict";
    init_audit();
    init_totp2();
    init_crypto();
    signingKeyAad = (kid) => `signing-key:${kid}`;
    ENVELOPE_KID = /^v1\.([A-Za-z0-9_-]{1,64})\./;
  }
});

// bench/.probe/stubs/ioredis.mjs
var Redis;
var init_ioredis = __esm({
  "bench/.probe/stubs/ioredis.mjs"() {
    "use strict";
    Redis = class {
    };
  }
});

// src/core/auth/factor.ts
function factorRegistry(factors) {
  return new Map(factors.map((f) => [f.method, f]));
}
async function availableMethods(deps, registry, user, methods, allowed) {
  const out = [];
  for (const [method, factor2] of registry) {
    if (allowed.includes(method) && await factor2.available(deps, user, methods)) out.push(method);
  }
  const order = ["totp", "webauthn", "email", "sms", "backup_code"];
  return out.sort((a, b) => order.indexOf(a) - order.indexOf(b));
}
async function loginMethodsFor(deps, registry, user, methods) {
  const policy = await deps.policy();
  const usable = await availableMethods(deps, registry, user, methods, policy.allowed_methods);
  return usable.length > 0 ? usable : availableMethods(deps, registry, user, methods, [...registry.keys()]);
}
var init_factor = __esm({
  "src/core/auth/factor.ts"() {
    "use strict";
  }
});

// src/core/policy.ts
function policyRequiresMfa(policy, user) {
  switch (policy.require_mfa) {
    case "off":
      return false;
    case "all":
      return true;
    case "admins":
      return user.roles.includes("admin");
    case "roles":
      return user.roles.some((r) => policy.roles.includes(r));
  }
}
function enrollDeadline(policy, since) {
  return since + policy.grace_period_days * DAY_MS;
}
var DEFAULT_POLICY, DAY_MS;
var init_policy = __esm({
  "src/core/policy.ts"() {
    "use strict";
    DEFAULT_POLICY = Object.freeze({
      require_mfa: "off",
      roles: [],
      grace_period_days: 7,
      allowed_methods: ["totp", "webauthn", "email", "sms", "backup_code"],
      trusted_device_days: 30,
      step_up_max_age_s: 300,
      mfa_max_failures: 10,
      mfa_lockout_minutes: 15,
      mfa_hard_lock_streak: 100
    });
    DAY_MS = 864e5;
  }
});

// src/delivery/delivery-error.ts
function isPermanent(err) {
  return typeof err === "object" && err !== null && err.permanent === true;
}
function redact(text, secrets) {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    for (const form of /* @__PURE__ */ new Set([s, encodeURIComponent(s), Buffer.from(s).toString("base64")])) {
      out = out.split(form).join("[redacted]");
    }
  }
  return out;
}
function describeFetchError(err, timeoutMs) {
  const e = err;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `no answer within ${timeoutMs / 1e3} s`;
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
var DeliveryError;
var init_delivery_error = __esm({
  "src/delivery/delivery-error.ts"() {
    "use strict";
    DeliveryError = class extends Error {
      permanent;
      /** HTTP status of a REST provider, or the SMTP reply code. */
      status;
      /** The provider's own error code (Twilio's `code`, nodemailer's `EAUTH`...). */
      code;
      constructor(message, opts = {}) {
        super(message);
        this.name = "DeliveryError";
        this.permanent = opts.permanent ?? false;
        this.status = opts.status;
        this.code = opts.code === void 0 ? void 0 : String(opts.code);
      }
    };
  }
});

// src/delivery/mail-smtp.ts
import { createTransport } from "nodemailer";
function credentialsOf(url2) {
  try {
    const u = new URL(url2);
    return [u.password, safeDecode(u.password), u.username ? `${u.username}:${u.password}` : ""].filter((s) => s !== "");
  } catch {
    return [];
  }
}
function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
function serverOf(url2) {
  try {
    const u = new URL(url2);
    return `${u.protocol}//${u.host}`;
  } catch {
    return "the SMTP server";
  }
}
function createSmtpMailer(opts) {
  const protocol = /^([a-z]+):/i.exec(opts.url)?.[1]?.toLowerCase();
  if (protocol !== "smtp" && protocol !== "smtps") {
    throw new Error("SMTP_URL must start with smtp:// (STARTTLS when offered) or smtps:// (implicit TLS)");
  }
  const secrets = credentialsOf(opts.url);
  const server = serverOf(opts.url);
  const sendTimeoutMs = opts.sendTimeoutMs ?? 3e4;
  const transport = createTransport({
    url: opts.url,
    // nodemailer waits 2 minutes to connect and 10 minutes on a silent socket by default:
    // far longer than a one-time code is worth waiting for.
    connectionTimeout: 1e4,
    greetingTimeout: 1e4,
    socketTimeout: 3e4
  });
  return {
    async send(message) {
      try {
        await transport.sendMail({
          from: opts.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          signal: AbortSignal.timeout(sendTimeoutMs)
        });
      } catch (err) {
        const e = err;
        const detail = redact(String(e.message ?? err), secrets);
        const permanent = e.permanent === true && e.code !== "EAUTH";
        throw new DeliveryError(`SMTP send via ${server} failed: ${detail}`, {
          permanent,
          status: e.responseCode,
          code: e.code
        });
      }
    },
    close() {
      transport.close();
    }
  };
}
var init_mail_smtp = __esm({
  "src/delivery/mail-smtp.ts"() {
    "use strict";
    init_delivery_error();
  }
});

// src/delivery/mail-console.ts
function createConsoleMailer(write) {
  return {
    async send(message) {
      write(
        [`--- mail to ${message.to} ---`, `Subject: ${message.subject}`, "", message.text.trimEnd(), "--- end of mail ---"].join("\n")
      );
    },
    close() {
    }
  };
}
var init_mail_console = __esm({
  "src/delivery/mail-console.ts"() {
    "use strict";
  }
});

// src/delivery/sms-twilio.ts
function createTwilioSender(opts) {
  const base = (opts.apiBase ?? "https://api.twilio.com").replace(/\/+$/, "");
  const endpoint = `${base}/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString("base64")}`;
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 1e4;
  const secrets = [opts.authToken];
  const fromField = /^MG[0-9a-f]{32}$/i.test(opts.from) ? "MessagingServiceSid" : "From";
  return {
    async send(to, body) {
      const form = new URLSearchParams({ To: to, [fromField]: opts.from, Body: body });
      let res;
      try {
        res = await doFetch(endpoint, {
          method: "POST",
          headers: {
            authorization: auth,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json"
          },
          body: form.toString(),
          signal: AbortSignal.timeout(timeoutMs)
        });
      } catch (err) {
        throw new DeliveryError(`Twilio request failed: ${redact(describeFetchError(err, timeoutMs), secrets)}`);
      }
      const text = await res.text().catch(() => "");
      if (res.ok) return;
      let parsed = {};
      try {
        parsed = JSON.parse(text);
      } catch {
      }
      const code = parsed.code !== void 0 ? ` ${parsed.code}` : "";
      const message = parsed.message ? `: ${parsed.message}` : "";
      throw new DeliveryError(redact(`Twilio rejected the message (HTTP ${res.status}${code})${message}`, secrets), {
        permanent: res.status === 400,
        status: res.status,
        code: parsed.code
      });
    }
  };
}
var init_sms_twilio = __esm({
  "src/delivery/sms-twilio.ts"() {
    "use strict";
    init_delivery_error();
  }
});

// src/delivery/sms-webhook.ts
import { createHmac as createHmac3, timingSafeEqual as timingSafeEqual3 } from "node:crypto";
function safeDecode2(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
function signWebhook(secret, t, rawBody) {
  const v1 = createHmac3("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return `t=${t},v1=${v1}`;
}
function createWebhookSender(opts) {
  const target = new URL(opts.url);
  if (target.protocol !== "https:" && target.protocol !== "http:") throw new Error("SMS_WEBHOOK_URL must be an http(s) URL");
  const user = safeDecode2(target.username);
  const pass = safeDecode2(target.password);
  const secrets = [opts.secret, target.password, pass, target.search];
  const basic = user || pass ? `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}` : null;
  target.username = "";
  target.password = "";
  const endpoint = target.href;
  const where = target.host;
  const doFetch = opts.fetchImpl ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 1e4;
  const now = opts.now ?? Date.now;
  return {
    async send(to, body) {
      const raw2 = JSON.stringify({ to, body });
      const headers = { "content-type": "application/json" };
      if (opts.secret) headers[SIGNATURE_HEADER.toLowerCase()] = signWebhook(opts.secret, Math.floor(now() / 1e3), raw2);
      if (basic) headers.authorization = basic;
      let res;
      try {
        res = await doFetch(endpoint, { method: "POST", headers, body: raw2, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new DeliveryError(`SMS webhook ${where} failed: ${redact(describeFetchError(err, timeoutMs), secrets)}`);
      }
      const text = await res.text().catch(() => "");
      if (!res.ok) {
        const hint = text.slice(0, 200).replace(/\s+/g, " ").trim();
        throw new DeliveryError(redact(`SMS webhook ${where} answered HTTP ${res.status}${hint ? `: ${hint}` : ""}`, secrets), {
          status: res.status
        });
      }
    }
  };
}
var SIGNATURE_HEADER;
var init_sms_webhook = __esm({
  "src/delivery/sms-webhook.ts"() {
    "use strict";
    init_delivery_error();
    SIGNATURE_HEADER = "X-Twofold-Signature";
  }
});

// src/delivery/sms-console.ts
function createConsoleSmsSender(write) {
  return {
    async send(to, body) {
      write([`--- sms to ${to} ---`, body, "--- end of sms ---"].join("\n"));
    }
  };
}
var init_sms_console = __esm({
  "src/delivery/sms-console.ts"() {
    "use strict";
  }
});

// src/delivery/from-config.ts
function createMailerFromConfig(cfg) {
  if (!cfg.smtpUrl) return createConsoleMailer(cfg.write);
  if (!cfg.mailFrom) throw new Error('SMTP_URL needs MAIL_FROM (the sender address, e.g. "Twofold <no-reply@example.com>")');
  return createSmtpMailer({ url: cfg.smtpUrl, from: cfg.mailFrom });
}
function createSmsFromConfig(cfg) {
  const provider = cfg.provider ?? "console";
  switch (provider) {
    case "console":
      return createConsoleSmsSender(cfg.write);
    case "twilio": {
      const t = cfg.twilio ?? {};
      const missing2 = [
        ["TWILIO_ACCOUNT_SID", t.accountSid],
        ["TWILIO_AUTH_TOKEN", t.authToken],
        ["TWILIO_FROM", t.from]
      ].filter(([, v]) => !v);
      if (missing2.length) throw new Error(`SMS_PROVIDER=twilio needs ${missing2.map(([n]) => n).join(", ")}`);
      return createTwilioSender({
        accountSid: t.accountSid,
        authToken: t.authToken,
        from: t.from,
        apiBase: t.apiBase || void 0,
        fetchImpl: cfg.fetchImpl
      });
    }
    case "webhook":
      if (!cfg.webhookUrl) throw new Error("SMS_PROVIDER=webhook needs SMS_WEBHOOK_URL");
      return createWebhookSender({ url: cfg.webhookUrl, secret: cfg.webhookSecret || void 0, fetchImpl: cfg.fetchImpl });
    default:
      throw new Error(`SMS_PROVIDER must be console, twilio or webhook (got "${provider}")`);
  }
}
var init_from_config = __esm({
  "src/delivery/from-config.ts"() {
    "use strict";
    init_mail_console();
    init_mail_smtp();
    init_sms_console();
    init_sms_twilio();
    init_sms_webhook();
  }
});

// src/delivery/templates/locales/en.ts
var PRODUCT, WEEKDAYS, MONTHS, pad, plural, METHOD_TYPES, named, en;
var init_en = __esm({
  "src/delivery/templates/locales/en.ts"() {
    "use strict";
    PRODUCT = "Twofold";
    WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    MONTHS = [
      "January",
      "February",
      "March",
      "April",
      "May",
      "June",
      "July",
      "August",
      "September",
      "October",
      "November",
      "December"
    ];
    pad = (n) => String(n).padStart(2, "0");
    plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
    METHOD_TYPES = {
      totp: "authenticator app",
      webauthn: "security key or passkey",
      email: "email codes",
      sms: "text message (SMS) codes",
      backup_code: "backup code"
    };
    named = (type, name) => name ? `${METHOD_TYPES[type] ?? type} \u201C${name}\u201D` : METHOD_TYPES[type] ?? type;
    en = {
      tag: "en",
      product: PRODUCT,
      // Spelled out by hand rather than Intl, so the text does not change with the ICU version.
      dateTime(ms) {
        const d = new Date(ms);
        return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} at ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
      },
      duration(minutes) {
        return minutes % 60 === 0 && minutes > 0 ? plural(minutes / 60, "hour", "hours") : plural(minutes, "minute", "minutes");
      },
      greeting: (name) => name ? `Hello ${name},` : "Hello,",
      signoff: `\u2014 ${PRODUCT}`,
      automated: `This message was sent automatically by ${PRODUCT} because it concerns the security of your account. Replies are not read.`,
      labels: {
        details: "Details",
        when: "When",
        ip: "IP address",
        browser: "Browser",
        userAgent: "User agent",
        unknown: "unknown"
      },
      browserOn: ({ browser, os }) => browser && os ? `${browser} on ${os}` : browser ?? (os ? `a browser on ${os}` : null),
      methodType: (type) => METHOD_TYPES[type] ?? type,
      advice: {
        ifYou: "If this was you, there is nothing else to do.",
        notYou: (appUrl) => `If this was not you, someone else may be using your account: reset your password right away${appUrl ? ` at ${appUrl}` : ""} and contact your administrator.`,
        contactAdmin: (appUrl) => `If you did not expect this, contact your administrator right away${appUrl ? `, then sign in at ${appUrl} to set up two-step verification again` : ""}.`,
        smsNotYou: (appUrl) => `Not you? Reset your password${appUrl ? ` at ${appUrl}` : ""} and contact your admin.`,
        openApp: `Open ${PRODUCT}`
      },
      otpCode: {
        subject: `Your ${PRODUCT} verification code`,
        intro: (purpose) => purpose === "enroll" ? `Use this code to finish setting up email codes for your ${PRODUCT} account:` : purpose === "step_up" ? `Use this code to confirm a sensitive change to your ${PRODUCT} account:` : `Use this code to finish signing in to ${PRODUCT}:`,
        expires: (minutes) => `The code expires in ${plural(minutes, "minute", "minutes")} and works only once.`,
        neverShare: `Do not share it with anyone. ${PRODUCT} and your administrator will never ask you for it.`,
        notRequested: (appUrl) => `If you did not ask for this code, someone may know your password: change it${appUrl ? ` at ${appUrl}` : ""} and contact your administrator.`,
        sms: (code, minutes) => `Your ${PRODUCT} code is ${code}. It expires in ${plural(minutes, "minute", "minutes")}.`
      },
      passwordReset: {
        subject: `Reset your ${PRODUCT} password`,
        intro: `Someone, hopefully you, asked to reset the password of your ${PRODUCT} account. To choose a new password, open this link:`,
        action: "Choose a new password",
        expires: (minutes) => `The link works once and expires in ${minutes % 60 === 0 ? plural(minutes / 60, "hour", "hours") : plural(minutes, "minute", "minutes")}. Two-step verification stays on: you will still be asked for your second factor.`,
        notRequested: "If you did not ask for this, ignore this message: your password stays as it is.",
        sms: (link, minutes) => `Reset your ${PRODUCT} password within ${plural(minutes, "minute", "minutes")}: ${link}`
      },
      notices: {
        factor_added: {
          subject: `A sign-in method was added to your ${PRODUCT} account`,
          body: (d) => [`A two-step verification method was added to your account: ${named(d.methodType, d.methodName)}.`],
          sms: (d) => `${PRODUCT}: ${named(d.methodType, d.methodName)} was added to your account.`
        },
        factor_removed: {
          subject: `A sign-in method was removed from your ${PRODUCT} account`,
          body: (d) => [`A two-step verification method was removed from your account: ${named(d.methodType, d.methodName)}.`],
          sms: (d) => `${PRODUCT}: ${named(d.methodType, d.methodName)} was removed from your account.`
        },
        mfa_disabled: {
          subject: `Two-step verification was turned off for your ${PRODUCT} account`,
          body: () => [
            "Two-step verification was turned off for your account. All its methods and backup codes were removed, so your password alone now lets someone sign in."
          ],
          sms: () => `${PRODUCT}: two-step verification was turned off for your account.`
        },
        backup_codes_regenerated: {
          subject: `New backup codes were created for your ${PRODUCT} account`,
          body: () => ["New backup codes were created for your account. The previous codes no longer work."],
          sms: () => `${PRODUCT}: new backup codes were created; the old ones no longer work.`
        },
        backup_code_used: {
          subject: `A backup code was used on your ${PRODUCT} account`,
          body: (d) => [
            `A backup code was used to verify your identity. ${d.remaining === 0 ? "You have no backup codes left" : `You have ${plural(d.remaining, "backup code", "backup codes")} left`}.`,
            ...d.remaining <= 3 ? ["Create new backup codes in your security settings soon, so you can still get in if you lose your other methods."] : []
          ],
          sms: (d) => `${PRODUCT}: a backup code was used on your account (${d.remaining} left).`
        },
        lockout: {
          subject: `Two-step verification on your ${PRODUCT} account is locked`,
          body: (d) => [
            d.hard ? "After too many wrong verification codes in a row, two-step verification on your account is locked. To get back in, sign in with a backup code or ask your administrator to reset it." : `After too many wrong verification codes, two-step verification on your account is locked${d.until !== null ? ` until ${en.dateTime(d.until)}` : " for a while"}.`,
            "Whoever tried already knew your password."
          ],
          sms: (d) => d.hard ? `${PRODUCT}: too many wrong codes; your account is locked until a backup code or an admin unlocks it.` : `${PRODUCT}: too many wrong codes; sign-in to your account is temporarily locked.`
        },
        password_changed: {
          subject: `Your ${PRODUCT} password was changed`,
          body: () => ["The password of your account was changed. Your other sessions were signed out."],
          sms: () => `${PRODUCT}: your password was changed.`
        },
        password_reset_done: {
          subject: `Your ${PRODUCT} password was reset`,
          body: () => [
            "The password of your account was reset with a reset link. All sessions and trusted devices were signed out; two-step verification stays on."
          ],
          sms: () => `${PRODUCT}: your password was reset.`
        },
        trusted_device_added: {
          subject: `A device was remembered for your ${PRODUCT} account`,
          body: (d) => [
            `A device${d.deviceName ? ` (\u201C${d.deviceName}\u201D)` : ""} was marked as trusted: signing in from it will not ask for a second factor for a while.`
          ],
          sms: () => `${PRODUCT}: a new device was marked as trusted on your account.`
        },
        mfa_reset_by_admin: {
          subject: `An administrator reset two-step verification on your ${PRODUCT} account`,
          body: (d) => [
            "An administrator removed every two-step verification method, backup code, trusted device and session of your account.",
            ...d.reason ? [`Reason given: \u201C${d.reason}\u201D.`] : []
          ],
          sms: () => `${PRODUCT}: an administrator reset two-step verification on your account.`
        },
        enrollment_reminder: {
          subject: `Set up two-step verification for your ${PRODUCT} account`,
          body: (d) => [
            `Your organisation requires two-step verification. Please set it up before ${en.dateTime(d.deadline)}.`,
            "After that date, signing in will only let you set it up, and nothing else, until you do."
          ],
          sms: (d) => `${PRODUCT}: set up two-step verification before ${en.dateTime(d.deadline)}.`
        }
      }
    };
  }
});

// src/delivery/templates/user-agent.ts
function describeUserAgent(ua) {
  const browser = BROWSERS.find(([re]) => re.test(ua))?.[1] ?? null;
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? null;
  return { browser, os };
}
var BROWSERS, SYSTEMS;
var init_user_agent = __esm({
  "src/delivery/templates/user-agent.ts"() {
    "use strict";
    BROWSERS = [
      [/\bEdg(?:e|A|iOS)?\//, "Edge"],
      [/\bOPR\/|\bOpera\b/, "Opera"],
      [/\bSamsungBrowser\//, "Samsung Internet"],
      [/\bFirefox\/|\bFxiOS\//, "Firefox"],
      [/\bChrome\/|\bCriOS\//, "Chrome"],
      [/\bSafari\//, "Safari"],
      [/^curl\//, "curl"]
    ];
    SYSTEMS = [
      [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
      [/\bAndroid\b/, "Android"],
      [/\bCrOS\b/, "ChromeOS"],
      [/\bWindows\b/, "Windows"],
      [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
      [/\bLinux\b/, "Linux"]
    ];
  }
});

// src/delivery/templates/layout.ts
function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
function detailRows(l, d) {
  const rows = [];
  rows.push([l.labels.when, d.at !== null ? l.dateTime(d.at) : l.labels.unknown]);
  rows.push([l.labels.ip, d.ip ?? l.labels.unknown]);
  const named2 = d.userAgent ? l.browserOn(describeUserAgent(d.userAgent)) : null;
  rows.push([l.labels.browser, named2 ?? d.userAgent ?? l.labels.unknown]);
  if (named2 && d.userAgent) rows.push([l.labels.userAgent, d.userAgent]);
  return rows;
}
function hasDetails(d) {
  return !!d && (d.at !== null || d.ip !== null || d.userAgent !== null);
}
function renderText(l, p) {
  const blocks = [l.greeting(p.name), ...p.paragraphs];
  if (p.code) blocks.push(`    ${p.code}`);
  if (p.action) blocks.push(`${p.action.label}:
${p.action.url}`);
  blocks.push(...p.notes ?? []);
  if (hasDetails(p.details)) {
    blocks.push([`${l.labels.details}:`, ...detailRows(l, p.details).map(([k, v]) => `  ${k}: ${v}`)].join("\n"));
  }
  blocks.push(...p.advice);
  blocks.push(`${l.signoff}
${l.automated}`);
  return `${blocks.join("\n\n")}
`;
}
function renderHtml(l, p) {
  const e = escapeHtml;
  const out = [
    "<!doctype html>",
    `<html lang="${e(l.tag)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${e(p.subject)}</title></head>`,
    `<body style="margin:0;padding:24px;background:#f5f5f7;${FONT};color:#1d1d1f">`,
    '<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">',
    `<p style="font-weight:600;font-size:18px;margin:0 0 16px">${e(l.product)}</p>`,
    `<p>${e(l.greeting(p.name))}</p>`,
    ...p.paragraphs.map((t) => `<p>${e(t)}</p>`)
  ];
  if (p.code) {
    out.push(
      `<p style="font-size:32px;font-weight:700;letter-spacing:6px;font-family:ui-monospace,Menlo,Consolas,monospace;margin:24px 0">${e(p.code)}</p>`
    );
  }
  if (p.action) {
    out.push(
      `<p style="margin:24px 0"><a href="${e(p.action.url)}" style="background:#1d4ed8;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${e(p.action.label)}</a></p>`,
      `<p style="font-size:13px;color:#555;word-break:break-all">${e(p.action.url)}</p>`
    );
  }
  out.push(...(p.notes ?? []).map((t) => `<p>${e(t)}</p>`));
  if (hasDetails(p.details)) {
    out.push(
      `<table role="presentation" style="border-collapse:collapse;margin:16px 0;font-size:14px"><caption style="text-align:left;font-weight:600;padding-bottom:4px">${e(l.labels.details)}</caption>`,
      ...detailRows(l, p.details).map(
        ([k, v]) => `<tr><th scope="row" style="text-align:left;padding:2px 12px 2px 0;color:#555;font-weight:normal;vertical-align:top">${e(k)}</th><td style="padding:2px 0;word-break:break-word">${e(v)}</td></tr>`
      ),
      "</table>"
    );
  }
  out.push(...p.advice.map((t) => `<p>${e(t)}</p>`));
  out.push(
    `<p>${e(l.signoff)}</p>`,
    `<p style="font-size:12px;color:#777">${e(l.automated)}</p>`,
    "</div></body></html>"
  );
  return `${out.join("\n")}
`;
}
var ESCAPES, FONT;
var init_layout = __esm({
  "src/delivery/templates/layout.ts"() {
    "use strict";
    init_user_agent();
    ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
    FONT = "font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif";
  }
});

// src/delivery/templates/read.ts
function snake(key) {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
function raw(data, key) {
  const v = data[key];
  return v === void 0 ? data[snake(key)] : v;
}
function missing(key) {
  return new Error(`template data is missing "${key}"`);
}
function clean(value, max = DEFAULT_MAX) {
  const flat = value.replace(/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F]/gu, " ").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}\u2026` : flat;
}
function optStr(data, key, max = DEFAULT_MAX) {
  const v = raw(data, key);
  if (v === void 0 || v === null) return null;
  if (typeof v !== "string" && typeof v !== "number") throw new Error(`template data "${key}" must be a string`);
  const s = clean(String(v), max);
  return s === "" ? null : s;
}
function str(data, key, max = DEFAULT_MAX) {
  const s = optStr(data, key, max);
  if (s === null) throw missing(key);
  return s;
}
function optInt(data, key) {
  const v = raw(data, key);
  if (v === void 0 || v === null) return null;
  const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw new Error(`template data "${key}" must be a non-negative integer`);
  }
  return n;
}
function optBool(data, key) {
  const v = raw(data, key);
  if (v === void 0 || v === null) return null;
  if (typeof v !== "boolean") throw new Error(`template data "${key}" must be true or false`);
  return v;
}
function optTime(data, key) {
  const v = raw(data, key);
  if (v === void 0 || v === null) return null;
  const ms = v instanceof Date ? v.getTime() : typeof v === "string" ? Date.parse(v) : typeof v === "number" ? v : NaN;
  if (!Number.isFinite(ms)) throw new Error(`template data "${key}" must be a time`);
  return ms;
}
function time(data, key) {
  const t = optTime(data, key);
  if (t === null) throw missing(key);
  return t;
}
function optUrl(data, key) {
  const v = raw(data, key);
  if (v === void 0 || v === null || v === "") return null;
  if (typeof v !== "string") throw new Error(`template data "${key}" must be a URL`);
  let u;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`template data "${key}" must be an absolute URL`);
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error(`template data "${key}" must be an http(s) URL`);
  return u.href;
}
function url(data, key) {
  const u = optUrl(data, key);
  if (u === null) throw missing(key);
  return u;
}
function readCommon(data) {
  return {
    name: optStr(data, "name", 80),
    appUrl: optUrl(data, "appUrl"),
    at: optTime(data, "at"),
    ip: optStr(data, "ip", 64),
    userAgent: optStr(data, "userAgent", 300)
  };
}
var DEFAULT_MAX;
var init_read = __esm({
  "src/delivery/templates/read.ts"() {
    "use strict";
    DEFAULT_MAX = 200;
  }
});

// src/delivery/templates/otp-code.ts
function readOtpCode(data) {
  const code = str(data, "code", 32);
  if (!/^[0-9A-Za-z-]+$/.test(code)) throw new Error('template data "code" must be digits or letters');
  const purpose = optStr(data, "purpose", 16);
  if (purpose !== null && !PURPOSES.includes(purpose)) throw new Error(`unknown code purpose "${purpose}"`);
  const host = optStr(data, "host", 253);
  if (host !== null && !HOST.test(host)) throw new Error('template data "host" must be a host name');
  const minutes = optInt(data, "minutes") ?? DEFAULT_MINUTES;
  return { ...readCommon(data), code, purpose, host, minutes };
}
function renderOtpCode(d, l) {
  const t = l.otpCode;
  const parts = {
    subject: t.subject,
    name: d.name,
    paragraphs: [t.intro(d.purpose)],
    code: d.code,
    notes: [t.expires(d.minutes), t.neverShare],
    details: d,
    advice: [t.notRequested(d.appUrl)]
  };
  const sms = d.host ? `${t.sms(d.code, d.minutes)}

@${d.host} #${d.code}` : t.sms(d.code, d.minutes);
  return { subject: t.subject, text: renderText(l, parts), html: renderHtml(l, parts), sms };
}
var DEFAULT_MINUTES, PURPOSES, HOST;
var init_otp_code = __esm({
  "src/delivery/templates/otp-code.ts"() {
    "use strict";
    init_layout();
    init_read();
    DEFAULT_MINUTES = 10;
    PURPOSES = ["enroll", "login", "step_up"];
    HOST = /^[a-z0-9.-]+(?::\d+)?$/i;
  }
});

// src/delivery/templates/password-reset.ts
function readPasswordReset(data) {
  return { ...readCommon(data), link: url(data, "link"), minutes: optInt(data, "minutes") ?? DEFAULT_MINUTES2 };
}
function renderPasswordReset(d, l) {
  const t = l.passwordReset;
  const parts = {
    subject: t.subject,
    name: d.name,
    paragraphs: [t.intro],
    action: { label: t.action, url: d.link },
    notes: [t.expires(d.minutes)],
    // Who asked for the link: lets the owner judge a request they did not make.
    details: d,
    advice: [t.notRequested]
  };
  return { subject: t.subject, text: renderText(l, parts), html: renderHtml(l, parts), sms: t.sms(d.link, d.minutes) };
}
var DEFAULT_MINUTES2;
var init_password_reset = __esm({
  "src/delivery/templates/password-reset.ts"() {
    "use strict";
    init_layout();
    init_read();
    DEFAULT_MINUTES2 = 60;
  }
});

// src/delivery/templates/security-notices.ts
function isNoticeName(name) {
  return Object.prototype.hasOwnProperty.call(NOTICES, name);
}
function renderNotice(name, data, l) {
  const def = NOTICES[name];
  const d = def.read(data);
  const t = l.notices[name];
  const advice = def.advice === "not_you" ? [l.advice.ifYou, l.advice.notYou(d.appUrl)] : def.advice === "contact_admin" ? [l.advice.contactAdmin(d.appUrl)] : [];
  const parts = {
    subject: t.subject,
    name: d.name,
    paragraphs: t.body(d),
    action: d.appUrl ? { label: l.advice.openApp, url: d.appUrl } : void 0,
    details: def.details ? d : null,
    advice
  };
  const smsAdvice = def.advice === "not_you" ? l.advice.smsNotYou(d.appUrl) : def.advice === "none" ? d.appUrl ?? "" : "";
  const sms = [t.sms(d), smsAdvice].filter(Boolean).join(" ");
  return { subject: t.subject, text: renderText(l, parts), html: renderHtml(l, parts), sms };
}
var factor, simple, NOTICES, NOTICE_NAMES;
var init_security_notices = __esm({
  "src/delivery/templates/security-notices.ts"() {
    "use strict";
    init_layout();
    init_read();
    factor = (data) => ({
      ...readCommon(data),
      methodType: str(data, "methodType", 32),
      methodName: optStr(data, "methodName", 80)
    });
    simple = { read: readCommon, advice: "not_you", details: true };
    NOTICES = {
      factor_added: { read: factor, advice: "not_you", details: true },
      factor_removed: { read: factor, advice: "not_you", details: true },
      mfa_disabled: simple,
      backup_codes_regenerated: simple,
      backup_code_used: {
        read: (d) => ({ ...readCommon(d), remaining: optInt(d, "remaining") ?? 0 }),
        advice: "not_you",
        details: true
      },
      lockout: {
        read: (d) => ({ ...readCommon(d), until: optTime(d, "until"), hard: optBool(d, "hard") ?? false }),
        advice: "not_you",
        details: true
      },
      password_changed: simple,
      password_reset_done: simple,
      trusted_device_added: {
        read: (d) => ({ ...readCommon(d), deviceName: optStr(d, "deviceName", 80) }),
        advice: "not_you",
        details: true
      },
      mfa_reset_by_admin: {
        read: (d) => ({ ...readCommon(d), reason: optStr(d, "reason", 300) }),
        advice: "contact_admin",
        // The IP and browser are the administrator's; still worth showing, the user may know them.
        details: true
      },
      enrollment_reminder: {
        read: (d) => ({ ...readCommon(d), deadline: time(d, "deadline") }),
        advice: "none",
        details: false
      }
    };
    NOTICE_NAMES = Object.keys(NOTICES);
  }
});

// src/delivery/templates/index.ts
function renderMessage(template, data, locale = DEFAULT_LOCALE) {
  const l = LOCALES[locale] ?? LOCALES[locale.split("-")[0].toLowerCase()] ?? en;
  if (template === "otp_code") return renderOtpCode(readOtpCode(data), l);
  if (template === "password_reset") return renderPasswordReset(readPasswordReset(data), l);
  if (isNoticeName(template)) return renderNotice(template, data, l);
  throw new Error(`unknown message template "${template}"`);
}
var TEMPLATE_NAMES, LOCALES, DEFAULT_LOCALE;
var init_templates = __esm({
  "src/delivery/templates/index.ts"() {
    "use strict";
    init_en();
    init_otp_code();
    init_password_reset();
    init_security_notices();
    init_layout();
    init_user_agent();
    TEMPLATE_NAMES = ["otp_code", "password_reset", ...NOTICE_NAMES];
    LOCALES = Object.freeze({ en });
    DEFAULT_LOCALE = "en";
  }
});

// src/delivery/outbox-worker.ts
function backoffMs(attempt, baseMs = 5e3, maxMs = 36e5) {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}
function errorText(err) {
  const s = err instanceof Error ? err.message : String(err);
  return s.length > MAX_ERROR ? `${s.slice(0, MAX_ERROR - 1)}\u2026` : s;
}
async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(lanes);
  return results;
}
function createOutboxWorker(opts) {
  const { outbox, mailer, sms, clock } = opts;
  const leaseMs = opts.leaseMs ?? 6e4;
  const batch = opts.batch ?? 20;
  const maxAttempts = opts.maxAttempts ?? 8;
  const pollMs = opts.pollMs ?? 1e3;
  const concurrency = opts.concurrency ?? 4;
  const report = (r) => safely(() => opts.onResult?.(r));
  const fault = (err) => safely(() => opts.onError?.(err));
  let running = false;
  let timer;
  const inFlight = /* @__PURE__ */ new Set();
  async function attempt(msg) {
    let r;
    try {
      if (msg.channel !== "email" && msg.channel !== "sms") throw new Error(`unknown channel "${String(msg.channel)}"`);
      const locale = typeof msg.data.locale === "string" ? msg.data.locale : void 0;
      r = renderMessage(msg.template, msg.data, locale);
    } catch (err) {
      return { error: errorText(err), final: true };
    }
    try {
      if (msg.channel === "email") await mailer.send({ to: msg.to, subject: r.subject, text: r.text, html: r.html });
      else await sms.send(msg.to, r.sms);
      return null;
    } catch (err) {
      return { error: errorText(err), final: isPermanent(err) };
    }
  }
  async function deliver(msg, leaseEnd) {
    const base = { id: msg.id, channel: msg.channel, template: msg.template, attempt: msg.attempts };
    try {
      if (leaseEnd - clock.now() < leaseMs / 2) return false;
      const failure = await attempt(msg);
      const now = clock.now();
      if (!failure) {
        await outbox.markSent(msg.id, now);
        report({ ...base, ok: true });
        return true;
      }
      const gaveUp = failure.final || msg.attempts >= maxAttempts;
      const next = gaveUp ? null : now + backoffMs(msg.attempts, opts.backoffBaseMs, opts.backoffMaxMs);
      await outbox.markFailed(msg.id, failure.error, next, now);
      report({ ...base, ok: false, error: failure.error, gaveUp });
      return false;
    } catch (err) {
      fault(err);
      return false;
    }
  }
  async function drainWhile(keepGoing) {
    let sent = 0;
    const seen = /* @__PURE__ */ new Set();
    while (keepGoing()) {
      const now = clock.now();
      const claimed = await outbox.claimDue(now, batch, leaseMs);
      if (claimed.length === 0) break;
      const fresh = claimed.filter((m) => !seen.has(m.id)).length;
      for (const m of claimed) seen.add(m.id);
      const results = await pool(claimed, concurrency, (m) => deliver(m, now + leaseMs));
      sent += results.filter(Boolean).length;
      if (fresh === 0) break;
    }
    return sent;
  }
  function track(p) {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {
    });
    return p;
  }
  function schedule(ms) {
    timer = setTimeout(tick, ms);
    timer.unref();
  }
  function tick() {
    timer = void 0;
    if (!running) return;
    void track(drainWhile(() => running)).catch(fault).finally(() => {
      if (running) schedule(pollMs);
    });
  }
  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = void 0;
      await Promise.allSettled([...inFlight]);
    },
    drain() {
      return track(drainWhile(() => true));
    }
  };
}
function safely(fn) {
  try {
    fn();
  } catch {
  }
}
var MAX_ERROR;
var init_outbox_worker = __esm({
  "src/delivery/outbox-worker.ts"() {
    "use strict";
    init_delivery_error();
    init_templates();
    MAX_ERROR = 500;
  }
});

// src/delivery/enqueue.ts
var init_enqueue = __esm({
  "src/delivery/enqueue.ts"() {
    "use strict";
    init_templates();
  }
});

// src/delivery/index.ts
var init_delivery = __esm({
  "src/delivery/index.ts"() {
    "use strict";
    init_mail_smtp();
    init_mail_console();
    init_sms_twilio();
    init_sms_webhook();
    init_sms_console();
    init_from_config();
    init_delivery_error();
    init_outbox_worker();
    init_enqueue();
    init_templates();
  }
});

// bench/.probe/stubs/pg.mjs
var pg_default;
var init_pg = __esm({
  "bench/.probe/stubs/pg.mjs"() {
    "use strict";
    pg_default = { Pool: class {
    }, types: { getTypeParser() {
    } } };
  }
});

// src/store/repos/codec.ts
function parseJson(text) {
  return JSON.parse(text);
}
function parseJsonOrNull(text) {
  return text === null ? null : JSON.parse(text);
}
function affected(result) {
  return Number(result?.numUpdatedRows ?? result?.numDeletedRows ?? 0n);
}
function inTransaction(db, fn) {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
async function lockUser(trx, dialect, userId) {
  if (dialect === "postgres") {
    await trx.selectFrom("users").select("id").where("id", "=", userId).forUpdate().execute();
  }
}
function likeContains(text) {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
function pageSize(limit) {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  return limit;
}
var toInt, toBool, toBoolOrNull;
var init_codec = __esm({
  "src/store/repos/codec.ts"() {
    "use strict";
    toInt = (b) => b ? 1 : 0;
    toBool = (n) => n !== 0;
    toBoolOrNull = (n) => n === null ? null : n !== 0;
  }
});

// src/store/repos/backup-codes.ts
function createBackupCodesRepo({ db, dialect }) {
  return {
    async replaceAll(userId, codes) {
      await inTransaction(db, async (trx) => {
        await lockUser(trx, dialect, userId);
        await trx.deleteFrom("backup_codes").where("user_id", "=", userId).execute();
        if (codes.length === 0) return;
        await trx.insertInto("backup_codes").values(
          codes.map((c) => ({
            id: c.id,
            user_id: userId,
            code_hash: c.codeHash,
            created_at: c.createdAt,
            used_at: c.usedAt
          }))
        ).execute();
      });
    },
    async consume(userId, codeHash, now) {
      const r = await db.updateTable("backup_codes").set({ used_at: now }).where("user_id", "=", userId).where("code_hash", "=", codeHash).where("used_at", "is", null).executeTakeFirst();
      return affected(r) >= 1;
    },
    async remaining(userId) {
      const r = await db.selectFrom("backup_codes").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId).where("used_at", "is", null).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async deleteAllForUser(userId) {
      await db.deleteFrom("backup_codes").where("user_id", "=", userId).execute();
    },
    /** Users with an enrolled method and fewer than `threshold` unused backup codes (0 included). */
    async usersBelow(threshold) {
      const r = await db.selectFrom(
        (eb) => eb.selectFrom("mfa_methods as m").select((eb2) => [
          "m.user_id",
          eb2.selectFrom("backup_codes as b").select((eb3) => eb3.fn.countAll().as("c")).whereRef("b.user_id", "=", "m.user_id").where("b.used_at", "is", null).as("unused")
        ]).groupBy("m.user_id").as("u")
      ).select((eb) => eb.fn.countAll().as("n")).where("u.unused", "<", threshold).executeTakeFirstOrThrow();
      return Number(r.n);
    }
  };
}
var init_backup_codes = __esm({
  "src/store/repos/backup-codes.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/audience-sql.ts
import { sql } from "kysely";
function inAudience(dialect, audience) {
  if (audience.kind === "none") return NOBODY;
  if (audience.kind === "all") return EVERYBODY;
  if (audience.roles.length === 0) return NOBODY;
  const roles = sql.join(audience.roles);
  return dialect === "sqlite" ? sql`exists (select 1 from json_each(users.roles) where json_each.value in (${roles}))` : sql`exists (select 1 from jsonb_array_elements_text(users.roles::jsonb) as r(v) where r.v in (${roles}))`;
}
var NOBODY, EVERYBODY, WITHOUT_METHODS;
var init_audience_sql = __esm({
  "src/store/repos/audience-sql.ts"() {
    "use strict";
    NOBODY = sql`1 = 0`;
    EVERYBODY = sql`1 = 1`;
    WITHOUT_METHODS = sql`not exists (select 1 from mfa_methods where mfa_methods.user_id = users.id)`;
  }
});

// src/store/repos/users.ts
import { sql as sql2 } from "kysely";
function toUser(r) {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    passwordHash: r.password_hash,
    roles: parseJson(r.roles),
    disabled: toBool(r.disabled),
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
    mfaRequiredSince: r.mfa_required_since,
    mfaFailureStreak: r.mfa_failure_streak
  };
}
function encodeCursor(u) {
  return Buffer.from(JSON.stringify([u.createdAt, u.id])).toString("base64url");
}
function decodeCursor(cursor) {
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && Number.isSafeInteger(v[0]) && typeof v[1] === "string") {
      return [v[0], v[1]];
    }
  } catch {
  }
  return void 0;
}
function createUsersRepo({ db, dialect }) {
  return {
    async create(user) {
      await db.insertInto("users").values({
        id: user.id,
        email: normaliseEmail(user.email),
        name: user.name,
        password_hash: user.passwordHash,
        roles: JSON.stringify(user.roles),
        disabled: toInt(user.disabled),
        created_at: user.createdAt,
        last_login_at: user.lastLoginAt,
        mfa_required_since: user.mfaRequiredSince,
        mfa_failure_streak: user.mfaFailureStreak
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toUser(r);
    },
    async byEmail(email) {
      const r = await db.selectFrom("users").selectAll().where("email", "=", normaliseEmail(email)).executeTakeFirst();
      return r && toUser(r);
    },
    async setPasswordHash(id, hash2) {
      await db.updateTable("users").set({ password_hash: hash2 }).where("id", "=", id).execute();
    },
    async setLastLogin(id, at) {
      await db.updateTable("users").set({ last_login_at: at }).where("id", "=", id).execute();
    },
    async update(id, patch) {
      const set = {};
      if (patch.roles !== void 0) set.roles = JSON.stringify(patch.roles);
      if (patch.disabled !== void 0) set.disabled = toInt(patch.disabled);
      if (patch.name !== void 0) set.name = patch.name;
      if (patch.mfaRequiredSince !== void 0) set.mfa_required_since = patch.mfaRequiredSince;
      if (Object.keys(set).length === 0) return;
      await db.updateTable("users").set(set).where("id", "=", id).execute();
    },
    async incrementFailureStreak(id) {
      const r = await db.updateTable("users").set((eb) => ({ mfa_failure_streak: eb("mfa_failure_streak", "+", 1) })).where("id", "=", id).returning("mfa_failure_streak").executeTakeFirst();
      return r?.mfa_failure_streak ?? 0;
    },
    async resetFailureStreak(id) {
      await db.updateTable("users").set({ mfa_failure_streak: 0 }).where("id", "=", id).execute();
    },
    /** Enabled users holding the `admin` role (a disabled admin cannot administer anything). */
    async countAdmins() {
      const rows = await db.selectFrom("users").select("roles").where("disabled", "=", 0).where("roles", "like", '%"admin"%').execute();
      return rows.filter((r) => parseJson(r.roles).includes("admin")).length;
    },
    /**
     * Users in (created_at, id) order; `query` matches a case-insensitive substring of the email
     * or the name. An unrecognised cursor yields an empty last page rather than restarting.
     */
    async list({ query, cursor, limit: asked }) {
      const limit = pageSize(asked);
      let q = db.selectFrom("users").selectAll();
      if (query !== void 0 && query.trim() !== "") {
        const pattern = likeContains(query.trim().toLowerCase());
        q = q.where(
          (eb) => eb.or([
            sql2`lower(email) like ${pattern} escape '\\'`,
            sql2`lower(coalesce(name, '')) like ${pattern} escape '\\'`
          ])
        );
      }
      if (cursor !== void 0 && cursor !== "") {
        const after = decodeCursor(cursor);
        if (!after) return { users: [], nextCursor: null };
        const [createdAt, id] = after;
        q = q.where(
          (eb) => eb.or([eb("created_at", ">", createdAt), eb.and([eb("created_at", "=", createdAt), eb("id", ">", id)])])
        );
      }
      const rows = await q.orderBy("created_at", "asc").orderBy("id", "asc").limit(limit + 1).execute();
      const users = rows.slice(0, limit).map(toUser);
      const more = rows.length > limit;
      return { users, nextCursor: more && users.length > 0 ? encodeCursor(users[users.length - 1]) : null };
    },
    async count() {
      const r = await db.selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async updateKeepingAnAdmin(id, patch) {
      return inTransaction(db, async (trx) => {
        if (dialect === "postgres") await sql2`select pg_advisory_xact_lock(${sql2.lit(ADMIN_SET_LOCK)})`.execute(trx);
        else await trx.updateTable("users").set((eb) => ({ id: eb.ref("id") })).where("id", "=", id).execute();
        const row = await trx.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
        if (!row) return "not_found";
        const before = toUser(row);
        const roles = patch.roles ?? before.roles;
        const disabled = patch.disabled ?? before.disabled;
        if (isEnabledAdmin(before.roles, before.disabled) && !isEnabledAdmin(roles, disabled)) {
          const others = await trx.selectFrom("users").select("roles").where("disabled", "=", 0).where("id", "<>", id).where("roles", "like", '%"admin"%').execute();
          if (!others.some((r) => parseJson(r.roles).includes("admin"))) return "last_admin";
        }
        await trx.updateTable("users").set({ roles: JSON.stringify(roles), disabled: toInt(disabled) }).where("id", "=", id).execute();
        return "updated";
      });
    }
  };
}
var normaliseEmail, ADMIN_SET_LOCK, isEnabledAdmin;
var init_users = __esm({
  "src/store/repos/users.ts"() {
    "use strict";
    init_codec();
    normaliseEmail = (email) => email.trim().toLowerCase();
    ADMIN_SET_LOCK = 128056318885889;
    isEnabledAdmin = (roles, disabled) => roles.includes("admin") && !disabled;
  }
});

// src/store/repos/enforcement.ts
function createEnforcementRepo({ db, dialect }) {
  return {
    async startGrace(audience, now) {
      if (audience.kind === "none") return 0;
      const r = await db.updateTable("users").set({ mfa_required_since: now }).where("mfa_required_since", "is", null).where("disabled", "=", 0).where(WITHOUT_METHODS).where(inAudience(dialect, audience)).executeTakeFirst();
      return affected(r);
    },
    async unenrolledStartedBetween(audience, from, to, { afterId, limit }) {
      if (audience.kind === "none") return [];
      let q = db.selectFrom("users").selectAll().where("disabled", "=", 0).where("mfa_required_since", ">=", from).where("mfa_required_since", "<", to).where(WITHOUT_METHODS).where(inAudience(dialect, audience));
      if (afterId !== void 0) q = q.where("id", ">", afterId);
      const rows = await q.orderBy("id").limit(limit).execute();
      return rows.map(toUser);
    },
    async claimReminder(userId, kind, deadline) {
      const column = REMINDER_COLUMN[kind];
      const r = await db.updateTable("users").set({ [column]: deadline }).where("id", "=", userId).where((eb) => eb.or([eb(column, "is", null), eb(column, "<>", deadline)])).executeTakeFirst();
      return affected(r) === 1;
    }
  };
}
var REMINDER_COLUMN;
var init_enforcement = __esm({
  "src/store/repos/enforcement.ts"() {
    "use strict";
    init_audience_sql();
    init_codec();
    init_users();
    REMINDER_COLUMN = { "3d": "reminder_3d_deadline", "1d": "reminder_1d_deadline" };
  }
});

// src/store/repos/events.ts
function toEvent(r) {
  return {
    id: Number(r.id),
    type: r.type,
    userId: r.user_id,
    actorId: r.actor_id,
    ip: r.ip,
    userAgent: r.user_agent,
    at: r.at,
    details: parseJson(r.details)
  };
}
function createEventsRepo({ db }) {
  return {
    async append(e) {
      const r = await db.insertInto("security_events").values({
        type: e.type,
        user_id: e.userId,
        actor_id: e.actorId,
        ip: e.ip,
        user_agent: e.userAgent,
        at: e.at,
        details: JSON.stringify(e.details ?? {})
      }).returning("id").executeTakeFirstOrThrow();
      return Number(r.id);
    },
    /**
     * Newest first by id. `since` is inclusive, `until` exclusive; `cursor` is the last id of
     * the previous page (`nextCursor`), which is null on the last page.
     */
    async list({ userId, type, since, until, cursor, limit: asked }) {
      const limit = pageSize(asked);
      if (cursor !== void 0 && !Number.isSafeInteger(cursor)) return { events: [], nextCursor: null };
      let q = db.selectFrom("security_events").selectAll();
      if (userId !== void 0) q = q.where("user_id", "=", userId);
      if (type !== void 0) q = q.where("type", "=", type);
      if (since !== void 0) q = q.where("at", ">=", since);
      if (until !== void 0) q = q.where("at", "<", until);
      if (cursor !== void 0) q = q.where("id", "<", cursor);
      const rows = await q.orderBy("id", "desc").limit(limit + 1).execute();
      const events = rows.slice(0, limit).map(toEvent);
      const more = rows.length > limit && events.length > 0;
      return { events, nextCursor: more ? events[events.length - 1].id : null };
    },
    /** Counts per type since `since` (inclusive); every asked type is present, 0 when none. */
    async countByType(types, since) {
      const out = Object.fromEntries(types.map((t) => [t, 0]));
      if (types.length === 0) return out;
      const rows = await db.selectFrom("security_events").select(["type", (eb) => eb.fn.countAll().as("n")]).where("type", "in", types).where("at", ">=", since).groupBy("type").execute();
      for (const r of rows) out[r.type] = Number(r.n);
      return out;
    }
  };
}
var init_events = __esm({
  "src/store/repos/events.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/key-ids.ts
function createKeyIdsRepo({ db }) {
  return {
    /** Oldest first: in the order they were added (a sequence, whatever the clocks said). */
    async list() {
      const rows = await db.selectFrom("key_ids").select("kid").orderBy("seq", "asc").execute();
      return rows.map((r) => r.kid);
    },
    /** Idempotent, also under a race: two processes adding the first id leave one row. */
    async add(kid, now) {
      await db.insertInto("key_ids").values({ kid, created_at: now }).onConflict((oc) => oc.column("kid").doNothing()).execute();
    }
  };
}
var init_key_ids = __esm({
  "src/store/repos/key-ids.ts"() {
    "use strict";
  }
});

// src/store/repos/methods.ts
function toMethod(r) {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    secretEnc: r.secret_enc,
    totpAlgorithm: r.totp_algorithm,
    totpDigits: r.totp_digits,
    totpPeriod: r.totp_period,
    lastStep: r.last_step,
    destination: r.destination,
    credentialId: r.credential_id,
    publicKey: r.public_key,
    signCount: r.sign_count,
    transports: parseJsonOrNull(r.transports),
    aaguid: r.aaguid,
    deviceType: r.device_type,
    backedUp: toBoolOrNull(r.backed_up)
  };
}
function createMethodsRepo({ db, dialect }) {
  return {
    async insert(m) {
      await db.insertInto("mfa_methods").values({
        id: m.id,
        user_id: m.userId,
        type: m.type,
        name: m.name,
        created_at: m.createdAt,
        last_used_at: m.lastUsedAt,
        secret_enc: m.secretEnc,
        totp_algorithm: m.totpAlgorithm,
        totp_digits: m.totpDigits,
        totp_period: m.totpPeriod,
        last_step: m.lastStep,
        destination: m.destination,
        credential_id: m.credentialId,
        public_key: m.publicKey,
        sign_count: m.signCount,
        transports: m.transports === null ? null : JSON.stringify(m.transports),
        aaguid: m.aaguid,
        device_type: m.deviceType,
        backed_up: m.backedUp === null ? null : m.backedUp ? 1 : 0
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("mfa_methods").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toMethod(r);
    },
    /** In enrolment order. */
    async listForUser(userId) {
      const rows = await db.selectFrom("mfa_methods").selectAll().where("user_id", "=", userId).orderBy("created_at", "asc").orderBy("id", "asc").execute();
      return rows.map(toMethod);
    },
    async byCredentialId(credentialId) {
      const r = await db.selectFrom("mfa_methods").selectAll().where("credential_id", "=", credentialId).executeTakeFirst();
      return r && toMethod(r);
    },
    async rename(id, name) {
      await db.updateTable("mfa_methods").set({ name }).where("id", "=", id).execute();
    },
    async delete(id) {
      return affected(await db.deleteFrom("mfa_methods").where("id", "=", id).executeTakeFirst()) === 1;
    },
    async deleteOwned(id, userId, keepOne) {
      const last = new Error("last method");
      try {
        return await inTransaction(db, async (trx) => {
          await lockUser(trx, dialect, userId);
          const n = affected(await trx.deleteFrom("mfa_methods").where("id", "=", id).where("user_id", "=", userId).executeTakeFirst());
          const row = await trx.selectFrom("mfa_methods").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow();
          const remaining = Number(row.n);
          if (n === 0) return { outcome: "not_found", remaining };
          if (keepOne && remaining === 0) throw last;
          return { outcome: "deleted", remaining };
        });
      } catch (err) {
        if (err === last) return { outcome: "last", remaining: 1 };
        throw err;
      }
    },
    async deleteAllForUser(userId) {
      return affected(await db.deleteFrom("mfa_methods").where("user_id", "=", userId).executeTakeFirst());
    },
    async touch(id, now) {
      await db.updateTable("mfa_methods").set({ last_used_at: now }).where("id", "=", id).execute();
    },
    async advanceTotpStep(id, step, now) {
      const r = await db.updateTable("mfa_methods").set({ last_step: step, last_used_at: now }).where("id", "=", id).where("type", "=", "totp").where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)])).executeTakeFirst();
      return affected(r) === 1;
    },
    async updateSignCount(id, expected, next, now) {
      const r = await db.updateTable("mfa_methods").set({ sign_count: next, last_used_at: now }).where("id", "=", id).where("sign_count", "=", expected).executeTakeFirst();
      return affected(r) === 1;
    },
    async updateSecret(id, secretEnc) {
      await db.updateTable("mfa_methods").set({ secret_enc: secretEnc }).where("id", "=", id).execute();
    },
    async listWithSecrets() {
      const rows = await db.selectFrom("mfa_methods").select(["id", "user_id", "secret_enc"]).where("secret_enc", "is not", null).orderBy("id").execute();
      return rows.map((r) => ({ id: r.id, userId: r.user_id, secretEnc: r.secret_enc }));
    },
    async countByType() {
      const rows = await db.selectFrom("mfa_methods").select(["type", (eb) => eb.fn.countAll().as("n")]).groupBy("type").execute();
      return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    },
    async typesForUsers(userIds) {
      if (userIds.length === 0) return {};
      const rows = await db.selectFrom("mfa_methods").select(["user_id", "type"]).distinct().where("user_id", "in", userIds).orderBy("user_id").orderBy("type").execute();
      const out = {};
      for (const r of rows) (out[r.user_id] ??= []).push(r.type);
      return out;
    },
    async usersWithMfa() {
      const r = await db.selectFrom("mfa_methods").select((eb) => eb.fn.count("user_id").distinct().as("n")).executeTakeFirstOrThrow();
      return Number(r.n);
    }
  };
}
var init_methods = __esm({
  "src/store/repos/methods.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/mfa-pending.ts
function toPending(r) {
  return {
    id: r.id,
    userId: r.user_id,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    attempts: r.attempts,
    consumedAt: r.consumed_at,
    ip: r.ip,
    userAgent: r.user_agent
  };
}
function createMfaPendingRepo({ db }) {
  return {
    async create(rec) {
      await db.insertInto("mfa_pending").values({
        id: rec.id,
        user_id: rec.userId,
        secret_hash: rec.secretHash,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt,
        attempts: rec.attempts,
        consumed_at: rec.consumedAt,
        ip: rec.ip,
        user_agent: rec.userAgent
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("mfa_pending").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toPending(r);
    },
    async reserveAttempt(id, maxAttempts, now) {
      const r = await db.updateTable("mfa_pending").set((eb) => ({ attempts: eb("attempts", "+", 1) })).where("id", "=", id).where("attempts", "<", maxAttempts).where("consumed_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    },
    async consume(id, now) {
      const r = await db.updateTable("mfa_pending").set({ consumed_at: now }).where("id", "=", id).where("consumed_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    }
  };
}
var init_mfa_pending = __esm({
  "src/store/repos/mfa-pending.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/otp-challenges.ts
import { sql as sql3 } from "kysely";
function toChallenge(r) {
  return {
    id: r.id,
    userId: r.user_id,
    channel: r.channel,
    purpose: r.purpose,
    mfaPendingId: r.mfa_pending_id,
    destination: r.destination,
    codeHash: r.code_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    attempts: r.attempts,
    consumedAt: r.consumed_at
  };
}
function rowOf(rec) {
  return {
    id: rec.id,
    user_id: rec.userId,
    channel: rec.channel,
    purpose: rec.purpose,
    mfa_pending_id: rec.mfaPendingId,
    destination: rec.destination,
    code_hash: rec.codeHash,
    created_at: rec.createdAt,
    expires_at: rec.expiresAt,
    attempts: rec.attempts,
    consumed_at: rec.consumedAt
  };
}
function createOtpChallengesRepo({ db, dialect }) {
  return {
    async replace(rec) {
      await inTransaction(db, async (trx) => {
        await lockUser(trx, dialect, rec.userId);
        await trx.deleteFrom("otp_challenges").where("user_id", "=", rec.userId).where("channel", "=", rec.channel).where("purpose", "=", rec.purpose).where("consumed_at", "is", null).execute();
        await trx.insertInto("otp_challenges").values({
          id: rec.id,
          user_id: rec.userId,
          channel: rec.channel,
          purpose: rec.purpose,
          mfa_pending_id: rec.mfaPendingId,
          destination: rec.destination,
          code_hash: rec.codeHash,
          created_at: rec.createdAt,
          expires_at: rec.expiresAt,
          attempts: rec.attempts,
          consumed_at: rec.consumedAt
        }).execute();
      });
    },
    async replaceCarryingAttempts(rec, now) {
      return inTransaction(db, async (trx) => {
        await lockUser(trx, dialect, rec.userId);
        const gone = await trx.deleteFrom("otp_challenges").where("user_id", "=", rec.userId).where("channel", "=", rec.channel).where("purpose", "=", rec.purpose).where("consumed_at", "is", null).returning(["attempts", "expires_at", "mfa_pending_id"]).execute();
        const carried = gone.filter((r) => Number(r.expires_at) > now && r.mfa_pending_id === rec.mfaPendingId).reduce((max, r) => Math.max(max, Number(r.attempts)), 0);
        const attempts = Math.max(rec.attempts, carried);
        await trx.insertInto("otp_challenges").values(rowOf({ ...rec, attempts })).execute();
        return attempts;
      });
    },
    /**
     * The newest challenge for (user, channel, purpose) bound to `mfaPendingId` (null: unbound),
     * consumed or expired ones included: the caller judges them. `replace` leaves at most one
     * unconsumed challenge, and it is the newest; it comes first even when a consumed one was
     * created in the same millisecond (a resend right after a use), where time alone cannot tell.
     */
    async latest(userId, channel, purpose, mfaPendingId) {
      let q = db.selectFrom("otp_challenges").selectAll().where("user_id", "=", userId).where("channel", "=", channel).where("purpose", "=", purpose);
      q = mfaPendingId === null ? q.where("mfa_pending_id", "is", null) : q.where("mfa_pending_id", "=", mfaPendingId);
      const r = await q.orderBy(sql3`case when consumed_at is null then 0 else 1 end`).orderBy("created_at", "desc").orderBy("id", "desc").limit(1).executeTakeFirst();
      return r && toChallenge(r);
    },
    async reserveAttempt(id, maxAttempts, now) {
      const r = await db.updateTable("otp_challenges").set((eb) => ({ attempts: eb("attempts", "+", 1) })).where("id", "=", id).where("attempts", "<", maxAttempts).where("consumed_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    },
    async consume(id, now) {
      const r = await db.updateTable("otp_challenges").set({ consumed_at: now }).where("id", "=", id).where("consumed_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    },
    async delete(id) {
      await db.deleteFrom("otp_challenges").where("id", "=", id).execute();
    }
  };
}
var init_otp_challenges = __esm({
  "src/store/repos/otp-challenges.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/outbox.ts
function toMessage(r) {
  return {
    id: r.id,
    channel: r.channel,
    to: r.recipient,
    template: r.template,
    data: parseJson(r.data),
    createdAt: r.created_at,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    sentAt: r.sent_at,
    failedAt: r.failed_at,
    lastError: r.last_error
  };
}
function createOutboxRepo({ db, dialect }) {
  return {
    async enqueue(m) {
      await db.insertInto("outbox").values({
        id: m.id,
        channel: m.channel,
        recipient: m.to,
        template: m.template,
        data: JSON.stringify(m.data),
        created_at: m.createdAt,
        attempts: m.attempts,
        next_attempt_at: m.nextAttemptAt,
        lease_until: null,
        sent_at: m.sentAt,
        failed_at: m.failedAt,
        last_error: m.lastError
      }).execute();
    },
    /**
     * Leases up to `limit` due messages (oldest due first) until `now + leaseMs`, counting the
     * claim in `attempts` (so the returned `attempts` includes this one, and a worker that dies
     * mid-send still uses up an attempt). A lapsed lease makes the message claimable again.
     *
     * One conditional UPDATE: the lease test is in the UPDATE's own WHERE, which PostgreSQL
     * re-checks on the latest row version after waiting for a competing claimer, so a message
     * is never claimed twice. On PostgreSQL the candidate scan also uses FOR UPDATE SKIP LOCKED
     * so concurrent workers pick different messages instead of queueing on the same ones.
     *
     * The candidates are a MATERIALIZED CTE, not an `IN (subquery)`: PostgreSQL may run such a
     * subquery again for every outer row (nested-loop semi-join), and a re-run LIMIT with SKIP
     * LOCKED picks other rows, so `limit` would not hold (seen: 3 rows claimed for limit 2).
     */
    async claimDue(now, limit, leaseMs) {
      const rows = await db.with(
        (cte) => cte("candidates").materialized(),
        (qc) => {
          const q = qc.selectFrom("outbox").select("id").where("sent_at", "is", null).where("failed_at", "is", null).where("next_attempt_at", "<=", now).where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<=", now)])).orderBy("next_attempt_at", "asc").orderBy("id", "asc").limit(limit);
          return dialect === "postgres" ? q.forUpdate().skipLocked() : q;
        }
      ).updateTable("outbox").set((eb) => ({ lease_until: now + leaseMs, attempts: eb("attempts", "+", 1) })).where("id", "in", (eb) => eb.selectFrom("candidates").select("candidates.id")).where("sent_at", "is", null).where("failed_at", "is", null).where("next_attempt_at", "<=", now).where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<=", now)])).returningAll().execute();
      return rows.map(toMessage).sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.id < b.id ? -1 : 1));
    },
    async markSent(id, now) {
      await db.updateTable("outbox").set({ sent_at: now, lease_until: null, last_error: null }).where("id", "=", id).execute();
    },
    /** `nextAttemptAt` null gives up: the message is marked failed for good. */
    async markFailed(id, error, nextAttemptAt, now) {
      await db.updateTable("outbox").set(
        nextAttemptAt === null ? { failed_at: now, lease_until: null, last_error: error } : { next_attempt_at: nextAttemptAt, lease_until: null, last_error: error }
      ).where("id", "=", id).execute();
    },
    /** Messages neither sent nor failed for good. */
    async pending() {
      const r = await db.selectFrom("outbox").select((eb) => eb.fn.countAll().as("n")).where("sent_at", "is", null).where("failed_at", "is", null).executeTakeFirstOrThrow();
      return Number(r.n);
    }
  };
}
var init_outbox = __esm({
  "src/store/repos/outbox.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/password-resets.ts
function toReset(r) {
  return {
    id: r.id,
    userId: r.user_id,
    secretHash: r.secret_hash,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at
  };
}
function createPasswordResetsRepo({ db }) {
  return {
    async create(rec) {
      await db.insertInto("password_resets").values({
        id: rec.id,
        user_id: rec.userId,
        secret_hash: rec.secretHash,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt,
        used_at: rec.usedAt
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("password_resets").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toReset(r);
    },
    /** True for exactly one caller, and never once the link expired. */
    async consume(id, now) {
      const r = await db.updateTable("password_resets").set({ used_at: now }).where("id", "=", id).where("used_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    },
    /** Marks every outstanding link of the user used, so only the newest one (issued after) works. */
    async invalidateForUser(userId, now) {
      await db.updateTable("password_resets").set({ used_at: now }).where("user_id", "=", userId).where("used_at", "is", null).execute();
    }
  };
}
var init_password_resets = __esm({
  "src/store/repos/password-resets.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/policy.ts
function createPolicyRepo({ db }) {
  return {
    /** Undefined until an administrator first saves one (callers then use the defaults). */
    async get() {
      const r = await db.selectFrom("policy").select("data").where("id", "=", POLICY_ROW).executeTakeFirst();
      return r && parseJson(r.data);
    },
    async put(policy, now) {
      const data = JSON.stringify(policy);
      await db.insertInto("policy").values({ id: POLICY_ROW, data, updated_at: now }).onConflict((oc) => oc.column("id").doUpdateSet({ data, updated_at: now })).execute();
    }
  };
}
var POLICY_ROW;
var init_policy2 = __esm({
  "src/store/repos/policy.ts"() {
    "use strict";
    init_codec();
    POLICY_ROW = 1;
  }
});

// src/store/repos/refresh-tokens.ts
function toRecord(r) {
  return { hash: r.hash, sessionId: r.session_id, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at };
}
function createRefreshTokensRepo({ db }) {
  return {
    async insert(rec) {
      await db.insertInto("refresh_tokens").values({
        hash: rec.hash,
        session_id: rec.sessionId,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt,
        used_at: rec.usedAt
      }).execute();
    },
    async byHash(hash2) {
      const r = await db.selectFrom("refresh_tokens").selectAll().where("hash", "=", hash2).executeTakeFirst();
      return r && toRecord(r);
    },
    /**
     * Compare-and-set on `used_at`: true for exactly one caller, never for an expired token, so
     * a replayed refresh token is detected (rotation, RFC 6819 5.2.2.3) even under a race.
     */
    async markUsed(hash2, now) {
      const r = await db.updateTable("refresh_tokens").set({ used_at: now }).where("hash", "=", hash2).where("used_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    }
  };
}
var init_refresh_tokens = __esm({
  "src/store/repos/refresh-tokens.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/sessions.ts
function toSession(r) {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    ip: r.ip,
    userAgent: r.user_agent,
    amr: parseJson(r.amr),
    acr: r.acr,
    mfaVerifiedAt: r.mfa_verified_at,
    enrollmentOnly: toBool(r.enrollment_only)
  };
}
function createSessionsRepo({ db }) {
  return {
    async create(s) {
      await db.insertInto("sessions").values({
        id: s.id,
        user_id: s.userId,
        created_at: s.createdAt,
        last_used_at: s.lastUsedAt,
        expires_at: s.expiresAt,
        revoked_at: s.revokedAt,
        ip: s.ip,
        user_agent: s.userAgent,
        amr: JSON.stringify(s.amr),
        acr: s.acr,
        mfa_verified_at: s.mfaVerifiedAt,
        enrollment_only: toInt(s.enrollmentOnly)
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toSession(r);
    },
    /** Most recently used first. */
    async listLive(userId, now) {
      const rows = await db.selectFrom("sessions").selectAll().where("user_id", "=", userId).where("revoked_at", "is", null).where("expires_at", ">", now).orderBy("last_used_at", "desc").orderBy("id", "asc").execute();
      return rows.map(toSession);
    },
    async touch(id, now) {
      await db.updateTable("sessions").set({ last_used_at: now }).where("id", "=", id).execute();
    },
    async revoke(id, now) {
      const r = await db.updateTable("sessions").set({ revoked_at: now }).where("id", "=", id).where("revoked_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    },
    /** Revokes every live session of the user (but `exceptId`); answers how many. */
    async revokeAllForUser(userId, now, exceptId) {
      let q = db.updateTable("sessions").set({ revoked_at: now }).where("user_id", "=", userId).where("revoked_at", "is", null).where("expires_at", ">", now);
      if (exceptId !== void 0) q = q.where("id", "!=", exceptId);
      return affected(await q.executeTakeFirst());
    },
    async markMfaVerified(id, now, amr, acr) {
      await db.updateTable("sessions").set({ mfa_verified_at: now, last_used_at: now, amr: JSON.stringify(amr), acr }).where("id", "=", id).execute();
    },
    async clearEnrollmentOnly(id) {
      await db.updateTable("sessions").set({ enrollment_only: 0 }).where("id", "=", id).execute();
    }
  };
}
var init_sessions = __esm({
  "src/store/repos/sessions.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/signing-keys.ts
function toKey(r) {
  return {
    kid: r.kid,
    alg: r.alg,
    privateEnc: r.private_enc,
    publicJwk: r.public_jwk,
    createdAt: r.created_at,
    retiredAt: r.retired_at
  };
}
function createSigningKeysRepo({ db }) {
  return {
    async insert(k) {
      await db.insertInto("signing_keys").values({
        kid: k.kid,
        alg: k.alg,
        private_enc: k.privateEnc,
        public_jwk: k.publicJwk,
        created_at: k.createdAt,
        retired_at: k.retiredAt
      }).execute();
    },
    async listActive() {
      const rows = await db.selectFrom("signing_keys").selectAll().where("retired_at", "is", null).orderBy("created_at", "asc").orderBy("kid", "asc").execute();
      return rows.map(toKey);
    },
    async retire(kid, at) {
      await db.updateTable("signing_keys").set({ retired_at: at }).where("kid", "=", kid).where("retired_at", "is", null).execute();
    },
    async updatePrivate(kid, privateEnc) {
      await db.updateTable("signing_keys").set({ private_enc: privateEnc }).where("kid", "=", kid).execute();
    },
    async all() {
      const rows = await db.selectFrom("signing_keys").selectAll().orderBy("created_at", "asc").orderBy("kid", "asc").execute();
      return rows.map(toKey);
    }
  };
}
var init_signing_keys = __esm({
  "src/store/repos/signing-keys.ts"() {
    "use strict";
  }
});

// src/core/types.ts
var MFA_METHOD_TYPES, VERIFY_METHODS;
var init_types = __esm({
  "src/core/types.ts"() {
    "use strict";
    MFA_METHOD_TYPES = ["totp", "webauthn", "email", "sms"];
    VERIFY_METHODS = ["totp", "webauthn", "email", "sms", "backup_code"];
  }
});

// src/store/repos/stats.ts
import { sql as sql4 } from "kysely";
function createStatsRepo({ db, dialect }) {
  const detailsMethod = dialect === "sqlite" ? sql4`json_extract(details, '$.method')` : sql4`(details::json ->> 'method')`;
  return {
    async usersByMethod() {
      const rows = await db.selectFrom("mfa_methods").select(["type", (eb) => eb.fn.count("user_id").distinct().as("n")]).groupBy("type").execute();
      const out = Object.fromEntries(MFA_METHOD_TYPES.map((t) => [t, 0]));
      for (const r of rows) if (r.type in out) out[r.type] = Number(r.n);
      return out;
    },
    async eventsByMethod(types, since, recentSince) {
      if (types.length === 0) return [];
      const rows = await db.selectFrom("security_events").select([
        "type",
        detailsMethod.as("method"),
        (eb) => eb.fn.countAll().as("total"),
        sql4`sum(case when at >= ${recentSince} then 1 else 0 end)`.as("recent")
      ]).where("type", "in", types).where("at", ">=", since).groupBy(["type", detailsMethod]).execute();
      return rows.map((r) => ({ type: r.type, method: r.method === null ? null : String(r.method), total: Number(r.total), recent: Number(r.recent ?? 0) }));
    },
    async graceCounts(audience, graceMs, now) {
      if (audience.kind === "none") return { inside: 0, past: 0 };
      const threshold = now - graceMs;
      const r = await db.selectFrom("users").select([
        sql4`sum(case when mfa_required_since > ${threshold} then 1 else 0 end)`.as("inside"),
        sql4`sum(case when mfa_required_since <= ${threshold} then 1 else 0 end)`.as("past")
      ]).where("disabled", "=", 0).where("mfa_required_since", "is not", null).where(WITHOUT_METHODS).where(inAudience(dialect, audience)).executeTakeFirstOrThrow();
      return { inside: Number(r.inside ?? 0), past: Number(r.past ?? 0) };
    }
  };
}
var init_stats = __esm({
  "src/store/repos/stats.ts"() {
    "use strict";
    init_types();
    init_audience_sql();
  }
});

// src/store/repos/totp-enrollments.ts
function toEnrollment(r) {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    secretEnc: r.secret_enc,
    algorithm: r.algorithm,
    digits: r.digits,
    period: r.period,
    createdAt: r.created_at,
    expiresAt: r.expires_at
  };
}
function createTotpEnrollmentsRepo({ db }) {
  return {
    async create(rec) {
      await db.insertInto("totp_enrollments").values({
        id: rec.id,
        user_id: rec.userId,
        name: rec.name,
        secret_enc: rec.secretEnc,
        algorithm: rec.algorithm,
        digits: rec.digits,
        period: rec.period,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("totp_enrollments").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toEnrollment(r);
    },
    async consume(id) {
      return affected(await db.deleteFrom("totp_enrollments").where("id", "=", id).executeTakeFirst()) === 1;
    },
    async updateSecret(id, secretEnc) {
      await db.updateTable("totp_enrollments").set({ secret_enc: secretEnc }).where("id", "=", id).execute();
    },
    async listWithSecrets() {
      const rows = await db.selectFrom("totp_enrollments").select(["id", "user_id", "secret_enc"]).orderBy("id").execute();
      return rows.map((r) => ({ id: r.id, userId: r.user_id, secretEnc: r.secret_enc }));
    }
  };
}
var init_totp_enrollments = __esm({
  "src/store/repos/totp-enrollments.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/trusted-devices.ts
function toDevice(r) {
  return {
    id: r.id,
    userId: r.user_id,
    secretHash: r.secret_hash,
    name: r.name,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    ip: r.ip,
    userAgent: r.user_agent
  };
}
function createTrustedDevicesRepo({ db }) {
  return {
    async create(rec) {
      await db.insertInto("trusted_devices").values({
        id: rec.id,
        user_id: rec.userId,
        secret_hash: rec.secretHash,
        name: rec.name,
        created_at: rec.createdAt,
        last_used_at: rec.lastUsedAt,
        expires_at: rec.expiresAt,
        revoked_at: rec.revokedAt,
        ip: rec.ip,
        user_agent: rec.userAgent
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("trusted_devices").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toDevice(r);
    },
    /** Not revoked and not expired at `now`, newest first. */
    async listLive(userId, now) {
      const rows = await db.selectFrom("trusted_devices").selectAll().where("user_id", "=", userId).where("revoked_at", "is", null).where("expires_at", ">", now).orderBy("created_at", "desc").orderBy("id", "asc").execute();
      return rows.map(toDevice);
    },
    async touch(id, now) {
      await db.updateTable("trusted_devices").set({ last_used_at: now }).where("id", "=", id).execute();
    },
    /** Only the owner's device, only once: false for another user's id or an already revoked one. */
    async revoke(id, userId, now) {
      const r = await db.updateTable("trusted_devices").set({ revoked_at: now }).where("id", "=", id).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst();
      return affected(r) === 1;
    },
    async revokeAllForUser(userId, now) {
      const r = await db.updateTable("trusted_devices").set({ revoked_at: now }).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst();
      return affected(r);
    }
  };
}
var init_trusted_devices = __esm({
  "src/store/repos/trusted-devices.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/repos/webauthn-challenges.ts
function toChallenge2(r) {
  return {
    id: r.id,
    userId: r.user_id,
    mfaPendingId: r.mfa_pending_id,
    purpose: r.purpose,
    challenge: r.challenge,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at
  };
}
function createWebAuthnChallengesRepo({ db }) {
  return {
    async create(rec) {
      await db.insertInto("webauthn_challenges").values({
        id: rec.id,
        user_id: rec.userId,
        mfa_pending_id: rec.mfaPendingId,
        purpose: rec.purpose,
        challenge: rec.challenge,
        created_at: rec.createdAt,
        expires_at: rec.expiresAt,
        used_at: rec.usedAt
      }).execute();
    },
    async byId(id) {
      const r = await db.selectFrom("webauthn_challenges").selectAll().where("id", "=", id).executeTakeFirst();
      return r && toChallenge2(r);
    },
    async byChallenge(challenge) {
      const r = await db.selectFrom("webauthn_challenges").selectAll().where("challenge", "=", challenge).executeTakeFirst();
      return r && toChallenge2(r);
    },
    /** WebAuthn L3 13.4.3: a challenge is used once; true for exactly one caller, never after expiry. */
    async consume(id, now) {
      const r = await db.updateTable("webauthn_challenges").set({ used_at: now }).where("id", "=", id).where("used_at", "is", null).where("expires_at", ">", now).executeTakeFirst();
      return affected(r) === 1;
    }
  };
}
var init_webauthn_challenges = __esm({
  "src/store/repos/webauthn-challenges.ts"() {
    "use strict";
    init_codec();
  }
});

// src/store/kysely-store.ts
import { sql as sql5 } from "kysely";
function createKyselyStore(db, dialect, close = async () => {
}) {
  const deps = { db, dialect };
  const store = {
    keyIds: createKeyIdsRepo(deps),
    users: createUsersRepo(deps),
    sessions: createSessionsRepo(deps),
    refreshTokens: createRefreshTokensRepo(deps),
    mfaPending: createMfaPendingRepo(deps),
    passwordResets: createPasswordResetsRepo(deps),
    events: createEventsRepo(deps),
    signingKeys: createSigningKeysRepo(deps),
    methods: createMethodsRepo(deps),
    totpEnrollments: createTotpEnrollmentsRepo(deps),
    backupCodes: createBackupCodesRepo(deps),
    otpChallenges: createOtpChallengesRepo(deps),
    trustedDevices: createTrustedDevicesRepo(deps),
    webauthnChallenges: createWebAuthnChallengesRepo(deps),
    policy: createPolicyRepo(deps),
    outbox: createOutboxRepo(deps),
    enforcement: createEnforcementRepo(deps),
    stats: createStatsRepo(deps),
    // Inside `fn`, use only `tx`: on SQLite the one connection is held by the transaction, so a
    // query through the outer store would wait for it forever.
    transaction(fn) {
      if (db.isTransaction) return fn(store);
      return db.transaction().execute((trx) => fn(createKyselyStore(trx, dialect)));
    },
    async ping() {
      await sql5`select 1`.execute(db);
    },
    close: db.isTransaction ? async () => {
    } : close
  };
  return store;
}
var init_kysely_store = __esm({
  "src/store/kysely-store.ts"() {
    "use strict";
    init_backup_codes();
    init_enforcement();
    init_events();
    init_key_ids();
    init_methods();
    init_mfa_pending();
    init_otp_challenges();
    init_outbox();
    init_password_resets();
    init_policy2();
    init_refresh_tokens();
    init_sessions();
    init_signing_keys();
    init_stats();
    init_totp_enrollments();
    init_trusted_devices();
    init_users();
    init_webauthn_challenges();
  }
});

// src/store/migrations/postgres/0001_init.ts
var init_exports = {};
__export(init_exports, {
  down: () => down,
  up: () => up
});
import { sql as sql6 } from "kysely";
async function up(db) {
  await db.schema.createTable("users").addColumn("id", "text", (c) => c.primaryKey()).addColumn("email", "text", (c) => c.notNull().unique()).addColumn("name", "text").addColumn("password_hash", "text").addColumn("roles", "text", (c) => c.notNull().defaultTo("[]")).addColumn("disabled", INT, (c) => c.notNull().defaultTo(0)).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("last_login_at", TIME).addColumn("mfa_required_since", TIME).addColumn("mfa_failure_streak", INT, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("users_created_id").on("users").columns(["created_at", "id"]).execute();
  await db.schema.createTable("sessions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("last_used_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("revoked_at", TIME).addColumn("ip", "text").addColumn("user_agent", "text").addColumn("amr", "text", (c) => c.notNull().defaultTo("[]")).addColumn("acr", "text", (c) => c.notNull()).addColumn("mfa_verified_at", TIME).addColumn("enrollment_only", INT, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
  await db.schema.createTable("refresh_tokens").addColumn("hash", "text", (c) => c.primaryKey()).addColumn("session_id", "text", (c) => c.notNull().references("sessions.id").onDelete("cascade")).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("used_at", TIME).execute();
  await db.schema.createIndex("refresh_tokens_session").on("refresh_tokens").column("session_id").execute();
  await db.schema.createTable("mfa_pending").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("secret_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("attempts", INT, (c) => c.notNull().defaultTo(0)).addColumn("consumed_at", TIME).addColumn("ip", "text").addColumn("user_agent", "text").execute();
  await db.schema.createIndex("mfa_pending_user").on("mfa_pending").column("user_id").execute();
  await db.schema.createTable("password_resets").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("secret_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("used_at", TIME).execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").column("user_id").execute();
  await db.schema.createTable("security_events").addColumn("id", "bigint", (c) => c.generatedByDefaultAsIdentity().primaryKey()).addColumn("type", "text", (c) => c.notNull()).addColumn("user_id", "text").addColumn("actor_id", "text").addColumn("ip", "text").addColumn("user_agent", "text").addColumn("at", TIME, (c) => c.notNull()).addColumn("details", "text", (c) => c.notNull().defaultTo("{}")).execute();
  await db.schema.createIndex("security_events_user_id").on("security_events").columns(["user_id", "id"]).execute();
  await db.schema.createIndex("security_events_type_id").on("security_events").columns(["type", "id"]).execute();
  await db.schema.createIndex("security_events_at").on("security_events").column("at").execute();
  await db.schema.createTable("signing_keys").addColumn("kid", "text", (c) => c.primaryKey()).addColumn("alg", "text", (c) => c.notNull()).addColumn("private_enc", "text", (c) => c.notNull()).addColumn("public_jwk", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("retired_at", TIME).execute();
  await db.schema.createTable("mfa_methods").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("type", "text", (c) => c.notNull()).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("last_used_at", TIME).addColumn("secret_enc", "text").addColumn("totp_algorithm", "text").addColumn("totp_digits", INT).addColumn("totp_period", INT).addColumn("last_step", TIME).addColumn("destination", "text").addColumn("credential_id", "text", (c) => c.unique()).addColumn("public_key", "text").addColumn("sign_count", TIME).addColumn("transports", "text").addColumn("aaguid", "text").addColumn("device_type", "text").addColumn("backed_up", INT).execute();
  await db.schema.createIndex("mfa_methods_user").on("mfa_methods").column("user_id").execute();
  await db.schema.createTable("totp_enrollments").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("name", "text", (c) => c.notNull()).addColumn("secret_enc", "text", (c) => c.notNull()).addColumn("algorithm", "text", (c) => c.notNull()).addColumn("digits", INT, (c) => c.notNull()).addColumn("period", INT, (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).execute();
  await db.schema.createIndex("totp_enrollments_user").on("totp_enrollments").column("user_id").execute();
  await db.schema.createTable("backup_codes").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("code_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("used_at", TIME).execute();
  await db.schema.createIndex("backup_codes_user_hash").on("backup_codes").columns(["user_id", "code_hash"]).execute();
  await db.schema.createTable("otp_challenges").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("channel", "text", (c) => c.notNull()).addColumn("purpose", "text", (c) => c.notNull()).addColumn("mfa_pending_id", "text").addColumn("destination", "text", (c) => c.notNull()).addColumn("code_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("attempts", INT, (c) => c.notNull().defaultTo(0)).addColumn("consumed_at", TIME).execute();
  await db.schema.createIndex("otp_challenges_lookup").on("otp_challenges").columns(["user_id", "channel", "purpose", "created_at"]).execute();
  await db.schema.createTable("trusted_devices").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("secret_hash", "text", (c) => c.notNull()).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("last_used_at", TIME).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("revoked_at", TIME).addColumn("ip", "text").addColumn("user_agent", "text").execute();
  await db.schema.createIndex("trusted_devices_user").on("trusted_devices").column("user_id").execute();
  await db.schema.createTable("webauthn_challenges").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade")).addColumn("mfa_pending_id", "text").addColumn("purpose", "text", (c) => c.notNull()).addColumn("challenge", "text", (c) => c.notNull().unique()).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("expires_at", TIME, (c) => c.notNull()).addColumn("used_at", TIME).execute();
  await db.schema.createIndex("webauthn_challenges_user").on("webauthn_challenges").column("user_id").execute();
  await db.schema.createTable("policy").addColumn("id", INT, (c) => c.primaryKey().check(sql6`id = 1`)).addColumn("data", "text", (c) => c.notNull()).addColumn("updated_at", TIME, (c) => c.notNull()).execute();
  await db.schema.createTable("outbox").addColumn("id", "text", (c) => c.primaryKey()).addColumn("channel", "text", (c) => c.notNull()).addColumn("recipient", "text", (c) => c.notNull()).addColumn("template", "text", (c) => c.notNull()).addColumn("data", "text", (c) => c.notNull().defaultTo("{}")).addColumn("created_at", TIME, (c) => c.notNull()).addColumn("attempts", INT, (c) => c.notNull().defaultTo(0)).addColumn("next_attempt_at", TIME, (c) => c.notNull()).addColumn("lease_until", TIME).addColumn("sent_at", TIME).addColumn("failed_at", TIME).addColumn("last_error", "text").execute();
  await db.schema.createIndex("outbox_due").on("outbox").column("next_attempt_at").where(sql6.ref("sent_at"), "is", null).where(sql6.ref("failed_at"), "is", null).execute();
  await db.schema.createTable("rate_limits").addColumn("key", "text", (c) => c.primaryKey()).addColumn("points", INT, (c) => c.notNull().defaultTo(0)).addColumn("expire", TIME).execute();
  await db.schema.createIndex("rate_limits_expire").on("rate_limits").column("expire").execute();
}
async function down(db) {
  for (const table of [
    "rate_limits",
    "outbox",
    "policy",
    "webauthn_challenges",
    "trusted_devices",
    "otp_challenges",
    "backup_codes",
    "totp_enrollments",
    "mfa_methods",
    "signing_keys",
    "security_events",
    "password_resets",
    "mfa_pending",
    "refresh_tokens",
    "sessions",
    "users"
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
var TIME, INT;
var init_init = __esm({
  "src/store/migrations/postgres/0001_init.ts"() {
    "use strict";
    TIME = "bigint";
    INT = "integer";
  }
});

// src/store/migrations/postgres/0002_key_ids.ts
var key_ids_exports = {};
__export(key_ids_exports, {
  down: () => down2,
  up: () => up2
});
async function up2(db) {
  await db.schema.createTable("key_ids").addColumn("seq", "bigint", (c) => c.generatedByDefaultAsIdentity().primaryKey()).addColumn("kid", "text", (c) => c.notNull().unique()).addColumn("created_at", "bigint", (c) => c.notNull()).execute();
}
async function down2(db) {
  await db.schema.dropTable("key_ids").ifExists().execute();
}
var init_key_ids2 = __esm({
  "src/store/migrations/postgres/0002_key_ids.ts"() {
    "use strict";
  }
});

// src/store/migrations/postgres/0003_admin.ts
var admin_exports = {};
__export(admin_exports, {
  down: () => down3,
  up: () => up3
});
async function up3(db) {
  await db.schema.alterTable("users").addColumn("reminder_3d_deadline", "bigint").execute();
  await db.schema.alterTable("users").addColumn("reminder_1d_deadline", "bigint").execute();
  await db.schema.createIndex("users_mfa_required_since").on("users").column("mfa_required_since").execute();
}
async function down3(db) {
  await db.schema.dropIndex("users_mfa_required_since").ifExists().execute();
  await db.schema.alterTable("users").dropColumn("reminder_1d_deadline").execute();
  await db.schema.alterTable("users").dropColumn("reminder_3d_deadline").execute();
}
var init_admin = __esm({
  "src/store/migrations/postgres/0003_admin.ts"() {
    "use strict";
  }
});

// src/store/migrations/sqlite/0001_init.ts
var init_exports2 = {};
__export(init_exports2, {
  down: () => down4,
  up: () => up4
});
import { sql as sql7 } from "kysely";
async function up4(db) {
  await db.schema.createTable("users").addColumn("id", "text", (c) => c.primaryKey()).addColumn("email", "text", (c) => c.notNull().unique()).addColumn("name", "text").addColumn("password_hash", "text").addColumn("roles", "text", (c) => c.notNull().defaultTo("[]")).addColumn("disabled", INT2, (c) => c.notNull().defaultTo(0)).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("last_login_at", TIME2).addColumn("mfa_required_since", TIME2).addColumn("mfa_failure_streak", INT2, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("users_created_id").on("users").columns(["created_at", "id"]).execute();
  await db.schema.createTable("sessions").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("last_used_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("revoked_at", TIME2).addColumn("ip", "text").addColumn("user_agent", "text").addColumn("amr", "text", (c) => c.notNull().defaultTo("[]")).addColumn("acr", "text", (c) => c.notNull()).addColumn("mfa_verified_at", TIME2).addColumn("enrollment_only", INT2, (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
  await db.schema.createTable("refresh_tokens").addColumn("hash", "text", (c) => c.primaryKey()).addColumn("session_id", "text", (c) => c.notNull().references("sessions.id").onDelete("cascade")).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("used_at", TIME2).execute();
  await db.schema.createIndex("refresh_tokens_session").on("refresh_tokens").column("session_id").execute();
  await db.schema.createTable("mfa_pending").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("secret_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("attempts", INT2, (c) => c.notNull().defaultTo(0)).addColumn("consumed_at", TIME2).addColumn("ip", "text").addColumn("user_agent", "text").execute();
  await db.schema.createIndex("mfa_pending_user").on("mfa_pending").column("user_id").execute();
  await db.schema.createTable("password_resets").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("secret_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("used_at", TIME2).execute();
  await db.schema.createIndex("password_resets_user").on("password_resets").column("user_id").execute();
  await db.schema.createTable("security_events").addColumn("id", "integer", (c) => c.primaryKey().autoIncrement()).addColumn("type", "text", (c) => c.notNull()).addColumn("user_id", "text").addColumn("actor_id", "text").addColumn("ip", "text").addColumn("user_agent", "text").addColumn("at", TIME2, (c) => c.notNull()).addColumn("details", "text", (c) => c.notNull().defaultTo("{}")).execute();
  await db.schema.createIndex("security_events_user_id").on("security_events").columns(["user_id", "id"]).execute();
  await db.schema.createIndex("security_events_type_id").on("security_events").columns(["type", "id"]).execute();
  await db.schema.createIndex("security_events_at").on("security_events").column("at").execute();
  await db.schema.createTable("signing_keys").addColumn("kid", "text", (c) => c.primaryKey()).addColumn("alg", "text", (c) => c.notNull()).addColumn("private_enc", "text", (c) => c.notNull()).addColumn("public_jwk", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("retired_at", TIME2).execute();
  await db.schema.createTable("mfa_methods").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("type", "text", (c) => c.notNull()).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("last_used_at", TIME2).addColumn("secret_enc", "text").addColumn("totp_algorithm", "text").addColumn("totp_digits", INT2).addColumn("totp_period", INT2).addColumn("last_step", TIME2).addColumn("destination", "text").addColumn("credential_id", "text", (c) => c.unique()).addColumn("public_key", "text").addColumn("sign_count", TIME2).addColumn("transports", "text").addColumn("aaguid", "text").addColumn("device_type", "text").addColumn("backed_up", INT2).execute();
  await db.schema.createIndex("mfa_methods_user").on("mfa_methods").column("user_id").execute();
  await db.schema.createTable("totp_enrollments").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("name", "text", (c) => c.notNull()).addColumn("secret_enc", "text", (c) => c.notNull()).addColumn("algorithm", "text", (c) => c.notNull()).addColumn("digits", INT2, (c) => c.notNull()).addColumn("period", INT2, (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).execute();
  await db.schema.createIndex("totp_enrollments_user").on("totp_enrollments").column("user_id").execute();
  await db.schema.createTable("backup_codes").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("code_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("used_at", TIME2).execute();
  await db.schema.createIndex("backup_codes_user_hash").on("backup_codes").columns(["user_id", "code_hash"]).execute();
  await db.schema.createTable("otp_challenges").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("channel", "text", (c) => c.notNull()).addColumn("purpose", "text", (c) => c.notNull()).addColumn("mfa_pending_id", "text").addColumn("destination", "text", (c) => c.notNull()).addColumn("code_hash", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("attempts", INT2, (c) => c.notNull().defaultTo(0)).addColumn("consumed_at", TIME2).execute();
  await db.schema.createIndex("otp_challenges_lookup").on("otp_challenges").columns(["user_id", "channel", "purpose", "created_at"]).execute();
  await db.schema.createTable("trusted_devices").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade")).addColumn("secret_hash", "text", (c) => c.notNull()).addColumn("name", "text", (c) => c.notNull()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("last_used_at", TIME2).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("revoked_at", TIME2).addColumn("ip", "text").addColumn("user_agent", "text").execute();
  await db.schema.createIndex("trusted_devices_user").on("trusted_devices").column("user_id").execute();
  await db.schema.createTable("webauthn_challenges").addColumn("id", "text", (c) => c.primaryKey()).addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade")).addColumn("mfa_pending_id", "text").addColumn("purpose", "text", (c) => c.notNull()).addColumn("challenge", "text", (c) => c.notNull().unique()).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("expires_at", TIME2, (c) => c.notNull()).addColumn("used_at", TIME2).execute();
  await db.schema.createIndex("webauthn_challenges_user").on("webauthn_challenges").column("user_id").execute();
  await db.schema.createTable("policy").addColumn("id", INT2, (c) => c.primaryKey().check(sql7`id = 1`)).addColumn("data", "text", (c) => c.notNull()).addColumn("updated_at", TIME2, (c) => c.notNull()).execute();
  await db.schema.createTable("outbox").addColumn("id", "text", (c) => c.primaryKey()).addColumn("channel", "text", (c) => c.notNull()).addColumn("recipient", "text", (c) => c.notNull()).addColumn("template", "text", (c) => c.notNull()).addColumn("data", "text", (c) => c.notNull().defaultTo("{}")).addColumn("created_at", TIME2, (c) => c.notNull()).addColumn("attempts", INT2, (c) => c.notNull().defaultTo(0)).addColumn("next_attempt_at", TIME2, (c) => c.notNull()).addColumn("lease_until", TIME2).addColumn("sent_at", TIME2).addColumn("failed_at", TIME2).addColumn("last_error", "text").execute();
  await db.schema.createIndex("outbox_due").on("outbox").column("next_attempt_at").where(sql7.ref("sent_at"), "is", null).where(sql7.ref("failed_at"), "is", null).execute();
  await db.schema.createTable("rate_limits").addColumn("key", "text", (c) => c.primaryKey()).addColumn("points", INT2, (c) => c.notNull().defaultTo(0)).addColumn("expire", TIME2).execute();
  await db.schema.createIndex("rate_limits_expire").on("rate_limits").column("expire").execute();
}
async function down4(db) {
  for (const table of [
    "rate_limits",
    "outbox",
    "policy",
    "webauthn_challenges",
    "trusted_devices",
    "otp_challenges",
    "backup_codes",
    "totp_enrollments",
    "mfa_methods",
    "signing_keys",
    "security_events",
    "password_resets",
    "mfa_pending",
    "refresh_tokens",
    "sessions",
    "users"
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
var TIME2, INT2;
var init_init2 = __esm({
  "src/store/migrations/sqlite/0001_init.ts"() {
    "use strict";
    TIME2 = "integer";
    INT2 = "integer";
  }
});

// src/store/migrations/sqlite/0002_key_ids.ts
var key_ids_exports2 = {};
__export(key_ids_exports2, {
  down: () => down5,
  up: () => up5
});
async function up5(db) {
  await db.schema.createTable("key_ids").addColumn("seq", "integer", (c) => c.primaryKey().autoIncrement()).addColumn("kid", "text", (c) => c.notNull().unique()).addColumn("created_at", "integer", (c) => c.notNull()).execute();
}
async function down5(db) {
  await db.schema.dropTable("key_ids").ifExists().execute();
}
var init_key_ids3 = __esm({
  "src/store/migrations/sqlite/0002_key_ids.ts"() {
    "use strict";
  }
});

// src/store/migrations/sqlite/0003_admin.ts
var admin_exports2 = {};
__export(admin_exports2, {
  down: () => down6,
  up: () => up6
});
async function up6(db) {
  await db.schema.alterTable("users").addColumn("reminder_3d_deadline", "integer").execute();
  await db.schema.alterTable("users").addColumn("reminder_1d_deadline", "integer").execute();
  await db.schema.createIndex("users_mfa_required_since").on("users").column("mfa_required_since").execute();
}
async function down6(db) {
  await db.schema.dropIndex("users_mfa_required_since").ifExists().execute();
  await db.schema.alterTable("users").dropColumn("reminder_1d_deadline").execute();
  await db.schema.alterTable("users").dropColumn("reminder_3d_deadline").execute();
}
var init_admin2 = __esm({
  "src/store/migrations/sqlite/0003_admin.ts"() {
    "use strict";
  }
});

// src/store/migrate.ts
import { Migrator, sql as sql8 } from "kysely";
function providerFor(dialect) {
  return { getMigrations: async () => MIGRATIONS[dialect] };
}
async function migrateToLatest(db, dialect) {
  const migrator = new Migrator({ db, provider: providerFor(dialect) });
  const { error, results } = dialect === "sqlite" && !db.isTransaction ? await inSqliteWriteLock(db, () => migrator.migrateToLatest()) : await migrator.migrateToLatest();
  if (error !== void 0) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      failed ? `migration ${failed} failed on ${dialect}: ${reason}` : `migrating ${dialect} failed: ${reason}`,
      failed,
      { cause: error }
    );
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
async function inSqliteWriteLock(db, run) {
  await sql8`begin immediate`.execute(db);
  let outcome;
  try {
    outcome = await run();
  } catch (err) {
    await sql8`rollback`.execute(db).catch(() => {
    });
    throw err;
  }
  await sql8.raw(outcome.error === void 0 ? "commit" : "rollback").execute(db);
  return outcome;
}
function knownMigrations(dialect) {
  return Object.keys(MIGRATIONS[dialect]).sort();
}
var MIGRATIONS, MigrationError;
var init_migrate = __esm({
  "src/store/migrate.ts"() {
    "use strict";
    init_init();
    init_key_ids2();
    init_admin();
    init_init2();
    init_key_ids3();
    init_admin2();
    MIGRATIONS = {
      sqlite: { "0001_init": init_exports2, "0002_key_ids": key_ids_exports2, "0003_admin": admin_exports2 },
      postgres: { "0001_init": init_exports, "0002_key_ids": key_ids_exports, "0003_admin": admin_exports }
    };
    MigrationError = class extends Error {
      constructor(message, migration, options) {
        super(message, options);
        this.migration = migration;
        this.name = "MigrationError";
      }
      migration;
    };
  }
});

// src/store/connect.ts
import { mkdirSync as mkdirSync2 } from "node:fs";
import { join as join2 } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
async function openStore(opts) {
  const url2 = opts.databaseUrl?.trim() ?? "";
  if (url2 !== "" && !isPostgresUrl(url2)) {
    throw new Error("DATABASE_URL must start with postgres:// or postgresql:// (unset it to use the embedded SQLite)");
  }
  const opened = url2 !== "" ? openPostgres(url2) : openSqlite(opts.dataDir);
  try {
    if (opts.migrate ?? true) await migrateToLatest(opened.db, opened.dialect);
    else await opened.store.ping();
  } catch (err) {
    await opened.close().catch(() => {
    });
    throw err;
  }
  return opened;
}
function assemble(db, dialect, extra) {
  let closing;
  const close = () => closing ??= db.destroy();
  return { store: createKyselyStore(db, dialect, close), db, dialect, ...extra, close };
}
function openSqlite(dataDir) {
  mkdirSync2(dataDir, { recursive: true });
  const sqlite = new BetterSqlite3(join2(dataDir, "twofold.db"));
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  const db = new Kysely({ dialect: new SqliteDialect({ database: sqlite }) });
  return assemble(db, "sqlite", { sqlite });
}
function parseInt8(value) {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JS number`);
  return n;
}
function openPostgres(connectionString) {
  const pgPool = new pg_default.Pool({
    connectionString,
    max: PG_POOL_MAX,
    types: {
      getTypeParser: ((oid, format) => oid === PG_INT8_OID && format !== "binary" ? parseInt8 : pg_default.types.getTypeParser(oid, format))
    }
  });
  pgPool.on("error", () => {
  });
  const db = new Kysely({ dialect: new PostgresDialect({ pool: pgPool }) });
  return assemble(db, "postgres", { pgPool });
}
var PG_POOL_MAX, SQLITE_BUSY_TIMEOUT_MS, PG_INT8_OID, isPostgresUrl;
var init_connect = __esm({
  "src/store/connect.ts"() {
    "use strict";
    init_pg();
    init_kysely_store();
    init_migrate();
    PG_POOL_MAX = 10;
    SQLITE_BUSY_TIMEOUT_MS = 5e3;
    PG_INT8_OID = 20;
    isPostgresUrl = (url2) => /^postgres(ql)?:\/\//i.test(url2);
  }
});

// src/store/limiter.ts
import {
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  RateLimiterSQLite
} from "rate-limiter-flexible";
import { sql as sql9 } from "kysely";
function backendFor(opened, redis) {
  const common3 = (bucket, b) => ({
    points: b.points,
    duration: b.durationS,
    blockDuration: b.blockS ?? 0
  });
  if (redis) {
    return (bucket, b) => new RateLimiterRedis({ ...common3(bucket, b), storeClient: redis, keyPrefix: `${REDIS_NAMESPACE}${bucket}` });
  }
  if (opened.dialect === "postgres" && opened.pgPool) {
    const pool2 = opened.pgPool;
    return (bucket, b) => new RateLimiterPostgres({
      ...common3(bucket, b),
      storeClient: pool2,
      storeType: "pool",
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: bucket
    });
  }
  if (opened.dialect === "sqlite" && opened.sqlite) {
    const sqlite = opened.sqlite;
    return (bucket, b) => new RateLimiterSQLite({
      ...common3(bucket, b),
      storeClient: sqlite,
      storeType: "better-sqlite3",
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: bucket
    });
  }
  throw new Error(`createLimiter: the opened ${opened.dialect} store carries no driver handle`);
}
function startSweeper(opened) {
  const closed = () => opened.sqlite ? !opened.sqlite.open : opened.pgPool?.ending ?? false;
  const timer = setInterval(() => {
    if (closed()) {
      clearInterval(timer);
      return;
    }
    sql9`delete from rate_limits where expire < ${Date.now() - SWEEP_GRACE_MS}`.execute(opened.db).catch(() => {
    });
  }, SWEEP_EVERY_MS);
  timer.unref();
}
async function createLimiter(opened, opts) {
  const make = backendFor(opened, opts.redis);
  if (!opts.redis) startSweeper(opened);
  const cache = /* @__PURE__ */ new Map();
  function limiterFor(bucket) {
    const budget = opts.budgets(bucket);
    if (!(budget.points > 0) || !(budget.durationS > 0)) {
      throw new RangeError(`limiter budget for ${bucket} must have points > 0 and durationS > 0`);
    }
    const id = `${bucket}|${budget.points}|${budget.durationS}|${budget.blockS ?? 0}`;
    let rl = cache.get(id);
    if (!rl) {
      rl = make(bucket, budget);
      cache.set(id, rl);
    }
    return { rl, budget };
  }
  return {
    async consume(bucket, key, points = 1) {
      const { rl } = limiterFor(bucket);
      try {
        const res = await rl.consume(key, points);
        return { allowed: true, retryAfterS: 0, remaining: res.remainingPoints };
      } catch (err) {
        if (err instanceof RateLimiterRes) {
          return { allowed: false, retryAfterS: secondsUntil(err.msBeforeNext), remaining: 0 };
        }
        throw err;
      }
    },
    async reward(bucket, key, points = 1) {
      const { rl } = limiterFor(bucket);
      const current = await rl.get(key);
      if (!current || current.consumedPoints <= 0) return;
      await rl.reward(key, Math.min(points, current.consumedPoints));
    },
    async peek(bucket, key) {
      const { rl, budget } = limiterFor(bucket);
      const res = await rl.get(key);
      if (!res) return { allowed: true, retryAfterS: 0, remaining: budget.points };
      if (res.consumedPoints >= budget.points) {
        return { allowed: false, retryAfterS: secondsUntil(res.msBeforeNext), remaining: 0 };
      }
      return { allowed: true, retryAfterS: 0, remaining: budget.points - res.consumedPoints };
    },
    async reset(bucket, key) {
      const { rl } = limiterFor(bucket);
      await rl.delete(key);
    }
  };
}
var TABLE, REDIS_NAMESPACE, SWEEP_EVERY_MS, SWEEP_GRACE_MS, secondsUntil;
var init_limiter = __esm({
  "src/store/limiter.ts"() {
    "use strict";
    TABLE = "rate_limits";
    REDIS_NAMESPACE = "twofold:rl:";
    SWEEP_EVERY_MS = 5 * 6e4;
    SWEEP_GRACE_MS = 60 * 6e4;
    secondsUntil = (ms) => Math.max(1, Math.ceil(ms / 1e3));
  }
});

// src/store/errors.ts
function isUniqueViolation(err) {
  if (typeof err !== "object" || err === null || !("code" in err)) return false;
  const code = err.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
var init_errors = __esm({
  "src/store/errors.ts"() {
    "use strict";
  }
});

// src/store/index.ts
var store_exports = {};
__export(store_exports, {
  MigrationError: () => MigrationError,
  createLimiter: () => createLimiter,
  isUniqueViolation: () => isUniqueViolation,
  knownMigrations: () => knownMigrations,
  migrateToLatest: () => migrateToLatest,
  openStore: () => openStore
});
var init_store = __esm({
  "src/store/index.ts"() {
    "use strict";
    init_connect();
    init_migrate();
    init_limiter();
    init_errors();
  }
});

// src/server/auth/jwt-keys.ts
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from "jose";
async function createJwtKeys(opts) {
  const { repo, cipher, issuer, ttlS } = opts;
  let keys = [];
  async function load() {
    const rows = await repo.all();
    keys = await Promise.all(
      rows.map(async (r) => {
        const publicJwk = JSON.parse(r.publicJwk);
        const privateJwk = JSON.parse(cipher.decrypt(r.privateEnc, `signing-key:${r.kid}`).toString("utf8"));
        return {
          kid: r.kid,
          publicJwk,
          publicKey: await importJWK(publicJwk, ALG),
          privateKey: r.retiredAt === null ? await importJWK(privateJwk, ALG) : null,
          createdAt: r.createdAt,
          retiredAt: r.retiredAt
        };
      })
    );
  }
  async function create(now) {
    const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: "Ed25519", extractable: true });
    const kid = opts.random.bytes(12).toString("base64url");
    const publicJwk = { ...await exportJWK(publicKey), kid, alg: ALG, use: "sig" };
    const privateJwk = await exportJWK(privateKey);
    await repo.insert({
      kid,
      alg: ALG,
      privateEnc: cipher.encrypt(Buffer.from(JSON.stringify(privateJwk)), `signing-key:${kid}`),
      publicJwk: JSON.stringify(publicJwk),
      createdAt: now,
      retiredAt: null
    });
    return kid;
  }
  await load();
  if (!keys.some((k) => k.retiredAt === null)) {
    await create(opts.now);
    await load();
  }
  function current() {
    const active = keys.filter((k) => k.privateKey && k.retiredAt === null).sort((a, b) => b.createdAt - a.createdAt);
    if (!active[0]) throw new Error("no active signing key");
    return active[0];
  }
  return {
    async sign(claims, now) {
      const key = current();
      const iat = Math.floor(now / 1e3);
      const token = await new SignJWT({ sid: claims.sid, amr: claims.amr, acr: claims.acr }).setProtectedHeader({ alg: ALG, kid: key.kid, typ: "at+jwt" }).setSubject(claims.sub).setIssuer(issuer).setIssuedAt(iat).setExpirationTime(iat + ttlS).sign(key.privateKey);
      return { token, expiresIn: ttlS };
    },
    jwks(now) {
      return {
        keys: keys.filter((k) => k.retiredAt === null || now - k.retiredAt < RETIRED_GRACE_MS).map((k) => k.publicJwk)
      };
    },
    async verify(token, now) {
      if (typeof token !== "string" || token.length > 4096) return null;
      const kid = peekKid(token);
      if (!kid) return null;
      let key = keys.find((k) => k.kid === kid);
      if (!key) {
        await load();
        key = keys.find((k) => k.kid === kid);
        if (!key) return null;
      }
      try {
        const { payload } = await jwtVerify(token, key.publicKey, {
          issuer,
          algorithms: [ALG],
          currentDate: new Date(now),
          typ: "at+jwt"
        });
        if (typeof payload.sub !== "string" || typeof payload.sid !== "string") return null;
        return { sub: payload.sub, sid: payload.sid, amr: payload.amr ?? [], acr: payload.acr ?? "aal1" };
      } catch {
        return null;
      }
    },
    async rotate(now) {
      const kid = await create(now);
      for (const k of keys) if (k.retiredAt === null) await repo.retire(k.kid, now);
      await load();
      return kid;
    },
    reload: load
  };
}
function peekKid(token) {
  const head = token.split(".")[0];
  try {
    const header = JSON.parse(Buffer.from(head, "base64url").toString("utf8"));
    return typeof header.kid === "string" ? header.kid : null;
  } catch {
    return null;
  }
}
var ALG, RETIRED_GRACE_MS;
var init_jwt_keys = __esm({
  "src/server/auth/jwt-keys.ts"() {
    "use strict";
    ALG = "EdDSA";
    RETIRED_GRACE_MS = 24 * 3600 * 1e3;
  }
});

// src/core/backup-codes.ts
function generateBackupCodes(random, count = BACKUP_CODE_COUNT) {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`backup code count must be a positive integer, got ${count}`);
  const codes = /* @__PURE__ */ new Set();
  while (codes.size < count) {
    let raw2 = "";
    for (let i = 0; i < BACKUP_CODE_LENGTH; i++) raw2 += BACKUP_CODE_ALPHABET[random.int(BACKUP_CODE_ALPHABET.length)];
    codes.add(`${raw2.slice(0, GROUP)}-${raw2.slice(GROUP)}`);
  }
  return [...codes];
}
function normalizeBackupCode(input) {
  if (typeof input !== "string" || input.length > 64) return null;
  let code = input.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (code.length === BACKUP_CODE_LENGTH + 1 && code[GROUP] === "-") code = code.slice(0, GROUP) + code.slice(GROUP + 1);
  return SHAPE.test(code) ? code : null;
}
var BACKUP_CODE_ALPHABET, BACKUP_CODE_LENGTH, BACKUP_CODE_BITS, BACKUP_CODE_COUNT, GROUP, SHAPE;
var init_backup_codes2 = __esm({
  "src/core/backup-codes.ts"() {
    "use strict";
    BACKUP_CODE_ALPHABET = "023456789abcdefghjkmnpqrstuvwxyz";
    BACKUP_CODE_LENGTH = 10;
    BACKUP_CODE_BITS = BACKUP_CODE_LENGTH * Math.log2(BACKUP_CODE_ALPHABET.length);
    BACKUP_CODE_COUNT = 10;
    GROUP = BACKUP_CODE_LENGTH / 2;
    SHAPE = new RegExp(`^[${BACKUP_CODE_ALPHABET}]{${BACKUP_CODE_LENGTH}}$`);
  }
});

// src/core/notify.ts
async function notifyUser(deps, user, template, ctx, data = {}) {
  await deps.store.outbox.enqueue({
    id: deps.random.uuid(),
    channel: "email",
    to: user.email,
    template,
    data: {
      name: user.name,
      email: user.email,
      at: new Date(ctx.now).toISOString(),
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      appUrl: deps.settings.publicUrl,
      ...data
    },
    createdAt: ctx.now,
    attempts: 0,
    nextAttemptAt: ctx.now,
    sentAt: null,
    failedAt: null,
    lastError: null
  });
}
var init_notify = __esm({
  "src/core/notify.ts"() {
    "use strict";
  }
});

// src/core/factors/backup-code.ts
var BACKUP_CODE_PURPOSE, backupCodeFactor;
var init_backup_code = __esm({
  "src/core/factors/backup-code.ts"() {
    "use strict";
    init_audit();
    init_backup_codes2();
    init_notify();
    BACKUP_CODE_PURPOSE = "backup_code";
    backupCodeFactor = {
      method: "backup_code",
      async available(deps, user) {
        return await deps.store.backupCodes.remaining(user.id) > 0;
      },
      async verify(deps, attempt) {
        const normalized = normalizeBackupCode(attempt.code ?? "");
        if (!normalized) return { ok: false, reason: "invalid" };
        const hash2 = deps.secrets.hash(BACKUP_CODE_PURPOSE, normalized);
        if (!await deps.store.backupCodes.consume(attempt.user.id, hash2, attempt.ctx.now)) return { ok: false, reason: "invalid" };
        const remaining = await deps.store.backupCodes.remaining(attempt.user.id);
        await audit(deps.store, attempt.ctx, EVENT.backupCodeUsed, attempt.user.id, { remaining });
        await notifyUser(deps, attempt.user, "backup_code_used", attempt.ctx, { remaining });
        return { ok: true, amr: ["otp"], acr: "aal2", methodId: null, details: { remaining } };
      }
    };
  }
});

// src/core/otp-codes/constants.ts
var CODE_DIGITS, CODE_TTL_MS, CODE_MAX_TRIES, CODE_HASH_PURPOSE;
var init_constants = __esm({
  "src/core/otp-codes/constants.ts"() {
    "use strict";
    CODE_DIGITS = 6;
    CODE_TTL_MS = 10 * 6e4;
    CODE_MAX_TRIES = 5;
    CODE_HASH_PURPOSE = "otp_code";
  }
});

// src/core/otp-codes/hash.ts
var hashCode, codeMatches, normalizeCode;
var init_hash = __esm({
  "src/core/otp-codes/hash.ts"() {
    "use strict";
    init_constants();
    hashCode = (secrets, challengeId, code) => secrets.hash(CODE_HASH_PURPOSE, `${challengeId}:${code}`);
    codeMatches = (secrets, challengeId, code, stored) => secrets.verify(CODE_HASH_PURPOSE, `${challengeId}:${code}`, stored);
    normalizeCode = (input) => input.replace(/[\s-]/g, "");
  }
});

// src/core/otp-codes/verify.ts
async function checkCode(deps, q) {
  const challenges = deps.store.otpChallenges;
  const ch = await challenges.latest(q.userId, q.channel, q.purpose, q.pendingId);
  if (!ch || ch.expiresAt <= q.now) return { ok: false, reason: "none" };
  if (ch.consumedAt !== null) return { ok: false, reason: "replayed" };
  if (!await challenges.reserveAttempt(ch.id, CODE_MAX_TRIES, q.now)) return { ok: false, reason: "used_up" };
  const code = normalizeCode(q.code);
  if (!CODE_SHAPE.test(code) || !codeMatches(deps.secrets, ch.id, code, ch.codeHash)) return { ok: false, reason: "wrong" };
  if (!await challenges.consume(ch.id, q.now)) return { ok: false, reason: "replayed" };
  return { ok: true, challenge: ch };
}
var CODE_SHAPE;
var init_verify = __esm({
  "src/core/otp-codes/verify.ts"() {
    "use strict";
    init_constants();
    init_hash();
    CODE_SHAPE = new RegExp(`^\\d{${CODE_DIGITS}}$`);
  }
});

// src/core/otp-codes/code-factor.ts
function isCodeFactor(f) {
  return !!f && (f.method === "email" || f.method === "sms") && "sender" in f && "methodFor" in f;
}
function createCodeFactor(opts) {
  const { channel } = opts;
  const enrolled = (methods) => methods.filter((m) => m.type === channel && m.destination);
  return {
    method: channel,
    sender: opts.sender,
    methodFor(methods, methodId) {
      const own = enrolled(methods);
      return methodId === void 0 ? own[0] : own.find((m) => m.id === methodId);
    },
    async available(_deps, _user, methods) {
      return enrolled(methods).length > 0;
    },
    async verify(deps, attempt) {
      const checked = await checkCode(deps, {
        userId: attempt.user.id,
        channel,
        purpose: attempt.purpose,
        pendingId: attempt.purpose === "login" ? attempt.pendingId : null,
        code: attempt.code ?? "",
        now: attempt.ctx.now
      });
      if (!checked.ok) return { ok: false, reason: REJECTION[checked.reason], details: { code_check: checked.reason } };
      const method = enrolled(attempt.methods).find((m) => m.destination === checked.challenge.destination);
      if (!method) return { ok: false, reason: "not_enrolled" };
      await deps.store.methods.touch(method.id, attempt.ctx.now);
      return { ok: true, amr: opts.amr, acr: opts.acr, methodId: method.id };
    }
  };
}
var REJECTION;
var init_code_factor = __esm({
  "src/core/otp-codes/code-factor.ts"() {
    "use strict";
    init_verify();
    REJECTION = { none: "invalid", wrong: "invalid", used_up: "expired", replayed: "replayed" };
  }
});

// src/core/factors/email.ts
function createEmailFactor(sender) {
  return createCodeFactor({ channel: "email", amr: ["otp"], acr: "aal1", sender });
}
var init_email = __esm({
  "src/core/factors/email.ts"() {
    "use strict";
    init_code_factor();
  }
});

// src/core/factors/sms.ts
function createSmsFactor(sender) {
  return createCodeFactor({ channel: "sms", amr: ["sms"], acr: "aal2", sender });
}
var init_sms = __esm({
  "src/core/factors/sms.ts"() {
    "use strict";
    init_code_factor();
  }
});

// bench/.probe/stubs/swa.mjs
var verifyAuthenticationResponse, verifyRegistrationResponse, generateRegistrationOptions, generateAuthenticationOptions;
var init_swa = __esm({
  "bench/.probe/stubs/swa.mjs"() {
    "use strict";
    verifyAuthenticationResponse = () => {
    };
    verifyRegistrationResponse = () => {
    };
    generateRegistrationOptions = () => {
    };
    generateAuthenticationOptions = () => {
    };
  }
});

// src/core/webauthn/relying-party.ts
function relyingParty(settings) {
  const url2 = new URL(settings.publicUrl);
  return { origin: url2.origin, rpID: url2.hostname, rpName: settings.issuer };
}
var CHALLENGE_BYTES, CHALLENGE_TTL_MS;
var init_relying_party = __esm({
  "src/core/webauthn/relying-party.ts"() {
    "use strict";
    CHALLENGE_BYTES = 32;
    CHALLENGE_TTL_MS = 5 * 6e4;
  }
});

// src/core/webauthn/assertion.ts
function whyRejected(err) {
  const message = err instanceof Error ? err.message : "";
  const rules = [
    [/origin/i, "origin"],
    [/RP ID/i, "rp_id"],
    [/not present/i, "user_presence"],
    [/verification required/i, "user_verification"],
    [/challenge/i, "challenge"],
    [/type/i, "type"]
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? "rejected";
}
async function checkAssertion(deps, input) {
  const { method, ctx } = input;
  if (method.type !== "webauthn" || !method.credentialId || !method.publicKey) return { ok: false, reason: "not_enrolled", details: {} };
  const rp = relyingParty(deps.settings);
  const stored = method.signCount ?? 0;
  let info;
  try {
    const result = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: input.expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      expectedType: "webauthn.get",
      requireUserVerification: input.requireUserVerification,
      // Counter 0 turns the library's own (pre-signature) counter check off; ours follows.
      credential: {
        id: method.credentialId,
        publicKey: new Uint8Array(Buffer.from(method.publicKey, "base64url")),
        counter: 0,
        transports: method.transports ?? []
      }
    });
    if (!result.verified) return { ok: false, reason: "invalid", details: { method_id: method.id, why: "signature" } };
    info = result.authenticationInfo;
  } catch (err) {
    return { ok: false, reason: "invalid", details: { method_id: method.id, why: whyRejected(err) } };
  }
  const presented = info.newCounter;
  if (stored > 0 && presented <= stored) {
    await audit(deps.store, ctx, EVENT.webauthnCloneSuspected, method.userId, { method_id: method.id, stored_count: stored, presented_count: presented });
    return { ok: false, reason: "invalid", details: { method_id: method.id, why: "counter" } };
  }
  if (!await deps.store.methods.updateSignCount(method.id, stored, presented, ctx.now)) {
    return { ok: false, reason: "replayed", details: { method_id: method.id, why: "counter_race" } };
  }
  return { ok: true, userVerified: info.userVerified };
}
var init_assertion = __esm({
  "src/core/webauthn/assertion.ts"() {
    "use strict";
    init_swa();
    init_audit();
    init_relying_party();
  }
});

// src/core/webauthn/challenges.ts
async function issueChallenge(deps, binding, ctx) {
  const bytes = new Uint8Array(deps.random.bytes(CHALLENGE_BYTES));
  const challenge = Buffer.from(bytes).toString("base64url");
  const rec = {
    id: deps.random.uuid(),
    userId: binding.userId,
    mfaPendingId: binding.mfaPendingId,
    purpose: binding.purpose,
    challenge,
    createdAt: ctx.now,
    expiresAt: ctx.now + CHALLENGE_TTL_MS,
    usedAt: null
  };
  await deps.store.webauthnChallenges.create(rec);
  return { bytes, challenge };
}
async function takeChallenge(deps, presented, expected, now) {
  if (presented === null) return { ok: false, reason: "invalid" };
  const rec = await deps.store.webauthnChallenges.byChallenge(presented);
  const bound = !!rec && rec.purpose === expected.purpose && rec.userId === expected.userId && rec.mfaPendingId === expected.mfaPendingId;
  if (!bound) return { ok: false, reason: "invalid" };
  if (rec.usedAt !== null) return { ok: false, reason: "replayed" };
  if (rec.expiresAt <= now) return { ok: false, reason: "expired" };
  if (!await deps.store.webauthnChallenges.consume(rec.id, now)) return { ok: false, reason: "replayed" };
  return { ok: true, challenge: rec.challenge };
}
var init_challenges = __esm({
  "src/core/webauthn/challenges.ts"() {
    "use strict";
    init_relying_party();
  }
});

// src/core/webauthn/response-json.ts
function isRecord(x) {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
function b64url(x, max = MAX_FIELD_CHARS) {
  return typeof x === "string" && x.length > 0 && x.length <= max && B64URL2.test(x);
}
function common(x) {
  return isRecord(x) && x.type === "public-key" && b64url(x.id, MAX_ID_CHARS) && x.rawId === x.id && isRecord(x.response) && b64url(x.response.clientDataJSON);
}
function knownTransports(x) {
  if (!Array.isArray(x)) return [];
  return [...new Set(x.filter((t) => TRANSPORTS.includes(t)))];
}
function readAssertion(x) {
  if (!common(x)) return null;
  const r = x.response;
  if (!b64url(r.authenticatorData) || !b64url(r.signature)) return null;
  if (r.userHandle !== void 0 && r.userHandle !== null && !b64url(r.userHandle, 128)) return null;
  return {
    id: x.id,
    rawId: x.rawId,
    type: "public-key",
    response: {
      clientDataJSON: r.clientDataJSON,
      authenticatorData: r.authenticatorData,
      signature: r.signature,
      ...typeof r.userHandle === "string" ? { userHandle: r.userHandle } : {}
    },
    clientExtensionResults: isRecord(x.clientExtensionResults) ? x.clientExtensionResults : {}
  };
}
function readAttestation(x) {
  if (!common(x)) return null;
  const r = x.response;
  if (!b64url(r.attestationObject)) return null;
  return {
    id: x.id,
    rawId: x.rawId,
    type: "public-key",
    response: { clientDataJSON: r.clientDataJSON, attestationObject: r.attestationObject, transports: knownTransports(r.transports) },
    clientExtensionResults: isRecord(x.clientExtensionResults) ? x.clientExtensionResults : {}
  };
}
function clientChallenge(clientDataJSON) {
  try {
    const data = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    return isRecord(data) && b64url(data.challenge, 256) ? data.challenge : null;
  } catch {
    return null;
  }
}
var B64URL2, MAX_ID_CHARS, MAX_FIELD_CHARS, TRANSPORTS;
var init_response_json = __esm({
  "src/core/webauthn/response-json.ts"() {
    "use strict";
    B64URL2 = /^[A-Za-z0-9_-]+={0,2}$/;
    MAX_ID_CHARS = 1364;
    MAX_FIELD_CHARS = 6e4;
    TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"];
  }
});

// src/core/factors/webauthn.ts
var webauthnFactor;
var init_webauthn = __esm({
  "src/core/factors/webauthn.ts"() {
    "use strict";
    init_assertion();
    init_challenges();
    init_response_json();
    webauthnFactor = {
      method: "webauthn",
      async available(_deps, _user, methods) {
        return methods.some((m) => m.type === "webauthn");
      },
      async verify(deps, attempt) {
        const response = readAssertion(attempt.credential);
        if (!response) return { ok: false, reason: "invalid", details: { why: "malformed" } };
        const taken = await takeChallenge(
          deps,
          clientChallenge(response.response.clientDataJSON),
          { purpose: attempt.purpose, userId: attempt.user.id, mfaPendingId: attempt.purpose === "login" ? attempt.pendingId : null },
          attempt.ctx.now
        );
        if (!taken.ok) return { ok: false, reason: taken.reason, details: { why: "challenge" } };
        const method = attempt.methods.find((m) => m.type === "webauthn" && m.credentialId === response.id);
        if (!method) return { ok: false, reason: "invalid", details: { why: "unknown_credential" } };
        const checked = await checkAssertion(deps, { response, method, expectedChallenge: taken.challenge, requireUserVerification: false, ctx: attempt.ctx });
        if (!checked.ok) return checked;
        return { ok: true, amr: checked.userVerified ? ["hwk", "user"] : ["hwk"], acr: "aal2", methodId: method.id };
      }
    };
  }
});

// src/server/code-sender.ts
function createCodeSender(io) {
  return {
    async send(m) {
      const r = renderMessage("otp_code", { code: m.code, minutes: m.minutes, purpose: m.purpose, host: m.host, name: m.name });
      try {
        if (m.channel === "email") await io.mailer.send({ to: m.to, subject: r.subject, text: r.text, html: r.html });
        else await io.sms.send(m.to, r.sms);
      } catch (err) {
        io.metrics.messages.inc({ channel: m.channel, outcome: "failed" });
        const error = redact(err instanceof Error ? err.message : String(err), [m.code]).slice(0, 500);
        return { ok: false, permanent: isPermanent(err), error };
      }
      io.metrics.messages.inc({ channel: m.channel, outcome: "sent" });
      return { ok: true };
    }
  };
}
var init_code_sender = __esm({
  "src/server/code-sender.ts"() {
    "use strict";
    init_delivery_error();
    init_delivery();
  }
});

// src/server/factors.ts
function defaultFactors(io) {
  const codes = createCodeSender(io);
  return [totpFactor, webauthnFactor, createEmailFactor(codes), createSmsFactor(codes), backupCodeFactor];
}
var init_factors = __esm({
  "src/server/factors.ts"() {
    "use strict";
    init_backup_code();
    init_email();
    init_sms();
    init_totp2();
    init_webauthn();
    init_code_sender();
  }
});

// src/server/key-ids.ts
async function loadKeyIds(store, now) {
  let kids = await store.keyIds.list();
  if (kids.length === 0) {
    await store.keyIds.add(FIRST_KID, now);
    kids = await store.keyIds.list();
  }
  return kids;
}
var FIRST_KID;
var init_key_ids4 = __esm({
  "src/server/key-ids.ts"() {
    "use strict";
    FIRST_KID = "k0000000001";
  }
});

// src/core/admin/audience.ts
function mfaAudience(policy) {
  switch (policy.require_mfa) {
    case "off":
      return { kind: "none" };
    case "all":
      return { kind: "all" };
    case "admins":
      return { kind: "roles", roles: ["admin"] };
    case "roles":
      return policy.roles.length > 0 ? { kind: "roles", roles: [...policy.roles] } : { kind: "none" };
  }
}
var init_audience = __esm({
  "src/core/admin/audience.ts"() {
    "use strict";
  }
});

// src/core/admin/reminders.ts
function reminderDue(deadline, now) {
  const left = deadline - now;
  if (left <= 0) return void 0;
  if (left <= DAY_MS2) return "1d";
  if (left <= 3 * DAY_MS2) return "3d";
  return void 0;
}
async function runEnrollmentReminders(deps, now) {
  const policy = await deps.policy();
  const audience = mfaAudience(policy);
  if (audience.kind === "none") return { started: 0, sent: 0 };
  const started = await deps.store.enforcement.startGrace(audience, now);
  const graceMs = policy.grace_period_days * DAY_MS2;
  const from = now - graceMs + 1;
  const to = now + 3 * DAY_MS2 - graceMs + 1;
  const ctx = { now, ip: null, userAgent: null };
  let sent = 0;
  let afterId;
  for (; ; ) {
    const users = await deps.store.enforcement.unenrolledStartedBetween(audience, from, to, { afterId, limit: PAGE });
    for (const user of users) if (await remind(deps, user, user.mfaRequiredSince + graceMs, ctx)) sent++;
    if (users.length < PAGE) break;
    afterId = users[users.length - 1].id;
  }
  return { started, sent };
}
async function remind(deps, user, deadline, ctx) {
  const kind = reminderDue(deadline, ctx.now);
  if (!kind) return false;
  return deps.store.transaction(async (tx) => {
    if (!await tx.enforcement.claimReminder(user.id, kind, deadline)) return false;
    const txDeps = { ...deps, store: tx };
    await notifyUser(txDeps, user, "enrollment_reminder", ctx, { deadline });
    await audit(tx, ctx, EVENT.enrollmentReminderSent, user.id, { kind, deadline: new Date(deadline).toISOString() }, null);
    return true;
  });
}
var DAY_MS2, PAGE;
var init_reminders = __esm({
  "src/core/admin/reminders.ts"() {
    "use strict";
    init_audit();
    init_notify();
    init_audience();
    DAY_MS2 = 864e5;
    PAGE = 200;
  }
});

// src/server/jobs/periodic.ts
function periodicJob(opts) {
  let timer;
  let running;
  let stopped = false;
  const runOnce = () => {
    running ??= opts.run().catch((err) => opts.log.warn({ err, job: opts.name }, "background job failed; will retry")).finally(() => {
      running = void 0;
    });
    return running;
  };
  const schedule = (delay) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runOnce().then(() => schedule(opts.intervalMs));
    }, delay);
    timer.unref();
  };
  return {
    start() {
      if (timer || stopped) return;
      schedule(opts.firstDelayMs ?? 5e3);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    runOnce
  };
}
var init_periodic = __esm({
  "src/server/jobs/periodic.ts"() {
    "use strict";
  }
});

// src/server/jobs/enrollment-reminders.ts
function enrollmentReminderJob(deps, log, intervalMs = REMINDER_INTERVAL_MS) {
  return periodicJob({
    name: "enrollment-reminders",
    intervalMs,
    log,
    run: async () => {
      const r = await runEnrollmentReminders(deps.core, deps.clock.now());
      if (r.started > 0 || r.sent > 0) log.info({ grace_started: r.started, reminders_sent: r.sent }, "enrolment reminders");
    }
  });
}
var REMINDER_INTERVAL_MS;
var init_enrollment_reminders = __esm({
  "src/server/jobs/enrollment-reminders.ts"() {
    "use strict";
    init_reminders();
    init_periodic();
    REMINDER_INTERVAL_MS = 10 * 6e4;
  }
});

// src/server/metrics.ts
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
function createMetrics(opts = {}) {
  const registry = new Registry();
  if (opts.defaults !== false) collectDefaultMetrics({ register: registry, prefix: "twofold_" });
  const registers = [registry];
  return {
    registry,
    httpDuration: new Histogram({
      name: "twofold_http_request_duration_seconds",
      help: "HTTP request latency by route",
      labelNames: ["method", "route", "status"],
      buckets: [1e-3, 25e-4, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers
    }),
    logins: new Counter({ name: "twofold_logins_total", help: "Password logins by outcome", labelNames: ["outcome"], registers }),
    verifications: new Counter({
      name: "twofold_mfa_verifications_total",
      help: "Second-factor verifications by method and outcome",
      labelNames: ["method", "outcome"],
      registers
    }),
    enrolments: new Counter({
      name: "twofold_mfa_enrolments_total",
      help: "Second factors added and removed by method",
      labelNames: ["method", "action"],
      registers
    }),
    lockouts: new Counter({ name: "twofold_lockouts_total", help: "Lockouts by kind", labelNames: ["kind"], registers }),
    messages: new Counter({
      name: "twofold_messages_total",
      help: "Messages sent and failed by channel",
      labelNames: ["channel", "outcome"],
      registers
    })
  };
}
function countSecurityEvent(metrics, e) {
  if (e.type === EVENT.mfaLockout) {
    metrics.lockouts.inc({ kind: e.details.hard === true ? "mfa_hard" : "mfa" });
    return;
  }
  if (e.details.purpose !== "step_up") return;
  if (e.type === EVENT.mfaVerified) metrics.verifications.inc({ method: methodLabel(e.details.method), outcome: "success" });
  else if (e.type === EVENT.mfaFailed || e.type === EVENT.mfaReplay) metrics.verifications.inc({ method: methodLabel(e.details.method), outcome: "invalid_code" });
}
var methodLabel;
var init_metrics = __esm({
  "src/server/metrics.ts"() {
    "use strict";
    init_audit();
    init_types();
    methodLabel = (m) => VERIFY_METHODS.includes(m) ? String(m) : "other";
  }
});

// src/server/observed-store.ts
function observeStore(store, on) {
  return {
    ...store,
    events: {
      ...store.events,
      append: async (event) => {
        const id = await store.events.append(event);
        on.event(event);
        return id;
      }
    },
    policy: {
      ...store.policy,
      put: async (policy, now) => {
        await store.policy.put(policy, now);
        on.policySaved(policy);
      }
    },
    transaction: (fn) => store.transaction((tx) => fn(observeStore(tx, on)))
  };
}
var init_observed_store = __esm({
  "src/server/observed-store.ts"() {
    "use strict";
  }
});

// src/server/compose.ts
async function compose(config, opts) {
  const clock = opts.clock ?? { now: () => Date.now() };
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true }) : void 0;
  try {
    const master = loadMasterKey({ envValue: config.secretKey, dataDir: config.dataDir, warn: (m) => opts.log.warn(m) });
    const kids = await loadKeyIds(opened.store, clock.now());
    const keyring = followRotations(createKeyring(master, kids), kids);
    let cached = null;
    const metrics = createMetrics({ defaults: opts.defaultMetrics });
    const store = observeStore(opened.store, {
      event: (e) => countSecurityEvent(metrics, e),
      policySaved: (saved) => cached = { at: Date.now(), policy: { ...DEFAULT_POLICY, ...saved } }
    });
    const policy = async () => {
      const now = Date.now();
      if (cached && now - cached.at < POLICY_CACHE_MS) return cached.policy;
      const stored = await store.policy.get();
      cached = { at: now, policy: { ...DEFAULT_POLICY, ...stored ?? {} } };
      return cached.policy;
    };
    const currentPolicy = () => cached?.policy ?? DEFAULT_POLICY;
    const budgets = (bucket) => budgetOf(bucket, currentPolicy());
    const limiter = await createLimiter(opened, { redis, budgets });
    const settings = Object.freeze({
      publicUrl: config.publicUrl,
      issuer: config.issuer,
      openRegistration: config.openRegistration,
      hideExistingEmail: config.hideExistingEmail,
      accessTtlS: 900,
      refreshTtlS: 30 * 86400,
      mfaPendingTtlS: 300,
      resetTtlS: 3600
    });
    const jwt = await createJwtKeys({ repo: store.signingKeys, cipher: keyring, random: nodeRandom, issuer: config.publicUrl, ttlS: settings.accessTtlS, now: clock.now() });
    const core = {
      store,
      random: nodeRandom,
      passwords: createPasswordHasher(),
      secrets: createSecretHasher(master),
      cipher: keyring,
      signer: jwt,
      limiter,
      settings,
      policy
    };
    const write = opts.consoleWrite ?? ((line) => process.stdout.write(line + "\n"));
    const mailer = createMailerFromConfig({ smtpUrl: config.smtpUrl, mailFrom: config.mailFrom, write });
    const sms = createSmsFromConfig({
      provider: config.sms.provider,
      twilio: config.sms.twilio,
      webhookUrl: config.sms.webhookUrl,
      webhookSecret: config.sms.webhookSecret,
      write
    });
    const worker = createOutboxWorker({
      outbox: store.outbox,
      mailer,
      sms,
      clock,
      onResult: (r) => {
        metrics.messages.inc({ channel: r.channel, outcome: r.ok ? "sent" : "failed" });
        if (!r.ok) {
          const what = r.gaveUp ? "notification delivery failed; giving up" : "notification delivery failed; will retry";
          opts.log.warn({ channel: r.channel, template: r.template, attempt: r.attempt, error: r.error }, what);
        }
      },
      onError: (err) => opts.log.error({ err }, "notification outbox poll failed")
    });
    const registry = factorRegistry([...defaultFactors({ mailer, sms, metrics }), ...opts.factors ?? []]);
    const deps = {
      config,
      core,
      jwt,
      registry,
      clock,
      metrics,
      mailer,
      sms,
      outbox: worker,
      keyring,
      ready: async () => {
        await store.ping();
        return true;
      }
    };
    const reminders = enrollmentReminderJob(deps, opts.log);
    const refreshKeys = async () => {
      keyring.setKids(await store.keyIds.list());
      await jwt.reload();
    };
    let keyTimer;
    return {
      deps,
      opened,
      refreshKeys,
      start: () => {
        worker.start();
        reminders.start();
        keyTimer ??= setInterval(() => {
          refreshKeys().catch((err) => opts.log.warn({ err }, "could not refresh the keys; will retry"));
        }, opts.keyRefreshMs ?? KEY_REFRESH_MS);
        keyTimer.unref();
      },
      close: async () => {
        clearInterval(keyTimer);
        await reminders.stop();
        await worker.stop();
        if ("close" in mailer && typeof mailer.close === "function") mailer.close();
        redis?.disconnect();
        await opened.close();
      }
    };
  } catch (err) {
    redis?.disconnect();
    await opened.close();
    throw err;
  }
}
function budgetOf(bucket, policy) {
  switch (bucket) {
    case "login_account":
      return { points: 10, durationS: 900 };
    case "login_ip":
      return { points: 30, durationS: 900 };
    case "mfa_user":
      return { points: policy.mfa_max_failures, durationS: policy.mfa_lockout_minutes * 60, blockS: policy.mfa_lockout_minutes * 60 };
    case "otp_send_hour":
      return { points: 3, durationS: 3600 };
    case "otp_send_gap":
      return { points: 1, durationS: 30 };
    case "password_forgot":
      return { points: 5, durationS: 3600 };
  }
}
var POLICY_CACHE_MS, KEY_REFRESH_MS;
var init_compose = __esm({
  "src/server/compose.ts"() {
    "use strict";
    init_ioredis();
    init_factor();
    init_policy();
    init_delivery();
    init_store();
    init_jwt_keys();
    init_crypto();
    init_factors();
    init_key_ids4();
    init_key_rotation();
    init_enrollment_reminders();
    init_metrics();
    init_observed_store();
    POLICY_CACHE_MS = 1e3;
    KEY_REFRESH_MS = 6e4;
  }
});

// src/core/result.ts
var ok, fail;
var init_result = __esm({
  "src/core/result.ts"() {
    "use strict";
    ok = (value) => ({ ok: true, value });
    fail = (code, detail, extra = {}) => ({
      ok: false,
      error: { code, detail, ...extra }
    });
  }
});

// src/core/accounts/common-passwords.ts
var COMMON_PASSWORDS;
var init_common_passwords = __esm({
  "src/core/accounts/common-passwords.ts"() {
    "use strict";
    COMMON_PASSWORDS = /* @__PURE__ */ new Set([
      "!qaz2wsx",
      "00000000",
      "01234567",
      "012345678",
      "0123456789",
      "10101010",
      "10203040",
      "11111111",
      "11112222",
      "1111aaaa",
      "11223344",
      "12121212",
      "123123123",
      "123321123",
      "12341234",
      "12344321",
      "12345678",
      "123456789",
      "1234567890",
      "123456789a",
      "12345678a",
      "123456abc",
      "12345qwert",
      "1234abcd",
      "1234qwer",
      "123abc123",
      "123qweasd",
      "13131313",
      "147258369",
      "159753456",
      "1q2w3e4r",
      "1q2w3e4r5t",
      "1qaz2wsx",
      "1qazxsw2",
      "22222222",
      "2wsx3edc",
      "33333333",
      "3edc4rfv",
      "44444444",
      "55555555",
      "66666666",
      "741852963",
      "77777777",
      "88888888",
      "987654321",
      "9876543210",
      "987654321a",
      "99999999",
      "a12345678",
      "aaaa1111",
      "aaaaaaaa",
      "abc12345",
      "abc123456",
      "abc123abc",
      "abcd1234",
      "abcdefg1",
      "abcdefgh",
      "access14",
      "admin123",
      "admin1234",
      "adminadmin",
      "administrator",
      "alexander1",
      "andrew12",
      "anthony1",
      "arsenal1",
      "asdf1234",
      "asdfasdf",
      "asdfghjkl",
      "ashley12",
      "authenticator",
      "autumn2025",
      "autumn2026",
      "barcelona",
      "baseball",
      "baseball1",
      "basketball",
      "batman123",
      "benjamin1",
      "buster12",
      "butterfly",
      "changeme",
      "changeme123",
      "charles1",
      "charlie1",
      "chelsea1",
      "chocolate",
      "christopher",
      "company123",
      "computer",
      "contrasena",
      "cookie123",
      "corvette",
      "dallas12",
      "daniel12",
      "december1",
      "default1",
      "dragon123",
      "elizabeth",
      "february1",
      "ferrari1",
      "football",
      "football1",
      "fuckoff1",
      "fuckyou1",
      "george12",
      "ginger12",
      "guest123",
      "hockey123",
      "hunter12",
      "hunter22",
      "iloveu12",
      "iloveyou",
      "iloveyou1",
      "iloveyou2",
      "internet",
      "january1",
      "jennifer",
      "jessica1",
      "jordan23",
      "joshua12",
      "juventus",
      "killer12",
      "letmein!",
      "letmein1",
      "letmein123",
      "letmeinnow",
      "liverpool",
      "login123",
      "lovelove",
      "loveyou1",
      "manchester",
      "master12",
      "master123",
      "matthew1",
      "mercedes",
      "michael1",
      "michelle",
      "monkey123",
      "motdepasse",
      "mustang1",
      "mypassword",
      "newpassword",
      "nicole12",
      "oldpassword",
      "opensesame",
      "p@ssw0rd",
      "p@ssword",
      "pa$$word",
      "pa55word",
      "passw0rd",
      "password",
      "password!",
      "password1",
      "password1!",
      "password12",
      "password123",
      "password1234",
      "password2024",
      "password2025",
      "password2026",
      "passwordpassword",
      "passwort",
      "pepper12",
      "porsche1",
      "princess",
      "princess1",
      "q1w2e3r4",
      "q1w2e3r4t5",
      "qazwsxedc",
      "qweasdzxc",
      "qwer1234",
      "qwert12345",
      "qwerty!1",
      "qwerty12",
      "qwerty123",
      "qwerty1234",
      "qwertyui",
      "qwertyuiop",
      "rainbow1",
      "realmadrid",
      "richard1",
      "robert12",
      "root1234",
      "samantha",
      "secret123",
      "senha123",
      "shadow123",
      "soccer123",
      "spring2025",
      "spring2026",
      "starwars",
      "summer12",
      "summer2024",
      "summer2025",
      "summer2026",
      "sunflower",
      "sunshine",
      "superman",
      "temp1234",
      "temppassword",
      "test1234",
      "test12345",
      "testtest",
      "thomas12",
      "tigger12",
      "toor1234",
      "trustno1",
      "trustno11",
      "twofold1",
      "twofold123",
      "user1234",
      "victoria",
      "welcome1",
      "welcome123",
      "welcome2024",
      "welcome2025",
      "welcome2026",
      "whatever",
      "whatever1",
      "william1",
      "winter2024",
      "winter2025",
      "winter2026",
      "yankees1",
      "yourpassword",
      "zaq!2wsx",
      "zaq12wsx",
      "zaq1zaq1",
      "zxcvbnm123",
      "zxcvbnma",
      "zxcvzxcv"
    ]);
  }
});

// src/core/accounts/password-rules.ts
function passwordProblem(password, email) {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return "is too common; choose another";
  if (/^(.)\1+$/u.test(password)) return "is a single repeated character";
  if (email) {
    const local = email.toLowerCase().split("@")[0];
    if (lower === email.toLowerCase() || local.length >= 4 && lower === local) return "must not be your email address";
  }
  return null;
}
function normalizeEmail(email) {
  return email.trim().toLowerCase();
}
var PASSWORD_MIN, PASSWORD_MAX;
var init_password_rules = __esm({
  "src/core/accounts/password-rules.ts"() {
    "use strict";
    init_common_passwords();
    PASSWORD_MIN = 8;
    PASSWORD_MAX = 256;
  }
});

// src/core/accounts/register.ts
async function createAccount(deps, input, ctx, opts) {
  if (opts.selfService && !deps.settings.openRegistration) return fail("forbidden", "registration is closed");
  const email = normalizeEmail(input.email);
  if (input.password !== void 0) {
    const problem = passwordProblem(input.password, email);
    if (problem) return fail("validation_failed", `password ${problem}`, { field: "password" });
  }
  const existing = await deps.store.users.byEmail(email);
  if (existing) {
    if (opts.selfService && deps.settings.hideExistingEmail) return ok({ user: existing, existed: true });
    return fail("conflict", "an account with this email exists");
  }
  const user = {
    id: deps.random.uuid(),
    email,
    name: input.name ?? null,
    passwordHash: input.password !== void 0 ? await deps.passwords.hash(input.password) : null,
    roles: [...new Set(input.roles ?? [])],
    disabled: false,
    createdAt: ctx.now,
    lastLoginAt: null,
    mfaRequiredSince: null,
    mfaFailureStreak: 0
  };
  try {
    await deps.store.users.create(user);
  } catch (err) {
    if (await deps.store.users.byEmail(email)) return fail("conflict", "an account with this email exists");
    throw err;
  }
  const type = opts.selfService ? EVENT.registered : EVENT.userCreated;
  await audit(deps.store, ctx, type, user.id, { roles: user.roles }, opts.actorId ?? user.id);
  return ok({ user, existed: false });
}
var init_register = __esm({
  "src/core/accounts/register.ts"() {
    "use strict";
    init_audit();
    init_result();
    init_password_rules();
  }
});

// src/core/tokens.ts
function newOpaqueToken(random, hasher, purpose) {
  const id = random.uuid();
  const secret = random.bytes(SECRET_BYTES).toString("base64url");
  return { id, secret, token: `${id}.${secret}`, hash: hasher.hash(purpose, secret) };
}
function parseOpaqueToken(token) {
  if (typeof token !== "string") return null;
  const m = OPAQUE_RE.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}
function newSecret(random, bytes = SECRET_BYTES) {
  return random.bytes(bytes).toString("base64url");
}
var SECRET_BYTES, OPAQUE_RE;
var init_tokens = __esm({
  "src/core/tokens.ts"() {
    "use strict";
    SECRET_BYTES = 32;
    OPAQUE_RE = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})$/;
  }
});

// src/core/auth/device-name.ts
function deviceName(userAgent) {
  if (!userAgent) return "Unknown device";
  const ua = userAgent;
  const browser = /Edg\//.test(ua) ? "Edge" : /OPR\//.test(ua) ? "Opera" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : /curl\//i.test(ua) ? "curl" : "Browser";
  const os = /iPhone|iPad|iPod/.test(ua) ? "iOS" : /Android/.test(ua) ? "Android" : /Windows/.test(ua) ? "Windows" : /Mac OS X|Macintosh/.test(ua) ? "macOS" : /CrOS/.test(ua) ? "ChromeOS" : /Linux/.test(ua) ? "Linux" : null;
  return os ? `${browser} on ${os}` : browser;
}
var init_device_name = __esm({
  "src/core/auth/device-name.ts"() {
    "use strict";
  }
});

// src/core/auth/trusted-devices.ts
async function trustDevice(deps, user, ctx) {
  const policy = await deps.policy();
  const t = newOpaqueToken(deps.random, deps.secrets, PURPOSE);
  const device = {
    id: t.id,
    userId: user.id,
    secretHash: t.hash,
    name: deviceName(ctx.userAgent),
    createdAt: ctx.now,
    lastUsedAt: ctx.now,
    expiresAt: ctx.now + policy.trusted_device_days * DAY_MS3,
    revokedAt: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent
  };
  await deps.store.trustedDevices.create(device);
  await audit(deps.store, ctx, EVENT.deviceTrusted, user.id, { device_id: device.id, name: device.name });
  await notifyUser(deps, user, "trusted_device_added", ctx, { deviceName: device.name });
  return { token: t.token, device };
}
async function checkTrustedDevice(deps, user, token, ctx) {
  if (token === void 0 || token === null || token === "") return false;
  const parsed = parseOpaqueToken(token);
  const device = parsed ? await deps.store.trustedDevices.byId(parsed.id) : void 0;
  const good = !!parsed && !!device && device.userId === user.id && device.revokedAt === null && device.expiresAt > ctx.now && deps.secrets.verify(PURPOSE, parsed.secret, device.secretHash);
  if (!good) {
    await audit(deps.store, ctx, EVENT.deviceRejected, user.id, { device_id: device?.id ?? null });
    return false;
  }
  await deps.store.trustedDevices.touch(device.id, ctx.now);
  return true;
}
async function revokeTrustedDevice(deps, userId, id, ctx) {
  const done = await deps.store.trustedDevices.revoke(id, userId, ctx.now);
  if (!done) return fail("not_found", "no such trusted device");
  await audit(deps.store, ctx, EVENT.deviceRevoked, userId, { device_id: id });
  return ok(void 0);
}
async function revokeAllTrustedDevices(deps, userId, ctx, reason) {
  const n = await deps.store.trustedDevices.revokeAllForUser(userId, ctx.now);
  if (n > 0) await audit(deps.store, ctx, EVENT.deviceRevoked, userId, { all: true, count: n, reason });
  return n;
}
var PURPOSE, DAY_MS3;
var init_trusted_devices2 = __esm({
  "src/core/auth/trusted-devices.ts"() {
    "use strict";
    init_audit();
    init_notify();
    init_result();
    init_tokens();
    init_device_name();
    PURPOSE = "trusted_device";
    DAY_MS3 = 864e5;
  }
});

// src/core/mfa/backup-codes.ts
async function issueBackupCodes(deps, userId, now) {
  const codes = generateBackupCodes(deps.random);
  const rows = codes.map((code) => ({
    id: deps.random.uuid(),
    userId,
    codeHash: deps.secrets.hash(BACKUP_CODE_PURPOSE, normalizeBackupCode(code)),
    createdAt: now,
    usedAt: null
  }));
  await deps.store.backupCodes.replaceAll(userId, rows);
  return codes;
}
var init_backup_codes3 = __esm({
  "src/core/mfa/backup-codes.ts"() {
    "use strict";
    init_backup_codes2();
    init_backup_code();
  }
});

// src/core/mfa/manage.ts
async function mfaStatus(deps, user) {
  const [methods, remaining, policy] = await Promise.all([
    deps.store.methods.listForUser(user.id),
    deps.store.backupCodes.remaining(user.id),
    deps.policy()
  ]);
  const required = policyRequiresMfa(policy, user);
  const enrollBy = required && methods.length === 0 && user.mfaRequiredSince !== null ? enrollDeadline(policy, user.mfaRequiredSince) : null;
  return { enabled: methods.length > 0, methods, backupCodesRemaining: methods.length > 0 ? remaining : 0, required, enrollBy };
}
async function ownMethod(deps, user, id) {
  const m = await deps.store.methods.byId(id);
  return m && m.userId === user.id ? m : void 0;
}
async function renameMethod(deps, user, id, name, ctx) {
  const m = await ownMethod(deps, user, id);
  if (!m) return fail("not_found", "no such method");
  await deps.store.methods.rename(id, name);
  await audit(deps.store, ctx, EVENT.methodRenamed, user.id, { method: m.type, method_id: id });
  return ok({ ...m, name });
}
async function wipeFactors(deps, userId, ctx, reason) {
  const n = await deps.store.methods.deleteAllForUser(userId);
  await deps.store.backupCodes.deleteAllForUser(userId);
  await revokeAllTrustedDevices(deps, userId, ctx, reason);
  return n;
}
async function removeMethod(deps, user, session, id, ctx) {
  const m = await ownMethod(deps, user, id);
  if (!m) return fail("not_found", "no such method");
  const keepOne = policyRequiresMfa(await deps.policy(), user);
  const result = await deps.store.methods.deleteOwned(id, user.id, keepOne);
  if (result.outcome === "not_found") return fail("not_found", "no such method");
  if (result.outcome === "last") return fail("policy_violation", "policy requires a second factor: add another method before removing this one");
  const last = result.remaining === 0;
  if (last) await wipeFactors(deps, user.id, ctx, "last_method_removed");
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  await audit(deps.store, ctx, EVENT.methodRemoved, user.id, { method: m.type, method_id: id, name: m.name, last });
  await notifyUser(deps, user, "factor_removed", ctx, { methodType: m.type, methodName: m.name });
  return ok(m);
}
async function regenerateBackupCodes(deps, user, ctx) {
  const methods = await deps.store.methods.listForUser(user.id);
  if (methods.length === 0) return fail("conflict", "set up a second factor first; backup codes come with it");
  const codes = await issueBackupCodes(deps, user.id, ctx.now);
  await audit(deps.store, ctx, EVENT.backupCodesRegenerated, user.id, { count: codes.length });
  await notifyUser(deps, user, "backup_codes_regenerated", ctx);
  return ok(codes);
}
async function disableMfa(deps, user, session, ctx) {
  if (policyRequiresMfa(await deps.policy(), user)) return fail("policy_violation", "policy requires a second factor for your account");
  const n = await wipeFactors(deps, user.id, ctx, "mfa_disabled");
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  await audit(deps.store, ctx, EVENT.mfaDisabled, user.id, { methods_removed: n });
  await notifyUser(deps, user, "mfa_disabled", ctx);
  return ok(void 0);
}
async function resetMfa(deps, user, actorId, reason, ctx) {
  const n = await wipeFactors(deps, user.id, ctx, "admin_reset");
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now);
  await deps.store.users.resetFailureStreak(user.id);
  await deps.limiter.reset("mfa_user", user.id);
  await audit(deps.store, ctx, EVENT.mfaReset, user.id, { reason, methods_removed: n }, actorId);
  await notifyUser(deps, user, "mfa_reset_by_admin", ctx, { reason });
}
var init_manage = __esm({
  "src/core/mfa/manage.ts"() {
    "use strict";
    init_audit();
    init_trusted_devices2();
    init_notify();
    init_policy();
    init_result();
    init_backup_codes3();
  }
});

// src/core/admin/users.ts
async function withMethodTypes(deps, users) {
  const types = await deps.store.methods.typesForUsers(users.map((u) => u.id));
  return users.map((user) => ({ user, methods: types[user.id] ?? [] }));
}
async function startGraceIfRequired(deps, now) {
  await deps.store.enforcement.startGrace(mfaAudience(await deps.policy()), now);
}
async function createUserByAdmin(deps, admin, input, ctx) {
  const out = await createAccount(deps, input, ctx, { selfService: false, actorId: admin.id });
  if (!out.ok) return out;
  await startGraceIfRequired(deps, ctx.now);
  return ok(out.value.user);
}
async function updateUserByAdmin(deps, admin, id, patch, ctx) {
  const before = await deps.store.users.byId(id);
  if (!before) return fail("not_found", "no such user");
  const roles = patch.roles === void 0 ? void 0 : [...new Set(patch.roles)];
  const result = await deps.store.users.updateKeepingAnAdmin(id, { roles, disabled: patch.disabled });
  if (result === "not_found") return fail("not_found", "no such user");
  if (result === "last_admin") return fail("conflict", "this would leave no enabled administrator: make another one first");
  const after = await deps.store.users.byId(id);
  let sessionsEnded = 0;
  if (after.disabled && !before.disabled) sessionsEnded = await deps.store.sessions.revokeAllForUser(id, ctx.now);
  const changes = {};
  if (roles !== void 0 && JSON.stringify(before.roles) !== JSON.stringify(after.roles)) changes.roles = { old: before.roles, new: after.roles };
  if (before.disabled !== after.disabled) changes.disabled = { old: before.disabled, new: after.disabled };
  await audit(deps.store, ctx, EVENT.userUpdated, id, { changes, sessions_ended: sessionsEnded }, admin.id);
  if (changes.roles || changes.disabled) await startGraceIfRequired(deps, ctx.now);
  return ok((await withMethodTypes(deps, [after]))[0]);
}
async function resetMfaByAdmin(deps, adminId, user, reason, ctx) {
  const removed = (await deps.store.methods.listForUser(user.id)).map((m) => m.type);
  await resetMfa(deps, user, adminId, reason, ctx);
  return removed;
}
var init_users2 = __esm({
  "src/core/admin/users.ts"() {
    "use strict";
    init_register();
    init_audit();
    init_manage();
    init_result();
    init_audience();
  }
});

// src/server/http/problems.ts
function problemBody(f) {
  const { status, title } = PROBLEMS[f.code];
  const body = { type: `https://twofold.dev/problems/${f.code}`, title, status, detail: f.detail ?? title, code: f.code };
  if (f.field) body.field = f.field;
  return body;
}
function sendProblem(reply, f) {
  const body = problemBody(f);
  if (f.code === "rate_limited") reply.header("Retry-After", String(Math.max(1, Math.ceil(f.retryAfterS ?? 60))));
  return reply.code(body.status).type("application/problem+json").header("Cache-Control", "no-store").send(body);
}
var PROBLEMS;
var init_problems = __esm({
  "src/server/http/problems.ts"() {
    "use strict";
    PROBLEMS = {
      validation_failed: { status: 400, title: "Invalid request" },
      invalid_credentials: { status: 401, title: "Invalid credentials" },
      unauthenticated: { status: 401, title: "Authentication required" },
      mfa_token_invalid: { status: 401, title: "Sign-in step not valid" },
      invalid_code: { status: 401, title: "Invalid code" },
      step_up_required: { status: 401, title: "Confirmation required" },
      forbidden: { status: 403, title: "Forbidden" },
      policy_violation: { status: 403, title: "Not allowed by policy" },
      not_found: { status: 404, title: "Not found" },
      conflict: { status: 409, title: "Conflict" },
      rate_limited: { status: 429, title: "Too many requests" },
      delivery_failed: { status: 502, title: "Delivery failed" },
      delivery_unavailable: { status: 503, title: "Delivery unavailable" }
    };
  }
});

// src/server/http/error-handler.ts
function fieldOf(context, issue) {
  const zodPath = issue?.params?.issue?.path;
  const fromPath = zodPath && zodPath.length > 0 ? zodPath.join(".") : (issue?.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
  const missing2 = issue?.params?.missingProperty;
  const name = [fromPath, missing2].filter(Boolean).join(".");
  return name || context || "body";
}
function installErrorHandling(app) {
  app.setErrorHandler((err, request, reply) => {
    if (err.validation) {
      const issue = err.validation[0];
      const field = fieldOf(void 0, issue);
      const message = issue?.message ?? "is not valid";
      return sendProblem(reply, { code: "validation_failed", field, detail: `${field}: ${message}` });
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const detail = err.code === "FST_ERR_CTP_BODY_TOO_LARGE" ? "body: larger than the 64 KiB limit" : err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE" ? "body: content type must be application/json" : err.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "body: empty JSON body" : err.code === "FST_ERR_CTP_INVALID_CONTENT_LENGTH" ? "body: content length does not match" : err.message.startsWith("body:") ? err.message : `body: ${err.message}`;
      return sendProblem(reply, { code: "validation_failed", field: "body", detail });
    }
    request.log.error({ err }, "unhandled error");
    return reply.code(500).type("application/problem+json").send({ type: "about:blank", title: "Internal error", status: 500, detail: "an internal error occurred", code: "internal" });
  });
}
function installJsonParser(app) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(["application/json", "application/problem+json"], { parseAs: "buffer" }, (_req, body, done) => {
    let text;
    try {
      text = decoder.decode(body);
    } catch {
      return done(Object.assign(new Error("body: not valid UTF-8"), { statusCode: 400, code: "TF_BAD_UTF8" }), void 0);
    }
    if (text.trim() === "") return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error("body: not valid JSON"), { statusCode: 400, code: "TF_BAD_JSON" }), void 0);
    }
  });
}
var init_error_handler = __esm({
  "src/server/http/error-handler.ts"() {
    "use strict";
    init_problems();
  }
});

// src/server/schemas.ts
import { z as z2 } from "zod";
var Email, Password, Name, VerifyMethod, OneTimeCode, Credential, Problem, UserSummary, TokenResponse, MfaRequiredResponse, StepUpFields, problems, iso;
var init_schemas = __esm({
  "src/server/schemas.ts"() {
    "use strict";
    init_types();
    Email = z2.email({ message: "must be an email address" }).max(254);
    Password = z2.string().min(1, "is required").max(1024, "is too long");
    Name = z2.string().trim().min(1).max(100);
    VerifyMethod = z2.enum(VERIFY_METHODS);
    OneTimeCode = z2.string().max(64, "is too long");
    Credential = z2.record(z2.string(), z2.unknown());
    Problem = z2.object({
      type: z2.string(),
      title: z2.string(),
      status: z2.number().int(),
      detail: z2.string(),
      code: z2.string(),
      field: z2.string().optional()
    }).describe("RFC 9457 problem details");
    UserSummary = z2.object({ id: z2.string(), email: z2.string(), roles: z2.array(z2.string()) });
    TokenResponse = z2.object({
      mfa_required: z2.literal(false),
      access_token: z2.string().optional().describe("omitted in cookie mode"),
      token_type: z2.literal("bearer"),
      expires_in: z2.number().int(),
      refresh_token: z2.string().optional().describe("omitted in cookie mode"),
      user: UserSummary,
      device_token: z2.string().optional(),
      enroll_by: z2.string().optional(),
      mfa_enrollment_required: z2.boolean().optional()
    });
    MfaRequiredResponse = z2.object({
      mfa_required: z2.literal(true),
      mfa_token: z2.string(),
      methods: z2.array(VerifyMethod),
      expires_in: z2.number().int()
    });
    StepUpFields = {
      method: VerifyMethod.optional(),
      code: OneTimeCode.optional(),
      credential: Credential.optional(),
      password: Password.optional()
    };
    problems = (...statuses) => Object.fromEntries(statuses.map((s) => [s, Problem]));
    iso = (ms) => ms === null ? null : new Date(ms).toISOString();
  }
});

// src/core/admin/admin-freshness.ts
async function requireFreshAdmin(deps, user, session, now) {
  const policy = await deps.policy();
  if (!policyRequiresMfa(policy, user)) return ok(void 0);
  const maxAgeMs = Math.max(policy.step_up_max_age_s, ADMIN_MIN_FRESHNESS_S) * 1e3;
  if (session.mfaVerifiedAt !== null && now - session.mfaVerifiedAt <= maxAgeMs) return ok(void 0);
  const hasMfa = (await deps.store.methods.listForUser(user.id)).length > 0;
  return fail(
    "step_up_required",
    hasMfa ? "administration needs a recently verified second factor: confirm one with POST /mfa/step-up" : "policy requires administrators to use a second factor: set one up under /mfa first"
  );
}
var ADMIN_MIN_FRESHNESS_S;
var init_admin_freshness = __esm({
  "src/core/admin/admin-freshness.ts"() {
    "use strict";
    init_policy();
    init_result();
    ADMIN_MIN_FRESHNESS_S = 60;
  }
});

// src/core/auth/sessions.ts
async function issueRefresh(deps, session, now) {
  const token = newSecret(deps.random);
  await deps.store.refreshTokens.insert({
    hash: deps.secrets.hash(REFRESH_PURPOSE, token),
    sessionId: session.id,
    createdAt: now,
    expiresAt: now + deps.settings.refreshTtlS * 1e3,
    usedAt: null
  });
  return token;
}
async function startSession(deps, user, ctx, auth) {
  const session = {
    id: deps.random.uuid(),
    userId: user.id,
    createdAt: ctx.now,
    lastUsedAt: ctx.now,
    expiresAt: ctx.now + deps.settings.refreshTtlS * 1e3,
    revokedAt: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    amr: auth.amr,
    acr: auth.acr,
    mfaVerifiedAt: auth.mfaVerified ? ctx.now : null,
    enrollmentOnly: auth.enrollmentOnly ?? false
  };
  await deps.store.sessions.create(session);
  await deps.store.users.setLastLogin(user.id, ctx.now);
  const refreshToken = await issueRefresh(deps, session, ctx.now);
  const { token, expiresIn } = await deps.signer.sign({ sub: user.id, sid: session.id, amr: session.amr, acr: session.acr }, ctx.now);
  return { accessToken: token, expiresIn, refreshToken, session, user };
}
function isLive(session, now) {
  return !!session && session.revokedAt === null && session.expiresAt > now;
}
async function refreshSession(deps, presented, ctx) {
  if (typeof presented !== "string" || presented.length < 20 || presented.length > 200) return fail("unauthenticated", "refresh token is not valid");
  const hash2 = deps.secrets.hash(REFRESH_PURPOSE, presented);
  const record = await deps.store.refreshTokens.byHash(hash2);
  if (!record) return fail("unauthenticated", "refresh token is not valid");
  const session = await deps.store.sessions.byId(record.sessionId);
  if (!isLive(session, ctx.now) || record.expiresAt <= ctx.now) return fail("unauthenticated", "session has ended");
  const firstUse = record.usedAt === null && await deps.store.refreshTokens.markUsed(hash2, ctx.now);
  if (!firstUse) {
    await deps.store.sessions.revoke(session.id, ctx.now);
    await audit(deps.store, ctx, EVENT.refreshReuse, session.userId, { session_id: session.id });
    return fail("unauthenticated", "refresh token was already used; the session has been revoked");
  }
  const user = await deps.store.users.byId(session.userId);
  if (!user || user.disabled) return fail("unauthenticated", "session has ended");
  await deps.store.sessions.touch(session.id, ctx.now);
  const refreshToken = await issueRefresh(deps, session, ctx.now);
  const { token, expiresIn } = await deps.signer.sign({ sub: user.id, sid: session.id, amr: session.amr, acr: session.acr }, ctx.now);
  return ok({ accessToken: token, expiresIn, refreshToken, session, user });
}
async function endSession(deps, session, ctx) {
  await deps.store.sessions.revoke(session.id, ctx.now);
  await audit(deps.store, ctx, EVENT.logout, session.userId, { session_id: session.id });
}
async function revokeOwnSession(deps, userId, sessionId, ctx) {
  const session = await deps.store.sessions.byId(sessionId);
  if (!session || session.userId !== userId || !isLive(session, ctx.now)) return fail("not_found", "no such session");
  await deps.store.sessions.revoke(sessionId, ctx.now);
  await audit(deps.store, ctx, EVENT.sessionRevoked, userId, { session_id: sessionId });
  return ok(void 0);
}
var REFRESH_PURPOSE;
var init_sessions2 = __esm({
  "src/core/auth/sessions.ts"() {
    "use strict";
    init_audit();
    init_result();
    init_tokens();
    REFRESH_PURPOSE = "refresh";
  }
});

// src/server/http/cookies.ts
function wantsCookies(request) {
  return request.headers["x-twofold-session"] === "cookie";
}
function cookieBase(secure) {
  return { httpOnly: true, sameSite: "strict", secure, path: "/" };
}
function setSessionCookies(reply, secure, t) {
  const base = cookieBase(secure);
  reply.setCookie(COOKIE.access, t.accessToken, { ...base, maxAge: t.expiresIn });
  reply.setCookie(COOKIE.refresh, t.refreshToken, { ...base, path: REFRESH_PATH, maxAge: t.refreshTtlS });
  reply.setCookie(COOKIE.csrf, t.csrf, { ...base, httpOnly: false, maxAge: t.refreshTtlS });
}
function clearSessionCookies(reply, secure) {
  const base = cookieBase(secure);
  reply.clearCookie(COOKIE.access, base);
  reply.clearCookie(COOKIE.refresh, { ...base, path: REFRESH_PATH });
  reply.clearCookie(COOKIE.csrf, { ...base, httpOnly: false });
}
function setDeviceCookie(reply, secure, token, maxAgeS) {
  reply.setCookie(COOKIE.device, token, { ...cookieBase(secure), path: DEVICE_PATH, maxAge: maxAgeS });
}
var COOKIE, REFRESH_PATH, DEVICE_PATH;
var init_cookies = __esm({
  "src/server/http/cookies.ts"() {
    "use strict";
    COOKIE = {
      access: "twofold_at",
      refresh: "twofold_rt",
      csrf: "twofold_csrf",
      device: "twofold_device"
    };
    REFRESH_PATH = "/api/v1/auth/token";
    DEVICE_PATH = "/api/v1/auth";
  }
});

// src/server/http/authenticate.ts
import { timingSafeEqual as timingSafeEqual4 } from "node:crypto";
function equalStrings(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual4(x, y);
}
async function authenticate(deps, request) {
  const header = request.headers.authorization;
  let token;
  let via = "bearer";
  if (typeof header === "string" && header.length > 0) {
    const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!m) return { code: "unauthenticated", detail: 'Authorization must be "Bearer <access_token>"' };
    token = m[1];
  } else if (request.cookies?.[COOKIE.access]) {
    token = request.cookies[COOKIE.access];
    via = "cookie";
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers["x-csrf-token"];
      const expected = request.cookies[COOKIE.csrf];
      if (typeof sent !== "string" || !expected || !equalStrings(sent, expected)) {
        return { code: "forbidden", detail: "CSRF token missing or wrong (X-CSRF-Token header)" };
      }
    }
  }
  if (!token) return { code: "unauthenticated", detail: "sign in first" };
  const now = deps.clock.now();
  const claims = await deps.jwt.verify(token, now);
  if (!claims) return { code: "unauthenticated", detail: "access token is not valid or has expired" };
  const session = await deps.core.store.sessions.byId(claims.sid);
  if (!isLive(session, now) || session.userId !== claims.sub) return { code: "unauthenticated", detail: "session has ended" };
  const user = await deps.core.store.users.byId(claims.sub);
  if (!user || user.disabled) return { code: "unauthenticated", detail: "session has ended" };
  if (now - session.lastUsedAt > TOUCH_EVERY_MS) await deps.core.store.sessions.touch(session.id, now);
  return { user, session, via };
}
function isFailure(x) {
  return "code" in x;
}
function requireSession(deps, opts = {}) {
  return async function guard(request, reply) {
    const result = await authenticate(deps, request);
    if (isFailure(result)) return sendProblem(reply, result);
    if (result.session.enrollmentOnly && !opts.enrollment) {
      return sendProblem(reply, { code: "policy_violation", detail: "policy requires you to set up a second factor first" });
    }
    if (opts.admin && !result.user.roles.includes("admin")) return sendProblem(reply, { code: "forbidden", detail: "administrators only" });
    request.auth = result;
  };
}
function authOf(request) {
  if (!request.auth) throw new Error("route is missing its requireSession guard");
  return request.auth;
}
var TOUCH_EVERY_MS, SAFE_METHODS;
var init_authenticate = __esm({
  "src/server/http/authenticate.ts"() {
    "use strict";
    init_sessions2();
    init_cookies();
    init_problems();
    TOUCH_EVERY_MS = 6e4;
    SAFE_METHODS = /* @__PURE__ */ new Set(["GET", "HEAD", "OPTIONS"]);
  }
});

// src/server/http/context.ts
function ctxOf(request, clock) {
  const ua = request.headers["user-agent"];
  return {
    now: clock.now(),
    ip: request.ip ?? null,
    userAgent: typeof ua === "string" ? ua.slice(0, 512) : null
  };
}
var init_context = __esm({
  "src/server/http/context.ts"() {
    "use strict";
  }
});

// src/server/routes/admin-guard.ts
function setAdminTarget(request, id) {
  targets.set(request, id);
}
function adminGuard(deps) {
  const session = requireSession(deps, { admin: true });
  return async function guard(request, reply) {
    await session.call(this, request, reply);
    if (!request.auth) return reply;
    const fresh = await requireFreshAdmin(deps.core, request.auth.user, request.auth.session, deps.clock.now());
    if (!fresh.ok) return sendProblem(reply, fresh.error);
  };
}
function auditCall(deps) {
  return async function onSend(request, reply, payload) {
    const auth = request.auth;
    if (!auth || !auth.user.roles.includes("admin")) return payload;
    const params = request.params;
    const route = `${request.method} ${(request.routeOptions.url ?? "").replace(/^\/api\/v1/, "")}`;
    const target = targets.get(request) ?? params?.id ?? null;
    await audit(deps.core.store, ctxOf(request, deps.clock), EVENT.adminAction, auth.user.id, { route, target, status: reply.statusCode });
    return payload;
  };
}
function adminHooks(deps) {
  return { onRequest: adminGuard(deps), onSend: auditCall(deps) };
}
var targets, ADMIN_PROBLEMS;
var init_admin_guard = __esm({
  "src/server/routes/admin-guard.ts"() {
    "use strict";
    init_admin_freshness();
    init_audit();
    init_authenticate();
    init_context();
    init_problems();
    targets = /* @__PURE__ */ new WeakMap();
    ADMIN_PROBLEMS = [401, 403];
  }
});

// src/server/routes/sessions.ts
import { z as z3 } from "zod";
function eventJson(e) {
  return { id: String(e.id), type: e.type, user_id: e.userId, actor_id: e.actorId, ip: e.ip, user_agent: e.userAgent, at: iso(e.at), details: e.details };
}
function sessionRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["sessions"];
  r.get("/auth/sessions", {
    preHandler: requireSession(deps, { enrollment: true }),
    schema: {
      tags,
      summary: "List the caller's live sessions",
      response: {
        200: z3.object({
          sessions: z3.array(z3.object({ id: z3.string(), created_at: z3.string(), last_used_at: z3.string(), ip: z3.string().nullable(), user_agent: z3.string().nullable(), current: z3.boolean() }))
        }),
        ...problems(401)
      }
    }
  }, async (request, reply) => {
    const { user, session } = authOf(request);
    const list = await deps.core.store.sessions.listLive(user.id, deps.clock.now());
    reply.header("Cache-Control", "no-store");
    return {
      sessions: list.map((s) => ({ id: s.id, created_at: iso(s.createdAt), last_used_at: iso(s.lastUsedAt), ip: s.ip, user_agent: s.userAgent, current: s.id === session.id }))
    };
  });
  r.delete("/auth/sessions/:id", {
    preHandler: requireSession(deps),
    schema: { tags, summary: "Revoke one of the caller's sessions", params: z3.object({ id: z3.string().max(64) }), response: { 204: z3.null(), ...problems(401, 404) } }
  }, async (request, reply) => {
    const out = await revokeOwnSession(deps.core, authOf(request).user.id, request.params.id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
  r.get("/me/security-events", {
    preHandler: requireSession(deps),
    schema: {
      tags: ["me"],
      summary: "The caller's own audit trail, newest first",
      querystring: z3.object({ cursor: Cursor, limit: Limit }).strict(),
      response: { 200: z3.object({ events: z3.array(EventSchema), next_cursor: z3.string().nullable() }), ...problems(400, 401) }
    }
  }, async (request, reply) => {
    const { user } = authOf(request);
    const q = request.query;
    const page = await deps.core.store.events.list({ userId: user.id, cursor: q.cursor ? Number(q.cursor) : void 0, limit: q.limit });
    reply.header("Cache-Control", "no-store");
    return { events: page.events.map(eventJson), next_cursor: page.nextCursor === null ? null : String(page.nextCursor) };
  });
  r.get("/me", {
    preHandler: requireSession(deps, { enrollment: true }),
    schema: {
      tags: ["me"],
      summary: "The caller",
      response: {
        200: z3.object({ id: z3.string(), email: z3.string(), name: z3.string().nullable(), roles: z3.array(z3.string()), created_at: z3.string(), enrollment_only: z3.boolean(), amr: z3.array(z3.string()), acr: z3.string() }),
        ...problems(401)
      }
    }
  }, async (request, reply) => {
    const { user, session } = authOf(request);
    reply.header("Cache-Control", "no-store");
    return { id: user.id, email: user.email, name: user.name, roles: user.roles, created_at: iso(user.createdAt), enrollment_only: session.enrollmentOnly, amr: session.amr, acr: session.acr };
  });
}
var EventSchema, Cursor, Limit;
var init_sessions3 = __esm({
  "src/server/routes/sessions.ts"() {
    "use strict";
    init_sessions2();
    init_authenticate();
    init_context();
    init_problems();
    init_schemas();
    EventSchema = z3.object({
      id: z3.string(),
      type: z3.string(),
      user_id: z3.string().nullable(),
      actor_id: z3.string().nullable(),
      ip: z3.string().nullable(),
      user_agent: z3.string().nullable(),
      at: z3.string(),
      details: z3.record(z3.string(), z3.unknown())
    });
    Cursor = z3.string().regex(/^\d{1,18}$/, "must be a cursor returned by the previous page").optional();
    Limit = z3.coerce.number().int().min(1).max(100).default(20);
  }
});

// src/server/routes/admin-audit.ts
import { z as z4 } from "zod";
function adminAuditRoutes(app, deps) {
  const r = app.withTypeProvider();
  r.get("/admin/audit", {
    ...adminHooks(deps),
    schema: {
      tags: ["admin"],
      summary: "Search the audit trail, newest first, paginated",
      description: "`since` is inclusive, `until` exclusive; `type` is an exact event type such as `admin.mfa_reset`.",
      querystring: z4.object({
        user_id: z4.string().max(64).optional(),
        type: z4.string().max(100).optional(),
        since: Time.optional(),
        until: Time.optional(),
        cursor: Cursor,
        limit: Limit
      }).strict(),
      response: { 200: z4.object({ events: z4.array(EventSchema), next_cursor: z4.string().nullable() }), ...problems(400, ...ADMIN_PROBLEMS) }
    }
  }, async (request, reply) => {
    const q = request.query;
    const since = q.since === void 0 ? void 0 : Date.parse(q.since);
    const until = q.until === void 0 ? void 0 : Date.parse(q.until);
    if (since !== void 0 && until !== void 0 && until < since) {
      return sendProblem(reply, { code: "validation_failed", field: "until", detail: "until: must not be before since" });
    }
    const page = await deps.core.store.events.list({ userId: q.user_id, type: q.type, since, until, cursor: q.cursor ? Number(q.cursor) : void 0, limit: q.limit });
    return { events: page.events.map(eventJson), next_cursor: page.nextCursor === null ? null : String(page.nextCursor) };
  });
}
var Time;
var init_admin_audit = __esm({
  "src/server/routes/admin-audit.ts"() {
    "use strict";
    init_problems();
    init_schemas();
    init_admin_guard();
    init_sessions3();
    Time = z4.iso.datetime({ offset: true, message: "must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z" });
  }
});

// src/core/admin/policy-update.ts
async function storedPolicy(deps) {
  return { ...DEFAULT_POLICY, ...await deps.store.policy.get() ?? {} };
}
function problemOf(p) {
  if (p.require_mfa === "roles" && p.roles.length === 0) {
    return { field: "roles", detail: 'roles: name at least one role when require_mfa is "roles"' };
  }
  if (!p.allowed_methods.some((m) => MFA_METHOD_TYPES.includes(m))) {
    return { field: "allowed_methods", detail: `allowed_methods: include at least one of ${MFA_METHOD_TYPES.join(", ")}` };
  }
  if (p.mfa_hard_lock_streak < p.mfa_max_failures) {
    return { field: "mfa_hard_lock_streak", detail: "mfa_hard_lock_streak: must be at least mfa_max_failures" };
  }
  return void 0;
}
async function updatePolicy(deps, admin, patch, ctx) {
  const old = await storedPolicy(deps);
  const next = { ...old, ...patch };
  next.roles = [...new Set(next.roles)];
  next.allowed_methods = VERIFY_METHODS.filter((m) => next.allowed_methods.includes(m));
  const problem = problemOf(next);
  if (problem) return fail("validation_failed", problem.detail, { field: problem.field });
  await deps.store.policy.put(next, ctx.now);
  await audit(deps.store, ctx, EVENT.policyUpdated, null, { old, new: next }, admin.id);
  await deps.store.enforcement.startGrace(mfaAudience(next), ctx.now);
  return ok(next);
}
var init_policy_update = __esm({
  "src/core/admin/policy-update.ts"() {
    "use strict";
    init_audit();
    init_policy();
    init_result();
    init_types();
    init_audience();
  }
});

// src/server/routes/admin-schemas.ts
import { z as z5 } from "zod";
function adminUserJson(v) {
  const u = v.user;
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roles: u.roles,
    mfa_enabled: v.methods.length > 0,
    methods: v.methods,
    created_at: iso(u.createdAt),
    last_login_at: iso(u.lastLoginAt),
    disabled: u.disabled
  };
}
var Role, Roles, AdminUser;
var init_admin_schemas = __esm({
  "src/server/routes/admin-schemas.ts"() {
    "use strict";
    init_types();
    init_schemas();
    Role = z5.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, "must be 1-64 letters, digits or _ . : - (starting with a letter or digit)");
    Roles = z5.array(Role).max(20, "at most 20 roles");
    AdminUser = z5.object({
      id: z5.string(),
      email: z5.string(),
      name: z5.string().nullable(),
      roles: z5.array(z5.string()),
      mfa_enabled: z5.boolean(),
      methods: z5.array(z5.enum(MFA_METHOD_TYPES)).describe("the kinds of factor enrolled"),
      created_at: z5.string(),
      last_login_at: z5.string().nullable(),
      disabled: z5.boolean()
    });
  }
});

// src/server/routes/admin-policy.ts
import { z as z6 } from "zod";
function policyJson(p) {
  return {
    require_mfa: p.require_mfa,
    roles: p.roles,
    grace_period_days: p.grace_period_days,
    allowed_methods: p.allowed_methods,
    trusted_device_days: p.trusted_device_days,
    step_up_max_age_s: p.step_up_max_age_s,
    mfa_max_failures: p.mfa_max_failures,
    mfa_lockout_minutes: p.mfa_lockout_minutes,
    mfa_hard_lock_streak: p.mfa_hard_lock_streak
  };
}
function adminPolicyRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["admin"];
  const admin = adminHooks(deps);
  r.get("/admin/policy", {
    ...admin,
    schema: { tags, summary: "The MFA policy in force", response: { 200: PolicySchema, ...problems(...ADMIN_PROBLEMS) } }
  }, async () => policyJson(await storedPolicy(deps.core)));
  r.put("/admin/policy", {
    ...admin,
    schema: {
      tags,
      summary: "Change the MFA policy",
      description: "Fields left out keep their value. The change is audited with the old and new values and is in force in every process within 1 second (each process caches the policy that long). Users it newly requires to use MFA start their grace period now; reminders are mailed 3 days and 1 day before the deadline.",
      body: z6.object(PolicyFields).partial().strict(),
      response: { 200: PolicySchema, ...problems(400, ...ADMIN_PROBLEMS) }
    }
  }, async (request, reply) => {
    const patch = request.body;
    const out = await updatePolicy(deps.core, authOf(request).user, patch, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return policyJson(out.value);
  });
}
var int, PolicyFields, PolicySchema;
var init_admin_policy = __esm({
  "src/server/routes/admin-policy.ts"() {
    "use strict";
    init_policy_update();
    init_authenticate();
    init_context();
    init_problems();
    init_schemas();
    init_admin_guard();
    init_admin_schemas();
    int = (min, max) => z6.number().int().min(min).max(max);
    PolicyFields = {
      require_mfa: z6.enum(["off", "admins", "roles", "all"]),
      roles: z6.array(Role).max(20).describe('the roles required to use MFA when require_mfa is "roles"'),
      grace_period_days: int(0, 365).describe("days a user required to use MFA may still sign in without it (0: none)"),
      allowed_methods: z6.array(VerifyMethod).min(1).max(5).describe("at least one of totp, webauthn, email, sms"),
      trusted_device_days: int(0, 365).describe('how long "trust this browser" lasts (0: never honoured)'),
      step_up_max_age_s: int(0, 86400).describe("a second factor this recent counts as step-up (0: always ask)"),
      mfa_max_failures: int(3, 100).describe("second-factor failures per user per window before a temporary lock"),
      mfa_lockout_minutes: int(1, 1440).describe("the window and the temporary lock, in minutes"),
      mfa_hard_lock_streak: int(10, 100).describe("failures in a row before only a backup code or an admin reset helps")
    };
    PolicySchema = z6.object(PolicyFields);
  }
});

// src/core/admin/stats.ts
function emptyVerifications() {
  return Object.fromEntries(VERIFY_METHODS.map((m) => [m, { succeeded: 0, failed: 0 }]));
}
async function adoptionStats(deps, now) {
  const policy = await deps.policy();
  const [users, mfaEnabled, byMethod, events, grace, lowBackupCodes] = await Promise.all([
    deps.store.users.count(),
    deps.store.methods.usersWithMfa(),
    deps.store.stats.usersByMethod(),
    deps.store.stats.eventsByMethod([...Object.keys(OUTCOME_OF), EVENT.mfaLockout], now - 7 * DAY_MS4, now - DAY_MS4),
    deps.store.stats.graceCounts(mfaAudience(policy), policy.grace_period_days * DAY_MS4, now),
    deps.store.backupCodes.usersBelow(LOW_BACKUP_CODES)
  ]);
  const verifications = { "24h": emptyVerifications(), "7d": emptyVerifications() };
  const lockouts = { "24h": 0, "7d": 0 };
  for (const row of events) {
    if (row.type === EVENT.mfaLockout) {
      lockouts["7d"] += row.total;
      lockouts["24h"] += row.recent;
      continue;
    }
    const outcome = OUTCOME_OF[row.type];
    if (!outcome || !row.method || !VERIFY_METHODS.includes(row.method)) continue;
    verifications["7d"][row.method][outcome] += row.total;
    verifications["24h"][row.method][outcome] += row.recent;
  }
  const shareWithMfa = users === 0 ? 0 : Math.round(mfaEnabled / users * 1e4) / 1e4;
  return { users, mfaEnabled, byMethod, verifications, lockouts, grace, lowBackupCodes, shareWithMfa };
}
var HOUR_MS, DAY_MS4, LOW_BACKUP_CODES, OUTCOME_OF;
var init_stats2 = __esm({
  "src/core/admin/stats.ts"() {
    "use strict";
    init_audit();
    init_types();
    init_audience();
    HOUR_MS = 36e5;
    DAY_MS4 = 24 * HOUR_MS;
    LOW_BACKUP_CODES = 3;
    OUTCOME_OF = {
      [EVENT.mfaVerified]: "succeeded",
      [EVENT.mfaFailed]: "failed",
      [EVENT.mfaReplay]: "failed"
    };
  }
});

// src/server/routes/admin-stats.ts
import { z as z7 } from "zod";
function adminStatsRoutes(app, deps) {
  const r = app.withTypeProvider();
  r.get("/admin/stats", {
    ...adminHooks(deps),
    schema: { tags: ["admin"], summary: "MFA adoption and activity", response: { 200: Stats, ...problems(...ADMIN_PROBLEMS) } }
  }, async () => {
    const s = await adoptionStats(deps.core, deps.clock.now());
    return {
      users: s.users,
      mfa_enabled: s.mfaEnabled,
      by_method: s.byMethod,
      verifications: s.verifications,
      lockouts: s.lockouts,
      grace: s.grace,
      low_backup_codes: s.lowBackupCodes,
      share_with_mfa: s.shareWithMfa
    };
  });
}
var Outcomes, ByVerifyMethod, Stats;
var init_admin_stats = __esm({
  "src/server/routes/admin-stats.ts"() {
    "use strict";
    init_stats2();
    init_schemas();
    init_admin_guard();
    Outcomes = z7.object({ succeeded: z7.number().int(), failed: z7.number().int() });
    ByVerifyMethod = z7.object({ totp: Outcomes, webauthn: Outcomes, email: Outcomes, sms: Outcomes, backup_code: Outcomes });
    Stats = z7.object({
      users: z7.number().int(),
      mfa_enabled: z7.number().int().describe("users with at least one method"),
      by_method: z7.object({ totp: z7.number().int(), webauthn: z7.number().int(), email: z7.number().int(), sms: z7.number().int() }).describe("users holding each kind"),
      verifications: z7.object({ "24h": ByVerifyMethod, "7d": ByVerifyMethod }).describe("second-factor checks, login and step-up; a replayed code counts as failed"),
      lockouts: z7.object({ "24h": z7.number().int(), "7d": z7.number().int() }),
      grace: z7.object({ inside: z7.number().int(), past: z7.number().int() }).describe("users policy requires to enrol who have not, before and after their deadline"),
      low_backup_codes: z7.number().int().describe(`users with MFA and fewer than ${LOW_BACKUP_CODES} unused backup codes`),
      share_with_mfa: z7.number().describe("mfa_enabled / users, 0..1")
    });
  }
});

// src/server/routes/admin-users.ts
import { z as z8 } from "zod";
function adminUserRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["admin"];
  const admin = adminHooks(deps);
  r.get("/admin/users", {
    ...admin,
    schema: {
      tags,
      summary: "Search accounts (email or name contains `query`), oldest first, paginated",
      querystring: z8.object({
        query: z8.string().max(254).optional(),
        cursor: z8.string().max(200).optional().describe("next_cursor of the previous page"),
        limit: z8.coerce.number().int().min(1).max(100).default(50)
      }).strict(),
      response: { 200: z8.object({ users: z8.array(AdminUser), next_cursor: z8.string().nullable() }), ...problems(400, ...ADMIN_PROBLEMS) }
    }
  }, async (request) => {
    const q = request.query;
    const page = await deps.core.store.users.list({ query: q.query, cursor: q.cursor, limit: q.limit });
    return { users: (await withMethodTypes(deps.core, page.users)).map(adminUserJson), next_cursor: page.nextCursor };
  });
  r.post("/admin/users", {
    ...admin,
    schema: {
      tags,
      summary: "Create an account (whether or not open registration is on)",
      description: "Without `password` the account can sign in only after a password reset.",
      body: z8.object({ email: Email, password: Password.optional(), roles: Roles.optional() }).strict(),
      response: { 201: z8.object({ user_id: z8.string() }), ...problems(400, ...ADMIN_PROBLEMS, 409) }
    }
  }, async (request, reply) => {
    const out = await createUserByAdmin(deps.core, authOf(request).user, request.body, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    setAdminTarget(request, out.value.id);
    return reply.code(201).send({ user_id: out.value.id });
  });
  r.patch("/admin/users/:id", {
    ...admin,
    schema: {
      tags,
      summary: "Change roles or disable an account",
      description: "Disabling ends every session of the user at once. A change that would leave no enabled administrator (an admin demoting or disabling themselves while the last one) answers 409 `conflict`.",
      params: IdParams,
      body: z8.object({ roles: Roles.optional(), disabled: z8.boolean().optional() }).strict(),
      response: { 200: AdminUser, ...problems(400, ...ADMIN_PROBLEMS, 404, 409) }
    }
  }, async (request, reply) => {
    const out = await updateUserByAdmin(deps.core, authOf(request).user, request.params.id, request.body, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return adminUserJson(out.value);
  });
  r.post("/admin/users/:id/mfa/reset", {
    ...admin,
    schema: {
      tags,
      summary: "Reset a user's MFA: every method, backup code, trusted device and session goes; the user is mailed",
      params: IdParams,
      body: z8.object({ reason: z8.string().trim().min(1, "is required").max(500, "is too long") }).strict(),
      response: { 204: z8.null(), ...problems(400, ...ADMIN_PROBLEMS, 404) }
    }
  }, async (request, reply) => {
    const user = await deps.core.store.users.byId(request.params.id);
    if (!user) return sendProblem(reply, { code: "not_found", detail: "no such user" });
    const removed = await resetMfaByAdmin(deps.core, authOf(request).user.id, user, request.body.reason, ctxOf(request, deps.clock));
    for (const method of removed) deps.metrics.enrolments.inc({ method, action: "removed" });
    return reply.code(204).send(null);
  });
}
var IdParams;
var init_admin_users = __esm({
  "src/server/routes/admin-users.ts"() {
    "use strict";
    init_users2();
    init_authenticate();
    init_context();
    init_problems();
    init_schemas();
    init_admin_guard();
    init_admin_schemas();
    IdParams = z8.object({ id: z8.string().max(64) });
  }
});

// src/core/numeric-code.ts
function numericCode(random, digits = 6) {
  if (!Number.isInteger(digits) || digits < 1 || digits > 12) throw new RangeError(`numeric code digits must be from 1 to 12, got ${digits}`);
  return random.int(10 ** digits).toString().padStart(digits, "0");
}
var init_numeric_code = __esm({
  "src/core/numeric-code.ts"() {
    "use strict";
  }
});

// src/core/otp-codes/issue.ts
function destinationHint(channel, destination) {
  return channel === "sms" ? `\u2026${destination.slice(-2)}` : destination;
}
async function sendCode(deps, sender, req, ctx) {
  const { user, channel, purpose } = req;
  const challenges = deps.store.otpChallenges;
  const live = await challenges.latest(user.id, channel, purpose, req.pendingId);
  if (live && live.consumedAt === null && live.expiresAt > ctx.now && live.attempts >= CODE_MAX_TRIES) {
    return fail("rate_limited", "too many wrong codes: a new code can be sent once the last one has expired", {
      retryAfterS: secondsUntil2(live.expiresAt, ctx.now)
    });
  }
  const gap = await deps.limiter.consume("otp_send_gap", user.id);
  if (!gap.allowed) return fail("rate_limited", "a code was sent moments ago: wait before asking for another", { retryAfterS: gap.retryAfterS });
  const hourly = await deps.limiter.consume("otp_send_hour", user.id);
  if (!hourly.allowed) return fail("rate_limited", "too many codes sent in the last hour: try again later", { retryAfterS: hourly.retryAfterS });
  const id = deps.random.uuid();
  const code = numericCode(deps.random, CODE_DIGITS);
  const expiresAt = Math.min(ctx.now + CODE_TTL_MS, req.notAfter ?? Number.POSITIVE_INFINITY);
  const rec = {
    id,
    userId: user.id,
    channel,
    purpose,
    mfaPendingId: req.pendingId,
    destination: req.destination,
    codeHash: hashCode(deps.secrets, id, code),
    createdAt: ctx.now,
    expiresAt,
    attempts: 0,
    consumedAt: null
  };
  await challenges.replaceCarryingAttempts(rec, ctx.now);
  const details = { channel, purpose, to: destinationHint(channel, req.destination) };
  let delivery;
  try {
    delivery = await sender.send({
      channel,
      to: req.destination,
      code,
      purpose,
      minutes: Math.ceil((expiresAt - ctx.now) / 6e4),
      host: hostOf(deps.settings.publicUrl),
      name: user.name
    });
  } catch (err) {
    await challenges.delete(id);
    throw err;
  }
  if (!delivery.ok) {
    await challenges.delete(id);
    await deps.limiter.reward("otp_send_hour", user.id);
    await audit(deps.store, ctx, EVENT.codeSendFailed, user.id, { ...details, permanent: delivery.permanent, error: delivery.error });
    const what = channel === "sms" ? "text message" : "email";
    return delivery.permanent ? fail("delivery_failed", `the ${what} was refused by the provider: check the ${channel === "sms" ? "phone number" : "address"}`) : fail("delivery_unavailable", `the ${what} could not be sent right now: try again in a moment`);
  }
  await audit(deps.store, ctx, EVENT.codeSent, user.id, { ...details, challenge_id: id });
  return ok({ expiresIn: secondsUntil2(expiresAt, ctx.now) });
}
function hostOf(publicUrl) {
  try {
    return new URL(publicUrl).host || null;
  } catch {
    return null;
  }
}
var secondsUntil2;
var init_issue = __esm({
  "src/core/otp-codes/issue.ts"() {
    "use strict";
    init_audit();
    init_numeric_code();
    init_result();
    init_constants();
    init_hash();
    secondsUntil2 = (ms, now) => Math.max(1, Math.ceil((ms - now) / 1e3));
  }
});

// src/core/auth/mfa-pending.ts
async function createMfaPending(deps, userId, ctx) {
  const t = newOpaqueToken(deps.random, deps.secrets, PURPOSE2);
  const expiresIn = deps.settings.mfaPendingTtlS;
  const rec = {
    id: t.id,
    userId,
    secretHash: t.hash,
    createdAt: ctx.now,
    expiresAt: ctx.now + expiresIn * 1e3,
    attempts: 0,
    consumedAt: null,
    ip: ctx.ip,
    userAgent: ctx.userAgent
  };
  await deps.store.mfaPending.create(rec);
  return { token: t.token, expiresIn };
}
async function resolveMfaPending(deps, token, now) {
  const parsed = parseOpaqueToken(token);
  if (!parsed) return void 0;
  const rec = await deps.store.mfaPending.byId(parsed.id);
  if (!rec || !deps.secrets.verify(PURPOSE2, parsed.secret, rec.secretHash)) return void 0;
  if (rec.consumedAt !== null || rec.expiresAt <= now || rec.attempts >= MFA_PENDING_MAX_ATTEMPTS) return void 0;
  return rec;
}
var PURPOSE2, MFA_PENDING_MAX_ATTEMPTS;
var init_mfa_pending2 = __esm({
  "src/core/auth/mfa-pending.ts"() {
    "use strict";
    init_tokens();
    PURPOSE2 = "mfa_pending";
    MFA_PENDING_MAX_ATTEMPTS = 5;
  }
});

// src/core/otp-codes/challenge.ts
async function codeTarget(deps, registry, user, channel, methodId) {
  const factor2 = registry.get(channel);
  const methods = await deps.store.methods.listForUser(user.id);
  const usable = await loginMethodsFor(deps, registry, user, methods);
  const method = isCodeFactor(factor2) && usable.includes(channel) ? factor2.methodFor(methods, methodId) : void 0;
  if (!isCodeFactor(factor2) || !method?.destination) {
    const field = methodId !== void 0 ? "method_id" : "method";
    return fail("validation_failed", `${field}: no ${channel} method of this account can receive a code`, { field });
  }
  return ok({ factor: factor2, method });
}
async function sendLoginCode(deps, registry, input, ctx) {
  const pending = await resolveMfaPending(deps, input.mfaToken, ctx.now);
  if (!pending) return invalidToken();
  const user = await deps.store.users.byId(pending.userId);
  if (!user || user.disabled) return invalidToken();
  const target = await codeTarget(deps, registry, user, input.method, input.methodId);
  if (!target.ok) return target;
  return sendCode(
    deps,
    target.value.factor.sender,
    // Bound to this login and never outliving it: a code that arrives after the token has
    // expired would only confuse.
    { user, channel: input.method, purpose: "login", destination: target.value.method.destination, pendingId: pending.id, notAfter: pending.expiresAt },
    ctx
  );
}
async function sendStepUpCode(deps, registry, user, channel, methodId, ctx) {
  const target = await codeTarget(deps, registry, user, channel, methodId);
  if (!target.ok) return target;
  return sendCode(deps, target.value.factor.sender, { user, channel, purpose: "step_up", destination: target.value.method.destination, pendingId: null }, ctx);
}
var invalidToken;
var init_challenge = __esm({
  "src/core/otp-codes/challenge.ts"() {
    "use strict";
    init_factor();
    init_mfa_pending2();
    init_result();
    init_code_factor();
    init_issue();
    invalidToken = () => fail("mfa_token_invalid", "the sign-in step has expired or is not valid; sign in again");
  }
});

// src/core/mfa/after-change.ts
async function factorAdded(deps, user, session, method, ctx) {
  const methods = await deps.store.methods.listForUser(user.id);
  const first = methods.length === 1;
  const backupCodes = first ? await issueBackupCodes(deps, user.id, ctx.now) : void 0;
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  const acr = method.type === "email" ? session.acr : "aal2";
  await deps.store.sessions.markMfaVerified(session.id, ctx.now, [.../* @__PURE__ */ new Set([...session.amr, "mfa"])], acr);
  if (session.enrollmentOnly) await deps.store.sessions.clearEnrollmentOnly(session.id);
  await audit(deps.store, ctx, EVENT.enrollCompleted, user.id, { method: method.type, method_id: method.id, name: method.name, first });
  await notifyUser(deps, user, "factor_added", ctx, { methodType: method.type, methodName: method.name });
  return { backupCodes };
}
function newMethodRow(deps, userId, type, name, now, id = deps.random.uuid()) {
  return {
    id,
    userId,
    type,
    name,
    createdAt: now,
    lastUsedAt: null,
    secretEnc: null,
    totpAlgorithm: null,
    totpDigits: null,
    totpPeriod: null,
    lastStep: null,
    destination: null,
    credentialId: null,
    publicKey: null,
    signCount: null,
    transports: null,
    aaguid: null,
    deviceType: null,
    backedUp: null
  };
}
var init_after_change = __esm({
  "src/core/mfa/after-change.ts"() {
    "use strict";
    init_backup_codes3();
    init_audit();
    init_notify();
  }
});

// src/core/otp-codes/enroll.ts
async function startCodeEnrollment(deps, sender, user, channel, destination, ctx) {
  const methods = await deps.store.methods.listForUser(user.id);
  if (methods.some((m) => m.type === channel && m.destination === destination)) {
    return fail("conflict", channel === "email" ? "email codes are already set up for this address" : "this phone number is already set up");
  }
  const sent = await sendCode(deps, sender, { user, channel, purpose: "enroll", destination, pendingId: null }, ctx);
  if (sent.ok) await audit(deps.store, ctx, EVENT.enrollStarted, user.id, { method: channel, to: destinationHint(channel, destination) });
  return sent;
}
async function confirmCodeEnrollment(deps, user, session, channel, code, name, ctx) {
  const budget = await deps.limiter.consume("mfa_user", user.id);
  if (!budget.allowed) return fail("rate_limited", "too many failed attempts; try again later", { retryAfterS: budget.retryAfterS });
  const checked = await checkCode(deps, { userId: user.id, channel, purpose: "enroll", pendingId: null, code, now: ctx.now });
  if (!checked.ok) {
    if (checked.reason === "none" || checked.reason === "replayed") {
      await deps.limiter.reward("mfa_user", user.id);
      return fail("not_found", "no code is waiting for confirmation (it may have expired): ask for a new one");
    }
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: channel, purpose: "enroll", reason: checked.reason });
    return fail(
      "invalid_code",
      checked.reason === "used_up" ? "too many wrong codes: ask for a new code once this one has expired" : "the code is not valid"
    );
  }
  await deps.limiter.reward("mfa_user", user.id);
  const method = {
    ...newMethodRow(deps, user.id, channel, name ?? DEFAULT_NAME[channel], ctx.now),
    destination: checked.challenge.destination,
    lastUsedAt: ctx.now
  };
  await deps.store.methods.insert(method);
  const { backupCodes } = await factorAdded(deps, user, session, method, ctx);
  return ok({ method, backupCodes });
}
var DEFAULT_NAME;
var init_enroll = __esm({
  "src/core/otp-codes/enroll.ts"() {
    "use strict";
    init_audit();
    init_after_change();
    init_result();
    init_issue();
    init_verify();
    DEFAULT_NAME = { email: "Email", sms: "Text message" };
  }
});

// src/core/otp-codes/index.ts
var init_otp_codes = __esm({
  "src/core/otp-codes/index.ts"() {
    "use strict";
    init_constants();
    init_issue();
    init_verify();
    init_code_factor();
    init_challenge();
    init_enroll();
  }
});

// src/server/routes/code-sent.ts
import { z as z9 } from "zod";
function codeFactorOf(deps, channel) {
  const f = deps.registry.get(channel);
  if (!isCodeFactor(f)) throw new Error(`no ${channel} code factor is registered`);
  return f;
}
var CodeSentResponse, codeSentJson, SEND_DESCRIPTION, SEND_PROBLEMS;
var init_code_sent = __esm({
  "src/server/routes/code-sent.ts"() {
    "use strict";
    init_otp_codes();
    CodeSentResponse = z9.object({
      sent: z9.literal(true),
      expires_in: z9.number().int().describe("seconds the code is valid")
    });
    codeSentJson = (s) => ({ sent: true, expires_in: s.expiresIn });
    SEND_DESCRIPTION = [
      "The code has 6 digits, is valid 10 minutes (never longer than the sign-in it belongs to: `expires_in` says), allows 5 tries and works once;",
      "a new one replaces the previous one without resetting its tries.",
      "At most one send per 30 s and 3 per hour per user: 429 `rate_limited` with Retry-After, and nothing is sent.",
      "A provider that refuses the message is 502 `delivery_failed` (check the address or number); one that cannot be reached is 503 `delivery_unavailable` (try again);",
      "either way no code is left behind.",
      "For `/auth/mfa/challenge`, an invalid mfa_token is 401 `mfa_token_invalid`, and a method the account has not enrolled (or policy has switched off) is 400 `validation_failed` naming `method`."
    ].join(" ");
    SEND_PROBLEMS = [400, 401, 403, 429, 502, 503];
  }
});

// src/server/routes/auth-challenge.ts
import { z as z10 } from "zod";
function authChallengeRoutes(app, deps) {
  const r = app.withTypeProvider();
  r.post("/auth/mfa/challenge", {
    schema: {
      tags: ["auth"],
      summary: "Send a sign-in code by email or SMS",
      description: SEND_DESCRIPTION,
      body: z10.object({
        mfa_token: z10.string().max(200),
        method: CodeChannel,
        method_id: z10.string().max(64).optional().describe("which enrolled number or address (default: the first)")
      }).strict(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS) }
    }
  }, async (request, reply) => {
    const b = request.body;
    const out = await sendLoginCode(deps.core, deps.registry, { mfaToken: b.mfa_token, method: b.method, methodId: b.method_id }, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header("Cache-Control", "no-store").send(codeSentJson(out.value));
  });
}
var CodeChannel;
var init_auth_challenge = __esm({
  "src/server/routes/auth-challenge.ts"() {
    "use strict";
    init_otp_codes();
    init_context();
    init_problems();
    init_schemas();
    init_code_sent();
    CodeChannel = z10.enum(["email", "sms"]);
  }
});

// src/core/auth/enforcement.ts
async function enforcementFor(deps, user, now) {
  const policy = await deps.policy();
  if (!policyRequiresMfa(policy, user)) return { state: "not_required" };
  let since = user.mfaRequiredSince;
  if (since === null) {
    since = now;
    await deps.store.users.update(user.id, { mfaRequiredSince: since });
    user.mfaRequiredSince = since;
  }
  const enrollBy = enrollDeadline(policy, since);
  return now < enrollBy ? { state: "grace", enrollBy } : { state: "enrollment_only", enrollBy };
}
var init_enforcement2 = __esm({
  "src/core/auth/enforcement.ts"() {
    "use strict";
    init_policy();
  }
});

// src/core/auth/login.ts
async function passwordLogin(deps, registry, input, ctx) {
  const email = normalizeEmail(input.email);
  const ipKey = ctx.ip ?? "unknown";
  const [byAccount, byIp] = await Promise.all([
    deps.limiter.consume("login_account", email),
    deps.limiter.consume("login_ip", ipKey)
  ]);
  if (!byAccount.allowed || !byIp.allowed) {
    const retryAfterS = Math.max(byAccount.allowed ? 0 : byAccount.retryAfterS, byIp.allowed ? 0 : byIp.retryAfterS);
    await audit(deps.store, ctx, EVENT.loginLocked, null, { by: byAccount.allowed ? "ip" : "account" });
    return fail("rate_limited", "too many failed sign-in attempts; try again later", { retryAfterS });
  }
  const user = await deps.store.users.byEmail(email);
  const good = user?.passwordHash ? await deps.passwords.verify(user.passwordHash, input.password) : (await deps.passwords.verifyDummy(input.password), false);
  if (!user || !good) {
    await audit(deps.store, ctx, EVENT.loginFailed, user?.id ?? null, { reason: "bad_credentials" });
    return fail("invalid_credentials", "email or password is wrong");
  }
  await Promise.all([deps.limiter.reward("login_account", email), deps.limiter.reward("login_ip", ipKey)]);
  if (user.disabled) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: "disabled" });
    return fail("forbidden", "this account is disabled");
  }
  return ok(await afterPassword(deps, registry, user, input.deviceToken, ctx));
}
async function afterPassword(deps, registry, user, deviceToken, ctx) {
  const methods = await deps.store.methods.listForUser(user.id);
  const hasMfa = methods.length > 0;
  if (hasMfa) {
    const usable = await loginMethodsFor(deps, registry, user, methods);
    if (await checkTrustedDevice(deps, user, deviceToken, ctx)) {
      const grant2 = await startSession(deps, user, ctx, { amr: ["pwd", "device"], acr: "aal1", mfaVerified: false });
      await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant2.session.id, amr: grant2.session.amr });
      return { kind: "session", grant: grant2 };
    }
    const pending = await createMfaPending(deps, user.id, ctx);
    await audit(deps.store, ctx, EVENT.mfaRequired, user.id, { methods: usable });
    return { kind: "mfa", mfaToken: pending.token, methods: usable, expiresIn: pending.expiresIn };
  }
  const enforcement = hasMfa ? { state: "not_required" } : await enforcementFor(deps, user, ctx.now);
  const enrollmentOnly = enforcement.state === "enrollment_only";
  const grant = await startSession(deps, user, ctx, { amr: ["pwd"], acr: "aal1", mfaVerified: false, enrollmentOnly });
  await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant.session.id, amr: grant.session.amr, enrollment_only: enrollmentOnly });
  if (enforcement.state === "not_required") return { kind: "session", grant };
  return { kind: "session", grant, enrollBy: enforcement.enrollBy, enrollmentRequired: enrollmentOnly };
}
var init_login = __esm({
  "src/core/auth/login.ts"() {
    "use strict";
    init_audit();
    init_password_rules();
    init_result();
    init_enforcement2();
    init_factor();
    init_mfa_pending2();
    init_sessions2();
    init_trusted_devices2();
  }
});

// src/core/auth/second-factor.ts
async function checkSecondFactor(deps, registry, input) {
  const { user, ctx, method } = input;
  const policy = await deps.policy();
  const lockedS = policy.mfa_lockout_minutes * 60;
  if (user.mfaFailureStreak >= policy.mfa_hard_lock_streak && method !== "backup_code") {
    return fail("rate_limited", "too many failed attempts in a row: sign in with a backup code or ask an administrator to reset your second factor", { retryAfterS: lockedS });
  }
  const budget = await deps.limiter.consume("mfa_user", user.id);
  if (!budget.allowed) {
    return fail("rate_limited", "too many failed attempts; try again later", { retryAfterS: budget.retryAfterS });
  }
  const methods = await deps.store.methods.listForUser(user.id);
  const allowed = await loginMethodsFor(deps, registry, user, methods);
  const factor2 = registry.get(method);
  const result = factor2 && allowed.includes(method) ? await factor2.verify(deps, { user, methods, purpose: input.purpose, pendingId: input.pendingId, code: input.code, credential: input.credential, ctx }) : { ok: false, reason: "not_enrolled" };
  if (!result.ok) {
    const streak = await deps.store.users.incrementFailureStreak(user.id);
    user.mfaFailureStreak = streak;
    const type = result.reason === "replayed" ? EVENT.mfaReplay : EVENT.mfaFailed;
    await audit(deps.store, ctx, type, user.id, { method, purpose: input.purpose, reason: result.reason, streak, ...result.details });
    if (budget.remaining === 0 || streak === policy.mfa_hard_lock_streak) {
      const until = new Date(ctx.now + (budget.remaining === 0 ? budget.retryAfterS || lockedS : lockedS) * 1e3).toISOString();
      const hard = streak >= policy.mfa_hard_lock_streak;
      await audit(deps.store, ctx, EVENT.mfaLockout, user.id, { method, hard, until });
      await notifyUser(deps, user, "lockout", ctx, { until, hard });
    }
    return fail("invalid_code", "the code is not valid");
  }
  await deps.limiter.reward("mfa_user", user.id);
  if (user.mfaFailureStreak > 0) {
    await deps.store.users.resetFailureStreak(user.id);
    user.mfaFailureStreak = 0;
  }
  await audit(deps.store, ctx, EVENT.mfaVerified, user.id, { method, purpose: input.purpose, method_id: result.methodId, ...result.details });
  return ok(result);
}
var init_second_factor = __esm({
  "src/core/auth/second-factor.ts"() {
    "use strict";
    init_audit();
    init_notify();
    init_result();
    init_factor();
  }
});

// src/core/auth/mfa-verify.ts
async function verifyLoginFactor(deps, registry, input, ctx) {
  const pending = await resolveMfaPending(deps, input.mfaToken, ctx.now);
  if (!pending) return invalidToken2();
  const user = await deps.store.users.byId(pending.userId);
  if (!user || user.disabled) return invalidToken2();
  if (!await deps.store.mfaPending.reserveAttempt(pending.id, MFA_PENDING_MAX_ATTEMPTS, ctx.now)) return invalidToken2();
  const checked = await checkSecondFactor(deps, registry, {
    user,
    purpose: "login",
    pendingId: pending.id,
    method: input.method,
    code: input.code,
    credential: input.credential,
    ctx
  });
  if (!checked.ok) return checked;
  if (!await deps.store.mfaPending.consume(pending.id, ctx.now)) return invalidToken2();
  const amr = [.../* @__PURE__ */ new Set(["pwd", ...checked.value.amr, "mfa"])];
  const grant = await startSession(deps, user, ctx, { amr, acr: checked.value.acr, mfaVerified: true });
  await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant.session.id, amr, method: input.method });
  const device = input.trustDevice ? await trustDevice(deps, user, ctx) : null;
  return ok({ grant, device });
}
var invalidToken2;
var init_mfa_verify = __esm({
  "src/core/auth/mfa-verify.ts"() {
    "use strict";
    init_audit();
    init_result();
    init_mfa_pending2();
    init_second_factor();
    init_sessions2();
    init_trusted_devices2();
    invalidToken2 = () => fail("mfa_token_invalid", "the sign-in step has expired or is not valid; sign in again");
  }
});

// src/server/http/grant.ts
function isSecure(deps) {
  return deps.config.publicUrl.startsWith("https://");
}
function grantResponse(deps, request, reply, grant, extra = {}) {
  const cookies = wantsCookies(request);
  const body = {
    mfa_required: false,
    token_type: "bearer",
    expires_in: grant.expiresIn,
    user: { id: grant.user.id, email: grant.user.email, roles: grant.user.roles }
  };
  if (cookies) {
    setSessionCookies(reply, isSecure(deps), {
      accessToken: grant.accessToken,
      expiresIn: grant.expiresIn,
      refreshToken: grant.refreshToken,
      refreshTtlS: deps.core.settings.refreshTtlS,
      csrf: deps.core.random.bytes(24).toString("base64url")
    });
  } else {
    body.access_token = grant.accessToken;
    body.refresh_token = grant.refreshToken;
  }
  if (extra.device) {
    if (cookies) {
      const maxAge = Math.max(1, Math.floor((extra.device.expiresAt - grant.session.createdAt) / 1e3));
      setDeviceCookie(reply, isSecure(deps), extra.device.token, maxAge);
    } else body.device_token = extra.device.token;
  }
  if (extra.enrollBy !== void 0) body.enroll_by = iso(extra.enrollBy);
  if (extra.enrollmentRequired) body.mfa_enrollment_required = true;
  reply.header("Cache-Control", "no-store");
  return body;
}
var init_grant = __esm({
  "src/server/http/grant.ts"() {
    "use strict";
    init_schemas();
    init_cookies();
  }
});

// src/server/routes/auth-login.ts
import { z as z11 } from "zod";
function authLoginRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["auth"];
  r.post("/auth/register", {
    schema: {
      tags,
      summary: "Create an account",
      body: z11.object({ email: Email, password: Password, name: Name.optional() }).strict(),
      response: { 201: z11.object({ user_id: z11.string() }), 202: z11.object({}), ...problems(400, 403, 409) }
    }
  }, async (request, reply) => {
    const ctx = ctxOf(request, deps.clock);
    const out = await createAccount(deps.core, request.body, ctx, { selfService: true });
    if (!out.ok) return sendProblem(reply, out.error);
    if (out.value.existed) return reply.code(202).send({});
    return reply.code(201).send({ user_id: out.value.user.id });
  });
  r.post("/auth/login", {
    schema: {
      tags,
      summary: "Password step of the login",
      body: z11.object({ email: Email, password: Password, device_token: z11.string().max(200).optional() }).strict(),
      response: { 200: z11.union([TokenResponse, MfaRequiredResponse]), ...problems(400, 401, 403, 429) }
    }
  }, async (request, reply) => {
    const ctx = ctxOf(request, deps.clock);
    const deviceToken = request.body.device_token ?? (wantsCookies(request) ? request.cookies[COOKIE.device] : void 0);
    const out = await passwordLogin(deps.core, deps.registry, { ...request.body, deviceToken }, ctx);
    if (!out.ok) {
      deps.metrics.logins.inc({ outcome: out.error.code });
      return sendProblem(reply, out.error);
    }
    const res = out.value;
    reply.header("Cache-Control", "no-store");
    if (res.kind === "mfa") {
      deps.metrics.logins.inc({ outcome: "mfa_required" });
      return { mfa_required: true, mfa_token: res.mfaToken, methods: res.methods, expires_in: res.expiresIn };
    }
    deps.metrics.logins.inc({ outcome: "success" });
    return grantResponse(deps, request, reply, res.grant, { enrollBy: res.enrollBy, enrollmentRequired: res.enrollmentRequired });
  });
  r.post("/auth/mfa/verify", {
    schema: {
      tags,
      summary: "Second step of the login",
      body: z11.object({
        mfa_token: z11.string().max(200),
        method: VerifyMethod,
        code: OneTimeCode.optional(),
        credential: Credential.optional(),
        trust_device: z11.boolean().optional()
      }).strict(),
      response: { 200: TokenResponse, ...problems(400, 401, 429) }
    }
  }, async (request, reply) => {
    const ctx = ctxOf(request, deps.clock);
    const b = request.body;
    const method = b.method;
    if (method === "webauthn" ? b.credential === void 0 : b.code === void 0) {
      const field = method === "webauthn" ? "credential" : "code";
      return sendProblem(reply, { code: "validation_failed", field, detail: `${field}: is required for method ${method}` });
    }
    const out = await verifyLoginFactor(deps.core, deps.registry, { mfaToken: b.mfa_token, method, code: b.code, credential: b.credential, trustDevice: b.trust_device }, ctx);
    deps.metrics.verifications.inc({ method, outcome: out.ok ? "success" : out.error.code });
    if (!out.ok) return sendProblem(reply, out.error);
    const device = out.value.device ? { token: out.value.device.token, expiresAt: out.value.device.device.expiresAt } : void 0;
    return grantResponse(deps, request, reply, out.value.grant, { device });
  });
  r.post("/auth/token/refresh", {
    schema: {
      tags,
      summary: "Rotate the refresh token",
      body: z11.object({ refresh_token: z11.string().max(200).optional() }).strict(),
      response: { 200: TokenResponse, ...problems(400, 401) }
    }
  }, async (request, reply) => {
    const token = request.body.refresh_token ?? (wantsCookies(request) ? request.cookies[COOKIE.refresh] : void 0);
    if (!token) return sendProblem(reply, { code: "validation_failed", field: "refresh_token", detail: "refresh_token: is required" });
    const out = await refreshSession(deps.core, token, ctxOf(request, deps.clock));
    if (!out.ok) {
      if (wantsCookies(request)) clearSessionCookies(reply, isSecure(deps));
      return sendProblem(reply, out.error);
    }
    return grantResponse(deps, request, reply, out.value);
  });
  r.post("/auth/logout", {
    preHandler: requireSession(deps, { enrollment: true }),
    schema: { tags, summary: "End this session", body: z11.object({}).strict().nullish(), response: { 204: z11.null(), ...problems(401) } }
  }, async (request, reply) => {
    await endSession(deps.core, authOf(request).session, ctxOf(request, deps.clock));
    if (authOf(request).via === "cookie" || wantsCookies(request)) clearSessionCookies(reply, isSecure(deps));
    return reply.code(204).send(null);
  });
}
var init_auth_login = __esm({
  "src/server/routes/auth-login.ts"() {
    "use strict";
    init_register();
    init_login();
    init_mfa_verify();
    init_sessions2();
    init_authenticate();
    init_cookies();
    init_context();
    init_grant();
    init_problems();
    init_schemas();
  }
});

// src/core/webauthn/options.ts
function userHandleOf(user) {
  return new Uint8Array(Buffer.from(user.id, "utf8"));
}
function descriptors(methods) {
  return methods.filter((m) => m.type === "webauthn" && m.credentialId).map((m) => ({ id: m.credentialId, ...m.transports?.length ? { transports: m.transports } : {} }));
}
async function registrationOptions(deps, user, opts, ctx) {
  const rp = relyingParty(deps.settings);
  const methods = await deps.store.methods.listForUser(user.id);
  const { bytes } = await issueChallenge(deps, { purpose: "register", userId: user.id, mfaPendingId: null }, ctx);
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userID: userHandleOf(user),
    userDisplayName: user.name ?? user.email,
    challenge: bytes,
    timeout: CHALLENGE_TTL_MS,
    attestationType: "none",
    excludeCredentials: descriptors(methods),
    authenticatorSelection: opts.passkey ? { residentKey: "required", requireResidentKey: true, userVerification: "required" } : { residentKey: "preferred", requireResidentKey: false, userVerification: "preferred" },
    // credProps tells whether the new credential is discoverable (WebAuthn L3 10.1.3).
    extensions: { credProps: true },
    supportedAlgorithmIDs: ALGORITHMS
  });
  await audit(deps.store, ctx, EVENT.enrollStarted, user.id, { method: "webauthn", passkey: !!opts.passkey });
  return options;
}
async function ownCredentialOptions(deps, user, binding, methods, ctx) {
  const { bytes } = await issueChallenge(deps, { purpose: binding.purpose, userId: user.id, mfaPendingId: binding.mfaPendingId }, ctx);
  return generateAuthenticationOptions({
    rpID: relyingParty(deps.settings).rpID,
    challenge: bytes,
    timeout: CHALLENGE_TTL_MS,
    allowCredentials: descriptors(methods),
    // A second factor after the password proves possession; asking for a PIN on top is not
    // needed (@simplewebauthn's advice for 2FA); authenticators may still verify the user.
    userVerification: "discouraged"
  });
}
async function loginOptions(deps, registry, mfaToken, ctx) {
  const pending = await resolveMfaPending(deps, mfaToken, ctx.now);
  const user = pending && await deps.store.users.byId(pending.userId);
  if (!pending || !user || user.disabled) return fail("mfa_token_invalid", "the sign-in step has expired or is not valid; sign in again");
  const methods = await deps.store.methods.listForUser(user.id);
  if (!(await loginMethodsFor(deps, registry, user, methods)).includes("webauthn")) return noKeys();
  return ok(await ownCredentialOptions(deps, user, { purpose: "login", mfaPendingId: pending.id }, methods, ctx));
}
async function stepUpOptions(deps, registry, user, ctx) {
  const methods = await deps.store.methods.listForUser(user.id);
  if (!(await loginMethodsFor(deps, registry, user, methods)).includes("webauthn")) return noKeys();
  return ok(await ownCredentialOptions(deps, user, { purpose: "step_up", mfaPendingId: null }, methods, ctx));
}
async function passkeyOptions(deps, ctx) {
  const { bytes } = await issueChallenge(deps, { purpose: "passkey", userId: null, mfaPendingId: null }, ctx);
  return generateAuthenticationOptions({
    rpID: relyingParty(deps.settings).rpID,
    challenge: bytes,
    timeout: CHALLENGE_TTL_MS,
    allowCredentials: [],
    userVerification: "required"
  });
}
var ALGORITHMS, noKeys;
var init_options = __esm({
  "src/core/webauthn/options.ts"() {
    "use strict";
    init_swa();
    init_audit();
    init_factor();
    init_mfa_pending2();
    init_result();
    init_challenges();
    init_relying_party();
    ALGORITHMS = [-8, -7, -257];
    noKeys = () => fail("not_found", "no security key or passkey is enrolled");
  }
});

// src/core/webauthn/passkey-login.ts
async function passkeyLogin(deps, credential, ctx) {
  const ipKey = ctx.ip ?? "unknown";
  const budget = await deps.limiter.consume("login_ip", ipKey);
  if (!budget.allowed) {
    await audit(deps.store, ctx, EVENT.loginLocked, null, { by: "ip", method: "passkey" });
    return fail("rate_limited", "too many failed sign-in attempts; try again later", { retryAfterS: budget.retryAfterS });
  }
  const failed = async (userId, why, details = {}) => {
    await audit(deps.store, ctx, EVENT.loginFailed, userId, { method: "passkey", reason: why, ...details });
    return refused();
  };
  const response = readAssertion(credential);
  if (!response) return failed(null, "malformed");
  const taken = await takeChallenge(deps, clientChallenge(response.response.clientDataJSON), { purpose: "passkey", userId: null, mfaPendingId: null }, ctx.now);
  if (!taken.ok) return failed(null, `challenge_${taken.reason}`);
  const method = await deps.store.methods.byCredentialId(response.id);
  if (!method || method.type !== "webauthn") return failed(null, "unknown_credential");
  const user = await deps.store.users.byId(method.userId);
  if (!user) return failed(null, "unknown_credential");
  if (response.response.userHandle !== Buffer.from(userHandleOf(user)).toString("base64url")) return failed(user.id, "user_handle_mismatch");
  const checked = await checkAssertion(deps, { response, method, expectedChallenge: taken.challenge, requireUserVerification: true, ctx });
  if (!checked.ok) return failed(user.id, String(checked.details.why ?? checked.reason), { method_id: method.id });
  await deps.limiter.reward("login_ip", ipKey);
  if (user.disabled) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: "disabled", method: "passkey" });
    return fail("forbidden", "this account is disabled");
  }
  if (!(await deps.policy()).allowed_methods.includes("webauthn")) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: "method_not_allowed", method: "passkey" });
    return fail("policy_violation", "policy does not allow signing in with a passkey; sign in with your password");
  }
  const grant = await startSession(deps, user, ctx, { amr: PASSKEY_AMR, acr: "aal2", mfaVerified: true });
  await audit(deps.store, ctx, EVENT.loginSucceeded, user.id, { session_id: grant.session.id, amr: PASSKEY_AMR, method: "passkey", method_id: method.id });
  return ok(grant);
}
var PASSKEY_AMR, refused;
var init_passkey_login = __esm({
  "src/core/webauthn/passkey-login.ts"() {
    "use strict";
    init_audit();
    init_sessions2();
    init_result();
    init_assertion();
    init_challenges();
    init_options();
    init_response_json();
    PASSKEY_AMR = ["hwk", "user", "mfa"];
    refused = () => fail("invalid_credentials", "the passkey could not be verified");
  }
});

// src/core/webauthn/registration.ts
async function confirmRegistration(deps, user, session, credential, name, ctx) {
  const response = readAttestation(credential);
  if (!response) return fail("validation_failed", "credential: is not a WebAuthn registration response (RegistrationResponseJSON)", { field: "credential" });
  const taken = await takeChallenge(deps, clientChallenge(response.response.clientDataJSON), { purpose: "register", userId: user.id, mfaPendingId: null }, ctx.now);
  if (!taken.ok) return fail("not_found", "no such pending registration (it may have expired or been used: start again)");
  const rp = relyingParty(deps.settings);
  let verified;
  try {
    verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: taken.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      expectedType: "webauthn.create",
      requireUserPresence: true,
      // A security key without a PIN is a fine second factor; passwordless sign-in checks
      // user verification on every assertion instead.
      requireUserVerification: false
    });
  } catch (err) {
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: "webauthn", purpose: "enroll", reason: whyRejected(err) });
    return fail("invalid_code", "the security key response is not valid");
  }
  if (!verified.verified) {
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: "webauthn", purpose: "enroll", reason: "not_verified" });
    return fail("invalid_code", "the security key response is not valid");
  }
  const info = verified.registrationInfo;
  if (await deps.store.methods.byCredentialId(info.credential.id)) return conflict();
  const discoverable = response.clientExtensionResults.credProps?.rk === true;
  const method = {
    ...newMethodRow(deps, user.id, "webauthn", name ?? (discoverable ? "Passkey" : "Security key"), ctx.now),
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString("base64url"),
    signCount: info.credential.counter,
    transports: response.response.transports ?? [],
    aaguid: info.aaguid,
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp
  };
  try {
    await deps.store.methods.insert(method);
  } catch (err) {
    if (await deps.store.methods.byCredentialId(info.credential.id)) return conflict();
    throw err;
  }
  const { backupCodes } = await factorAdded(deps, user, session, method, ctx);
  return ok({ method, backupCodes });
}
var conflict;
var init_registration = __esm({
  "src/core/webauthn/registration.ts"() {
    "use strict";
    init_swa();
    init_audit();
    init_after_change();
    init_result();
    init_assertion();
    init_challenges();
    init_relying_party();
    init_response_json();
    conflict = () => fail("conflict", "this security key or passkey is already registered");
  }
});

// src/core/webauthn/index.ts
var init_webauthn2 = __esm({
  "src/core/webauthn/index.ts"() {
    "use strict";
    init_assertion();
    init_challenges();
    init_options();
    init_passkey_login();
    init_registration();
    init_relying_party();
    init_response_json();
  }
});

// src/server/routes/webauthn-json.ts
import { z as z12 } from "zod";
var B64URL3, b64url2, CredentialId, Blob, Transports, Descriptor, CreationOptions, RequestOptions, common2, RegistrationResponse, AuthenticationResponse;
var init_webauthn_json = __esm({
  "src/server/routes/webauthn-json.ts"() {
    "use strict";
    B64URL3 = /^[A-Za-z0-9_-]+={0,2}$/;
    b64url2 = (max) => z12.string().min(1).max(max).regex(B64URL3, "must be base64url");
    CredentialId = b64url2(1364);
    Blob = b64url2(32768);
    Transports = z12.array(z12.string().max(32)).max(10);
    Descriptor = z12.looseObject({ id: z12.string(), type: z12.literal("public-key"), transports: z12.array(z12.string()).optional() });
    CreationOptions = z12.looseObject({
      rp: z12.looseObject({ name: z12.string(), id: z12.string().optional() }),
      user: z12.looseObject({ id: z12.string(), name: z12.string(), displayName: z12.string() }),
      challenge: z12.string(),
      pubKeyCredParams: z12.array(z12.looseObject({ type: z12.literal("public-key"), alg: z12.number() })),
      timeout: z12.number().optional(),
      excludeCredentials: z12.array(Descriptor).optional(),
      authenticatorSelection: z12.looseObject({}).optional(),
      attestation: z12.string().optional(),
      hints: z12.array(z12.string()).optional(),
      extensions: z12.record(z12.string(), z12.unknown()).optional()
    }).describe("PublicKeyCredentialCreationOptionsJSON (W3C WebAuthn L3 5.4): pass to PublicKeyCredential.parseCreationOptionsFromJSON");
    RequestOptions = z12.looseObject({
      challenge: z12.string(),
      timeout: z12.number().optional(),
      rpId: z12.string().optional(),
      allowCredentials: z12.array(Descriptor).optional(),
      userVerification: z12.string().optional(),
      hints: z12.array(z12.string()).optional(),
      extensions: z12.record(z12.string(), z12.unknown()).optional()
    }).describe("PublicKeyCredentialRequestOptionsJSON (W3C WebAuthn L3 5.5): pass to PublicKeyCredential.parseRequestOptionsFromJSON");
    common2 = {
      id: CredentialId,
      rawId: CredentialId,
      type: z12.literal("public-key"),
      authenticatorAttachment: z12.string().max(32).nullable().optional(),
      clientExtensionResults: z12.record(z12.string(), z12.unknown()).optional()
    };
    RegistrationResponse = z12.looseObject({
      ...common2,
      response: z12.looseObject({ clientDataJSON: Blob, attestationObject: Blob, transports: Transports.optional() })
    }).describe("RegistrationResponseJSON (W3C WebAuthn L3 5.1): `credential.toJSON()` after navigator.credentials.create");
    AuthenticationResponse = z12.looseObject({
      ...common2,
      response: z12.looseObject({ clientDataJSON: Blob, authenticatorData: Blob, signature: Blob, userHandle: b64url2(128).nullable().optional() })
    }).describe("AuthenticationResponseJSON (W3C WebAuthn L3 5.1): `credential.toJSON()` after navigator.credentials.get");
  }
});

// src/server/routes/auth-passkey.ts
import { z as z13 } from "zod";
function authPasskeyRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["auth"];
  r.post("/auth/mfa/webauthn/options", {
    schema: {
      tags,
      summary: "Request options for the second step with a security key or passkey",
      description: 'Then `POST /auth/mfa/verify` with `method: "webauthn"` and `credential`. The challenge is bound to this mfa_token, lives 5 minutes and works once.',
      body: z13.object({ mfa_token: z13.string().max(200) }).strict(),
      response: { 200: RequestOptions, ...problems(400, 401, 404) }
    }
  }, async (request, reply) => {
    const out = await loginOptions(deps.core, deps.registry, request.body.mfa_token, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    reply.header("Cache-Control", "no-store");
    return out.value;
  });
  r.post("/auth/passkey/options", {
    schema: {
      tags,
      summary: "Request options for passwordless sign-in with a passkey",
      description: 'No allowCredentials: the browser offers its discoverable credentials, also in autofill (`mediation: "conditional"`). User verification is required.',
      body: z13.object({}).strict().nullish(),
      response: { 200: RequestOptions, ...problems(400) }
    }
  }, async (request, reply) => {
    reply.header("Cache-Control", "no-store");
    return await passkeyOptions(deps.core, ctxOf(request, deps.clock));
  });
  r.post("/auth/passkey/verify", {
    schema: {
      tags,
      summary: "Sign in with a passkey (amr hwk+user+mfa, acr aal2)",
      body: z13.object({ credential: AuthenticationResponse }).strict(),
      response: { 200: TokenResponse, ...problems(400, 401, 403, 429) }
    }
  }, async (request, reply) => {
    const out = await passkeyLogin(deps.core, request.body.credential, ctxOf(request, deps.clock));
    deps.metrics.logins.inc({ outcome: out.ok ? "passkey_success" : `passkey_${out.error.code}` });
    if (!out.ok) return sendProblem(reply, out.error);
    return grantResponse(deps, request, reply, out.value);
  });
}
var init_auth_passkey = __esm({
  "src/server/routes/auth-passkey.ts"() {
    "use strict";
    init_webauthn2();
    init_context();
    init_grant();
    init_problems();
    init_schemas();
    init_webauthn_json();
  }
});

// src/core/accounts/passwords.ts
async function forgotPassword(deps, emailInput, ctx) {
  const email = normalizeEmail(emailInput);
  const budget = await deps.limiter.consume("password_forgot", email);
  if (!budget.allowed) return;
  const user = await deps.store.users.byEmail(email);
  if (!user || user.disabled) return;
  const t = newOpaqueToken(deps.random, deps.secrets, RESET_PURPOSE);
  await deps.store.passwordResets.create({
    id: t.id,
    userId: user.id,
    secretHash: t.hash,
    createdAt: ctx.now,
    expiresAt: ctx.now + deps.settings.resetTtlS * 1e3,
    usedAt: null
  });
  const link = `${deps.settings.publicUrl}/reset-password?token=${encodeURIComponent(t.token)}`;
  await notifyUser(deps, user, "password_reset", ctx, { link, minutes: Math.round(deps.settings.resetTtlS / 60) });
  await audit(deps.store, ctx, EVENT.passwordResetRequested, user.id);
}
async function resetPassword(deps, token, newPassword, ctx) {
  const invalid = fail("validation_failed", "the reset link is invalid, used or expired", { field: "token" });
  const parsed = parseOpaqueToken(token);
  if (!parsed) return invalid;
  const rec = await deps.store.passwordResets.byId(parsed.id);
  if (!rec || rec.usedAt !== null || rec.expiresAt <= ctx.now || !deps.secrets.verify(RESET_PURPOSE, parsed.secret, rec.secretHash)) return invalid;
  const user = await deps.store.users.byId(rec.userId);
  if (!user) return invalid;
  const problem = passwordProblem(newPassword, user.email);
  if (problem) return fail("validation_failed", `new_password ${problem}`, { field: "new_password" });
  if (!await deps.store.passwordResets.consume(rec.id, ctx.now)) return invalid;
  await deps.store.users.setPasswordHash(user.id, await deps.passwords.hash(newPassword));
  await deps.store.passwordResets.invalidateForUser(user.id, ctx.now);
  await deps.store.sessions.revokeAllForUser(user.id, ctx.now);
  await revokeAllTrustedDevices(deps, user.id, ctx, "password_reset");
  await audit(deps.store, ctx, EVENT.passwordReset, user.id);
  await notifyUser(deps, user, "password_reset_done", ctx);
  return ok(void 0);
}
async function changePassword(deps, user, session, current, next, ctx) {
  const budget = await deps.limiter.consume("login_account", user.email);
  if (!budget.allowed) return fail("rate_limited", "too many failed attempts; try again later", { retryAfterS: budget.retryAfterS });
  if (!user.passwordHash || !await deps.passwords.verify(user.passwordHash, current)) {
    await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: "password_change_wrong_current" });
    return fail("invalid_credentials", "the current password is wrong");
  }
  await deps.limiter.reward("login_account", user.email);
  const problem = passwordProblem(next, user.email);
  if (problem) return fail("validation_failed", `new_password ${problem}`, { field: "new_password" });
  await deps.store.users.setPasswordHash(user.id, await deps.passwords.hash(next));
  const revoked = await deps.store.sessions.revokeAllForUser(user.id, ctx.now, session.id);
  await revokeAllTrustedDevices(deps, user.id, ctx, "password_change");
  await audit(deps.store, ctx, EVENT.passwordChanged, user.id, { sessions_revoked: revoked });
  await notifyUser(deps, user, "password_changed", ctx);
  return ok(void 0);
}
var RESET_PURPOSE;
var init_passwords = __esm({
  "src/core/accounts/passwords.ts"() {
    "use strict";
    init_audit();
    init_notify();
    init_result();
    init_tokens();
    init_trusted_devices2();
    init_password_rules();
    RESET_PURPOSE = "password_reset";
  }
});

// src/core/auth/step-up.ts
async function requireStepUp(deps, registry, user, session, proof, ctx) {
  const hasMfa = (await deps.store.methods.listForUser(user.id)).length > 0;
  if (proof.method) {
    const checked = await checkSecondFactor(deps, registry, { user, purpose: "step_up", pendingId: null, method: proof.method, code: proof.code, credential: proof.credential, ctx });
    if (!checked.ok) return checked;
    const amr = [.../* @__PURE__ */ new Set([...session.amr, ...checked.value.amr, "mfa"])];
    const acr = session.acr === "aal2" || checked.value.acr === "aal2" ? "aal2" : "aal1";
    await deps.store.sessions.markMfaVerified(session.id, ctx.now, amr, acr);
    session.mfaVerifiedAt = ctx.now;
    await audit(deps.store, ctx, EVENT.stepUp, user.id, { method: proof.method, session_id: session.id });
    return ok(void 0);
  }
  if (proof.password !== void 0) {
    if (hasMfa) return fail("step_up_required", "confirm with a second factor");
    const budget = await deps.limiter.consume("login_account", user.email);
    if (!budget.allowed) return fail("rate_limited", "too many failed attempts; try again later", { retryAfterS: budget.retryAfterS });
    if (!user.passwordHash || !await deps.passwords.verify(user.passwordHash, proof.password)) {
      await audit(deps.store, ctx, EVENT.loginFailed, user.id, { reason: "step_up_password" });
      return fail("invalid_credentials", "the password is wrong");
    }
    await deps.limiter.reward("login_account", user.email);
    await audit(deps.store, ctx, EVENT.stepUp, user.id, { method: "password", session_id: session.id });
    return ok(void 0);
  }
  const maxAgeMs = (await deps.policy()).step_up_max_age_s * 1e3;
  const verifiedAt = hasMfa ? session.mfaVerifiedAt : session.createdAt;
  if (maxAgeMs > 0 && verifiedAt !== null && ctx.now - verifiedAt <= maxAgeMs) return ok(void 0);
  return fail("step_up_required", hasMfa ? "confirm with a second factor" : "confirm with your password");
}
var init_step_up = __esm({
  "src/core/auth/step-up.ts"() {
    "use strict";
    init_audit();
    init_result();
    init_second_factor();
  }
});

// src/server/routes/auth-password.ts
import { z as z14 } from "zod";
function authPasswordRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["password"];
  r.post("/auth/password/forgot", {
    schema: {
      tags,
      summary: "Mail a single-use reset link (answers the same for unknown addresses)",
      body: z14.object({ email: Email }).strict(),
      response: { 202: z14.object({}), ...problems(400) }
    }
  }, async (request, reply) => {
    await forgotPassword(deps.core, request.body.email, ctxOf(request, deps.clock));
    return reply.code(202).send({});
  });
  r.post("/auth/password/reset", {
    schema: {
      tags,
      summary: "Set a new password from a reset link",
      body: z14.object({ token: z14.string().max(200), new_password: Password }).strict(),
      response: { 204: z14.null(), ...problems(400) }
    }
  }, async (request, reply) => {
    const out = await resetPassword(deps.core, request.body.token, request.body.new_password, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
  r.post("/auth/password/change", {
    preHandler: requireSession(deps),
    schema: {
      tags,
      summary: "Change the password (step-up); other sessions end",
      body: z14.object({ current_password: Password, new_password: Password, ...StepUpFields }).strict(),
      response: { 204: z14.null(), ...problems(400, 401, 403, 429) }
    }
  }, async (request, reply) => {
    const { user, session } = authOf(request);
    const ctx = ctxOf(request, deps.clock);
    const b = request.body;
    const step = await requireStepUp(deps.core, deps.registry, user, session, { method: b.method, code: b.code, credential: b.credential, password: b.password }, ctx);
    if (!step.ok) return sendProblem(reply, step.error);
    const out = await changePassword(deps.core, user, session, b.current_password, b.new_password, ctx);
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
}
var init_auth_password = __esm({
  "src/server/routes/auth-password.ts"() {
    "use strict";
    init_passwords();
    init_step_up();
    init_authenticate();
    init_context();
    init_problems();
    init_schemas();
  }
});

// src/server/http/step-up.ts
function stepUp(deps, request, body) {
  const { user, session } = authOf(request);
  const b = body ?? {};
  return requireStepUp(
    deps.core,
    deps.registry,
    user,
    session,
    { method: b.method, code: b.code, credential: b.credential, password: b.password },
    ctxOf(request, deps.clock)
  );
}
var init_step_up2 = __esm({
  "src/server/http/step-up.ts"() {
    "use strict";
    init_step_up();
    init_authenticate();
    init_context();
  }
});

// src/server/routes/enrolment-guards.ts
async function requireMethodAllowed(deps, method) {
  const policy = await deps.core.policy();
  return policy.allowed_methods.includes(method) ? ok(void 0) : fail("policy_violation", `policy does not allow the ${method} method`);
}
async function requireStepUpToAdd(deps, request, check) {
  const methods = await deps.core.store.methods.listForUser(authOf(request).user.id);
  return methods.length === 0 ? ok(void 0) : check();
}
var init_enrolment_guards = __esm({
  "src/server/routes/enrolment-guards.ts"() {
    "use strict";
    init_result();
    init_authenticate();
  }
});

// src/server/routes/method-json.ts
import { z as z15 } from "zod";
function methodJson(m) {
  const base = { id: m.id, type: m.type, name: m.name, created_at: iso(m.createdAt), last_used_at: iso(m.lastUsedAt) };
  switch (m.type) {
    case "totp":
      return { ...base, algorithm: m.totpAlgorithm ?? "SHA1", digits: m.totpDigits ?? 6, period: m.totpPeriod ?? 30 };
    case "sms":
      return { ...base, phone_last_digits: (m.destination ?? "").slice(-2) };
    case "email":
      return { ...base, email: m.destination ?? void 0 };
    case "webauthn":
      return { ...base, aaguid: m.aaguid, device_type: m.deviceType, backed_up: m.backedUp };
  }
}
var MethodSchema;
var init_method_json = __esm({
  "src/server/routes/method-json.ts"() {
    "use strict";
    init_schemas();
    MethodSchema = z15.object({
      id: z15.string(),
      type: z15.enum(["totp", "webauthn", "email", "sms"]),
      name: z15.string(),
      created_at: z15.string(),
      last_used_at: z15.string().nullable(),
      algorithm: z15.string().optional(),
      digits: z15.number().optional(),
      period: z15.number().optional(),
      phone_last_digits: z15.string().optional().describe("SMS: only the last digits are ever shown"),
      email: z15.string().optional(),
      aaguid: z15.string().nullable().optional().describe("WebAuthn: authenticator model"),
      device_type: z15.string().nullable().optional(),
      backed_up: z15.boolean().nullable().optional()
    });
  }
});

// src/server/routes/mfa-email.ts
import { z as z16 } from "zod";
function mfaEmailRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["mfa: email"];
  const session = requireSession(deps, { enrollment: true });
  r.post("/mfa/email/setup", {
    preHandler: session,
    schema: {
      tags,
      summary: "Mail a code to the account's address (nothing is active until verified)",
      description: `A user who already has MFA confirms the addition with step-up fields in the body. ${SEND_DESCRIPTION}`,
      // No body, or `{}`, or the step-up proof a user with MFA confirms the addition with.
      body: z16.object(StepUpFields).strict().nullish(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS, 409) }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "email");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, request.body ?? void 0));
    if (!step.ok) return sendProblem(reply, step.error);
    const { user } = authOf(request);
    const out = await startCodeEnrollment(deps.core, codeFactorOf(deps, "email").sender, user, "email", user.email, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header("Cache-Control", "no-store").send(codeSentJson(out.value));
  });
  r.post("/mfa/email/verify", {
    preHandler: session,
    schema: {
      tags,
      summary: "Activate email codes with the code that was mailed",
      body: z16.object({ code: OneTimeCode, name: Name.optional() }).strict(),
      response: { 200: z16.object({ method: MethodSchema, backup_codes: z16.array(z16.string()).optional() }), ...problems(400, 401, 403, 404, 429) }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "email");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const { user, session: s } = authOf(request);
    const out = await confirmCodeEnrollment(deps.core, user, s, "email", request.body.code, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: "email", action: "added" });
    reply.header("Cache-Control", "no-store");
    return { method: methodJson(out.value.method), ...out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {} };
  });
}
var init_mfa_email = __esm({
  "src/server/routes/mfa-email.ts"() {
    "use strict";
    init_otp_codes();
    init_authenticate();
    init_context();
    init_problems();
    init_step_up2();
    init_schemas();
    init_code_sent();
    init_enrolment_guards();
    init_method_json();
  }
});

// src/server/routes/mfa-manage.ts
import { z as z17 } from "zod";
function mfaManageRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["mfa"];
  const enrolment = requireSession(deps, { enrollment: true });
  const session = requireSession(deps);
  r.get("/mfa/status", {
    preHandler: enrolment,
    schema: {
      tags,
      summary: "MFA status of the caller",
      response: {
        200: z17.object({
          enabled: z17.boolean(),
          methods: z17.array(MethodSchema),
          backup_codes_remaining: z17.number().int(),
          required: z17.boolean(),
          enroll_by: z17.string().optional()
        }),
        ...problems(401)
      }
    }
  }, async (request) => {
    const s = await mfaStatus(deps.core, authOf(request).user);
    return {
      enabled: s.enabled,
      methods: s.methods.map(methodJson),
      backup_codes_remaining: s.backupCodesRemaining,
      required: s.required,
      ...s.enrollBy !== null ? { enroll_by: iso(s.enrollBy) } : {}
    };
  });
  r.patch("/mfa/methods/:id", {
    preHandler: session,
    schema: { tags, summary: "Rename a method", params: IdParams2, body: z17.object({ name: Name }).strict(), response: { 200: MethodSchema, ...problems(400, 401, 404) } }
  }, async (request, reply) => {
    const out = await renameMethod(deps.core, authOf(request).user, request.params.id, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return methodJson(out.value);
  });
  r.delete("/mfa/methods/:id", {
    preHandler: session,
    schema: { tags, summary: "Remove a method (step-up)", params: IdParams2, body: StepUpBody, response: { 204: z17.null(), ...problems(400, 401, 403, 404, 429) } }
  }, async (request, reply) => {
    const step = await stepUp(deps, request, request.body ?? void 0);
    if (!step.ok) return sendProblem(reply, step.error);
    const { user, session: s } = authOf(request);
    const out = await removeMethod(deps.core, user, s, request.params.id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: out.value.type, action: "removed" });
    return reply.code(204).send(null);
  });
  r.post("/mfa/backup-codes/regenerate", {
    preHandler: session,
    schema: { tags, summary: "Replace all backup codes (step-up)", body: StepUpBody, response: { 200: z17.object({ backup_codes: z17.array(z17.string()) }), ...problems(400, 401, 409, 429) } }
  }, async (request, reply) => {
    const step = await stepUp(deps, request, request.body ?? void 0);
    if (!step.ok) return sendProblem(reply, step.error);
    const out = await regenerateBackupCodes(deps.core, authOf(request).user, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    reply.header("Cache-Control", "no-store");
    return { backup_codes: out.value };
  });
  r.post("/mfa/disable", {
    preHandler: session,
    schema: { tags, summary: "Remove every method and backup code (step-up)", body: StepUpBody, response: { 204: z17.null(), ...problems(400, 401, 403, 429) } }
  }, async (request, reply) => {
    const step = await stepUp(deps, request, request.body ?? void 0);
    if (!step.ok) return sendProblem(reply, step.error);
    const { user, session: s } = authOf(request);
    const removed = await deps.core.store.methods.listForUser(user.id);
    const out = await disableMfa(deps.core, user, s, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    for (const m of removed) deps.metrics.enrolments.inc({ method: m.type, action: "removed" });
    return reply.code(204).send(null);
  });
}
var StepUpBody, IdParams2;
var init_mfa_manage = __esm({
  "src/server/routes/mfa-manage.ts"() {
    "use strict";
    init_manage();
    init_authenticate();
    init_context();
    init_problems();
    init_step_up2();
    init_schemas();
    init_method_json();
    StepUpBody = z17.object(StepUpFields).strict().nullish();
    IdParams2 = z17.object({ id: z17.string().max(64) });
  }
});

// src/server/phone.ts
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z as z18 } from "zod";
function toE164(input) {
  const s = input.trim();
  if (!s.startsWith("+")) return null;
  const parsed = parsePhoneNumberFromString(s);
  return parsed?.isValid() ? parsed.number : null;
}
var PhoneNumber;
var init_phone = __esm({
  "src/server/phone.ts"() {
    "use strict";
    PhoneNumber = z18.string().max(40, "is too long").refine((v) => toE164(v) !== null, {
      message: "must be a valid phone number in international E.164 form: + then the country code (e.g. +14155552671)"
    }).describe("E.164, e.g. +14155552671");
  }
});

// src/server/routes/mfa-sms.ts
import { z as z19 } from "zod";
function mfaSmsRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["mfa: sms"];
  const session = requireSession(deps, { enrollment: true });
  r.post("/mfa/sms/setup", {
    preHandler: session,
    schema: {
      tags,
      summary: "Text a code to a phone number (nothing is active until verified)",
      description: `A user who already has MFA confirms the addition with step-up fields in the body. ${SEND_DESCRIPTION}`,
      body: z19.object({ phone_number: PhoneNumber, ...StepUpFields }).strict(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS, 409) }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "sms");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, request.body));
    if (!step.ok) return sendProblem(reply, step.error);
    const number = toE164(request.body.phone_number);
    const out = await startCodeEnrollment(deps.core, codeFactorOf(deps, "sms").sender, authOf(request).user, "sms", number, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header("Cache-Control", "no-store").send(codeSentJson(out.value));
  });
  r.post("/mfa/sms/verify", {
    preHandler: session,
    schema: {
      tags,
      summary: "Activate SMS codes with the code that was texted",
      body: z19.object({ code: OneTimeCode, name: Name.optional() }).strict(),
      response: { 200: z19.object({ method: MethodSchema, backup_codes: z19.array(z19.string()).optional() }), ...problems(400, 401, 403, 404, 429) }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "sms");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const { user, session: s } = authOf(request);
    const out = await confirmCodeEnrollment(deps.core, user, s, "sms", request.body.code, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: "sms", action: "added" });
    reply.header("Cache-Control", "no-store");
    return { method: methodJson(out.value.method), ...out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {} };
  });
}
var init_mfa_sms = __esm({
  "src/server/routes/mfa-sms.ts"() {
    "use strict";
    init_otp_codes();
    init_authenticate();
    init_context();
    init_problems();
    init_step_up2();
    init_phone();
    init_schemas();
    init_code_sent();
    init_enrolment_guards();
    init_method_json();
  }
});

// src/core/mfa/totp-enrollment.ts
async function startTotpEnrollment(deps, user, name, options, ctx) {
  const id = deps.random.uuid();
  const key = deps.random.bytes(SECRET_BYTES2);
  const secret = base32Encode(key);
  await deps.store.totpEnrollments.create({
    id,
    userId: user.id,
    name: name ?? "Authenticator app",
    secretEnc: deps.cipher.encrypt(key, totpAad(id)),
    algorithm: options.algorithm,
    digits: options.digits,
    period: options.period,
    createdAt: ctx.now,
    expiresAt: ctx.now + ENROLLMENT_TTL_MS
  });
  key.fill(0);
  await audit(deps.store, ctx, EVENT.enrollStarted, user.id, { method: "totp", enrollment_id: id });
  const uri = otpauthUri({ issuer: deps.settings.issuer, account: user.email, secretBase32: secret, algorithm: options.algorithm, digits: options.digits, period: options.period });
  return { enrollmentId: id, secret, otpauthUri: uri };
}
async function confirmTotpEnrollment(deps, user, session, enrollmentId, code, ctx) {
  const enrollment = await deps.store.totpEnrollments.byId(enrollmentId);
  if (!enrollment || enrollment.userId !== user.id || enrollment.expiresAt <= ctx.now) {
    return fail("not_found", "no such pending enrolment (it may have expired: start again)");
  }
  const budget = await deps.limiter.consume("mfa_user", user.id);
  if (!budget.allowed) return fail("rate_limited", "too many failed attempts; try again later", { retryAfterS: budget.retryAfterS });
  const key = deps.cipher.decrypt(enrollment.secretEnc, totpAad(enrollment.id));
  const result = verifyTotp({ key, code, nowMs: ctx.now, periodS: enrollment.period, digits: enrollment.digits, algorithm: enrollment.algorithm });
  key.fill(0);
  if (!result.ok) {
    await audit(deps.store, ctx, EVENT.mfaFailed, user.id, { method: "totp", purpose: "enroll", reason: result.reason });
    return fail("invalid_code", "the code is not valid");
  }
  await deps.limiter.reward("mfa_user", user.id);
  if (!await deps.store.totpEnrollments.consume(enrollment.id)) return fail("not_found", "no such pending enrolment");
  const method = {
    ...newMethodRow(deps, user.id, "totp", enrollment.name, ctx.now, enrollment.id),
    secretEnc: enrollment.secretEnc,
    totpAlgorithm: enrollment.algorithm,
    totpDigits: enrollment.digits,
    totpPeriod: enrollment.period,
    lastStep: result.step,
    lastUsedAt: ctx.now
  };
  await deps.store.methods.insert(method);
  const { backupCodes } = await factorAdded(deps, user, session, method, ctx);
  return ok({ method, backupCodes });
}
var SECRET_BYTES2, ENROLLMENT_TTL_MS, TOTP_DEFAULT_OPTIONS;
var init_totp_enrollment = __esm({
  "src/core/mfa/totp-enrollment.ts"() {
    "use strict";
    init_audit();
    init_totp2();
    init_otp();
    init_result();
    init_after_change();
    SECRET_BYTES2 = 20;
    ENROLLMENT_TTL_MS = 15 * 6e4;
    TOTP_DEFAULT_OPTIONS = { algorithm: "SHA1", digits: 6, period: 30 };
  }
});

// src/server/qr.ts
import QRCode from "qrcode";
function qrDataUrl(text) {
  return QRCode.toDataURL(text, { type: "image/png", errorCorrectionLevel: "M", margin: 4, scale: 6 });
}
var init_qr = __esm({
  "src/server/qr.ts"() {
    "use strict";
  }
});

// src/server/routes/mfa-totp.ts
import { z as z20 } from "zod";
function mfaTotpRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["mfa: totp"];
  const session = requireSession(deps, { enrollment: true });
  r.post("/mfa/totp/setup", {
    preHandler: session,
    schema: {
      tags,
      summary: "Start enrolling an authenticator app (nothing is active until verified)",
      body: z20.object({
        name: Name.optional(),
        algorithm: z20.enum(["SHA1", "SHA256", "SHA512"]).optional().describe("SHA1 (default) is what every app supports"),
        digits: z20.union([z20.literal(6), z20.literal(8)]).optional(),
        ...StepUpFields
      }).strict().nullish(),
      response: {
        200: z20.object({ enrollment_id: z20.string(), secret: z20.string(), otpauth_uri: z20.string(), qr_code: z20.string() }),
        ...problems(400, 401, 403, 429)
      }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "totp");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const b = request.body ?? {};
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, b));
    if (!step.ok) return sendProblem(reply, step.error);
    const setup = await startTotpEnrollment(
      deps.core,
      authOf(request).user,
      b.name,
      { algorithm: b.algorithm ?? TOTP_DEFAULT_OPTIONS.algorithm, digits: b.digits ?? TOTP_DEFAULT_OPTIONS.digits, period: TOTP_DEFAULT_OPTIONS.period },
      ctxOf(request, deps.clock)
    );
    reply.header("Cache-Control", "no-store");
    return { enrollment_id: setup.enrollmentId, secret: setup.secret, otpauth_uri: setup.otpauthUri, qr_code: await qrDataUrl(setup.otpauthUri) };
  });
  r.post("/mfa/totp/verify", {
    preHandler: session,
    schema: {
      tags,
      summary: "Activate the enrolment with a code from the app",
      body: z20.object({ enrollment_id: z20.string().max(64), code: OneTimeCode }).strict(),
      response: { 200: z20.object({ method: MethodSchema, backup_codes: z20.array(z20.string()).optional() }), ...problems(400, 401, 404, 429) }
    }
  }, async (request, reply) => {
    const { user, session: s } = authOf(request);
    const out = await confirmTotpEnrollment(deps.core, user, s, request.body.enrollment_id, request.body.code, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: "totp", action: "added" });
    reply.header("Cache-Control", "no-store");
    return { method: methodJson(out.value.method), ...out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {} };
  });
}
var init_mfa_totp = __esm({
  "src/server/routes/mfa-totp.ts"() {
    "use strict";
    init_totp_enrollment();
    init_authenticate();
    init_context();
    init_problems();
    init_step_up2();
    init_qr();
    init_schemas();
    init_method_json();
    init_enrolment_guards();
  }
});

// src/server/routes/mfa-webauthn.ts
import { z as z21 } from "zod";
function mfaWebAuthnRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["mfa: webauthn"];
  const session = requireSession(deps, { enrollment: true });
  r.post("/mfa/webauthn/register/options", {
    preHandler: session,
    schema: {
      tags,
      summary: "Start registering a security key or passkey (step-up when MFA is on)",
      description: "Returns creation options for navigator.credentials.create; the challenge lives 5 minutes and works once. `passkey: true` asks for a discoverable, user-verifying credential for passwordless sign-in. The method is named by `name` sent with /verify (a name sent here only is not kept).",
      body: z21.object({
        name: Name.optional(),
        passkey: z21.boolean().optional().describe("require a discoverable credential with user verification (passwordless sign-in)"),
        ...StepUpFields
      }).strict().nullish(),
      response: { 200: CreationOptions, ...problems(400, 401, 403, 429) }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "webauthn");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const b = request.body ?? {};
    const step = await requireStepUpToAdd(deps, request, () => stepUp(deps, request, b));
    if (!step.ok) return sendProblem(reply, step.error);
    reply.header("Cache-Control", "no-store");
    const options = await registrationOptions(deps.core, authOf(request).user, { passkey: b.passkey }, ctxOf(request, deps.clock));
    return options;
  });
  r.post("/mfa/webauthn/register/verify", {
    preHandler: session,
    schema: {
      tags,
      summary: "Finish the registration with the browser's response",
      body: z21.object({ credential: RegistrationResponse, name: Name.optional() }).strict(),
      response: { 200: z21.object({ method: MethodSchema, backup_codes: z21.array(z21.string()).optional() }), ...problems(400, 401, 403, 404, 409) }
    }
  }, async (request, reply) => {
    const allowed = await requireMethodAllowed(deps, "webauthn");
    if (!allowed.ok) return sendProblem(reply, allowed.error);
    const { user, session: s } = authOf(request);
    const out = await confirmRegistration(deps.core, user, s, request.body.credential, request.body.name, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    deps.metrics.enrolments.inc({ method: "webauthn", action: "added" });
    reply.header("Cache-Control", "no-store");
    return { method: methodJson(out.value.method), ...out.value.backupCodes ? { backup_codes: out.value.backupCodes } : {} };
  });
  r.post("/mfa/step-up/webauthn/options", {
    preHandler: requireSession(deps),
    schema: {
      tags,
      summary: "Request options for a WebAuthn step-up",
      description: 'Then send `{method: "webauthn", credential}` with the sensitive request. The challenge is bound to the caller, lives 5 minutes and works once.',
      body: z21.object({}).strict().nullish(),
      response: { 200: RequestOptions, ...problems(400, 401, 404) }
    }
  }, async (request, reply) => {
    const out = await stepUpOptions(deps.core, deps.registry, authOf(request).user, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    reply.header("Cache-Control", "no-store");
    return out.value;
  });
}
var init_mfa_webauthn = __esm({
  "src/server/routes/mfa-webauthn.ts"() {
    "use strict";
    init_webauthn2();
    init_authenticate();
    init_context();
    init_problems();
    init_step_up2();
    init_schemas();
    init_enrolment_guards();
    init_method_json();
    init_webauthn_json();
  }
});

// src/server/routes/step-up-challenge.ts
import { z as z22 } from "zod";
function stepUpChallengeRoutes(app, deps) {
  const r = app.withTypeProvider();
  r.post("/mfa/step-up/challenge", {
    preHandler: requireSession(deps),
    schema: {
      tags: ["mfa"],
      summary: "Send a step-up code by email or SMS",
      description: `Then send \`{method, code}\` as the step-up proof of the sensitive request. ${SEND_DESCRIPTION}`,
      body: z22.object({ method: CodeChannel, method_id: z22.string().max(64).optional() }).strict(),
      response: { 202: CodeSentResponse, ...problems(...SEND_PROBLEMS) }
    }
  }, async (request, reply) => {
    const out = await sendStepUpCode(deps.core, deps.registry, authOf(request).user, request.body.method, request.body.method_id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(202).header("Cache-Control", "no-store").send(codeSentJson(out.value));
  });
}
var init_step_up_challenge = __esm({
  "src/server/routes/step-up-challenge.ts"() {
    "use strict";
    init_otp_codes();
    init_authenticate();
    init_context();
    init_problems();
    init_schemas();
    init_auth_challenge();
    init_code_sent();
  }
});

// src/server/routes/step-up.ts
import { z as z23 } from "zod";
function stepUpRoutes(app, deps) {
  const r = app.withTypeProvider();
  r.post("/mfa/step-up", {
    preHandler: requireSession(deps),
    schema: {
      tags: ["mfa"],
      summary: "Confirm a second factor (or, without MFA, the password) for this session",
      description: "Performs the step-up check alone: afterwards the session counts as recently verified for `step_up_max_age_s` (sensitive actions, and admin routes where policy requires MFA of admins).",
      body: z23.object(StepUpFields).strict(),
      response: { 204: z23.null(), ...problems(400, 401, 403, 429) }
    }
  }, async (request, reply) => {
    const b = request.body;
    if (b.method === void 0 && b.password === void 0) {
      return sendProblem(reply, { code: "validation_failed", field: "method", detail: "method: give a method with its code or credential (or, without MFA, password)" });
    }
    if (b.method !== void 0 && (b.method === "webauthn" ? b.credential === void 0 : b.code === void 0)) {
      const field = b.method === "webauthn" ? "credential" : "code";
      return sendProblem(reply, { code: "validation_failed", field, detail: `${field}: is required for method ${b.method}` });
    }
    const out = await stepUp(deps, request, b);
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
}
var init_step_up3 = __esm({
  "src/server/routes/step-up.ts"() {
    "use strict";
    init_authenticate();
    init_problems();
    init_step_up2();
    init_schemas();
  }
});

// src/server/routes/trusted-devices.ts
import { z as z24 } from "zod";
function trustedDeviceRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["mfa: trusted devices"];
  const session = requireSession(deps);
  r.get("/mfa/trusted-devices", {
    preHandler: session,
    schema: {
      tags,
      summary: "Browsers that skip the second factor",
      response: {
        200: z24.object({
          devices: z24.array(z24.object({ id: z24.string(), name: z24.string(), created_at: z24.string(), last_used_at: z24.string().nullable(), expires_at: z24.string(), ip: z24.string().nullable(), user_agent: z24.string().nullable() }))
        }),
        ...problems(401)
      }
    }
  }, async (request) => {
    const list = await deps.core.store.trustedDevices.listLive(authOf(request).user.id, deps.clock.now());
    return {
      devices: list.map((d) => ({ id: d.id, name: d.name, created_at: iso(d.createdAt), last_used_at: iso(d.lastUsedAt), expires_at: iso(d.expiresAt), ip: d.ip, user_agent: d.userAgent }))
    };
  });
  r.delete("/mfa/trusted-devices/:id", {
    preHandler: session,
    schema: { tags, summary: "Forget one trusted browser", params: z24.object({ id: z24.string().max(64) }), response: { 204: z24.null(), ...problems(401, 404) } }
  }, async (request, reply) => {
    const out = await revokeTrustedDevice(deps.core, authOf(request).user.id, request.params.id, ctxOf(request, deps.clock));
    if (!out.ok) return sendProblem(reply, out.error);
    return reply.code(204).send(null);
  });
  r.delete("/mfa/trusted-devices", {
    preHandler: session,
    schema: { tags, summary: "Forget every trusted browser", response: { 204: z24.null(), ...problems(401) } }
  }, async (request, reply) => {
    await revokeAllTrustedDevices(deps.core, authOf(request).user.id, ctxOf(request, deps.clock), "user_request");
    return reply.code(204).send(null);
  });
}
var init_trusted_devices3 = __esm({
  "src/server/routes/trusted-devices.ts"() {
    "use strict";
    init_trusted_devices2();
    init_authenticate();
    init_context();
    init_problems();
    init_schemas();
  }
});

// src/server/routes/index.ts
function apiRoutes(api, deps) {
  authLoginRoutes(api, deps);
  authPasswordRoutes(api, deps);
  sessionRoutes(api, deps);
  mfaManageRoutes(api, deps);
  mfaTotpRoutes(api, deps);
  trustedDeviceRoutes(api, deps);
  authPasskeyRoutes(api, deps);
  mfaWebAuthnRoutes(api, deps);
  authChallengeRoutes(api, deps);
  mfaEmailRoutes(api, deps);
  mfaSmsRoutes(api, deps);
  stepUpChallengeRoutes(api, deps);
  stepUpRoutes(api, deps);
  adminUserRoutes(api, deps);
  adminAuditRoutes(api, deps);
  adminStatsRoutes(api, deps);
  adminPolicyRoutes(api, deps);
}
var init_routes = __esm({
  "src/server/routes/index.ts"() {
    "use strict";
    init_admin_audit();
    init_admin_policy();
    init_admin_stats();
    init_admin_users();
    init_auth_challenge();
    init_auth_login();
    init_auth_passkey();
    init_auth_password();
    init_mfa_email();
    init_mfa_manage();
    init_mfa_sms();
    init_mfa_totp();
    init_mfa_webauthn();
    init_sessions3();
    init_step_up_challenge();
    init_step_up3();
    init_trusted_devices3();
  }
});

// src/server/routes/ops.ts
import { z as z25 } from "zod";
function opsRoutes(app, deps) {
  const r = app.withTypeProvider();
  const tags = ["operations"];
  r.get("/healthz", { schema: { tags, summary: "Process is up", response: { 200: z25.object({ status: z25.literal("ok") }) } } }, async () => ({ status: "ok" }));
  r.get("/readyz", {
    schema: { tags, summary: "Database reachable", response: { 200: z25.object({ status: z25.literal("ready") }), 503: z25.object({ status: z25.literal("unavailable") }) } }
  }, async (_request, reply) => {
    const ok2 = await deps.ready().catch(() => false);
    return ok2 ? { status: "ready" } : reply.code(503).send({ status: "unavailable" });
  });
  r.get("/metrics", { schema: { tags, summary: "Prometheus metrics", hide: false } }, async (_request, reply) => {
    reply.type(deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
  r.get("/.well-known/jwks.json", { schema: { tags, summary: "Public keys of the access tokens" } }, async (_request, reply) => {
    reply.header("Cache-Control", "public, max-age=300");
    return deps.jwt.jwks(deps.clock.now());
  });
}
var init_ops = __esm({
  "src/server/routes/ops.ts"() {
    "use strict";
  }
});

// src/server/web-ui.ts
import { existsSync } from "node:fs";
import path2 from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
async function serveWebUi(app) {
  if (!existsSync(path2.join(DIST, "index.html"))) {
    app.log.warn(`web UI not built (${DIST} missing): run "npm run build"`);
    return false;
  }
  await app.register(fastifyStatic, { root: DIST, prefix: "/", wildcard: false, index: ["index.html"] });
  return true;
}
function isApiPath(url2) {
  return url2.startsWith("/api/") || url2.startsWith("/.well-known/") || url2 === "/metrics" || url2.startsWith("/docs") || url2 === "/openapi.json";
}
var DIST;
var init_web_ui = __esm({
  "src/server/web-ui.ts"() {
    "use strict";
    DIST = path2.resolve(path2.dirname(fileURLToPath(import.meta.url)), "../../web/dist");
  }
});

// src/server/app.ts
import path3 from "node:path";
import { pino } from "pino";
import fastifyCookie from "@fastify/cookie";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify from "fastify";
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
function trustProxyOption(v) {
  return typeof v === "number" ? (_addr, hop) => hop < v : v;
}
async function buildApp(deps, opts = {}) {
  const app = Fastify({
    loggerInstance: opts.loggerInstance ?? pino({ level: "silent" }),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustProxyOption(deps.config.trustProxy),
    requestIdHeader: false
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonParser(app);
  installErrorHandling(app);
  app.decorateRequest("auth", null);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "Twofold API", version: "1.0.0", description: "Multi-factor authentication service. Contract: API.md; browser cookie mode: docs/browser-session.md." },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
      security: [{ bearer: [] }]
    },
    transform: jsonSchemaTransform
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    deps.metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1e3);
  });
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.url.startsWith("/api/") && !reply.hasHeader("cache-control")) reply.header("Cache-Control", "no-store");
    reply.header("X-Content-Type-Options", "nosniff");
    return payload;
  });
  opsRoutes(app, deps);
  await app.register(async (api) => apiRoutes(api, deps), { prefix: "/api/v1" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  const withUi = opts.webUi !== false && await serveWebUi(app);
  app.setNotFoundHandler((request, reply) => {
    const url2 = request.url.split("?")[0];
    if (withUi && request.method === "GET" && !isApiPath(url2) && !path3.extname(url2)) {
      return reply.type("text/html").header("Cache-Control", "no-cache").sendFile("index.html");
    }
    return sendProblem(reply, { code: "not_found", detail: `no route ${request.method} ${url2}` });
  });
  return app;
}
var BODY_LIMIT;
var init_app = __esm({
  "src/server/app.ts"() {
    "use strict";
    init_error_handler();
    init_routes();
    init_ops();
    init_web_ui();
    init_problems();
    BODY_LIMIT = 64 * 1024;
  }
});

// src/server/bootstrap-admin.ts
async function bootstrapAdmin(core, admin, now) {
  if (!admin) return "skipped";
  if (await core.store.users.countAdmins() > 0) return "exists";
  const out = await createAccount(core, { email: admin.email, password: admin.password, roles: ["admin"] }, { now, ip: null, userAgent: "twofold bootstrap" }, { selfService: false, actorId: null });
  if (!out.ok) {
    if (out.error.code === "conflict") {
      const user = await core.store.users.byEmail(admin.email.trim().toLowerCase());
      if (user && !user.roles.includes("admin")) await core.store.users.update(user.id, { roles: [...user.roles, "admin"] });
      return "exists";
    }
    throw new Error(`TWOFOLD_ADMIN_PASSWORD: ${out.error.detail}`);
  }
  return "created";
}
var init_bootstrap_admin = __esm({
  "src/server/bootstrap-admin.ts"() {
    "use strict";
    init_register();
  }
});

// src/server/logger.ts
import { pino as pino2 } from "pino";
function createLogger(level) {
  return pino2({
    level,
    redact: {
      paths: ["req.headers.authorization", "req.headers.cookie", 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
      censor: "[redacted]"
    }
  });
}
var init_logger = __esm({
  "src/server/logger.ts"() {
    "use strict";
  }
});

// src/server/serve.ts
var serve_exports = {};
__export(serve_exports, {
  serve: () => serve
});
async function serve(config) {
  const log = createLogger(config.logLevel);
  const composed = await compose(config, { log });
  const created = await bootstrapAdmin(composed.deps.core, config.admin, composed.deps.clock.now());
  if (created === "created") log.info({ email: config.admin?.email }, "created the bootstrap admin");
  const app = await buildApp(composed.deps, { loggerInstance: log });
  app.addHook("onClose", async () => composed.close());
  await app.listen({ port: config.port, host: config.host });
  composed.start();
  log.info({ url: config.publicUrl, database: composed.opened.dialect, redis: !!config.redisUrl }, "twofold is ready");
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await app.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
  return app;
}
var init_serve = __esm({
  "src/server/serve.ts"() {
    "use strict";
    init_app();
    init_bootstrap_admin();
    init_compose();
    init_logger();
  }
});

// src/cli/main.ts
import { Command, CommanderError } from "commander";

// src/server/config.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
var bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");
var EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  TWOFOLD_DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  TWOFOLD_PUBLIC_URL: z.string().url().optional(),
  TWOFOLD_SECRET_KEY: z.string().optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().default("Twofold <no-reply@localhost>"),
  SMS_PROVIDER: z.enum(["console", "twilio", "webhook"]).default("console"),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_API_BASE: z.string().url().default("https://api.twilio.com"),
  SMS_WEBHOOK_URL: z.string().url().optional(),
  SMS_WEBHOOK_SECRET: z.string().optional(),
  TWOFOLD_ADMIN_EMAIL: z.string().email().optional(),
  TWOFOLD_ADMIN_PASSWORD: z.string().optional(),
  TWOFOLD_OPEN_REGISTRATION: bool.default(true),
  /** Answer 202 with no hint when a registering email exists, instead of 409. */
  TWOFOLD_HIDE_EXISTING_EMAIL: bool.default(false),
  /** Display name in authenticator apps and mail. */
  TWOFOLD_ISSUER: z.string().min(1).max(64).default("Twofold"),
  /** Trust X-Forwarded-For from a reverse proxy (true, or a hop count / address list). */
  TWOFOLD_TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** A JSON file whose keys (the same names) add to the environment; the environment wins. */
  TWOFOLD_CONFIG_FILE: z.string().optional()
});
function loadConfig(env) {
  let merged = { ...env };
  if (env.TWOFOLD_CONFIG_FILE) {
    const file = JSON.parse(readFileSync(env.TWOFOLD_CONFIG_FILE, "utf8"));
    const asStrings = Object.fromEntries(Object.entries(file).map(([k, v]) => [k, String(v)]));
    merged = { ...asStrings, ...env };
  }
  for (const k of Object.keys(merged)) if (merged[k] === "") delete merged[k];
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid configuration:
  ${lines.join("\n  ")}`);
  }
  const e = parsed.data;
  if (e.TWOFOLD_ADMIN_EMAIL && !e.TWOFOLD_ADMIN_PASSWORD || !e.TWOFOLD_ADMIN_EMAIL && e.TWOFOLD_ADMIN_PASSWORD) {
    throw new Error("invalid configuration: TWOFOLD_ADMIN_EMAIL and TWOFOLD_ADMIN_PASSWORD go together");
  }
  const trust = e.TWOFOLD_TRUST_PROXY;
  const config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.TWOFOLD_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    publicUrl: (e.TWOFOLD_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    secretKey: e.TWOFOLD_SECRET_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sms: {
      provider: e.SMS_PROVIDER,
      twilio: { accountSid: e.TWILIO_ACCOUNT_SID, authToken: e.TWILIO_AUTH_TOKEN, from: e.TWILIO_FROM, apiBase: e.TWILIO_API_BASE },
      webhookUrl: e.SMS_WEBHOOK_URL,
      webhookSecret: e.SMS_WEBHOOK_SECRET
    },
    admin: e.TWOFOLD_ADMIN_EMAIL ? { email: e.TWOFOLD_ADMIN_EMAIL, password: e.TWOFOLD_ADMIN_PASSWORD } : void 0,
    openRegistration: e.TWOFOLD_OPEN_REGISTRATION,
    hideExistingEmail: e.TWOFOLD_HIDE_EXISTING_EMAIL,
    issuer: e.TWOFOLD_ISSUER,
    trustProxy: trust === void 0 ? false : trust === "true" ? true : /^\d+$/.test(trust) ? Number(trust) : trust,
    logLevel: e.LOG_LEVEL
  };
  return Object.freeze(config);
}

// src/cli/keys.ts
init_key_rotation();

// src/cli/context.ts
init_compose();
async function withServices(config, fn) {
  const log = { info: () => {
  }, warn: (m) => process.stderr.write(`${typeof m === "string" ? m : JSON.stringify(m)}
`), error: () => {
  } };
  const composed = await compose(config, { log, defaultMetrics: false, consoleWrite: (l) => process.stdout.write(l + "\n") });
  try {
    const ctx = { now: composed.deps.clock.now(), ip: null, userAgent: "twofold cli" };
    const result = await fn(composed, ctx);
    await composed.deps.outbox.drain();
    return result;
  } finally {
    await composed.close();
  }
}

// src/cli/keys.ts
function registerKeyCommands(program2) {
  const keys = program2.command("keys").description("encryption and signing keys");
  keys.command("rotate").description("re-encrypt every stored secret under a new key and start a new token signing key (safe while the service runs)").action(async () => {
    const r = await withServices(loadConfig(process.env), ({ deps }, ctx) => rotateKeys(deps, ctx.now, ctx));
    process.stdout.write(
      `rotated: encryption key ${r.kid} (re-encrypted ${r.methods} TOTP methods, ${r.enrollments} pending enrolments, ${r.signingKeys} signing keys); new signing key ${r.signingKid}
running processes pick the new keys up within a minute
`
    );
  });
}

// src/cli/users.ts
init_register();
init_users2();
function registerUserCommands(program2) {
  const users = program2.command("users").description("manage accounts");
  users.command("create").description("create an account").requiredOption("--email <email>", "the account email").option("--password <password>", "the password (omit to create an account that signs in only after a reset)").option("--role <role...>", "roles, e.g. admin", []).action(async (opts) => {
    await withServices(loadConfig(process.env), async ({ deps }, ctx) => {
      const out = await createAccount(deps.core, { email: opts.email, password: opts.password, roles: opts.role }, ctx, { selfService: false, actorId: null });
      if (!out.ok) throw new Error(out.error.detail ?? out.error.code);
      process.stdout.write(`created user ${out.value.user.id} <${out.value.user.email}> roles=[${out.value.user.roles.join(",")}]
`);
    });
  });
  users.command("reset-mfa").description("remove every second factor, backup code, trusted device and session of an account, and mail the user (the way back in when no admin can sign in)").requiredOption("--email <email>", "the account email").option("--reason <reason>", "why, for the audit trail and the mail to the user", "reset by an operator with the twofold command").action(async (opts) => {
    const reason = opts.reason.trim().slice(0, 500) || "reset by an operator with the twofold command";
    await withServices(loadConfig(process.env), async ({ deps }, ctx) => {
      const user = await deps.core.store.users.byEmail(opts.email);
      if (!user) throw new Error(`no account with the email ${opts.email}`);
      const removed = await resetMfaByAdmin(deps.core, null, user, reason, ctx);
      process.stdout.write(`reset MFA of ${user.id} <${user.email}>: removed ${removed.length} method(s); every session ended; the user is mailed
`);
    });
  });
}

// src/cli/migrate.ts
init_store();
async function runMigrate(config) {
  const opened = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false });
  try {
    const { migrateToLatest: migrateToLatest2 } = await Promise.resolve().then(() => (init_store(), store_exports));
    const applied = await migrateToLatest2(opened.db, opened.dialect);
    process.stdout.write(applied.length ? `applied: ${applied.join(", ")}
` : "database is up to date\n");
  } finally {
    await opened.close();
  }
}

// src/cli/main.ts
var program = new Command("twofold").description("Twofold: self-hostable multi-factor authentication service").showHelpAfterError().exitOverride();
program.command("serve").description("serve the API and the web UI (applies pending migrations first)").action(async () => {
  const { serve: serve2 } = await Promise.resolve().then(() => (init_serve(), serve_exports));
  await serve2(loadConfig(process.env));
});
program.command("migrate").description("apply pending database migrations and exit").action(async () => {
  await runMigrate(loadConfig(process.env));
});
registerUserCommands(program);
registerKeyCommands(program);
try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  process.stderr.write(`twofold: ${err instanceof Error ? err.message : String(err)}
`);
  process.exit(1);
}
