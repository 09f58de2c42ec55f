/**
 * The exceptions page: every exception the checks in scope found in the
 * period, filterable by check, system, criterion (of the check) and status
 * (open, accepted) with a GET form. An accepted exception stays an
 * exception; an acceptance that lapsed or was revoked leaves it open. Each
 * row links to the records it rests on (their record pages). A check that
 * stopped with an error is named, since its exceptions may be missing.
 */
import type { CheckOutcome, CheckRun, Finding } from '@evidentia/audit';
import { html, type SafeHtml } from '@evidentia/publish';
import { periodField, select } from '../layout.js';
import { recordOfCheckHref } from './record.js';

export const EXCEPTION_STATUSES = ['all', 'open', 'accepted'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

export interface ExceptionFilter {
  check: string;
  /** '' means every system; SEVERAL the exceptions that span systems. */
  system: string;
  criterion: string;
  status: ExceptionStatus;
}

export const SEVERAL = 'several systems';

export interface ExceptionRow {
  check: string;
  finding: Finding;
}

const accepted = (finding: Finding) => finding.acceptance?.status === 'accepted';

const exceptionsOf = (outcome: CheckOutcome) => outcome.findings.filter((finding) => finding.status === 'exception');
const systemOf = (finding: Finding) => finding.system ?? SEVERAL;
/** The checks a filter keeps (check and criterion are the check's). */
const keptChecks = (run: CheckRun, filter: ExceptionFilter) => run.checks.filter((outcome) => (filter.check === '' || outcome.id === filter.check) && (filter.criterion === '' || outcome.criteria.includes(filter.criterion)));

/** The exceptions of the run that pass the filter ('' means every check, system, criterion). */
export function exceptionRows(run: CheckRun, filter: ExceptionFilter): ExceptionRow[] {
  return keptChecks(run, filter)
    .flatMap((outcome) => exceptionsOf(outcome).map((finding) => ({ check: outcome.id, finding })))
    .filter(({ finding }) => filter.system === '' || systemOf(finding) === filter.system)
    .filter(({ finding }) => filter.status === 'all' || (filter.status === 'accepted') === accepted(finding));
}

function acceptanceCell(finding: Finding): SafeHtml | string {
  const mark = finding.acceptance;
  if (!mark) return html`<span class="status open">open</span>`;
  const label = mark.status === 'accepted' ? 'accepted' : `open (acceptance ${mark.status})`;
  return html`<span class="status ${mark.status === 'accepted' ? 'accepted' : 'open'}">${label}</span> #${mark.id} until ${mark.until} by ${mark.approver}: ${mark.reason}`;
}

function row({ check, finding }: ExceptionRow, period: string): SafeHtml {
  return html`<tr><td>${check}</td><td>${finding.item}</td><td>${systemOf(finding)}</td><td>${finding.reason}</td><td>${acceptanceCell(finding)}</td><td>${finding.records.map((hash) => html`<a href="${recordOfCheckHref(check, period, hash)}"><code title="${hash}">${hash.slice(0, 12)}</code></a> `)}</td></tr>`;
}

export interface ExceptionsView {
  run: CheckRun;
  filter: ExceptionFilter;
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

export function exceptionsPage(view: ExceptionsView): SafeHtml {
  const failing = view.run.checks.filter((outcome) => outcome.counts.exception > 0);
  const checks = [{ value: '', text: 'every check' }, ...failing.map((outcome) => ({ value: outcome.id, text: `${outcome.id} (${outcome.counts.exception})` }))];
  const every = (text: string, values: Iterable<string>) => [{ value: '', text }, ...[...new Set(values)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((value) => ({ value, text: value }))];
  const systems = every('every system', failing.flatMap((outcome) => exceptionsOf(outcome).map(systemOf)));
  const criteria = every('every criterion', failing.flatMap((outcome) => outcome.criteria));
  const rows = exceptionRows(view.run, view.filter);
  // The runner keeps a bounded number of findings per check for display: say so rather than list fewer silently.
  const cut = keptChecks(view.run, view.filter).filter((outcome) => exceptionsOf(outcome).length < outcome.counts.exception);
  // A check that stopped with an error found only some of its exceptions, or none: never read as "no exception".
  const stopped = keptChecks(view.run, view.filter).filter((outcome) => outcome.error !== null);
  return html`<form class="filters" method="get" action="/exceptions">${select('check', 'check', checks, view.filter.check)}${select('system', 'system', systems, view.filter.system)}${select('criterion', 'criterion', criteria, view.filter.criterion)}${select('status', 'status', EXCEPTION_STATUSES.map((status) => ({ value: status, text: status })), view.filter.status)}${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Filter</button></form>
<p>Period ${view.period}: ${rows.length} exception${rows.length === 1 ? '' : 's'} shown.</p>
${stopped.length > 0 ? html`<p class="error" id="check-errors">${stopped.map((outcome) => html`${outcome.id} could not run to its end (${outcome.error}); `)}its exceptions here may be incomplete or missing: <code>evidentia check</code> says ERROR for it.</p>` : ''}
${cut.length > 0 ? html`<p class="notice">Not every exception is listed for ${cut.map((outcome) => outcome.id).join(', ')}: the page lists the first 1000 per check; <code>evidentia check --json</code> prints them all.</p>` : ''}
${rows.length > 0 ? html`<table id="exceptions"><thead><tr><th>check</th><th>item</th><th>system</th><th>reason</th><th>status</th><th>records</th></tr></thead><tbody>${rows.map((entry) => row(entry, view.period))}</tbody></table>` : html`<p id="exceptions">No exception matches this filter.</p>`}`;
}
