import { describe, it, expect, afterEach, beforeEach } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { hashCanonical } from '@evidentia/evidence';
import { seededRandom } from '@evidentia/testing';
import { MAX_DELTA_DEPTH } from './delta-object.js';
import { ObjectStore } from './objects.js';

let root: string;
let store: ObjectStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'evidentia-objects-'));
  store = new ObjectStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A page of users whose names come from a seeded generator, so gzip alone cannot make versions cheap. */
function usersPage(version: number, count = 1500): { hash: string; bytes: Buffer } {
  const random = seededRandom(99);
  const users = Array.from({ length: count }, (_, i) => ({
    id: i,
    name: Math.floor(random() * 2 ** 48).toString(36),
    role: i === version % count ? `changed in version ${version}` : 'member',
  }));
  return hashCanonical({ users });
}

const isGzip = (hash: string) => readFileSync(store.path(hash)).subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]));
const fileSize = (hash: string) => statSync(store.path(hash)).size;
const depthOf = (hash: string) => readFileSync(store.path(hash))[36];

function flipByte(hash: string, at?: number): void {
  const path = store.path(hash);
  chmodSync(path, 0o644);
  const bytes = readFileSync(path);
  const index = at ?? Math.floor(bytes.length / 2);
  bytes[index] = bytes[index]! ^ 0xff;
  writeFileSync(path, bytes);
}

describe('ObjectStore deltas', () => {
  it('stores a version close to its base as a small delta object, and reads it back exactly', () => {
    const [v0, v1] = [usersPage(0), usersPage(1)];
    store.put(v0.hash, v0.bytes);
    store.put(v1.hash, v1.bytes, { base: v0.hash });
    expect(isGzip(v0.hash)).toBe(true);
    expect(isGzip(v1.hash)).toBe(false);
    expect(fileSize(v1.hash)).toBeLessThan(gzipSync(v1.bytes).length / 20);
    expect(store.read(v1.hash).equals(v1.bytes)).toBe(true);
    expect(store.load(v1.hash)).toEqual({ state: 'ok', bytes: v1.bytes });
  });

  it('stores whole what a delta would not clearly shrink, or what has no loadable base', () => {
    const unrelated = hashCanonical({ other: Array.from({ length: 2000 }, (_, i) => `entry ${i * 7919}`) });
    const v0 = usersPage(0);
    store.put(unrelated.hash, unrelated.bytes);
    store.put(v0.hash, v0.bytes, { base: unrelated.hash });
    expect(isGzip(v0.hash)).toBe(true);
    const v1 = usersPage(1);
    store.put(v1.hash, v1.bytes, { base: 'ab'.repeat(32) });
    expect(isGzip(v1.hash)).toBe(true);
    expect(store.read(v1.hash).equals(v1.bytes)).toBe(true);
  });

  it(`chains deltas up to depth ${MAX_DELTA_DEPTH}, then stores the next version whole and starts again`, () => {
    const versions = Array.from({ length: MAX_DELTA_DEPTH + 3 }, (_, n) => usersPage(n));
    versions.forEach((version, n) => store.put(version.hash, version.bytes, { base: n > 0 ? versions[n - 1]!.hash : null }));
    const depths = versions.map((version) => (isGzip(version.hash) ? 0 : depthOf(version.hash)));
    expect(depths).toEqual([0, ...Array.from({ length: MAX_DELTA_DEPTH }, (_, n) => n + 1), 0, 1]);
    for (const version of versions) expect(store.read(version.hash).equals(version.bytes)).toBe(true);
  });

  it("reports a delta whose base file is gone as missing, naming the base", () => {
    const [v0, v1, v2] = [usersPage(0), usersPage(1), usersPage(2)];
    store.put(v0.hash, v0.bytes);
    store.put(v1.hash, v1.bytes, { base: v0.hash });
    store.put(v2.hash, v2.bytes, { base: v1.hash });
    rmSync(store.path(v0.hash));
    expect(store.load(v1.hash)).toEqual({ state: 'missing', detail: `is stored as a delta against object ${v0.hash}, which is missing` });
    expect(store.load(v2.hash)).toEqual({
      state: 'missing',
      detail: `is stored as a delta against object ${v1.hash}, which is stored as a delta against object ${v0.hash}, which is missing`,
    });
    expect(() => store.read(v1.hash)).toThrow(`object ${v1.hash} is stored as a delta against object ${v0.hash}, which is missing`);
  });

  it('reports a delta whose base was altered, naming the base', () => {
    const [v0, v1] = [usersPage(0), usersPage(1)];
    store.put(v0.hash, v0.bytes);
    store.put(v1.hash, v1.bytes, { base: v0.hash });
    flipByte(v0.hash);
    const loaded = store.load(v1.hash);
    expect(loaded.state).toBe('altered');
    expect(loaded.state === 'altered' && loaded.detail).toMatch(new RegExp(`^is stored as a delta against object ${v0.hash}, which (cannot be decompressed|content hashes to)`));
  });

  it('reports an altered delta, whether the change hits its delta, its base hash or its depth', () => {
    const [v0, v1, other] = [usersPage(0), usersPage(1), usersPage(5)];
    store.put(v0.hash, v0.bytes);
    store.put(other.hash, other.bytes);
    store.put(v1.hash, v1.bytes, { base: v0.hash });
    const original = readFileSync(store.path(v1.hash));
    const rewrite = (edit: (bytes: Buffer) => void) => {
      const bytes = Buffer.from(original);
      edit(bytes);
      chmodSync(store.path(v1.hash), 0o644);
      writeFileSync(store.path(v1.hash), bytes);
      return store.load(v1.hash);
    };
    expect(rewrite((bytes) => (bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff))).toMatchObject({ state: 'altered', detail: expect.stringContaining('delta') });
    // Pointed at another whole object of the same length: it rebuilds bytes, which do not hash to the name.
    expect(rewrite((bytes) => Buffer.from(other.hash, 'hex').copy(bytes, 4))).toMatchObject({ state: 'altered', detail: expect.stringContaining(`rebuilt from a delta against object ${other.hash}`) });
    expect(rewrite((bytes) => (bytes[36] = 5))).toEqual({ state: 'altered', detail: `is stored as a delta against object ${v0.hash}, which has chain depth 0, not 4 as this object's header says` });
    expect(rewrite((bytes) => Buffer.from(v1.hash, 'hex').copy(bytes, 4))).toMatchObject({ state: 'altered', detail: expect.stringContaining('deeper than its place in the chain allows') });
    expect(rewrite((bytes) => bytes.fill(0, 4))).toEqual({ state: 'altered', detail: `is a delta object against ${'00'.repeat(32)} claiming chain depth 0` });
  });
});

