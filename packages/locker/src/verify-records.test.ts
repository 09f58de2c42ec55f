/**
 * The record pass split between this thread and a worker (verify-records.ts,
 * record-scan.ts) reports exactly what one scan of the table reports, in the
 * same order, and a worker that fails leaves nothing unchecked.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sortPacked } from './record-scan.js';
import { openDatabase } from './schema.js';
import { collect, createTestLocker, attackerConnection, type TestLocker } from './test-locker.js';
import { checkRecordRows, startRecordWorker, type RecordPassOptions } from './verify-records.js';
import type { VerifyScope } from './verify-scope.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

async function recordPass(dir: string, options: Omit<RecordPassOptions, 'path' | 'access'>) {
  const path = join(dir, 'locker.db');
  const db = openDatabase(path, { readonly: true });
  const problems: string[] = [];
  try {
    db.exec('BEGIN');
    // The test lockers hold one run, whose record sets hold every row.
    const run = db.prepare('SELECT id FROM runs').pluck().get() as string;
    const last = db.prepare('SELECT MAX(rowid) FROM records').pluck().get() as number;
    const holders = { ranges: () => ({ firsts: [1], lasts: [last], runs: [run] }) };
    const scope = { db, holders, problem: (code: string, message: string) => problems.push(`${code}: ${message}`) } as unknown as VerifyScope;
    const tally = await checkRecordRows(scope, { path, access: {}, ...options });
    return { tally, problems };
  } finally {
    db.exec('ROLLBACK');
    db.close();
  }
}

describe('the record pass on two threads', () => {
  it('names what one scan names, in the same order, with rows altered in both halves', async () => {
    test = await createTestLocker();
    const logins = Array.from({ length: 40 }, (_, i) => `user${String(i).padStart(2, '0')}`);
    await collect(test.locker, logins);
    const db = attackerConnection(test.dir);
    const rowids = db.prepare("SELECT rowid FROM records WHERE kind = 'access.account' ORDER BY rowid").pluck().all() as number[];
    const hashOf = (rowid: number) => db.prepare('SELECT hash FROM records WHERE rowid = ?').pluck().get(rowid) as string;
    const [low, lowNonText, high, highIndex, highUpper] = [rowids[2]!, rowids[5]!, rowids[30]!, rowids[33]!, rowids[36]!];
    db.exec(`UPDATE records SET json = replace(json, '"status":"active"', '"status":"gone"') WHERE rowid = ${low}`);
    // Non-text claims go to SQLite's exact comparison, in row order with the other problems.
    db.exec(`UPDATE records SET json = replace(json, '"controls":["CC6.1","CC6.2"]', '"controls":[7,"CC6.1",{"a":1}]') WHERE rowid = ${lowNonText}`);
    db.exec(`UPDATE records SET kind = 'audit.event' WHERE rowid = ${high}`);
    db.exec(`DELETE FROM record_controls WHERE record_hash = '${hashOf(highIndex)}' AND control = 'CC6.2'`);
    // A hash column that is no longer lowercase hex is held as a string, merged in order with the packed ones.
    db.exec(`UPDATE records SET hash = upper(hash) WHERE rowid = ${highUpper}`);
    // The worker compares run_id with the run holding its rows too.
    db.exec(`UPDATE records SET run_id = 'x' WHERE rowid = ${rowids[38]!}`);
    db.close();

    const alone = await recordPass(test.dir, { from: Infinity });
    // The worker really answered (a failed one would be replaced by this thread's scan, with the same result).
    let answered = 0;
    const split = await recordPass(test.dir, {
      from: 1,
      startWorker: (input) => {
        const worker = startRecordWorker(input);
        worker.once('message', () => answered++);
        return worker;
      },
    });
    expect(answered).toBe(1);
    expect(split).toEqual(alone);
    expect(alone.tally.records).toBe(rowids.length);
    const named = (...parts: string[]) => alone.problems.filter((problem) => parts.every((part) => problem.includes(part))).length;
    expect(named('its stored JSON now hashes to')).toBe(3);
    expect(named('indexed column(s) kind')).toBe(1);
    expect(named('its run_id names run "x"')).toBe(1);
    expect(named('claims control 7 but the control index does not list it')).toBe(1);
    expect(named('claims control CC6.2 but the control index does not list it')).toBe(2);
    // The lower half's row problems come before the upper half's, as one scan meets them.
    expect(alone.problems.findIndex((problem) => problem.includes('now hashes'))).toBeLessThan(alone.problems.findIndex((problem) => problem.includes('indexed column(s) kind')));
  });

  it('scans the worker\'s range on this thread when the worker fails', async () => {
    test = await createTestLocker();
    await collect(test.locker, Array.from({ length: 30 }, (_, i) => `user${i}`));
    const db = attackerConnection(test.dir);
    const last = db.prepare("SELECT MAX(rowid) FROM records WHERE kind = 'access.account'").pluck().get() as number;
    db.exec(`UPDATE records SET json = replace(json, '"mfa":"enabled"', '"mfa":"disabled"') WHERE rowid = ${last}`);
    db.close();
    const alone = await recordPass(test.dir, { from: Infinity });
    const failing = await recordPass(test.dir, { from: 1, startWorker: () => new Worker('throw new Error("the worker failed")', { eval: true }) });
    const unstartable = await recordPass(test.dir, { from: 1, startWorker: () => { throw new Error('no threads'); } });
    expect(alone.problems.some((problem) => problem.includes('its stored JSON now hashes to'))).toBe(true);
    expect(failing).toEqual(alone);
    expect(unstartable).toEqual(alone);
  });
});

describe('sortPacked', () => {
  it('orders 32-byte hashes as their lowercase hex strings sort, with shared two-byte prefixes', () => {
    const hashes = Array.from({ length: 3000 }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
    // Same first two bytes (one bucket), differing late; and a duplicate.
    for (let i = 0; i < 20; i++) hashes.push(`abcd${randomBytes(30).toString('hex')}`);
    hashes.push(hashes[0]!);
    const packed = Buffer.alloc(hashes.length * 32);
    hashes.forEach((hash, i) => packed.write(hash, i * 32, 32, 'hex'));
    const out = Buffer.from(sortPacked(packed, hashes.length));
    const back = Array.from({ length: hashes.length }, (_, i) => out.toString('hex', i * 32, i * 32 + 32));
    expect(back).toEqual([...hashes].sort());
  });
});
