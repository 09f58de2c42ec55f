/**
 * The XLSX population: a Population sheet (one row per item, times as real
 * dates, columns sized to their content, an autofilter on the header and
 * every text cell neutralized against formula injection) and an IPE sheet,
 * written with exceljs's streaming writer so a large population never sits
 * in memory. Characters XML cannot hold (a control character in a title) are
 * written as visible escapes, so the workbook stays well-formed.
 */
import { loadExcelJS } from '../exceljs.js';
import { ipeLines, type Ipe } from './ipe.js';
import { kindColumns } from './kind-columns.js';
import { columnsOf, detailColumnsOf, fullRowOf, type PopulationItem } from './population.js';
import { spreadsheetSafe } from './spreadsheet-safe.js';

/** Excel keeps at most 32,767 characters in a cell. */
const MAX_CELL = 32_000;

/**
 * What XML 1.0 cannot hold: the C0 controls but tab, line feed and carriage return, and U+FFFE/U+FFFF. The
 * streaming writer puts them in the sheet as they are, and a workbook holding one is not well-formed: a
 * spreadsheet offers to repair it by dropping content, and `sample` cannot read it.
 */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Text with each character XML cannot hold shown as an escape (`\x1b`, `\uffff`), as the terminal tables show controls. */
function xmlSafe(text: string): string {
  return text.replace(NOT_XML, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** At most MAX_CELL characters (cut text ends in …), never ending inside a character written as two UTF-16 units (half of one is no XML either). */
export function fitted(text: string): string {
  if (text.length <= MAX_CELL) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(MAX_CELL - 1)) ? MAX_CELL - 1 : MAX_CELL;
  return `${text.slice(0, end)}…`;
}

const cell = (text: string) => spreadsheetSafe(fitted(xmlSafe(text)));
const IPE_JSON_PREFIX = 'ipe-json: ';
const COMMON_TIMES = ['occurred_at', 'first_observed_at', 'last_observed_at'];
/** Widths (in characters) of the columns whose content is long or fixed; the rest fit their header, at least 12. */
const WIDTHS: Record<string, number> = { summary: 48, title: 48, key: 28, system: 22, stream: 26, record_hash: 20, snapshot_hashes: 20, run_id: 20, url: 36, approvers: 30, approved_at: 26 };
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * The first instant Excel shows as the date it is: before it a date is a negative serial, shown as ####, or
 * (January and February 1900) a day off, Excel counting a 29 February 1900 that never was.
 */
const EXCEL_DATES_FROM = Date.parse('1900-03-01T00:00:00Z');

/** An ISO instant as an Excel date (shown in UTC, as the file's other times are), or the text when it is not one Excel can show. */
function dateCell(text: string): Date | string | null {
  if (text === '') return null;
  const at = Date.parse(text);
  return Number.isNaN(at) || at < EXCEL_DATES_FROM ? cell(text) : new Date(at);
}

/**
 * The IPE's JSON in pieces that fit a cell with their `ipe-json: ` prefix, so
 * the rows joined back are the JSON exactly; a piece never ends between the
 * two halves of a surrogate pair, which a spreadsheet could not store.
 */
function ipeJsonChunks(json: string): string[] {
  const chunks: string[] = [];
  for (let offset = 0; offset < json.length; ) {
    let end = Math.min(offset + MAX_CELL - IPE_JSON_PREFIX.length, json.length);
    if (end < json.length && /[\uD800-\uDBFF]/.test(json.charAt(end - 1))) end--;
    chunks.push(json.slice(offset, end));
    offset = end;
  }
  return chunks;
}

/** `details`: the kind's own columns (detailColumnsOf), known only from the items for a connector's own kind. */
export async function writeXlsx(file: string, ipe: Ipe, kind: string | null, items: AsyncIterable<PopulationItem>, details: readonly string[] = detailColumnsOf(kind)): Promise<void> {
  const workbook = new (await loadExcelJS()).stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  workbook.creator = 'evidentia';
  const columns = columnsOf(kind, details);
  const times = new Set([...COMMON_TIMES, ...kindColumns(kind ?? '').filter((column) => column.type === 'time').map((column) => column.name)]);
  const sheet = workbook.addWorksheet('Population', { views: [{ state: 'frozen', ySplit: 1 }] });
  columns.forEach((name, index) => {
    const column = sheet.getColumn(index + 1);
    column.width = times.has(name) ? 20 : (WIDTHS[name] ?? Math.max(12, name.length + 2));
    if (times.has(name)) column.numFmt = DATE_FORMAT;
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.addRow(columns.map(xmlSafe));
  header.font = { bold: true };
  header.commit();
  for await (const item of items) sheet.addRow(fullRowOf(item, details).map((value, index) => (times.has(columns[index] ?? '') ? dateCell(value) : cell(value)))).commit();
  sheet.commit();
  const about = workbook.addWorksheet('IPE');
  about.getColumn(1).width = 120;
  about.addRow(['How this population was produced (information produced by the entity)']).commit();
  for (const line of ipeLines(ipe)) about.addRow([cell(line)]).commit();
  // The machine-readable header, split over as many rows as Excel's cell limit needs; never cut, as cell() would.
  // JSON escapes the controls itself; U+FFFE and U+FFFF it leaves as they are, so they are written as JSON escapes (the same value read back).
  const json = JSON.stringify(ipe).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
  for (const chunk of ipeJsonChunks(json)) about.addRow([`${IPE_JSON_PREFIX}${chunk}`]).commit();
  about.commit();
  await workbook.commit();
}
