/**
 * The review as reviewers fill it in: an XLSX workbook (a Review sheet with
 * one row per account, real dates, sized columns, an autofilter, account
 * cells locked and the decision column limited to keep/revoke/change; an
 * Instructions sheet naming the review and its population) and the same
 * table as CSV. Every text cell passes the one formula-injection guard.
 * A workbook cell longer than a spreadsheet keeps (a role list of thousands)
 * is cut, ending in …, as import expects it; the CSV holds it whole.
 */
import { loadExcelJS } from '../exceljs.js';
import { writeFileAtomic } from '@evidentia/evidence';
import { csvLine } from '../population/csv.js';
import { spreadsheetSafe } from '../population/spreadsheet-safe.js';
import { fitted } from '../population/xlsx.js';
import { ACCOUNT_COLUMNS, COLUMNS, DECISIONS, type ReviewBody, type ReviewRow } from './types.js';

export interface ReviewSheet {
  reviewId: string;
  system: string;
  startedAt: string;
  body: ReviewBody;
}

export const REVIEW_SHEET = 'Review';
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const WIDTHS: Partial<Record<(typeof COLUMNS)[number], number>> = {
  review_id: 24, row: 6, system: 24, account: 28, email: 30, display_name: 24, person: 30, roles: 30, last_activity: 20, suggestion_reason: 44, decision: 12, reviewer: 28, comment: 44,
};

/** An account cell as the workbook holds it: cut to what a spreadsheet keeps, then guarded. */
export const workbookCell = (text: string) => spreadsheetSafe(fitted(text));

/** The account cells of a row as text, in column order: what import compares. */
export function accountCells(sheet: Pick<ReviewSheet, 'reviewId' | 'system'>, row: ReviewRow): string[] {
  const values: Record<string, string | number> = { ...row, reviewId: sheet.reviewId, system: sheet.system };
  return ACCOUNT_COLUMNS.map(([, field]) => String(values[field]));
}

function instructions(sheet: ReviewSheet): string[][] {
  return [
    ['Review id', sheet.reviewId],
    ['System', sheet.system],
    ['Started', sheet.startedAt],
    ['Built from', sheet.body.sources.map((source) => `${source.stream} inventory of ${source.observedAt}`).join('; ')],
    ['Population (SHA-256 of the rows)', sheet.body.population],
    ['Accounts', String(sheet.body.rows.length)],
    ['', ''],
    ['How to review', 'On the Review sheet, choose a decision for every account: keep, revoke (remove the access) or change (reduce it; say how in the comment).'],
    ['', 'Fill in reviewer (your email) and a comment where useful. suggested_action says why an account deserves a second look: leaver, no owner, inactive, privileged.'],
    ['', 'Do not edit, add, remove or reorder account rows: `evidentia access-review import` refuses a workbook whose account rows differ from the stored review, naming the rows.'],
    ['', 'Every account needs a decision; `import --partial` records the decisions made so far and leaves the review open.'],
  ].map((line) => line.map(spreadsheetSafe));
}

/** The workbook, written whole beside its name and renamed. */
export async function writeReviewXlsx(file: string, sheet: ReviewSheet): Promise<void> {
  const workbook = new (await loadExcelJS()).Workbook();
  workbook.creator = 'evidentia';
  const review = workbook.addWorksheet(REVIEW_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  COLUMNS.forEach((name, index) => {
    const column = review.getColumn(index + 1);
    column.width = WIDTHS[name] ?? Math.max(12, name.length + 2);
    if (name === 'last_activity') column.numFmt = DATE_FORMAT;
  });
  review.addRow(COLUMNS).font = { bold: true };
  const decisionAt = COLUMNS.indexOf('decision') + 1;
  for (const row of sheet.body.rows) {
    const cells: (string | number | Date | null)[] = accountCells(sheet, row).map((cell) => workbookCell(cell));
    cells[COLUMNS.indexOf('row')] = row.row;
    cells[COLUMNS.indexOf('last_activity')] = row.lastActivity === '' ? null : new Date(row.lastActivity);
    const added = review.addRow([...cells, '', spreadsheetSafe(sheet.body.reviewer), '']);
    for (let column = decisionAt; column < decisionAt + 3; column++) added.getCell(column).protection = { locked: false };
    added.getCell(decisionAt).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: [`"${DECISIONS.join(',')}"`],
      showErrorMessage: true,
      errorTitle: 'Decision',
      error: `Choose ${DECISIONS.join(', ')}`,
    };
  }
  review.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  // Locked account cells tell a reviewer what not to edit; import compares them whatever happened.
  await review.protect('', { autoFilter: true, sort: false, selectLockedCells: true, selectUnlockedCells: true, formatColumns: true });
  const about = workbook.addWorksheet('Instructions');
  about.getColumn(1).width = 34;
  about.getColumn(2).width = 120;
  for (const line of instructions(sheet)) about.addRow(line);
  about.getCell('B1').font = { bold: true };
  await about.protect('', { selectLockedCells: true, selectUnlockedCells: true });
  await writeFileAtomic(file, Buffer.from(await workbook.xlsx.writeBuffer()));
}

/** The same table as CSV (the reviewer's columns empty but for a named reviewer). */
export async function writeReviewCsv(file: string, sheet: ReviewSheet): Promise<void> {
  const lines = [csvLine(COLUMNS), ...sheet.body.rows.map((row) => csvLine([...accountCells(sheet, row), '', sheet.body.reviewer ?? '', '']))];
  await writeFileAtomic(file, lines.join(''));
}
