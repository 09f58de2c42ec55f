/**
 * A licence holder's file of official requirement text, for `evidentia
 * catalog import-text`: a CSV or XLSX table with a header row naming an ID
 * column and a text column (`id` and `text` unless named, matched without
 * regard to case). The rows are handed on with their spreadsheet row numbers;
 * the catalog package judges them, so nothing here knows any framework.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { OfficialTextRow } from '@evidentia/catalog';
import { sha256Hex } from '@evidentia/evidence';
import { UsageError } from '../errors.js';
import { csvTable, xlsxTable, type TableRow } from './official-text-file-tables.js';

export interface OfficialTextFileOptions {
  /** XLSX only; the first sheet when not given. */
  sheet?: string;
  idColumn?: string;
  textColumn?: string;
}

export interface OfficialTextFile {
  /** The file name without its directory, as the import records it. */
  name: string;
  sha256: string;
  /** The XLSX sheet read; null for CSV. */
  sheet: string | null;
  /** The header names as the file writes them. */
  idColumn: string;
  textColumn: string;
  rows: OfficialTextRow[];
}

function columnIndex(name: string, header: TableRow, wanted: string, option: string): number {
  const index = header.cells.findIndex((cell) => cell.trim().toLowerCase() === wanted.trim().toLowerCase());
  if (index >= 0) return index;
  const found = header.cells.filter((cell) => cell.trim() !== '').map((cell) => JSON.stringify(cell.trim()));
  throw new UsageError(
    `${name} has no ${JSON.stringify(wanted)} column in its header (row ${header.row}); found ${found.join(', ') || 'no column names'}: name the column with ${option}`,
  );
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export async function readOfficialTextFile(path: string, options: OfficialTextFileOptions = {}): Promise<OfficialTextFile> {
  const name = basename(path);
  const format = extname(path).slice(1).toLowerCase();
  if (format !== 'csv' && format !== 'xlsx') throw new UsageError(`${path}: expected a .csv or .xlsx file`);
  if (format === 'csv' && options.sheet !== undefined) throw new UsageError('--sheet applies to XLSX files only');
  const bytes = await readBytes(path);
  const { sheet, rows } = format === 'csv' ? { sheet: null, rows: csvTable(name, bytes) } : await xlsxTable(name, bytes, options.sheet);
  // The header is the first row with anything in it: a sheet may start with blank rows.
  const headerAt = rows.findIndex((row) => row.cells.some((cell) => cell.trim() !== ''));
  if (headerAt < 0) throw new UsageError(`${name}${sheet ? ` (sheet ${JSON.stringify(sheet)})` : ''} is empty: expected a header row with "id" and "text" columns`);
  const header = rows[headerAt]!;
  const idAt = columnIndex(name, header, options.idColumn ?? 'id', '--id-column');
  const textAt = columnIndex(name, header, options.textColumn ?? 'text', '--text-column');
  return {
    name,
    sha256: sha256Hex(bytes),
    sheet,
    idColumn: header.cells[idAt]!.trim(),
    textColumn: header.cells[textAt]!.trim(),
    rows: rows.slice(headerAt + 1).map(({ row, cells }) => ({ row, id: cells[idAt] ?? '', text: cells[textAt] ?? '' })),
  };
}
