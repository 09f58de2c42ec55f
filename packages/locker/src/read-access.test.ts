import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openLocker } from './locker.js';
import { openDatabase } from './schema.js';
import { beginTestRun, collect, createTestLocker, type TestLocker } from './test-locker.js';

let test: TestLocker;
afterEach(() => test.cleanup());

describe('a locker opened for reading', () => {
  it('reads and verifies without writing the database or its WAL, and refuses a run', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice', 'bob']);
    await test.locker.close();
    const before = readFileSync(join(test.dir, 'locker.db'));
    const reader = await openLocker(test.dir, { readonly: true });
    try {
      expect((await reader.runs()).map((run) => run.status)).toEqual(['complete']);
      expect((await reader.verify()).ok).toBe(true);
      await expect(beginTestRun(reader)).rejects.toThrow(`locker ${test.dir} was opened for reading: open it for writing to collect into it`);
    } finally {
      await reader.close();
    }
    // SQLite may leave an empty WAL file beside a database read in WAL mode; nothing is written to it or to the database.
    const wal = join(test.dir, 'locker.db-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    expect(readFileSync(join(test.dir, 'locker.db')).equals(before)).toBe(true);
    test.locker = await openLocker(test.dir);
  });

  it('reads the database immutable, as it does when the directory cannot be written (root may write anything, so forced here)', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    await test.locker.close();
    const db = openDatabase(join(test.dir, 'locker.db'), { immutable: true });
    try {
      expect(db.name).toMatch(/^file:.*\/locker\.db\?immutable=1$/);
      expect(db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
    test.locker = await openLocker(test.dir);
  });
});
