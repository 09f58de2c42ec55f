/** Check results as terminal tables: a summary per check, then the exceptions, what was not assessed (loudly) and what could not be decided. */
import { renderFrameworkTables } from '../frameworks/render.js';
import type { FrameworkTable } from '../frameworks/status.js';
import { renderTable } from '../table.js';
import type { Finding } from './define.js';
import type { CheckOutcome, CheckRun } from './runner.js';

const SHOWN_PER_CHECK = 50;

function findingRows(run: CheckRun, status: Finding['status']): { rows: unknown[][]; hidden: number } {
  let hidden = 0;
  const rows = run.checks.flatMap((check) => {
    const matching = check.findings.filter((finding) => finding.status === status);
    hidden += check.counts[status] - Math.min(matching.length, SHOWN_PER_CHECK);
    return matching.slice(0, SHOWN_PER_CHECK).map((finding) => [check.id, finding.system ?? '', finding.item, finding.reason]);
  });
  return { rows, hidden };
}

export interface CheckRenderOptions {
  /** SOC 2 criteria in scope; others are not listed. */
  criteria?: ReadonlySet<string>;
  /** Requirement tables of the other frameworks in scope. */
  frameworks?: readonly FrameworkTable[];
}

function resultText(check: CheckOutcome): string {
  if (check.result === 'error') return `ERROR: ${check.error}`;
  if (check.result === 'exceptions') return check.counts['not-assessed'] > 0 ? 'EXCEPTIONS, partly NOT ASSESSED' : 'EXCEPTIONS';
  if (check.result === 'not-assessed') return check.counts.pass + check.counts['not-assessable'] > 0 ? 'partly NOT ASSESSED' : 'NOT ASSESSED';
  return 'ok';
}

export function renderCheckRun(run: CheckRun, options: CheckRenderOptions = {}): string {
  const summary = run.checks.map((check) => [
    check.id,
    check.criteria.filter((criterion) => options.criteria?.has(criterion) ?? true).join(' '),
    check.counts.pass,
    check.counts.exception,
    check.counts['not-assessable'],
    check.counts['not-assessed'],
    resultText(check),
  ]);
  const parts = [`period ${run.period.since.toISOString()} to ${run.period.until.toISOString()} (end exclusive)\n`, renderTable(['check', 'criteria', 'pass', 'exceptions', 'not assessable', 'not assessed', 'result'], summary)];
  for (const [status, title] of [['exception', 'EXCEPTIONS'], ['not-assessed', 'NOT ASSESSED (no evidence to judge: never a pass)'], ['not-assessable', 'NOT ASSESSABLE']] as const) {
    const { rows, hidden } = findingRows(run, status);
    if (rows.length === 0) continue;
    parts.push(`\n${title}\n${renderTable(['check', 'system', 'item', 'reason'], rows)}`);
    if (hidden > 0) parts.push(`… and ${hidden} more (see --json)\n`);
  }
  if (options.frameworks && options.frameworks.length > 0) parts.push(renderFrameworkTables(options.frameworks));
  const exceptions = run.checks.reduce((sum, check) => sum + check.counts.exception, 0);
  const errors = run.checks.filter((check) => check.error).length;
  const unassessed = run.checks.filter((check) => check.counts['not-assessed'] > 0).length;
  const notAssessedText = unassessed > 0 ? `, ${unassessed} check(s) NOT ASSESSED in whole or part` : '';
  parts.push(`\n${exceptions} exception(s)${errors ? `, ${errors} check(s) failed to run` : ''}${notAssessedText} in ${run.checks.length} checks\n`);
  return parts.join('');
}
