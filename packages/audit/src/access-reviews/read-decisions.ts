/**
 * A decided review read back: the workbook's Review sheet or the CSV, every
 * row's cells as text in column order with where it is in the file, so a
 * comparison can name the row. Only the file's shape is judged here (a
 * readable workbook, the header evidentia wrote); what the rows say is
 * compared with the stored review in decisions.ts.
 */
import { createReadStream, existsSync } from 'node:fs';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../exceljs.js';
import { UsageError } from '../errors.js';
import { csvRecords, CsvTruncatedError } from '../population/csv-records.js';
import { COLUMNS } from './types.js';
import { REVIEW_SHEET } from './workbook.js';

export interface DecidedRow {
  /** Where the row is, e.g. `sheet Review line 4` or `line 4`. */
  at: string;
  cells: string[];
}

/** A cell as text: dates as ISO instants (as the review stores them), rich text and hyperlinks as their text. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((run) => run.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

function checkHeader(file: string, at: string, header: string[]): void {
  const trimmed = header.slice(0, COLUMNS.length);
  if (trimmed.join('\u0000') !== COLUMNS.join('\u0000') || header.slice(COLUMNS.length).some((cell) => cell !== '')) {
    throw new UsageError(`${file}: ${at}: the header is not the one \`access-review start\` wrote (${COLUMNS.join(', ')})`);
  }
}

async function xlsxRows(file: string): Promise<DecidedRow[]> {
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    await workbook.xlsx.readFile(file);
  } catch {
    if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
    // The zip reader's own words point at its documentation, not at the user's file.
    throw new UsageError(`${file}: not a readable .xlsx workbook (truncated, or another format under that name)`);
  }
  const sheet = workbook.getWorksheet(REVIEW_SHEET);
  if (!sheet) throw new UsageError(`${file}: no sheet named ${REVIEW_SHEET}: not a review workbook written by \`access-review start\``);
  const rows: DecidedRow[] = [];
  let header: string[] | null = null;
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells = COLUMNS.map((_, index) => cellText(row.getCell(index + 1).value));
    const extra = (row.values as ExcelJS.CellValue[]).slice(COLUMNS.length + 1).map(cellText);
    if (header === null) header = [...cells, ...extra];
    else if ([...cells, ...extra].some((cell) => cell.trim() !== '')) {
      // A note typed beside the comment would be dropped from what is signed.
      const dropped = extra.filter((cell) => cell.trim() !== '');
      if (dropped.length > 0) throw new UsageError(`${file}: sheet ${REVIEW_SHEET} line ${number}: text past the comment column (${dropped.join(', ')}), which import would drop; move it into the comment; nothing imported`);
      rows.push({ at: `sheet ${REVIEW_SHEET} line ${number}`, cells });
    }
  });
  if (header === null) throw new UsageError(`${file}: sheet ${REVIEW_SHEET} is empty`);
  checkHeader(file, `sheet ${REVIEW_SHEET} line 1`, header);
  return rows;
}

async function csvRows(file: string): Promise<DecidedRow[]> {
  const rows: DecidedRow[] = [];
  let header: string[] | null = null;
  try {
    for await (const { cells, line } of csvRecords(createReadStream(file, 'utf8'))) {
      if (cells.join('') === '') continue;
      if (header === null) {
        checkHeader(file, `line ${line}`, cells);
        header = cells;
      } else {
        // Cells past the header's would be dropped: the comment a stray comma split, signed cut short.
        if (cells.slice(COLUMNS.length).some((cell) => cell.trim() !== '')) {
          throw new UsageError(`${file}: line ${line}: ${cells.length} cells where the header has ${COLUMNS.length} (a comma in a cell not enclosed in double quotes?); nothing imported`);
        }
        rows.push({ at: `line ${line}`, cells: COLUMNS.map((_, index) => cells[index] ?? '') });
      }
    }
  } catch (error) {
    if (error instanceof CsvTruncatedError) throw new UsageError(`${file}: line ${error.line}: ${error.message}`);
    // A failed read (a directory under that name) names no path, and would read as a bug: said about the file given.
    const failed = error as NodeJS.ErrnoException;
    if (typeof failed.code === 'string' && failed.path === undefined) throw new UsageError(`${file}: cannot be read: ${failed.message.replace(/^[A-Z]+: /, '')}`);
    throw error;
  }
  if (header === null) throw new UsageError(`${file}: the file is empty`);
  return rows;
}

/** The rows of a decided review (.xlsx or .csv); refused in one line when the file is not one. */
export async function readDecidedRows(file: string): Promise<DecidedRow[]> {
  if (/\.xlsx$/i.test(file)) return xlsxRows(file);
  if (/\.csv$/i.test(file)) return csvRows(file);
  throw new UsageError(`${file}: expected the .xlsx or .csv file \`evidentia access-review start\` wrote`);
}
