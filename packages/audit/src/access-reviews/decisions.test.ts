/** A review written as XLSX and CSV, decided, read back and judged against the stored review. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { UsageError } from '../errors.js';
import { decisionsToRecord, reviewIdOf, type DecisionsInput } from './decisions.js';
import { readDecidedRows } from './read-decisions.js';
import { COLUMNS, type ReviewRow, type ReviewState } from './types.js';
import { writeReviewCsv, writeReviewXlsx } from './workbook.js';

const row = (n: number, account: string, extra: Partial<ReviewRow> = {}): ReviewRow => ({
  row: n,
  account,
  email: `${account}@acme.example`,
  displayName: '',
  accountType: 'member',
  status: 'active',
  person: `${account}@acme.example`,
  roles: 'member',
  privileged: 'no',
  mfa: 'enabled',
  lastActivity: '2026-11-30T08:15:00.000Z',
  suggestedAction: 'keep',
  suggestionReason: '',
  ...extra,
});

const rows = [row(1, 'ada'), row(2, '=HYPERLINK("http://evil.example","x")', { person: '', suggestedAction: 'no owner' }), row(3, 'cy', { roles: 'admin', privileged: 'yes', lastActivity: '' })];

function state(): ReviewState {
  return {
    reviewId: 'AR-20261205-abcdef',
    system: 'github:acme',
    startedAt: '2026-12-05T10:00:00.000Z',
    startedBy: 'grc@acme.example',
    body: { sources: [{ stream: 'github/members', runId: 'r', observedAt: '2026-12-05T09:00:00.000Z', recordSet: 's' }], population: 'p', reviewer: 'lead@acme.example', rows },
    decisions: new Map(),
    files: [],
    complete: false,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidentia-review-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The written workbook with decisions (by row number) filled in as a reviewer would, and a change applied to the sheet. */
async function decided(decisions: Record<number, string>, change: (sheet: ExcelJS.Worksheet) => void = () => {}): Promise<string> {
  const source = join(dir, 'review.xlsx');
  await writeReviewXlsx(source, { reviewId: state().reviewId, system: 'github:acme', startedAt: state().startedAt, body: state().body });
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(source);
  const sheet = workbook.getWorksheet('Review')!;
  for (const [n, decision] of Object.entries(decisions)) sheet.getRow(Number(n) + 1).getCell(COLUMNS.indexOf('decision') + 1).value = decision;
  change(sheet);
  const out = join(dir, `decided-${Math.random().toString(16).slice(2)}.xlsx`);
  await workbook.xlsx.writeFile(out);
  return out;
}

async function input(file: string, partial = false): Promise<DecisionsInput> {
  return { file, sha256: file, rows: await readDecidedRows(file), partial };
}

