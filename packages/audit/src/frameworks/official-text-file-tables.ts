/**
 * The two spreadsheet formats a licence holder exports official text in, read
 * into rows numbered as the spreadsheet numbers them. CSV: UTF-8 (with or
 * without BOM), separated by comma, semicolon or tab (Excel picks by locale;
 * the header row decides), quoted cells may span lines. XLSX: one sheet, rich
 * text and formula results as plain text.
 */
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { loadExcelJS } from '../exceljs.js';
import { UsageError } from '../errors.js';

export interface TableRow {
  /** The row number a spreadsheet shows, from 1. */
  row: number;
  cells: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;

/** The separator used most in the first line (the header, whose names rarely hold one); a comma when none is. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const counts = DELIMITERS.map((delimiter) => firstLine.split(delimiter).length - 1);
  const most = Math.max(...counts);
  return most === 0 ? ',' : DELIMITERS[counts.indexOf(most)]!;
}

export function csvTable(name: string, bytes: Buffer): TableRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${name} is not UTF-8 text: save it as "CSV UTF-8" (Excel) or UTF-8 CSV`);
  }
  try {
    // Empty lines stay records, so record N is row N as a spreadsheet shows the file.
    const records = parse(bytes, { bom: true, delimiter: delimiterOf(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
    return records.map((cells, index) => ({ row: index + 1, cells }));
  } catch (error) {
    throw new UsageError(`${name} cannot be read as CSV: ${(error as Error).message}`);
  }
}

/** A cell's value as the text a reader sees; a formula error has none, so its row is refused as having no text. */
function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((run) => run.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText(value.result);
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  return '';
}

export async function xlsxTable(name: string, bytes: Buffer, sheetName?: string): Promise<{ sheet: string; rows: TableRow[] }> {
  const workbook = new (await loadExcelJS()).Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at run time.
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new UsageError(`${name} cannot be read as XLSX: ${(error as Error).message}`);
  }
  const sheet = sheetName === undefined ? workbook.worksheets[0] : workbook.getWorksheet(sheetName);
  if (!sheet) {
    const names = workbook.worksheets.map((each) => JSON.stringify(each.name)).join(', ') || 'none';
    throw new UsageError(sheetName === undefined ? `${name} has no sheets` : `${name} has no sheet named ${JSON.stringify(sheetName)}; its sheets: ${names}`);
  }
  const rows: TableRow[] = [];
  sheet.eachRow((row, number) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
    rows.push({ row: number, cells });
  });
  return { sheet: sheet.name, rows };
}
