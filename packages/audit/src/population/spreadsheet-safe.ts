/**
 * Formula injection: a spreadsheet treats a cell that begins with `=`, `+`,
 * `-` or `@` as a formula (and tab or carriage return can smuggle one in), so
 * a PR title such as `=HYPERLINK("http://evil","click")` would run when an
 * auditor opens the population. Every text cell of every CSV and XLSX export
 * goes through this one function, which prefixes such a cell with an
 * apostrophe: spreadsheets show the text as typed and never evaluate it.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** The cell text, neutralized when a spreadsheet would read it as a formula. */
export function spreadsheetSafe(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}
