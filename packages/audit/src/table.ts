/**
 * Plain-text tables for the terminal. Cells come from evidence (PR titles,
 * account names) and so are hostile input: control characters, including the
 * escape sequences a terminal would obey, are shown as visible escapes.
 */

/** A cell value made safe to print: control characters become \\xNN, newlines \\n. */
export function terminalSafe(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => (char === '\n' ? '\\n' : `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Render rows as an aligned table with a header line. */
export function renderTable(headers: string[], rows: unknown[][]): string {
  const cells = rows.map((row) => row.map(terminalSafe));
  const widths = headers.map((header, column) => Math.max(header.length, ...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n') + '\n';
}
