import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Console account passwords, stored in the site configuration as scrypt hashes:
 * `scrypt$<N>$<r>$<p>$<salt base64url>$<key base64url>` (RFC 7914; N=2^15, r=8, p=1, 16-byte
 * salt, 32-byte key). `hall-kiosk passwd` prints one; the daemon only ever verifies.
 */
export const HASH_PATTERN = '^scrypt\\$[0-9]{4,7}\\$[0-9]{1,2}\\$[0-9]{1,2}\\$[A-Za-z0-9_-]{16,64}\\$[A-Za-z0-9_-]{43}$';
const HASH_RE = new RegExp(HASH_PATTERN);
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
/** scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is exactly N=2^15, r=8. */
const maxmem = (N: number, r: number) => 256 * N * r;

/** The shortest password `passwd` accepts. */
export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, { ...PARAMS, maxmem: maxmem(PARAMS.N, PARAMS.r) });
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export function isPasswordHash(s: string): boolean {
  if (!HASH_RE.test(s)) return false;
  const [, n, r, p] = s.split('$');
  const N = Number(n);
  return N >= 2 ** 14 && N <= 2 ** 20 && (N & (N - 1)) === 0 && Number(r) >= 1 && Number(p) >= 1;
}

function derive(password: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: maxmem(N, r) };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/** A hash no password matches, verified when the account does not exist (same work, same time). */
let dummy: string | undefined;

/**
 * Whether `password` matches `hash` (or, with `hash` undefined, runs the same scrypt work against a
 * dummy hash and answers false). The keys are compared with timingSafeEqual.
 */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const known = hash !== undefined && isPasswordHash(hash);
  const [, n, r, p, salt, key] = (known ? hash : (dummy ??= hashPassword(randomBytes(24).toString('base64url')))).split('$') as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const expected = Buffer.from(key, 'base64url');
  const got = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return timingSafeEqual(got, expected) && known;
}
