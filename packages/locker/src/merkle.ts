/**
 * Merkle roots for manifests (RFC 6962 tree shape): a manifest commits to
 * thousands of snapshot and record hashes with one value, and the leaf/node
 * prefixes (0x00 / 0x01) keep a leaf from being passed off as an inner node.
 * The builder keeps only one hash per tree level, so a root over a million
 * hashes needs no list of them in memory.
 */
import { createHash } from 'node:crypto';

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

function digest(prefix: Buffer, ...parts: Buffer[]): Buffer {
  const hash = createHash('sha256').update(prefix);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

export class MerkleBuilder {
  /** Complete subtrees, largest first: sizes are distinct powers of two. */
  private readonly stack: { size: number; hash: Buffer }[] = [];

  /** Add the next leaf: a hex SHA-256. */
  push(hexHash: string): void {
    let node = { size: 1, hash: digest(LEAF, Buffer.from(hexHash, 'hex')) };
    let top = this.stack.at(-1);
    while (top && top.size === node.size) {
      this.stack.pop();
      node = { size: top.size * 2, hash: digest(NODE, top.hash, node.hash) };
      top = this.stack.at(-1);
    }
    this.stack.push(node);
  }

  /** Hex root; the root of no leaves is the SHA-256 of the empty string. */
  root(): string {
    let acc: Buffer | null = null;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const { hash } = this.stack[i]!;
      acc = acc === null ? hash : digest(NODE, hash, acc);
    }
    return (acc ?? createHash('sha256').digest()).toString('hex');
  }
}

export function merkleRoot(hexHashes: Iterable<string>): string {
  const builder = new MerkleBuilder();
  for (const hash of hexHashes) builder.push(hash);
  return builder.root();
}
