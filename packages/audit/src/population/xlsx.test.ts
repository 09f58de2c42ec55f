/**
 * The XLSX population opens cleanly in a spreadsheet: times are real dates,
 * the header carries an autofilter, columns are sized, the kind's own columns
 * (author, approvers, merge time, review decision) follow the common ones,
 * and the IPE is on its own sheet, whole however long it is (a population
 * resting on many stream runs has an IPE longer than a cell holds).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { accountRecord, pullRequestRecord } from '../checks/synthetic-records.js';
import { exportPopulation } from './export-population.js';
import { POPULATION_FORMAT, type Ipe } from './ipe.js';
import type { PopulationItem } from './population.js';
import { readPopulation } from './read-population.js';
import { drawSample } from './sample.js';
import { writeXlsx } from './xlsx.js';

let synthetic: SyntheticLocker;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-03-01T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord('github:acme', 'acme/api#1'), pullRequestRecord('github:acme', 'acme/api#2')] }]);
  const file = join(synthetic.dir, '..', 'changes.xlsx');
  await exportPopulation(synthetic.locker, { period: parsePeriod('2026-02-01..2026-02-28'), kind: 'change.request' }, 'xlsx', file);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
});
afterAll(async () => synthetic.cleanup());

describe('XLSX population', () => {
  it('has the common columns, then the change columns, with real dates and an autofilter', () => {
    const sheet = workbook.getWorksheet('Population')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['kind', 'system', 'stream', 'key', 'summary']);
    expect(header).toEqual(expect.arrayContaining(['author', 'approvers', 'approved_at', 'merged_at', 'tickets', 'review_decision']));
    const row = sheet.getRow(2);
    const at = (name: string) => row.getCell(header.indexOf(name) + 1);
    expect(at('merged_at').value).toBeInstanceOf(Date);
    expect(at('merged_at').numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    expect(at('occurred_at').value).toBeInstanceOf(Date);
    expect(at('kind').value).toBe('change.request');
    expect(['approved', 'not approved', 'changes requested']).toContain(at('review_decision').value);
    expect(sheet.autoFilter).toBeTruthy();
    expect(sheet.getColumn(header.indexOf('summary') + 1).width).toBe(48);
    expect(sheet.rowCount).toBe(3);
  });

  it('keeps the IPE on its own sheet', () => {
    const about = workbook.getWorksheet('IPE')!;
    const lines = (about.getColumn(1).values as unknown[]).map(String).join('\n');
    expect(lines).toContain('population of: record kind change.request');
    expect(lines).toContain('ipe-json: {');
  });
});

/** The rows of a population file and the IPE header read back with them. */
async function readBack(file: string): Promise<{ rows: number; ipe: Partial<Ipe> | null }> {
  const ipe: { value: Partial<Ipe> | null } = { value: null };
  let rows = 0;
  for await (const _row of readPopulation(file, ipe)) rows++;
  return { rows, ipe: ipe.value };
}

describe('XLSX population with an IPE longer than a cell', () => {
  it('reads back the IPE of 89 daily inventories exactly, and samples from it', async () => {
    const daily = await createSyntheticLocker();
    try {
      for (let day = 0; day < 89; day++) {
        const at = new Date(Date.parse('2026-02-01T02:00:00Z') + day * 86_400_000).toISOString();
        await daily.run(at, [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'alice'), accountRecord('github:acme', `temp${day}`)] }]);
      }
      const file = join(daily.dir, '..', 'accounts.xlsx');
      const { ipe } = await exportPopulation(daily.locker, { period: parsePeriod('2026-02-01..2026-04-30'), kind: 'access.account' }, 'xlsx', file);
      expect(JSON.stringify(ipe).length).toBeGreaterThan(32_000);
      const read = await readBack(file);
      expect(read.ipe).toEqual(ipe);
      expect(read.rows).toBe(ipe.items);
      const sample = await drawSample(file, 5, 'seed');
      expect([sample.population.items, sample.population.period]).toEqual([ipe.items, ipe.period]);
    } finally {
      await daily.cleanup();
    }
  }, 120_000);

  it('never splits a character written as two UTF-16 units between two rows', async () => {
    const item: PopulationItem = { kind: 'access.account', system: 'github:acme', stream: 'github/members', key: 'alice', summary: 'alice', occurredAt: null, firstObservedAt: '2026-02-01T02:00:00.000Z', lastObservedAt: '2026-02-01T02:00:00.000Z', recordHash: 'a'.repeat(64), snapshotHashes: [], runId: 'run', controls: ['CC6.1'], details: {} };
    const items = async function* () {
      yield item;
    };
    const ipe = { format: POPULATION_FORMAT, criterion: null, kind: 'access.account', period: { since: '2026-02-01T00:00:00.000Z', until: '2026-05-01T00:00:00.000Z' }, generatedAt: '2026-05-02T00:00:00.000Z', items: 1, emptyReason: null, lockerKeyId: 'key', sources: [], missingSources: [] } satisfies Ipe;
    const prefix = JSON.stringify({ ...ipe, criterion: '' }).indexOf('"criterion":""') + '"criterion":"'.length;
    // 🔐 lands on the last place of the first row.
    const criterion = `${'C'.repeat(32_000 - 'ipe-json: '.length - prefix - 1)}🔐 access`;
    const file = join(synthetic.dir, '..', 'surrogate.xlsx');
    await writeXlsx(file, { ...ipe, criterion }, 'access.account', items());
    const read = (await readBack(file)).ipe;
    expect(read?.criterion?.slice(-9)).toBe('🔐 access');
    expect(read).toEqual({ ...ipe, criterion });
  });
});

