/**
 * Official requirement text from a licence holder's file, checked before
 * anything is stored: every row names a requirement of the chosen framework
 * (spellings in official-text-ids.ts), once, with text that is not empty and
 * not longer than MAX_OFFICIAL_TEXT_LENGTH. All or nothing: one bad row
 * refuses the whole file, with every problem located by file, row (as a
 * spreadsheet numbers it) and column. Requirements the file gives no text for
 * are listed, not refused: a partial import is allowed.
 */
import { CatalogError } from './errors.js';
import { requirementsOf } from './frameworks.js';
import { resolveRequirementId, unknownIdHint, type ResolvedId } from './official-text-ids.js';
import type { FrameworkId } from './requirement.js';

/** Far above any requirement's wording, low enough that a whole pasted document is caught. */
export const MAX_OFFICIAL_TEXT_LENGTH = 20_000;
const MAX_LISTED_PROBLEMS = 50;

export interface OfficialTextRow {
  /** The row number a spreadsheet shows (the header row is row 1 when it is the first). */
  row: number;
  id: string;
  text: string;
}

/** Where rows came from, to name in problems. */
export interface OfficialTextSource {
  file: string;
  idColumn: string;
  textColumn: string;
}

export interface OfficialTextProblem {
  /** Null for a problem with the file as a whole. */
  row: number | null;
  column: string | null;
  /** The ID as written, when the row has one. */
  id: string | null;
  message: string;
}

export interface OfficialText {
  framework: FrameworkId;
  /** In file order, each ID as the catalog writes it. */
  entries: { id: string; text: string }[];
  /** Requirements of the framework the file gives no text for, in catalog order. */
  missing: string[];
}

/** The file is refused; nothing from it may be stored. */
export class OfficialTextError extends CatalogError {
  override name = 'OfficialTextError';

  constructor(
    readonly file: string,
    readonly problems: OfficialTextProblem[],
  ) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map(({ row, column, message }) => {
      const where = [row === null ? null : `row ${row}`, column === null ? null : `column ${JSON.stringify(column)}`].filter(Boolean).join(', ');
      return `  ${where ? `${where}: ` : ''}${message}`;
    });
    if (problems.length > MAX_LISTED_PROBLEMS) listed.push(`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`);
    super(`${file}: nothing imported, ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${listed.join('\n')}`);
  }
}

interface Accepted extends ResolvedId {
  row: number;
  written: string;
}

/** Line breaks as one `\n` whatever the spreadsheet wrote; surrounding blanks are layout, not text. */
const normalizeText = (text: string) => text.replace(/\r\n?/g, '\n').trim();

/** A file that writes Annex A IDs without `A.` makes clause numbers that are also Annex A numbers ambiguous. */
function ambiguityProblems(accepted: Accepted[], source: OfficialTextSource): OfficialTextProblem[] {
  const bare = accepted.find((entry) => entry.bareAnnex);
  if (!bare) return [];
  return accepted
    .filter((entry) => entry.alsoAnnex !== null)
    .map((entry) => ({
      row: entry.row,
      column: source.idColumn,
      id: entry.written,
      message: `${JSON.stringify(entry.written)} is ambiguous: it is clause ${entry.id}, but this file writes Annex A controls without "A." (row ${bare.row}: ${JSON.stringify(bare.written)}), so it may mean ${entry.alsoAnnex}; write Annex A IDs with "A."`,
    }));
}

/** Check rows of official text for a framework; throws OfficialTextError listing every problem. */
export function officialTextEntries(framework: FrameworkId, rows: Iterable<OfficialTextRow>, source: OfficialTextSource): OfficialText {
  const problems: OfficialTextProblem[] = [];
  const accepted: Accepted[] = [];
  const entries: OfficialText['entries'] = [];
  const firstRow = new Map<string, number>();
  for (const { row, id: rawId, text: rawText } of rows) {
    const written = rawId.trim();
    const text = normalizeText(rawText);
    if (!written && !text) continue;
    const problem = (column: string, message: string) => problems.push({ row, column, id: written || null, message });
    const resolved = written ? resolveRequirementId(framework, written) : null;
    if (!written) problem(source.idColumn, 'no requirement ID for this text');
    else if (!resolved) {
      const hint = unknownIdHint(framework, written);
      problem(source.idColumn, `${JSON.stringify(written)} is not a requirement ID in ${framework}${hint ? ` (${hint})` : ''}`);
    } else if (firstRow.has(resolved.id)) {
      const spelled = resolved.id === written ? '' : ` (written ${JSON.stringify(written)})`;
      problem(source.idColumn, `${resolved.id}${spelled} appears twice: it already has text in row ${firstRow.get(resolved.id)}`);
    }
    if (!text) problem(source.textColumn, `no text for ${written}`);
    else if (text.length > MAX_OFFICIAL_TEXT_LENGTH) {
      problem(source.textColumn, `the text for ${written || 'this row'} is ${text.length.toLocaleString('en')} characters; at most ${MAX_OFFICIAL_TEXT_LENGTH.toLocaleString('en')} are accepted`);
    }
    if (!resolved || firstRow.has(resolved.id)) continue;
    firstRow.set(resolved.id, row);
    accepted.push({ ...resolved, row, written });
    entries.push({ id: resolved.id, text });
  }
  problems.push(...ambiguityProblems(accepted, source));
  if (problems.length === 0 && entries.length === 0) problems.push({ row: null, column: null, id: null, message: 'no rows with a requirement ID and text below the header' });
  if (problems.length > 0) throw new OfficialTextError(source.file, problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0)));
  return { framework, entries, missing: requirementsOf(framework).map(({ id }) => id).filter((id) => !firstRow.has(id)) };
}
