import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { CHANGE_MARK_QUERIES } from './change-mark.js';
import { openDatabase } from './schema.js';
import { collect, createTestLocker, type TestLocker } from './test-locker.js';

let test: TestLocker;
afterEach(() => test.cleanup());

describe("the locker's change mark", () => {
  it('changes with a run and a document, not with the portal log', async () => {
    test = await createTestLocker();
    const empty = test.locker.changeMark();
    await collect(test.locker, ['alice']);
    const collected = test.locker.changeMark();
    expect(collected).not.toBe(empty);
    await test.locker.appendPortalLog([{ at: '2025-03-01T10:00:00.000Z', user: 'ann', role: 'auditor', action: 'download', target: '/evidence/population.csv', outcome: '200', address: '127.0.0.1' }]);
    expect(test.locker.changeMark()).toBe(collected);
    await test.locker.addDocuments([{ request: 'policy', fileName: 'p.pdf', bytes: Buffer.from('p'), addedBy: 'ciso', effective: '2025-03-01', subject: null, note: null, supersedes: null }]);
    expect(test.locker.changeMark()).not.toBe(collected);
  });

  it('is read by rowid lookups, never a scan and sort, whatever the locker holds', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice', 'bob']);
    const db = openDatabase(join(test.dir, 'locker.db'), { readonly: true });
    try {
      for (const sql of CHANGE_MARK_QUERIES) {
        const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join('; ');
        expect(plan).toMatch(/^SCAN \w+$/);
        expect(plan).not.toMatch(/TEMP B-TREE/);
      }
    } finally {
      db.close();
    }
  });
});
