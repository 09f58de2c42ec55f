/**
 * The hashing side of the binary delta: a polynomial hash over BLOCK bytes
 * that can roll one byte at a time, and an index from the hash of every
 * aligned block of the base to where those blocks start. The index is an
 * open-addressing table in two typed arrays (about 16 bytes per block), so a
 * body of many megabytes is indexed without an object per block.
 */

/** Width of the indexed base blocks and of the rolling window. */
export const BLOCK = 16;
/** Base offsets kept per block hash; repeated blocks beyond this are still reached by extending neighbouring matches. */
export const MAX_CANDIDATES = 8;
const PRIME = 0x01000193;
/** PRIME^(BLOCK-1) mod 2^32: the weight of the byte leaving the window. */
const OUTGOING = (() => {
  let weight = 1;
  for (let k = 1; k < BLOCK; k++) weight = Math.imul(weight, PRIME);
  return weight;
})();

export function hashAt(bytes: Uint8Array, offset: number): number {
  let hash = 0;
  for (let k = 0; k < BLOCK; k++) hash = (Math.imul(hash, PRIME) + bytes[offset + k]!) | 0;
  return hash;
}

/** The hash of the window moved one byte on: `leaving` drops out, `entering` comes in. */
export function roll(hash: number, leaving: number, entering: number): number {
  return (Math.imul(hash - Math.imul(leaving, OUTGOING), PRIME) + entering) | 0;
}

export class BlockIndex {
  private readonly hashes: Int32Array;
  /** Base offset + 1 per slot; 0 marks an empty slot. */
  private readonly offsets: Int32Array;
  private readonly bits: number;
  private readonly mask: number;
  /** Filled by `lookup`: reused so scanning allocates nothing per position. */
  readonly found = new Int32Array(MAX_CANDIDATES);

  constructor(base: Uint8Array) {
    const blocks = Math.floor(base.length / BLOCK);
    let bits = 4;
    while (1 << bits < blocks * 2) bits++;
    this.bits = bits;
    this.mask = (1 << bits) - 1;
    this.hashes = new Int32Array(1 << bits);
    this.offsets = new Int32Array(1 << bits);
    for (let offset = 0; offset + BLOCK <= base.length; offset += BLOCK) this.insert(hashAt(base, offset), offset);
  }

  private slotOf(hash: number): number {
    return Math.imul(hash, 0x9e3779b1) >>> (32 - this.bits);
  }

  private insert(hash: number, offset: number): void {
    let slot = this.slotOf(hash);
    let same = 0;
    while (this.offsets[slot] !== 0) {
      if (this.hashes[slot] === hash && ++same >= MAX_CANDIDATES) return;
      slot = (slot + 1) & this.mask;
    }
    this.hashes[slot] = hash;
    this.offsets[slot] = offset + 1;
  }

  /** Put the base offsets of blocks with this hash (in base order) into `found`; returns how many. */
  lookup(hash: number): number {
    let slot = this.slotOf(hash);
    let count = 0;
    while (this.offsets[slot] !== 0 && count < MAX_CANDIDATES) {
      if (this.hashes[slot] === hash) this.found[count++] = this.offsets[slot]! - 1;
      slot = (slot + 1) & this.mask;
    }
    return count;
  }
}
