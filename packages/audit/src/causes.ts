/**
 * Causes first: one altered file or row makes every check that rests on it
 * fail too (an edited record line in a bundle leaves its record set short,
 * its stream's records missing, the lines after it out of order). A
 * verification report lists all of them; this orders them so the root cause
 * comes first and folds each consequence under the cause that explains it.
 * Only the order and grouping change: every problem is still reported.
 */

/** A verification problem of the locker (no path) or of a bundle (the file it is in). */
export interface ReportedProblem {
  code: string;
  message: string;
  path?: string | null;
}

export interface RootCause<P extends ReportedProblem> {
  cause: P;
  /** Problems that follow from the cause (same file, or naming the item the cause names). */
  consequences: P[];
}

/**
 * How close to the root a problem code is: something changed, added or gone
 * at the bottom of the evidence (a file or object: 0; a row: 1) explains
 * what no longer adds up above it (a snapshot whose body is gone, a set
 * whose member is gone, a signature over changed bytes: 2 to 4). Codes not
 * listed rank as items (1), so a new check is never hidden under another.
 */
const DEPTH: Record<string, number> = {
  'file-altered': 0,
  'file-missing': 0,
  'file-added': 0,
  'zip-ambiguous': 0,
  'file-unreadable': 0,
  'index-invalid': 0,
  'index-signature-invalid': 0,
  'index-unsigned': 0,
  'key-mismatch': 0,
  // A stored object whose bytes changed or went: whatever read it (a manifest, a snapshot, a document entry) fails because of it.
  'object-altered': 0,
  'object-missing': 0,
  'snapshot-altered': 2,
  'snapshot-missing': 2,
  'record-missing': 2,
  'record-set-altered': 3,
  'chain-broken': 3,
  'signature-invalid': 3,
  'records-unordered': 4,
};
const depthOf = (code: string) => DEPTH[code] ?? 1;

const HASH = /\b[0-9a-f]{64}\b/g;

/** Whether `cause` explains `problem`: it lies deeper, and is in the same file or names an item (a hash, a file) the problem names. */
function explains(cause: ReportedProblem, problem: ReportedProblem): boolean {
  if (depthOf(cause.code) >= depthOf(problem.code)) return false;
  if (cause.path && (problem.path === cause.path || problem.message.includes(cause.path))) return true;
  return (cause.message.match(HASH) ?? []).some((hash) => problem.message.includes(hash));
}

/** The problems as root causes, deepest first (in the order found among equals), each with the consequences it explains. */
export function causesFirst<P extends ReportedProblem>(problems: readonly P[]): Array<RootCause<P>> {
  const ordered = problems.map((problem, position) => ({ problem, position })).sort((a, b) => depthOf(a.problem.code) - depthOf(b.problem.code) || a.position - b.position);
  const findings: Array<RootCause<P>> = [];
  for (const { problem } of ordered) {
    // Through a consequence too: an edited line explains a record set that no longer adds up, which explains its stream's missing records.
    const finding = findings.find((candidate) => [candidate.cause, ...candidate.consequences].some((known) => explains(known, problem)));
    if (finding) finding.consequences.push(problem);
    else findings.push({ cause: problem, consequences: [] });
  }
  return findings;
}

/** Terminal lines of the findings: the cause as `PROBLEM code path: message`, its consequences indented under it. */
export function renderRootCauses<P extends ReportedProblem>(causes: ReadonlyArray<RootCause<P>>, text: (problem: P) => string): string[] {
  return causes.flatMap(({ cause, consequences }) => [
    `PROBLEM ${text(cause)}`,
    ...(consequences.length > 0 ? [`  which explains ${consequences.length} more:`, ...consequences.map((problem) => `  - ${text(problem)}`)] : []),
  ]);
}
