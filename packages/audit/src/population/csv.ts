/**
 * CSV cells and lines (RFC 4180), written by hand because a population can
 * have millions of rows: a cell is quoted when it holds a comma, a quote or a
 * line break, quotes are doubled, and every cell first passes the one
 * formula-injection guard (spreadsheetSafe). A `#` line above a table (a
 * population's IPE header, a sample's seed and method) is written as one such
 * cell too: unquoted, a spreadsheet would split it at its commas, and a cell
 * after the first could start a formula.
 */
import { spreadsheetSafe } from './spreadsheet-safe.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | boolean | null | undefined): string {
  const text = spreadsheetSafe(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, ending in CRLF as RFC 4180 asks. */
export function csvLine(cells: readonly (string | number | boolean | null | undefined)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A `#` line above the table as one CSV cell, its line breaks made spaces so it stays one line. */
export function csvCommentLine(text: string): string {
  return csvLine([`# ${text.replace(/[\r\n]+/g, ' ')}`]);
}
