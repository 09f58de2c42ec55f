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
import { ByteReader, ByteWriter } from './varint.js';

/** Width of the indexed base blocks and of the rolling window. */
const BLOCK = 16;
/**
 * The shortest match a copy is made for. Longer than a block so that the
 * short runs JSON repeats in every item (`","groups":["staff`) stay inserted
 * text rather than scattered copies, and scanning goes on until it reaches a
 * block that leads to the long match (extended backward over what it skipped).
 */
const MIN_MATCH = 2 * BLOCK;
/** Base offsets kept per block hash; repeated blocks beyond this are still reached by extending neighbouring matches. */
const MAX_CANDIDATES = 8;
const PRIME = 0x01000193;
/** PRIME^(BLOCK-1) mod 2^32: the weight of the byte leaving the window. */
const OUTGOING = (() => {
  let weight = 1;
  for (let k = 1; k < BLOCK; k++) weight = Math.imul(weight, PRIME);
  return weight;
})();

function hashAt(bytes: Uint8Array, offset: number): number {
  let hash = 0;
  for (let k = 0; k < BLOCK; k++) hash = (Math.imul(hash, PRIME) + bytes[offset + k]!) | 0;
  return hash;
}

function blockIndex(base: Uint8Array): Map<number, number[]> {
  const index = new Map<number, number[]>();
  for (let offset = 0; offset + BLOCK <= base.length; offset += BLOCK) {
    const hash = hashAt(base, offset);
    const offsets = index.get(hash);
    if (!offsets) index.set(hash, [offset]);
    else if (offsets.length < MAX_CANDIDATES) offsets.push(offset);
  }
  return index;
}

interface Match {
  target: number;
  base: number;
  length: number;
}

/** The longest verified match for the window at `at`, extended backward no further than `floor`. */
function longestMatch(base: Uint8Array, target: Uint8Array, at: number, floor: number, candidates: number[]): Match | null {
  let best: Match | null = null;
  for (const candidate of candidates) {
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
  const out = new ByteWriter();
  out.uint(base.length);
  out.uint(target.length);
  let copyEnd = 0;
  const insert = (from: number, to: number) => {
    if (to <= from) return;
    out.uint((to - from) * 2 + 1);
    out.bytes(target.subarray(from, to));
  };
  const index = blockIndex(base);
  let pending = 0;
  let at = 0;
  let hash = target.length >= BLOCK ? hashAt(target, 0) : 0;
  while (at + BLOCK <= target.length) {
    const candidates = index.get(hash);
    const match = candidates ? longestMatch(base, target, at, pending, candidates) : null;
    if (match) {
      insert(pending, match.target);
      out.uint(match.length * 2);
      out.int(match.base - copyEnd);
      copyEnd = match.base + match.length;
      at = pending = match.target + match.length;
      if (at + BLOCK <= target.length) hash = hashAt(target, at);
      continue;
    }
    if (at + BLOCK < target.length) hash = (Math.imul(hash - Math.imul(target[at]!, OUTGOING), PRIME) + target[at + BLOCK]!) | 0;
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
