/**
 * A reproducible random sample. The generator is a SHA-256 counter: draw
 * number k is the first 8 bytes (big-endian) of SHA-256 of the UTF-8 text
 * `<seed>:<k>`, k counting from 0. A pick from m candidates rejects draws at
 * or above the largest multiple of m below 2^64 (no modulo bias) and takes
 * the draw modulo m. The sample is a partial Fisher–Yates shuffle of the row
 * numbers 1..N: for i = 0..n-1, swap position i with position i + pick(N-i).
 * Anyone can re-run it from the seed and the population, with this program
 * or a few lines in any language.
 */
import { createHash } from 'node:crypto';

export const SAMPLING_METHOD = 'sha256-counter-fisher-yates/1';

export class SeededRandom {
  private counter = 0;

  constructor(private readonly seed: string) {}

  /** The next 64-bit draw. */
  next(): bigint {
    const digest = createHash('sha256').update(`${this.seed}:${this.counter++}`, 'utf8').digest();
    return digest.readBigUInt64BE(0);
  }

  /** A uniform integer in [0, m). */
  below(m: number): number {
    if (!Number.isSafeInteger(m) || m <= 0) throw new RangeError(`cannot pick from ${m} candidates`);
    const range = BigInt(m);
    const limit = (2n ** 64n / range) * range;
    for (;;) {
      const draw = this.next();
      if (draw < limit) return Number(draw % range);
    }
  }
}

/** Row numbers (1-based) of a sample of `size` from a population of `total`, in the order they were drawn. */
export function sampleRows(total: number, size: number, seed: string): number[] {
  const n = Math.min(size, total);
  const rows = new Uint32Array(total);
  for (let index = 0; index < total; index++) rows[index] = index + 1;
  const random = new SeededRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + random.below(total - i);
    const picked = rows[j]!;
    rows[j] = rows[i]!;
    rows[i] = picked;
  }
  return [...rows.subarray(0, n)];
}
