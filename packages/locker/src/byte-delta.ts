/**
 * A binary delta between two byte strings, so a snapshot body that differs
 * little from an earlier body of the same request is stored as the
 * difference: a page with one changed item, or shifted by an item added ahead
 * of it, costs about that item.
 *
 * Encoding: fixed blocks of the base are indexed by a polynomial hash; a hash
 * of the same width rolls over the target, and every hit is checked byte by
 * byte and extended forward (as far as the bytes agree) and backward (into
 * bytes not yet emitted), so matches do not depend on block alignment. The
 * result is deterministic: the same base and target always give the same delta.
 *
 * Format (all integers unsigned LEB128 varints):
 *   baseLength targetLength op*
 *   COPY:   (length * 2)     zigzag(offset - end of the previous copy)
 *   INSERT: (length * 2 + 1) the bytes
 * Copy offsets are relative because consecutive copies of an edited page
 * usually continue where the last one ended, which keeps them to one byte.
 */
import { BLOCK, BlockIndex, hashAt, roll } from './block-index.js';
import { ByteReader, ByteWriter } from './varint.js';

/**
 * The shortest match a copy is made for. Longer than a block so that the
 * short runs JSON repeats in every item (`","groups":["staff`) stay inserted
 * text rather than scattered copies, and scanning goes on until it reaches a
 * block that leads to the long match (extended backward over what it skipped).
 */
const MIN_MATCH = 2 * BLOCK;
/** Offsets are indexed in 32-bit integers; the object store stores anything near this size whole. */
export const MAX_DELTA_INPUT = 2 ** 30;

interface Match {
  target: number;
  base: number;
  length: number;
}

/** The longest verified match for the window at `at`, extended backward no further than `floor`. */
function longestMatch(base: Uint8Array, target: Uint8Array, at: number, floor: number, index: BlockIndex, count: number): Match | null {
  let best: Match | null = null;
  for (let n = 0; n < count; n++) {
    const candidate = index.found[n]!;
    let forward = 0;
    while (at + forward < target.length && candidate + forward < base.length && target[at + forward] === base[candidate + forward]) forward++;
    if (forward < BLOCK) continue;
    let backward = 0;
    while (at - backward > floor && candidate - backward > 0 && target[at - backward - 1] === base[candidate - backward - 1]) backward++;
    if (forward + backward >= MIN_MATCH && (!best || forward + backward > best.length)) best = { target: at - backward, base: candidate - backward, length: forward + backward };
  }
  return best;
}

/** The delta that rebuilds `target` from `base`. */
export function encodeDelta(base: Uint8Array, target: Uint8Array): Buffer {
  if (base.length >= MAX_DELTA_INPUT || target.length >= MAX_DELTA_INPUT) throw new Error(`a delta takes inputs under ${MAX_DELTA_INPUT} bytes (base ${base.length}, target ${target.length})`);
  const out = new ByteWriter();
  out.uint(base.length);
  out.uint(target.length);
  let copyEnd = 0;
  const insert = (from: number, to: number) => {
    if (to <= from) return;
    out.uint((to - from) * 2 + 1);
    out.bytes(target.subarray(from, to));
  };
  const index = new BlockIndex(base);
  let pending = 0;
  let at = 0;
  let hash = target.length >= BLOCK ? hashAt(target, 0) : 0;
  while (at + BLOCK <= target.length) {
    const count = index.lookup(hash);
    const match = count > 0 ? longestMatch(base, target, at, pending, index, count) : null;
    if (match) {
      insert(pending, match.target);
      out.uint(match.length * 2);
      out.int(match.base - copyEnd);
      copyEnd = match.base + match.length;
      at = pending = match.target + match.length;
      if (at + BLOCK <= target.length) hash = hashAt(target, at);
      continue;
    }
    if (at + BLOCK < target.length) hash = roll(hash, target[at]!, target[at + BLOCK]!);
    at++;
  }
  insert(pending, target.length);
  return out.finish();
}

/** Rebuild the target from its base and delta; throws an Error saying what does not fit. */
export function decodeDelta(base: Uint8Array, delta: Uint8Array): Buffer {
  const input = new ByteReader(delta);
  const baseLength = input.uint();
  if (baseLength !== base.length) throw new Error(`the delta was made against a base of ${baseLength} bytes, the base has ${base.length}`);
  const targetLength = input.uint();
  if (targetLength > 2 ** 31) throw new Error(`the delta claims a target of ${targetLength} bytes`);
  const target = Buffer.allocUnsafe(targetLength);
  let written = 0;
  let copyEnd = 0;
  while (!input.done()) {
    const tag = input.uint();
    const length = Math.floor(tag / 2);
    if (length === 0 || written + length > targetLength) throw new Error(`an operation of ${length} bytes at byte ${written} does not fit a target of ${targetLength} bytes`);
    if (tag % 2 === 1) {
      target.set(input.bytes(length), written);
    } else {
      const offset = copyEnd + input.int();
      if (offset < 0 || offset + length > base.length) throw new Error(`a copy of ${length} bytes from offset ${offset} lies outside the ${base.length}-byte base`);
      target.set(base.subarray(offset, offset + length), written);
      copyEnd = offset + length;
    }
    written += length;
  }
  if (written !== targetLength) throw new Error(`the delta rebuilds ${written} of the ${targetLength} bytes it claims`);
  return target;
}
