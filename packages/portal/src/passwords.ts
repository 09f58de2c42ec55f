/**
 * Portal passwords: scrypt (node:crypto) with a random salt, stored as
 * `scrypt$N$r$p$salt$hash` (base64url), compared in constant time. A sign-in
 * for an unknown name still costs one scrypt, so timing tells nothing about
 * which names exist.
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

/** OWASP's scrypt floor is N=2^17 with r=8, p=1 (128 MiB); 2^15 keeps a sign-in near 100 ms on a small server while costing an attacker 32 MiB per guess. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export const PASSWORD_HASH_PATTERN = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{32,}$/;

const memoryFor = (N: number, r: number) => 256 * N * r;
/** Node's own default N: the least a hash made elsewhere may cost. */
const MIN_N = 2 ** 14;
const MAX_P = 16;
/** scrypt's working memory is 128·N·r bytes: a sign-in may take this much at most. */
const MAX_MEMORY = 256 * 2 ** 20;

/**
 * Why a hash's scrypt cost is unusable, or null: a cost scrypt cannot run (the user could never sign in, with
 * nothing said), one that makes a guess cheap, or one that makes each sign-in take more than 256 MiB or 16 passes.
 */
export function hashCostProblem(stored: string): string | null {
  const [, n, r, p] = stored.split('$').map(Number) as [number, number, number, number];
  const powerOfTwo = Number.isSafeInteger(n) && n >= MIN_N && (n & (n - 1)) === 0;
  if (powerOfTwo && r >= 1 && p >= 1 && p <= MAX_P && 128 * n * r <= MAX_MEMORY) return null;
  return `scrypt N=${n} r=${r} p=${p}: N must be a power of two from ${MIN_N} (2^14), r at least 1, p from 1 to ${MAX_P}, and 128·N·r at most 256 MiB`;
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error('the password is empty');
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_BYTES, { ...COST, maxmem: memoryFor(COST.N, COST.r) });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false (never a throw) for a hash that is not ours. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  if (!PASSWORD_HASH_PATTERN.test(stored) || hashCostProblem(stored)) return false;
  const [, n, r, p, salt, expected] = stored.split('$') as [string, string, string, string, string, string];
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const want = Buffer.from(expected, 'base64url');
  try {
    const key = await scrypt(password, Buffer.from(salt, 'base64url'), want.length, { ...cost, maxmem: memoryFor(cost.N, cost.r) });
    return timingSafeEqual(key, want);
  } catch {
    return false;
  }
}

/** A valid hash of no one's password, verified against when the name is unknown. */
export const DECOY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
