/**
 * End to end: the signed entry chains (documents, accepted exceptions, access
 * reviews) are witnessed like the run chain. Each command that adds an entry
 * publishes a checkpoint naming every chain's head and count at once, so
 * deleting the newest entries of a chain (rows removed in SQLite, nothing
 * re-signed: the chain that is left verifies by itself) fails `verify`,
 * naming the witness and the chain; the untouched locker verifies clean.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { demoLocker, runCli } from '../cli.js';
import { copyLocker } from './setup.js';

jest.setTimeout(300_000);

let dir: string;
let locker: string;
let config: string;
let log: string;
const file = (name: string) => join(dir, name);

async function cliOk(...args: string[]): Promise<string> {
  const result = await runCli([...args, '--config', config]);
  expect([result.code, result.stderr.split('\n').filter((line) => line.startsWith('warning:'))]).toEqual([0, []]);
  return result.stderr;
}

interface Line {
  checkpoint: { sequence: number; entries?: Record<string, { count: number; head: string | null }> };
}
const witnessed = async () => (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Line);

/** A copy of the locker with the newest `count` rows of `table` deleted, its append-only triggers dropped first, nothing re-signed. */
async function rolledBack(name: string, table: string, count: number): Promise<string> {
  const copy = await copyLocker(locker, file(name));
  const db = new Database(join(copy, 'locker.db'));
  try {
    for (const trigger of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?").pluck().all(table) as string[]) db.exec(`DROP TRIGGER ${trigger}`);
    db.prepare(`DELETE FROM ${table} WHERE sequence > (SELECT MAX(sequence) FROM ${table}) - ?`).run(count);
  } finally {
    db.close();
  }
  return copy;
}

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('witness-entries'));
  config = file('witnessed.yaml');
  log = file('witness/checkpoints.log');
  await writeFile(
    config,
    ['locker: ./locker', 'connectors: {}', 'requests:', '  items:', '    risk-assessment: {}', 'witnesses:', '  - type: file', '    path: ./witness/checkpoints.log', ''].join('\n'),
  );
  await writeFile(file('risk.txt'), 'Risk assessment 2026, approved by the board.\n');
  await writeFile(file('risk-annex.txt'), 'Annex: the risk register as reviewed.\n');
  const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  // Each append publishes its own checkpoint: two per chain, six in all, none by a run.
  await cliOk('evidence', 'add', '--request', 'risk-assessment', file('risk.txt'));
  await cliOk('evidence', 'add', '--request', 'risk-assessment', file('risk-annex.txt'));
  const accept = (item: string) => cliOk('exception', 'accept', 'branch-protection', item, '--reason', 'docs only', '--approver', 'ciso@acme.example', '--until', until, '--force');
  await accept('acme-corp/docs-site@main');
  await accept('acme-corp/handbook@main');
  const stderr = await cliOk('access-review', 'start', '--system', 'github:acme-corp', '--out', file('first.xlsx'));
  expect(stderr).toMatch(/^checkpoint of run #\d+ and the entry chains \(documents 2, acceptances 2, access reviews 1\) published to the witnesses$/m);
  await cliOk('access-review', 'start', '--system', 'github:acme-corp', '--out', file('second.xlsx'));
}, 600_000);
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('witnessed entry chains', () => {
  it('checkpoints each chain head and count when an entry is added, and the untouched locker verifies clean', async () => {
    const lines = await witnessed();
    expect(lines.map((line) => [line.checkpoint.entries?.documents?.count, line.checkpoint.entries?.acceptances?.count, line.checkpoint.entries?.accessReviews?.count])).toEqual([
      [1, 0, 0],
      [2, 0, 0],
      [2, 1, 0],
      [2, 2, 0],
      [2, 2, 1],
      [2, 2, 2],
    ]);
    expect(lines[0]!.checkpoint.entries!.acceptances).toEqual({ count: 0, head: null });
    const verified = await runCli(['verify', '--config', config]);
    expect(verified.stdout).toContain(`witness file ${log}: ok`);
    expect(verified.stdout).toContain('locker verified: no problems');
    expect(verified.code).toBe(0);
  });

  it.each([
    ['document', 'document_entries', 1],
    ['acceptance', 'exception_acceptances', 1],
    ['access-review', 'access_review_entries', 1],
    ['document', 'document_entries', 2],
  ])('catches the %s chain rolled back (newest entries deleted from %s: %i)', async (noun, table, count) => {
    const copy = await rolledBack(`${table}-${count}`, table, count);
    const verified = await runCli(['verify', '--config', config, '--locker', copy]);
    const problem = new RegExp(`PROBLEM witness-behind \\(witness file ${log}\\): the ${noun} chain is behind the witness: checkpoint #\\d+ .* names ${noun} entry #2 \\([0-9a-f]{16}…\\), which the locker lacks \\(its ${noun} chain ends at #${2 - count}\\)`);
    expect(verified.stdout).toMatch(problem);
    // Only that chain is named: the others and the run chain are intact.
    expect(verified.stdout.match(/PROBLEM witness-/g)).toHaveLength(1);
    expect(verified.code).toBe(1);
  });
});