describe('XLSX population of evidence holding characters XML cannot', () => {
  // An API may send a title with a terminal colour code, a NUL or a vertical tab; XML 1.0 holds none of them.
  const odd = 'fix \u001b[31mred\u0007 nul\u0000 vt\u000b ff\u000c bad\uffff end';

  it('is a workbook a spreadsheet and `sample` read, showing each such character as an escape', async () => {
    const locker = await createSyntheticLocker();
    try {
      await locker.run('2026-03-01T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord('github:acme', 'acme/api#1', { title: odd }), pullRequestRecord('github:acme', 'acme/api#2')] }]);
      const file = join(locker.dir, '..', 'odd.xlsx');
      const { ipe } = await exportPopulation(locker.locker, { period: parsePeriod('2026-02-01..2026-02-28'), kind: 'change.request' }, 'xlsx', file);
      const sample = await drawSample(file, 2, 'seed');
      expect(sample.picks.map((pick) => pick.summary).sort()).toEqual(['Change acme/api#2', 'fix \\x1b[31mred\\x07 nul\\x00 vt\\x0b ff\\x0c bad\\uffff end']);
      expect((await readBack(file)).ipe).toEqual(ipe);
    } finally {
      await locker.cleanup();
    }
  });

  it('cuts a cell longer than a spreadsheet keeps before a character written as two UTF-16 units, never inside it', async () => {
    const summary = `${'x'.repeat(31_999)}🔐${'y'.repeat(10)}`;
    const item: PopulationItem = { kind: 'access.account', system: 'github:acme', stream: 'github/members', key: 'alice', summary, occurredAt: null, firstObservedAt: '2026-02-01T02:00:00.000Z', lastObservedAt: '2026-02-01T02:00:00.000Z', recordHash: 'a'.repeat(64), snapshotHashes: [], runId: 'run', controls: ['CC6.1'], details: {} };
    const items = async function* () {
      yield item;
    };
    const ipe = { format: POPULATION_FORMAT, criterion: null, kind: 'access.account', period: { since: '2026-02-01T00:00:00.000Z', until: '2026-05-01T00:00:00.000Z' }, generatedAt: '2026-05-02T00:00:00.000Z', items: 1, emptyReason: null, lockerKeyId: 'key', sources: [], missingSources: [] } satisfies Ipe;
    const file = join(synthetic.dir, '..', 'long-cell.xlsx');
    await writeXlsx(file, ipe, 'access.account', items());
    expect((await drawSample(file, 1, 'seed')).picks[0]!.summary).toBe(`${'x'.repeat(31_999)}…`);
  });

  it('keeps such a character in the IPE header exactly, in its lines as an escape', async () => {
    const item: PopulationItem = { kind: 'access.account', system: 'github:acme', stream: 'github/members', key: 'alice', summary: 'alice', occurredAt: null, firstObservedAt: '2026-02-01T02:00:00.000Z', lastObservedAt: '2026-02-01T02:00:00.000Z', recordHash: 'a'.repeat(64), snapshotHashes: [], runId: 'run', controls: ['CC6.1'], details: {} };
    const items = async function* () {
      yield item;
    };
    const ipe = { format: POPULATION_FORMAT, criterion: null, kind: 'access.account', period: { since: '2026-02-01T00:00:00.000Z', until: '2026-05-01T00:00:00.000Z' }, generatedAt: '2026-05-02T00:00:00.000Z', items: 1, emptyReason: null, lockerKeyId: 'key', sources: [], missingSources: [{ stream: 'aws/iam_users', kind: 'access.account', reason: odd }] } satisfies Ipe;
    const file = join(synthetic.dir, '..', 'odd-ipe.xlsx');
    await writeXlsx(file, ipe, 'access.account', items());
    expect((await readBack(file)).ipe).toEqual(ipe);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const lines = (workbook.getWorksheet('IPE')!.getColumn(1).values as unknown[]).map(String);
    expect(lines.some((line) => line.includes('(fix \\x1b[31mred\\x07 nul\\x00 vt\\x0b ff\\x0c bad\\uffff end)'))).toBe(true);
  });
});

describe('XLSX population times a spreadsheet cannot show as dates', () => {
  it('keeps an instant before 1 March 1900 (a "never" written as year 1 or 1601) as its text, not a date Excel shows as ####', async () => {
    const details = { last_login_at: '0001-01-01T00:00:00Z', created_at: '1601-01-01T00:00:00Z' };
    const item: PopulationItem = { kind: 'access.account', system: 'ad:corp', stream: 'ad/users', key: 'alice', summary: 'alice', occurredAt: null, firstObservedAt: '2026-02-01T02:00:00.000Z', lastObservedAt: '2026-02-01T02:00:00.000Z', recordHash: 'a'.repeat(64), snapshotHashes: [], runId: 'run', controls: ['CC6.1'], details };
    const items = async function* () {
      yield item;
    };
    const ipe = { format: POPULATION_FORMAT, criterion: null, kind: 'access.account', period: { since: '2026-02-01T00:00:00.000Z', until: '2026-03-01T00:00:00.000Z' }, generatedAt: '2026-03-02T00:00:00.000Z', items: 1, emptyReason: null, lockerKeyId: 'key', sources: [], missingSources: [] } satisfies Ipe;
    const file = join(synthetic.dir, '..', 'old-dates.xlsx');
    await writeXlsx(file, ipe, 'access.account', items());
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(file);
    const sheet = read.getWorksheet('Population')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const at = (name: string) => sheet.getRow(2).getCell(header.indexOf(name) + 1).value;
    expect([at('last_login_at'), at('created_at')]).toEqual(['0001-01-01T00:00:00Z', '1601-01-01T00:00:00Z']);
    expect(at('first_observed_at')).toBeInstanceOf(Date);
  });
});
