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

export function merkleRoot(hexHashes: Iterable<string>): string {
  const builder = new MerkleBuilder();
  for (const hash of hexHashes) builder.push(hash);
  return builder.root();
}