describe('making written objects durable', () => {
  it('syncs each file written since the last flush, then the directories naming them, once', async () => {
    const synced: string[] = [];
    const recording = new ObjectStore(root, async (path) => {
      synced.push(path);
    });
    const a = recording.putValue({ a: 1 });
    const b = recording.putValue({ b: 2 });
    recording.putValue({ a: 1 });
    await recording.flush();
    const files = [recording.path(a), recording.path(b)].sort();
    const dirs = [...new Set(files.map((file) => join(file, '..')))];
    expect(synced.slice(0, 2).sort()).toEqual(files);
    // New prefix directories before the root that names them.
    expect(synced.slice(2, -1).sort()).toEqual(dirs.sort());
    expect(synced.at(-1)).toBe(root);
    synced.length = 0;
    await recording.flush();
    expect(synced).toEqual([]);
  });

  it('keeps what it could not sync for the next flush, and says so', async () => {
    let failing = true;
    const synced: string[] = [];
    const flaky = new ObjectStore(root, async (path) => {
      if (failing) throw new Error('EIO: i/o error, fsync');
      synced.push(path);
    });
    const hash = flaky.putValue({ c: 3 });
    await expect(flaky.flush()).rejects.toThrow('could not make the objects written durable (fsync): EIO: i/o error, fsync');
    failing = false;
    // The object is stored already: a second put writes nothing, yet the next flush still syncs it.
    flaky.putValue({ c: 3 });
    await flaky.flush();
    expect(synced).toContain(flaky.path(hash));
  });

  it('syncs real files with fsync', async () => {
    store.putValue({ d: 4 });
    await expect(store.flush()).resolves.toBeUndefined();
  });
});
