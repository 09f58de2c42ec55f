import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { merkleRoot, MerkleBuilder } from './merkle.js';

const sha = (...parts: Buffer[]) => createHash('sha256').update(Buffer.concat(parts)).digest();
const leaf = (hex: string) => sha(Buffer.from([0]), Buffer.from(hex, 'hex'));
const node = (left: Buffer, right: Buffer) => sha(Buffer.from([1]), left, right);

/** RFC 6962 §2.1, written as the RFC states it: split at the largest power of two below n. */
function reference(hashes: string[]): Buffer {
  if (hashes.length === 0) return sha();
  if (hashes.length === 1) return leaf(hashes[0]!);
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return node(reference(hashes.slice(0, k)), reference(hashes.slice(k)));
}

const hashes = Array.from({ length: 40 }, (_, i) => createHash('sha256').update(`item ${i}`).digest('hex'));

describe('merkleRoot', () => {
  it('is the SHA-256 of the empty string for no leaves', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('prefixes leaves with 0x00 and inner nodes with 0x01', () => {
    const [a, b, c] = hashes as [string, string, string];
    expect(merkleRoot([a])).toBe(leaf(a).toString('hex'));
    expect(merkleRoot([a, b, c])).toBe(node(node(leaf(a), leaf(b)), leaf(c)).toString('hex'));
  });

  it('matches the RFC 6962 definition for every size, built one leaf at a time', () => {
    for (let n = 0; n <= hashes.length; n++) {
      const builder = new MerkleBuilder();
      for (const hash of hashes.slice(0, n)) builder.push(hash);
      expect(builder.root()).toBe(reference(hashes.slice(0, n)).toString('hex'));
    }
  });

  it('depends on order', () => {
    expect(merkleRoot(hashes.slice(0, 2))).not.toBe(merkleRoot([hashes[1]!, hashes[0]!]));
  });
});
