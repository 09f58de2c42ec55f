/**
 * The XLSX population opens cleanly in a spreadsheet: times are real dates,
 * the header carries an autofilter, columns are sized, the kind's own columns
 * (author, approvers, merge time, review decision) follow the common ones,
 * and the IPE is on its own sheet.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { pullRequestRecord } from '../checks/synthetic-records.js';
import { exportPopulation } from './export-population.js';

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