describe('the review workbook', () => {
  it('limits decisions to keep/revoke/change, locks account cells, keeps dates as dates and reads back as written', async () => {
    const file = await decided({});
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Review', 'Instructions']);
    const sheet = workbook.getWorksheet('Review')!;
    const decision = sheet.getRow(2).getCell(COLUMNS.indexOf('decision') + 1);
    expect(decision.dataValidation).toMatchObject({ type: 'list', formulae: ['"keep,revoke,change"'] });
    expect(decision.protection?.locked).toBe(false);
    expect(sheet.getRow(2).getCell(COLUMNS.indexOf('account') + 1).protection?.locked).not.toBe(false);
    expect(sheet.getRow(2).getCell(COLUMNS.indexOf('last_activity') + 1).value).toEqual(new Date('2026-11-30T08:15:00.000Z'));
    expect(sheet.getRow(3).getCell(COLUMNS.indexOf('account') + 1).value).toBe(`'${rows[1]!.account}`);
    expect(workbook.getWorksheet('Instructions')!.getCell('B1').value).toBe('AR-20261205-abcdef');
    const read = await readDecidedRows(file);
    expect(reviewIdOf(file, read)).toBe('AR-20261205-abcdef');
    expect(read.map((entry) => entry.cells[COLUMNS.indexOf('reviewer')])).toEqual(['lead@acme.example', 'lead@acme.example', 'lead@acme.example']);
  });

  it('records every decision of a fully decided workbook', async () => {
    const body = decisionsToRecord(state(), await input(await decided({ 1: 'keep', 2: 'Revoke', 3: 'change' })));
    expect(body.partial).toBe(false);
    expect(body.decisions.map((entry) => [entry.row, entry.decision, entry.reviewer])).toEqual([
      [1, 'keep', 'lead@acme.example'],
      [2, 'revoke', 'lead@acme.example'],
      [3, 'change', 'lead@acme.example'],
    ]);
  });

  it('refuses edited, added and removed account rows, naming each', async () => {
    const file = await decided({ 1: 'keep', 2: 'revoke', 3: 'keep' }, (sheet) => {
      sheet.getRow(4).getCell(COLUMNS.indexOf('roles') + 1).value = 'member';
      sheet.getRow(4).getCell(COLUMNS.indexOf('privileged') + 1).value = 'no';
      sheet.spliceRows(2, 1);
      sheet.addRow(['AR-20261205-abcdef', 9, 'github:acme', 'mallory']);
    });
    const read = await input(file);
    expect(() => decisionsToRecord(state(), read)).toThrow(
      `${file}: account rows differ from review AR-20261205-abcdef, nothing imported: row 1 (ada) removed; row 3 (cy, sheet Review line 3) edited: roles, privileged; sheet Review line 4 added (mallory)`,
    );
  });

  it('matches an account whose name holds control characters or carriage returns, which the workbook cannot keep as they are', async () => {
    const odd = state();
    odd.body = { ...odd.body, rows: [row(1, 'ada', { displayName: 'Ada\u0001 Lovelace\r\nAnalyst\u000b' }), ...rows.slice(1)] };
    const source = join(dir, 'odd.xlsx');
    await writeReviewXlsx(source, { reviewId: odd.reviewId, system: 'github:acme', startedAt: odd.startedAt, body: odd.body });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(source);
    for (const n of [2, 3, 4]) workbook.getWorksheet('Review')!.getRow(n).getCell(COLUMNS.indexOf('decision') + 1).value = 'keep';
    const file = join(dir, 'odd-decided.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(decisionsToRecord(odd, await input(file)).decisions.map((entry) => entry.row)).toEqual([1, 2, 3]);
  });

  it('takes an account cell without the apostrophe the guard adds, as a workbook written before the guard covered it holds it', async () => {
    const older = await decided({ 1: 'keep', 2: 'revoke', 3: 'keep' }, (sheet) => (sheet.getRow(3).getCell(COLUMNS.indexOf('account') + 1).value = rows[1]!.account));
    expect(decisionsToRecord(state(), await input(older)).decisions.map((entry) => entry.row)).toEqual([1, 2, 3]);
  });

  it('refuses missing decisions unless partial, unknown decisions, decisions without a reviewer, changed and duplicate decisions', async () => {
    const partial = await decided({ 1: 'keep' });
    const read = await input(partial);
    expect(() => decisionsToRecord(state(), read)).toThrow(`${partial}: 2 account(s) of review AR-20261205-abcdef have no decision, nothing imported: row 2 (${rows[1]!.account}); row 3 (cy); decide them or import with --partial`);
    const recorded = decisionsToRecord(state(), { ...read, partial: true });
    expect([recorded.partial, recorded.decisions.length]).toEqual([true, 1]);
    const bad = await decided({ 1: 'maybe', 2: 'keep' }, (sheet) => (sheet.getRow(3).getCell(COLUMNS.indexOf('reviewer') + 1).value = ''));
    const badRows = { ...(await input(bad)), partial: true };
    expect(() => decisionsToRecord(state(), badRows)).toThrow(`nothing imported: row 1 (ada): decision "maybe" is not keep, revoke, change; row 2 (${rows[1]!.account}): decision keep without a reviewer`);
    // After the partial import: the same decision again is a duplicate, a different one a change import refuses.
    const after = state();
    after.decisions.set(1, { ...recorded.decisions[0]!, decidedAt: '2026-12-05T11:00:00.000Z', entry: 'e' });
    after.files.push(read.sha256);
    expect(() => decisionsToRecord(after, read)).toThrow('duplicate import: this file was already imported');
    expect(() => decisionsToRecord(after, { ...read, sha256: 'other', partial: true })).toThrow('duplicate import: every decision in it is already recorded');
    const changed = await input(await decided({ 1: 'revoke', 2: 'keep', 3: 'keep' }));
    expect(() => decisionsToRecord(after, changed)).toThrow('row 1 (ada): already decided keep by lead@acme.example at 2026-12-05T11:00:00.000Z; a recorded decision is not changed');
  });

  it('refuses a reviewer deciding their own account, named by its account, email or person', async () => {
    const file = await decided({ 1: 'keep', 2: 'revoke', 3: 'keep' }, (sheet) => {
      sheet.getRow(2).getCell(COLUMNS.indexOf('reviewer') + 1).value = 'ADA@acme.example';
      sheet.getRow(4).getCell(COLUMNS.indexOf('reviewer') + 1).value = 'cy';
    });
    const read = await input(file);
    expect(() => decisionsToRecord(state(), read)).toThrow(
      `${file}: nothing imported: row 1 (ada): decided by ADA@acme.example, who holds this account; nobody decides their own access, so another reviewer must; row 3 (cy): decided by cy, who holds this account; nobody decides their own access, so another reviewer must`,
    );
  });

  it('writes the CSV with formula cells neutralized, and reads it back decided', async () => {
    const file = join(dir, 'review.csv');
    await writeReviewCsv(file, { reviewId: state().reviewId, system: 'github:acme', startedAt: state().startedAt, body: state().body });
    const text = await readFile(file, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const filled = text.split('\r\n').map((line, index) => (index === 0 || line === '' ? line : line.replace(/,,lead@acme\.example,$/, ',revoke,lead@acme.example,gone')));
    await writeFile(join(dir, 'decided.csv'), filled.join('\r\n'));
    const body = decisionsToRecord(state(), await input(join(dir, 'decided.csv')));
    expect(body.decisions.map((entry) => [entry.account, entry.decision, entry.comment])).toEqual(rows.map((entry) => [entry.account, 'revoke', 'gone']));
    // Saved again as "CSV UTF-8" by a spreadsheet: a byte order mark first.
    await writeFile(join(dir, 'decided-bom.csv'), `\uFEFF${filled.join('\r\n')}`);
    expect(decisionsToRecord(state(), await input(join(dir, 'decided-bom.csv'))).decisions).toEqual(body.decisions);
    await writeFile(join(dir, 'not-a-review.csv'), 'a,b\n1,2\n');
    await expect(readDecidedRows(join(dir, 'not-a-review.csv'))).rejects.toThrow('line 1: the header is not the one `access-review start` wrote');
    await expect(readDecidedRows(join(dir, 'review.txt'))).rejects.toThrow('expected the .xlsx or .csv file');
    await mkdir(join(dir, 'folder.csv'));
    await expect(readDecidedRows(join(dir, 'folder.csv'))).rejects.toThrow(new UsageError(`${join(dir, 'folder.csv')}: cannot be read: illegal operation on a directory, read`));
  });

  it('refuses a workbook with text in a column past the comment, which import would drop, naming the line', async () => {
    const file = await decided({ 1: 'keep', 2: 'revoke', 3: 'keep' }, (sheet) => {
      sheet.getRow(3).getCell(COLUMNS.length + 1).value = 'ask HR first';
    });
    await expect(readDecidedRows(file)).rejects.toThrow(new UsageError(`${file}: sheet Review line 3: text past the comment column (ask HR first), which import would drop; move it into the comment; nothing imported`));
  });

  it('refuses a CSV row with more cells than the header (a comma in a comment typed without quotes), rather than signing the comment cut short', async () => {
    const file = join(dir, 'review.csv');
    await writeReviewCsv(file, { reviewId: state().reviewId, system: 'github:acme', startedAt: state().startedAt, body: state().body });
    const text = await readFile(file, 'utf8');
    const filled = text.split('\r\n').map((line, index) => (index === 0 || line === '' ? line : line.replace(/,,lead@acme\.example,$/, ',revoke,lead@acme.example,left the team, no access needed')));
    await writeFile(join(dir, 'unquoted.csv'), filled.join('\r\n'));
    await expect(readDecidedRows(join(dir, 'unquoted.csv'))).rejects.toThrow(
      new UsageError(`${join(dir, 'unquoted.csv')}: line 2: 19 cells where the header has 18 (a comma in a cell not enclosed in double quotes?); nothing imported`),
    );
  });
  it('neutralizes a prefilled reviewer a spreadsheet would read as a formula, and records the reviewer as named, from the workbook and the CSV', async () => {
    const named = state();
    named.body = { ...named.body, reviewer: '@security-team' };
    const sheet = { reviewId: named.reviewId, system: 'github:acme', startedAt: named.startedAt, body: named.body };
    const source = join(dir, 'named.xlsx');
    await writeReviewXlsx(source, sheet);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(source);
    const review = workbook.getWorksheet('Review')!;
    expect(review.getRow(2).getCell(COLUMNS.indexOf('reviewer') + 1).value).toBe("'@security-team");
    for (const n of [2, 3, 4]) review.getRow(n).getCell(COLUMNS.indexOf('decision') + 1).value = 'keep';
    const xlsx = join(dir, 'named-decided.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    expect(decisionsToRecord(named, await input(xlsx)).decisions.map((entry) => entry.reviewer)).toEqual(['@security-team', '@security-team', '@security-team']);
    const csv = join(dir, 'named.csv');
    await writeReviewCsv(csv, sheet);
    const text = await readFile(csv, 'utf8');
    expect(text).toContain(",'@security-team,\r\n");
    await writeFile(csv, text.replaceAll(",'@security-team,\r\n", "keep,'@security-team,\r\n"));
    expect(decisionsToRecord(named, await input(csv)).decisions.map((entry) => entry.reviewer)).toEqual(['@security-team', '@security-team', '@security-team']);
    // A decision an older version recorded from the CSV with the apostrophe is the same decision, not a changed one.
    named.decisions.set(1, { row: 1, account: 'ada', decision: 'keep', reviewer: "'@security-team", comment: '', decidedAt: '2026-12-05T11:00:00.000Z', entry: 'e' });
    expect(decisionsToRecord(named, { ...(await input(csv)), sha256: 'again' }).decisions.map((entry) => entry.row)).toEqual([2, 3]);
  });
  it('fits a cell longer than a spreadsheet keeps into the workbook, marked as cut, and still matches the row on import', async () => {
    const roles = Array.from({ length: 4000 }, (_, n) => `team-${String(n).padStart(4, '0')}-maintainer`).join(', ');
    const long = state();
    long.body = { ...long.body, rows: [row(1, 'ada', { roles, privileged: 'yes', suggestedAction: 'privileged', suggestionReason: `privileged: ${roles}` }), ...rows.slice(1)] };
    const source = join(dir, 'long.xlsx');
    await writeReviewXlsx(source, { reviewId: long.reviewId, system: 'github:acme', startedAt: long.startedAt, body: long.body });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(source);
    const review = workbook.getWorksheet('Review')!;
    for (const name of ['roles', 'suggestion_reason'] as const) {
      const text = String(review.getRow(2).getCell(COLUMNS.indexOf(name) + 1).value);
      // Excel keeps at most 32,767 characters in a cell; a longer one makes it repair the workbook, cutting it silently.
      expect(text.length).toBeLessThanOrEqual(32_767);
      expect(text.endsWith('…')).toBe(true);
    }
    for (const n of [2, 3, 4]) review.getRow(n).getCell(COLUMNS.indexOf('decision') + 1).value = 'keep';
    const file = join(dir, 'long-decided.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(decisionsToRecord(long, await input(file)).decisions.map((entry) => entry.row)).toEqual([1, 2, 3]);
  });
});
