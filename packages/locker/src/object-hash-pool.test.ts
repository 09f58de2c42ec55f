import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashCanonical } from '@evidentia/evidence';
import { checkAllObjects, type ObjectCheck, type PoolOptions } from './object-hash-pool.js';
import { ObjectStore } from './objects.js';

let root: string;
let store: ObjectStore;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'evidentia-pool-'));
  store = new ObjectStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function checked(hashes: string[], options: PoolOptions): Promise<ObjectCheck[]> {
  const results: ObjectCheck[] = [];
  for await (const result of checkAllObjects(store, hashes, options)) results.push(result);
  return results;
}

describe('checkAllObjects', () => {
  it('finds in worker threads what this thread finds, in list order: intact, altered, gone and a delta without its base', async () => {
    const pages = Array.from({ length: 150 }, (_, i) => hashCanonical({ page: i, users: Array.from({ length: 200 }, (_, u) => ({ id: u, role: u === i ? 'admin' : 'member' })) }));
    store.put(pages[0]!.hash, pages[0]!.bytes);
    for (let i = 1; i < pages.length; i++) store.put(pages[i]!.hash, pages[i]!.bytes, { base: i === 120 ? pages[0]!.hash : null });
    const altered = store.path(pages[40]!.hash);
    chmodSync(altered, 0o644);
    const bytes = readFileSync(altered);
    bytes[bytes.length - 12] = bytes[bytes.length - 12]! ^ 0xff;
    writeFileSync(altered, bytes);
    unlinkSync(store.path(pages[0]!.hash));
    const hashes = [...pages.map((page) => page.hash), 'f'.repeat(64)];

    const here = await checked(hashes, { threads: 0 });
    const pooled = await checked(hashes, { threads: 2, from: 0 });
    expect(pooled).toEqual(here);
    expect(here.map((result) => result.hash)).toEqual(hashes);
    expect(here.filter((result) => result.state !== 'ok').map((result) => [hashes.indexOf(result.hash), result.state])).toEqual([
      [0, 'missing'],
      [40, 'altered'],
      [120, 'missing'],
      [150, 'missing'],
    ]);
    expect(here[1]).toEqual({ hash: pages[1]!.hash, state: 'ok', bytes: pages[1]!.bytes.length });
  });
});
