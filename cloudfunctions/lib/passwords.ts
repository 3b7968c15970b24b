import { createHash, createHmac, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { DomainError } from '../../shared/errors';

/**
 * Passwords and the second factor, on node:crypto alone.
 *
 * - Passwords: scrypt (N = 2^15, r = 8, p = 1, 32-byte key, 16-byte salt), the parameters stored
 *   with each hash so they can be raised later without breaking old hashes.
 * - TOTP: RFC 6238 (HMAC-SHA1, 6 digits, 30-second steps, one step of drift either way), checked
 *   against the RFC's Appendix B vectors in test/functions/accounts.test.ts. A maintained library
 *   (otpauth 9.5.2) was the first choice; its lock entry could not be landed on the shared checkout
 *   during this work, and the algorithm is a dozen lines over node:crypto's HMAC, so it lives here.
 */

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLen: 32 } as const;
const scryptMaxmem = (N: number, r: number) => 128 * N * r * 2;

function scrypt(password: string, salt: Buffer, keyLen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFKC'), salt, keyLen, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: scryptMaxmem(SCRYPT.N, SCRYPT.r) });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** A hash nobody's password matches: unknown accounts cost the same time as known ones. */
export const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(32).toString('base64url')}`;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const N = Number(n), R = Number(r), P = Number(p);
  if (![N, R, P].every((x) => Number.isSafeInteger(x) && x > 0) || N > 2 ** 20) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N, r: R, p: P, maxmem: scryptMaxmem(N, R) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Passwords seen at the top of published leak lists (and their Chinese favourites) that reach the
 * minimum length. Shorter ones are refused by the length rule already. Kept as data here rather
 * than a dictionary package: the rules below (one repeated character, a run on the keyboard or the
 * digits, the account name inside) catch the families these lists are made of.
 */
const COMMON = new Set([
  '1234567890', '0123456789', '0987654321', '9876543210', '1111111111', '0000000000', '1234512345', '1212121212', '1122334455',
  'qwertyuiop', 'asdfghjkl;', 'zxcvbnm123', '1qaz2wsx3edc', '1q2w3e4r5t', '1q2w3e4r5t6y', 'qwerty1234', 'qwerty12345', 'qwerty123456',
  'password12', 'password123', 'password1234', 'passw0rd12', 'p@ssw0rd12', 'p@ssword123', 'iloveyou12', 'iloveyou123', 'princess12',
  'abcd123456', 'abc1234567', 'abcdefghij', 'a123456789', 'a1234567890', '123456789a', '1234567890a', 'aa12345678', 'aa123456789',
  'qq123456789', 'woaini1314', 'woaini1314520', '5201314520', '1314520520', '5201314521', 'wang123456', 'zhang123456', 'li123456789',
  'admin12345', 'admin123456', 'administrator', 'root123456', 'welcome123', 'welcome1234', 'letmein123', 'football12', 'baseball12',
  'sunshine12', 'superman12', 'trustno1234', 'dragon1234', 'monkey1234', 'shadow1234', 'master1234', 'michael123', 'computer12',
  'changeme123', 'default123', 'test123456', 'guest12345', 'mashang12345', '12345abcde', 'abcde12345', 'asdf123456', 'zxcv123456',
]);

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz', '0987654321'];

/** Why a new password is refused, or null if it is acceptable. */
export function passwordProblem(password: string, login?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}位`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码不能超过${PASSWORD_MAX_LENGTH}位`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return '这是常见密码，请换一个';
  if (new Set(lower).size <= 2) return '密码不能只由一两个字符重复组成';
  const stripped = lower.replace(/[^a-z0-9]/g, '');
  if (stripped.length >= PASSWORD_MIN_LENGTH - 2 && KEYBOARD_ROWS.some((row) => row.includes(stripped) || (row + row).includes(stripped))) return '密码不能是键盘或数字的连续排列';
  if (login && login.length >= 3 && lower.includes(login.toLowerCase())) return '密码不能包含账号名';
  return null;
}

export function assertPasswordAcceptable(password: string, login?: string): void {
  const problem = passwordProblem(password, login);
  if (problem) throw new DomainError('password-weak', problem);
}

// ---- RFC 6238 TOTP ----

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0, value = 0, out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0, value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const i = B32.indexOf(ch);
    if (i < 0) throw new DomainError('invalid-input', '密钥格式不正确');
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export const TOTP_STEP_MS = 30_000;

/** The HOTP value (RFC 4226) of a counter, `digits` long. */
export function hotp(secret: Buffer, counter: number, digits = 6, algorithm: 'sha1' | 'sha256' | 'sha512' = 'sha1'): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export const totpStep = (now: number) => Math.floor(now / TOTP_STEP_MS);

export function totpCode(secretB32: string, now: number): string {
  return hotp(base32Decode(secretB32), totpStep(now));
}

/** The step a 6-digit code belongs to (now, one before or one after), or null. */
export function matchTotp(secretB32: string, code: string, now: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = base32Decode(secretB32);
  const step = totpStep(now);
  for (const s of [step, step - 1, step + 1]) {
    const expected = Buffer.from(hotp(secret, s));
    if (timingSafeEqual(expected, Buffer.from(code))) return s;
  }
  return null;
}

export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** What authenticator apps scan (Google Authenticator, Microsoft Authenticator, 腾讯身份验证器). */
export function otpauthUri(secretB32: string, account: string, issuer = '码上反映'): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  return `otpauth://totp/${label}?secret=${secretB32}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=6&period=30`;
}

// ---- one-time codes ----

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** A code people type: digits only (SMS), or letters and digits without look-alikes (reset codes). */
export function randomCode(length: number, alphabet = '0123456789'): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const b = bytes[i]!;
    // Rejection sampling keeps every symbol equally likely.
    if (b < 256 - (256 % alphabet.length)) out += alphabet[b % alphabet.length];
  }
  return out.length === length ? out : randomCode(length, alphabet);
}

export const RESET_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
