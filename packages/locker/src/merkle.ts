/**
 * Merkle roots for manifests (RFC 6962 tree shape): a manifest commits to
 * thousands of snapshot and record hashes with one value, and the leaf/node
 * prefixes (0x00 / 0x01) keep a leaf from being passed off as an inner node.
 * The builder keeps only one hash per tree level, so a root over a million
 * hashes needs no list of them in memory.
 */
import { hash as digest } from 'node:crypto';

/** One buffer reused for every node's input (prefix byte and up to two 32-byte hashes): a tree over a million leaves hashes two million times. */
const input = Buffer.alloc(65);

/** 0x00 ‖ the leaf's bytes (as many as its hex gives, like Buffer.from(hex, 'hex')). */
function leafHash(hexHash: string): Buffer {
  input[0] = 0x00;
  const length = input.write(hexHash, 1, 32, 'hex');
  return digest('sha256', input.subarray(0, 1 + length), 'buffer');
}

/** 0x01 ‖ left ‖ right. */
function nodeHash(left: Buffer, right: Buffer): Buffer {
  input[0] = 0x01;
  left.copy(input, 1);
  right.copy(input, 33);
  return digest('sha256', input, 'buffer');
}

export class MerkleBuilder {
  /** Complete subtrees, largest first: sizes are distinct powers of two. */
  private readonly stack: { size: number; hash: Buffer }[] = [];

  /** Add the next leaf: a hex SHA-256. */
  push(hexHash: string): void {
    let node = { size: 1, hash: leafHash(hexHash) };
    let top = this.stack.at(-1);
    while (top && top.size === node.size) {
      this.stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
      top = this.stack.at(-1);
    }
    this.stack.push(node);
  }

  /** Hex root; the root of no leaves is the SHA-256 of the empty string. */
  root(): string {
    let acc: Buffer | null = null;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const { hash } = this.stack[i]!;
      acc = acc === null ? hash : nodeHash(hash, acc);
    }
    return acc === null ? digest('sha256', '') : acc.toString('hex');
  }
}

/** Leaves hex-decoded per write into the packed buffer: a few hundred at a time, never one string of them all. */
const PACK_CHUNK = 1024;

/**
 * The leaves packed as consecutive 32-byte hashes when every one is 64 hex
 * digits, as every writer stores a record hash (a few hex decodes instead of
 * one per leaf, and a buffer a worker thread can be sent); null when some
 * leaf is anything else. The leaves are decoded a chunk at a time straight
 * into the one buffer: joining them all first made a string twice the
 * buffer's size at the end of every large stream. Node's hex decoding stops
 * at the first pair that is not hex, so 32 bytes per leaf decoded from 64
 * characters per leaf means every leaf decoded whole, as leafHash decodes it.
 */
export function packedLeaves(hexHashes: readonly string[]): Buffer | null {
  for (const hash of hexHashes) if (hash.length !== 64) return null;
  const packed = Buffer.allocUnsafe(hexHashes.length * 32);
  for (let index = 0; index < hexHashes.length; index += PACK_CHUNK) {
    const chunk = hexHashes.slice(index, index + PACK_CHUNK);
    if (packed.write(chunk.join(''), index * 32, 'hex') !== chunk.length * 32) return null;
  }
  return packed;
}

/**
 * The root over packed leaves, the same tree as MerkleBuilder's; null for
 * no leaves. Self-contained (no closure, no import: \`sha256\` and Buffer
 * are all it uses) because merkle-pool.ts runs its source in a worker thread.
 */
export function rootOfPacked(packed: Uint8Array, sha256: (bytes: Uint8Array) => Buffer): string | null {
  const input = Buffer.alloc(65);
  const sizes: number[] = [];
  const hashes: Buffer[] = [];
  for (let offset = 0; offset + 32 <= packed.length; offset += 32) {
    input[0] = 0x00;
    input.set(packed.subarray(offset, offset + 32), 1);
    let hash = sha256(input.subarray(0, 33));
    let size = 1;
    while (sizes.length > 0 && sizes[sizes.length - 1] === size) {
      sizes.pop();
      input[0] = 0x01;
      hashes.pop()!.copy(input, 1);
      hash.copy(input, 33);
      hash = sha256(input);
      size *= 2;
    }
    sizes.push(size);
    hashes.push(hash);
  }
  let acc: Buffer | null = null;
  for (let index = hashes.length - 1; index >= 0; index--) {
    if (acc === null) {
      acc = hashes[index]!;
      continue;
    }
    input[0] = 0x01;
    hashes[index]!.copy(input, 1);
    acc.copy(input, 33);
    acc = sha256(input);
  }
  return acc === null ? null : acc.toString('hex');
}

export const sha256Buffer = (bytes: Uint8Array): Buffer => digest('sha256', bytes, 'buffer');

export function merkleRoot(hexHashes: Iterable<string>): string {
  const list = Array.isArray(hexHashes) ? (hexHashes as string[]) : [...hexHashes];
  const packed = packedLeaves(list);
  if (packed) return rootOfPacked(packed, sha256Buffer) ?? digest('sha256', '');
  const builder = new MerkleBuilder();
  for (const hash of list) builder.push(hash);
  return builder.root();
}
