/**
 * Plain-text tables for the terminal. Cells come from evidence (PR titles,
 * account names) and so are hostile input: control characters, including the
 * escape sequences a terminal would obey, are shown as visible escapes, and
 * so are the bidirectional controls (a PR title holding U+202E would show
 * the rest of its row reversed, hiding what it says).
 */

/** C0, DEL and C1 controls; the Arabic letter mark, LRM and RLM; the bidi embeddings, overrides and isolates. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A cell value made safe to print: control characters become \\xNN, bidi controls \\uNNNN, newlines \\n. */
export function terminalSafe(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(CONTROLS, (char) => {
    if (char === '\n') return '\\n';
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The width tables must fit: $COLUMNS when set (so a script or test can ask for it), else the
 * terminal's width when stdout is one; piped output is never cut.
 */
export function terminalWidth(env: NodeJS.ProcessEnv = process.env, stdout: { isTTY?: boolean; columns?: number } = process.stdout): number {
  const asked = Number(env.COLUMNS);
  if (Number.isInteger(asked) && asked > 0) return asked;
  return stdout.isTTY && stdout.columns ? stdout.columns : Number.POSITIVE_INFINITY;
}

const GAP = 2;
/** No column is cut narrower than this (a narrower column is never cut). */
const MIN_COLUMN = 8;

/** Column widths that fit `width`: the widest columns give way first, down to MIN_COLUMN, never below. */
function fitWidths(natural: number[], floors: number[], width: number): number[] {
  const room = width - GAP * (natural.length - 1);
  const total = (cap: number) => natural.reduce((sum, w, i) => sum + Math.min(w, Math.max(cap, floors[i] ?? 0)), 0);
  if (total(Math.max(...natural, 0)) <= room) return natural;
  let low = 0;
  let high = Math.max(...natural, 0);
  while (low < high) {
    const cap = Math.ceil((low + high) / 2);
    if (total(cap) <= room) low = cap;
    else high = cap - 1;
  }
  return natural.map((w, i) => Math.min(w, Math.max(low, floors[i] ?? 0)));
}

/** A cell cut to `width` characters, the cut shown by an ellipsis. */
function cut(cell: string, width: number): string {
  const chars = [...cell];
  return chars.length <= width ? cell : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/**
 * Render rows as an aligned table with a header line, fitted to `width` (default: the terminal's):
 * the widest columns are cut first, and a last line says the full text is in --json.
 */
export function renderTable(headers: string[], rows: unknown[][], width: number = terminalWidth()): string {
  const cells = rows.map((row) => row.map(terminalSafe));
  // A loop, not Math.max(...cells): spread, a listing of a few hundred thousand rows overflowed the call stack.
  const natural = headers.map((header) => header.length);
  for (const row of cells) {
    for (let column = 0; column < natural.length; column++) natural[column] = Math.max(natural[column]!, [...(row[column] ?? '')].length);
  }
  const widths = fitWidths(natural, natural.map((w) => Math.min(MIN_COLUMN, w)), width);
  const line = (row: string[]) => row.map((cell, column) => cut(cell, widths[column] ?? 0).padEnd(widths[column] ?? 0)).join(' '.repeat(GAP)).trimEnd();
  const lines = [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
  const wasCut = widths.some((w, column) => w < (natural[column] ?? 0));
  return `${lines.join('\n')}\n${wasCut ? `(cells cut to fit ${width} columns; --json has the full text)\n` : ''}`;
}
