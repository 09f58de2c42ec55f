/**
 * Check results as terminal tables: a summary per check, then the exceptions
 * (with their acceptance, when one names them), what was not assessed
 * (loudly), what could not be decided, what the configuration exempted (with
 * the setting and why), and acceptances in effect that found no exception.
 */
import { renderFrameworkTables } from '../frameworks/render.js';
import type { FrameworkTable } from '../frameworks/status.js';
import { renderTable } from '../table.js';
import type { AcceptanceMark, AcceptanceSummary } from './acceptances.js';
import type { Finding } from './define.js';
import { type CheckOutcome, type CheckRun, undecided } from './runner.js';

const SHOWN_PER_CHECK = 50;

/** How an exception's acceptance reads in the table: accepted with who, until when and why, or why it did not hold. */
export function acceptanceText(mark: AcceptanceMark | undefined): string {
  if (!mark) return '';
  const what = mark.status === 'accepted' ? `ACCEPTED (#${mark.id}) until ${mark.until}` : `acceptance #${mark.id} ${mark.status === 'lapsed' ? `lapsed after ${mark.until}` : 'revoked'}`;
  return `${what}, approved by ${mark.approver}: ${mark.reason}`;
}

/** A table of findings: those of a status, or `exempt` (not-assessable by a configured exemption), which the not-assessable table leaves out. */
type Listed = Finding['status'] | 'exempt';

function listedIn(finding: Finding, listed: Listed): boolean {
  if (listed === 'exempt') return finding.exempt !== undefined;
  return finding.status === listed && (listed !== 'not-assessable' || finding.exempt === undefined);
}

function listedCount(check: CheckOutcome, listed: Listed): number {
  if (listed === 'exempt') return check.exempt ?? 0;
  return listed === 'not-assessable' ? undecided(check) : check.counts[listed];
}

function findingRows(run: CheckRun, status: Listed, withAcceptance: boolean): { rows: unknown[][]; hidden: number } {
  let hidden = 0;
  const rows = run.checks.flatMap((check) => {
    const matching = check.findings.filter((finding) => listedIn(finding, status));
    hidden += listedCount(check, status) - Math.min(matching.length, SHOWN_PER_CHECK);
    return matching.slice(0, SHOWN_PER_CHECK).map((finding) => [check.id, finding.system ?? '', finding.item, finding.reason, ...(withAcceptance ? [acceptanceText(finding.acceptance)] : [])]);
  });
  return { rows, hidden };
}

function unusedAcceptances(summary: AcceptanceSummary | undefined): string {
  if (!summary || summary.unused.length === 0) return '';
  const rows = summary.unused.map((acceptance) => [acceptance.id, acceptance.check, acceptance.item, acceptance.until, acceptance.approver, acceptance.reason]);
  return `\nUNUSED ACCEPTANCES (in effect, but the check raised no exception for the item)\n${renderTable(['#', 'check', 'item', 'until', 'approver', 'reason'], rows)}`;
}

export interface CheckRenderOptions {
  /** SOC 2 criteria in scope; others are not listed. */
  criteria?: ReadonlySet<string>;
  /** Requirement tables of the other frameworks in scope. */
  frameworks?: readonly FrameworkTable[];
}

function resultText(check: CheckOutcome): string {
  if (check.result === 'error') return `ERROR: ${check.error}`;
  if (check.result === 'exceptions') {
    // Accepted exceptions are still exceptions: the result says so, it never reads as ok.
    const accepted = !check.accepted ? '' : check.accepted === check.counts.exception ? ' (all accepted)' : ` (${check.accepted} accepted)`;
    return `EXCEPTIONS${accepted}${check.counts['not-assessed'] > 0 ? ', partly NOT ASSESSED' : ''}`;
  }
  if (check.result === 'not-assessed') return check.counts.pass + check.counts['not-assessable'] > 0 ? 'partly NOT ASSESSED' : 'NOT ASSESSED';
  // What the evidence could not decide keeps its criteria unmet (as in readiness, the report and OSCAL): never a bare ok.
  if (undecided(check) > 0) return `partly NOT ASSESSABLE${check.exempt ? ` (${check.exempt} exempt)` : ''}`;
  return check.exempt ? `ok (${check.exempt} exempt)` : 'ok';
}

export function renderCheckRun(run: CheckRun, options: CheckRenderOptions = {}): string {
  const summary = run.checks.map((check) => [
    check.id,
    check.criteria.filter((criterion) => options.criteria?.has(criterion) ?? true).join(' '),
    check.counts.pass,
    check.counts.exception,
    undecided(check),
    check.counts['not-assessed'],
    resultText(check),
  ]);
  const parts = [`period ${run.period.since.toISOString()} to ${run.period.until.toISOString()} (end exclusive)\n`, renderTable(['check', 'criteria', 'pass', 'exceptions', 'not assessable', 'not assessed', 'result'], summary)];
  for (const [status, title] of [['exception', 'EXCEPTIONS'], ['not-assessed', 'NOT ASSESSED (no evidence to judge: never a pass)'], ['not-assessable', 'NOT ASSESSABLE'], ['exempt', 'EXEMPT (by a setting of the configuration: neither a pass nor against it)']] as const) {
    const withAcceptance = status === 'exception' && run.checks.some((check) => check.findings.some((finding) => finding.acceptance));
    const { rows, hidden } = findingRows(run, status, withAcceptance);
    if (rows.length === 0) continue;
    parts.push(`\n${title}\n${renderTable(['check', 'system', 'item', 'reason', ...(withAcceptance ? ['acceptance'] : [])], rows)}`);
    if (hidden > 0) parts.push(`… and ${hidden} more (see --json)\n`);
  }
  parts.push(unusedAcceptances(run.acceptances));
  if (options.frameworks && options.frameworks.length > 0) parts.push(renderFrameworkTables(options.frameworks));
  const exceptions = run.checks.reduce((sum, check) => sum + check.counts.exception, 0);
  const errors = run.checks.filter((check) => check.error).length;
  const unassessed = run.checks.filter((check) => check.counts['not-assessed'] > 0).length;
  const notAssessedText = unassessed > 0 ? `, ${unassessed} check(s) NOT ASSESSED in whole or part` : '';
  const accepted = run.checks.reduce((sum, check) => sum + (check.accepted ?? 0), 0);
  parts.push(`\n${exceptions} exception(s)${accepted > 0 ? ` (${accepted} accepted, still exceptions)` : ''}${errors ? `, ${errors} check(s) failed to run` : ''}${notAssessedText} in ${run.checks.length} checks\n`);
  return parts.join('');
}
