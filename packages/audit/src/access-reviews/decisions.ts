/**
 * The decisions of a filled-in review, judged against the stored review
 * before anything is stored: every account row exactly as the review holds
 * it (an edited, added or removed row is refused, naming it), every decision
 * one of keep/revoke/change with a reviewer who does not hold the account,
 * no recorded decision changed,
 * every row decided unless partial, and something new to record (the same
 * decisions again are a duplicate). Pure: the command stores what it returns.
 */
import { UsageError } from '../errors.js';
import { spreadsheetSafe, unguarded } from '../population/spreadsheet-safe.js';
import { decidesOwnAccess } from './own-access.js';
import type { DecidedRow } from './read-decisions.js';
import { ACCOUNT_COLUMNS, COLUMNS, DECISIONS, type Decision, type DecisionEntry, type DecisionsBody, type ReviewState } from './types.js';
import { accountCells, workbookCell } from './workbook.js';

export interface DecisionsInput {
  file: string;
  sha256: string;
  rows: readonly DecidedRow[];
  partial: boolean;
}

const column = (name: (typeof COLUMNS)[number]) => COLUMNS.indexOf(name);
/** At most this many rows named in one message; the rest are counted. */
const NAMED = 20;

function listed(items: string[]): string {
  return items.length <= NAMED ? items.join('; ') : `${items.slice(0, NAMED).join('; ')}; and ${items.length - NAMED} more`;
}

/** The review a file decides, from its review_id cells. */
export function reviewIdOf(file: string, rows: readonly DecidedRow[]): string {
  const ids = [...new Set(rows.map((row) => row.cells[column('review_id')]!.trim()))];
  if (ids.length === 0) throw new UsageError(`${file}: no account rows`);
  if (ids.length > 1) throw new UsageError(`${file}: rows of several reviews (${ids.join(', ')}); import one review's file at a time`);
  return ids[0]!;
}

/**
 * A cell's text as a workbook gives it back: XML holds no control character
 * but tab and line feed (exceljs drops the rest) and reads a carriage return
 * as a line break. Compared so, an account whose name holds one (as an API
 * may send it) still matches its row.
 */
// eslint-disable-next-line no-control-regex
const asStored = (text: string) => text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

/** Rows edited, added or removed against the review, each named. */
function rowProblems(state: ReviewState, rows: readonly DecidedRow[]): string[] {
  const problems: string[] = [];
  const byNumber = new Map<string, DecidedRow[]>();
  for (const row of rows) byNumber.set(row.cells[column('row')]!, [...(byNumber.get(row.cells[column('row')]!) ?? []), row]);
  for (const expected of state.body.rows) {
    const [found, ...again] = byNumber.get(String(expected.row)) ?? [];
    byNumber.delete(String(expected.row));
    if (!found) {
      problems.push(`row ${expected.row} (${expected.account}) removed`);
      continue;
    }
    for (const extra of again) problems.push(`${extra.at} added (a second row ${expected.row})`);
    const raw = accountCells(state, expected);
    // As the workbook writes it now (cut to what a spreadsheet keeps, neutralized), as the CSV writes it (whole, neutralized),
    // or as written before the guard covered the cell (a workbook exported by an older version).
    const edited = ACCOUNT_COLUMNS.filter((_, index) => {
      const cell = asStored(found.cells[index]!);
      return ![workbookCell(raw[index]!), spreadsheetSafe(raw[index]), raw[index]!].some((written) => cell === asStored(written));
    }).map(([name]) => name);
    if (edited.length > 0) problems.push(`row ${expected.row} (${expected.account}, ${found.at}) edited: ${edited.join(', ')}`);
  }
  for (const extra of [...byNumber.values()].flat()) problems.push(`${extra.at} added (${extra.cells[column('account')] || 'no account'})`);
  return problems;
}

/** The decisions to record; refused with every problem named, so nothing is stored from a file with any. */
export function decisionsToRecord(state: ReviewState, input: DecisionsInput): DecisionsBody {
  const edited = rowProblems(state, input.rows);
  if (edited.length > 0) throw new UsageError(`${input.file}: account rows differ from review ${state.reviewId}, nothing imported: ${listed(edited)}`);
  if (state.files.includes(input.sha256)) throw new UsageError(`${input.file}: duplicate import: this file was already imported into review ${state.reviewId}, nothing imported`);
  const problems: string[] = [];
  const fresh: DecisionEntry[] = [];
  for (const row of input.rows) {
    const number = Number(row.cells[column('row')]);
    const expected = state.body.rows.find((candidate) => candidate.row === number)!;
    const text = row.cells[column('decision')]!.trim().toLowerCase();
    // The prefilled reviewer went out guarded against formula injection (`'@security-team`): recorded as named.
    const reviewer = unguarded(row.cells[column('reviewer')]!.trim()).trim();
    const comment = row.cells[column('comment')]!.trim();
    const recorded = state.decisions.get(number);
    if (text === '') continue;
    if (!(DECISIONS as readonly string[]).includes(text)) {
      problems.push(`row ${number} (${expected.account}): decision "${text}" is not ${DECISIONS.join(', ')}`);
      continue;
    }
    if (reviewer === '') {
      problems.push(`row ${number} (${expected.account}): decision ${text} without a reviewer`);
      continue;
    }
    const decision: DecisionEntry = { row: number, account: expected.account, decision: text as Decision, reviewer, comment };
    if (recorded) {
      // Recorded by an older version with the guard's apostrophe (from the CSV), the reviewer is still the same one.
      const sameReviewer = recorded.reviewer === reviewer || recorded.reviewer === spreadsheetSafe(reviewer);
      const same = recorded.decision === decision.decision && sameReviewer && recorded.comment === comment;
      if (!same) problems.push(`row ${number} (${expected.account}): already decided ${recorded.decision} by ${recorded.reviewer} at ${recorded.decidedAt}; a recorded decision is not changed`);
      continue;
    }
    if (decidesOwnAccess(expected, reviewer)) {
      problems.push(`row ${number} (${expected.account}): decided by ${reviewer}, who holds this account; nobody decides their own access, so another reviewer must`);
      continue;
    }
    fresh.push(decision);
  }
  if (problems.length > 0) throw new UsageError(`${input.file}: nothing imported: ${listed(problems)}`);
  if (!input.rows.some((row) => row.cells[column('decision')]!.trim() !== '')) throw new UsageError(`${input.file}: no decision in the decision column, nothing imported`);
  const decided = new Set([...state.decisions.keys(), ...fresh.map((decision) => decision.row)]);
  const open = state.body.rows.filter((row) => !decided.has(row.row));
  if (open.length > 0 && !input.partial) {
    throw new UsageError(`${input.file}: ${open.length} account(s) of review ${state.reviewId} have no decision, nothing imported: ${listed(open.map((row) => `row ${row.row} (${row.account})`))}; decide them or import with --partial`);
  }
  if (fresh.length === 0) throw new UsageError(`${input.file}: duplicate import: every decision in it is already recorded for review ${state.reviewId}, nothing imported`);
  return { decisions: fresh, partial: open.length > 0, file: { name: input.file.split('/').at(-1)!, sha256: input.sha256 } };
}
