/**
 * Formula injection: a spreadsheet treats a cell that begins with `=`, `+`,
 * `-` or `@` as a formula (and tab or carriage return can smuggle one in), so
 * a PR title such as `=HYPERLINK("http://evil","click")` would run when an
 * auditor opens the population. Spreadsheets also skip leading white space
 * (including line breaks and Unicode spaces such as NBSP) before the sign,
 * and some read the full-width signs (＝ ＋ － ＠) as the ASCII ones. Every
 * text cell of every CSV and XLSX export goes through this one function,
 * which prefixes such a cell with an apostrophe: spreadsheets show the text
 * as typed and never evaluate it.
 */

// `\s` covers tab, CR, LF, NBSP, the Unicode spaces, the line and paragraph separators and BOM.
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** The cell text, neutralized when a spreadsheet would read it as a formula. */
export function spreadsheetSafe(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell evidentia wrote for someone to fill in, read back: the apostrophe the guard added taken off, so the value is the one written. */
export function unguarded(cell: string): string {
  return cell.startsWith("'") && spreadsheetSafe(cell.slice(1)) === cell ? cell.slice(1) : cell;
}
