import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { seededRandom } from '@evidentia/testing';
import { MerklePool } from './merkle-pool.js';
import { merkleRoot, MerkleBuilder, packedLeaves } from './merkle.js';

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

describe('packed leaves and the second thread', () => {
  const built = (leaves: string[]) => {
    const builder = new MerkleBuilder();
    for (const leaf of leaves) builder.push(leaf);
    return builder.root();
  };

  it('packs only leaves that are 64 hex digits each, and roots them as the builder does', () => {
    expect(packedLeaves(hashes)?.length).toBe(hashes.length * 32);
    for (const odd of ['abc', `${hashes[0]!.slice(0, 63)}g`, `${hashes[0]}00`]) {
      const leaves = [hashes[1]!, odd, hashes[2]!];
      expect(packedLeaves(leaves)).toBeNull();
      // Not packed: the builder hashes whatever bytes the odd leaf's hex gives.
      expect(merkleRoot(leaves)).toBe(built(leaves));
    }
    for (let n = 0; n <= hashes.length; n++) expect(merkleRoot(hashes.slice(0, n))).toBe(reference(hashes.slice(0, n)).toString('hex'));
  });

  it('packs random sets of every size around its chunks as one decode of the joined hex did, and roots them as the RFC does', () => {
    const random = seededRandom(6962);
    const member = () => createHash('sha256').update(String(random())).digest('hex');
    for (const size of [0, 1, 2, 3, 1023, 1024, 1025, 2048, 2049, 1 + Math.floor(random() * 5000)]) {
      const leaves = Array.from({ length: size }, member);
      // What packedLeaves and merkleRoot gave before the leaves were decoded a chunk at a time.
      expect(packedLeaves(leaves)).toEqual(Buffer.from(leaves.join(''), 'hex'));
      expect(merkleRoot(leaves)).toBe(reference(leaves).toString('hex'));
      expect(merkleRoot(leaves)).toBe(built(leaves));
    }
    const late = Array.from({ length: 2500 }, member);
    late[2100] = `${late[2100]!.slice(0, 63)}g`;
    expect(packedLeaves(late)).toBeNull();
  });

  it('gives the same root from the worker thread as on this one, for sets large enough to be sent there', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => createHash('sha256').update(`member ${i}`).digest('hex'));
    const pool = new MerklePool();
    try {
      const sent = pool.root(many);
      expect(sent).toBeInstanceOf(Promise);
      const [first, second] = await Promise.all([sent, pool.root(many.slice(1))]);
      expect(first).toBe(built(many));
      expect(second).toBe(built(many.slice(1)));
      expect(pool.root(hashes)).toBe(built(hashes));
    } finally {
      await pool.close();
    }
  });

  it('computes on this thread what a worker that died owed', async () => {
    const many = Array.from({ length: 20_000 }, (_, i) => createHash('sha256').update(`item ${i}`).digest('hex'));
    const pool = new MerklePool();
    const owed = pool.root(many);
    await pool.close();
    await expect(owed).resolves.toBe(built(many));
  });
});
