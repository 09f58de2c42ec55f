/**
 * The exceptions page: every exception the checks in scope found in the
 * period, filterable by check and status (open, accepted) with a GET form.
 * An accepted exception stays an exception; an acceptance that lapsed or was
 * revoked leaves it open. Each row names the records it rests on.
 */
import type { CheckRun, Finding } from '@evidentia/audit';
import { html, type SafeHtml } from '@evidentia/publish';
import { periodField, select } from '../layout.js';

export const EXCEPTION_STATUSES = ['all', 'open', 'accepted'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export interface ExceptionFilter {
  check: string;
  status: ExceptionStatus;
}

export interface ExceptionRow {
  check: string;
  finding: Finding;
}

const accepted = (finding: Finding) => finding.acceptance?.status === 'accepted';

/** The exceptions of the run that pass the filter (check '' means every check). */
export function exceptionRows(run: CheckRun, filter: ExceptionFilter): ExceptionRow[] {
  return run.checks
    .filter((outcome) => filter.check === '' || outcome.id === filter.check)
    .flatMap((outcome) => outcome.findings.filter((finding) => finding.status === 'exception').map((finding) => ({ check: outcome.id, finding })))
    .filter(({ finding }) => filter.status === 'all' || (filter.status === 'accepted') === accepted(finding));
}

function acceptanceCell(finding: Finding): SafeHtml | string {
  const mark = finding.acceptance;
  if (!mark) return html`<span class="status open">open</span>`;
  const label = mark.status === 'accepted' ? 'accepted' : `open (acceptance ${mark.status})`;
  return html`<span class="status ${mark.status === 'accepted' ? 'accepted' : 'open'}">${label}</span> #${mark.id} until ${mark.until} by ${mark.approver}: ${mark.reason}`;
}

function row({ check, finding }: ExceptionRow): SafeHtml {
  return html`<tr><td>${check}</td><td>${finding.item}</td><td>${finding.system ?? 'several systems'}</td><td>${finding.reason}</td><td>${acceptanceCell(finding)}</td><td>${finding.records.map((hash) => html`<code title="${hash}">${hash.slice(0, 12)}</code> `)}</td></tr>`;
}

export interface ExceptionsView {
  run: CheckRun;
  filter: ExceptionFilter;
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

export function exceptionsPage(view: ExceptionsView): SafeHtml {
  const checks = [{ value: '', text: 'every check' }, ...view.run.checks.filter((outcome) => outcome.counts.exception > 0).map((outcome) => ({ value: outcome.id, text: `${outcome.id} (${outcome.counts.exception})` }))];
  const rows = exceptionRows(view.run, view.filter);
  // The runner keeps a bounded number of findings per check for display: say so rather than list fewer silently.
  const cut = view.run.checks.filter((outcome) => (view.filter.check === '' || outcome.id === view.filter.check) && outcome.findings.filter((finding) => finding.status === 'exception').length < outcome.counts.exception);
  return html`<form class="filters" method="get" action="/exceptions">${select('check', 'check', checks, view.filter.check)}${select('status', 'status', EXCEPTION_STATUSES.map((status) => ({ value: status, text: status })), view.filter.status)}${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Filter</button></form>
<p>Period ${view.period}: ${rows.length} exception${rows.length === 1 ? '' : 's'} shown.</p>
${cut.length > 0 ? html`<p class="notice">Not every exception is listed for ${cut.map((outcome) => outcome.id).join(', ')}: the page lists the first 1000 per check; <code>evidentia check --json</code> prints them all.</p>` : ''}
${rows.length > 0 ? html`<table id="exceptions"><thead><tr><th>check</th><th>item</th><th>system</th><th>reason</th><th>status</th><th>records</th></tr></thead><tbody>${rows.map(row)}</tbody></table>` : html`<p id="exceptions">No exception matches this filter.</p>`}`;
}
