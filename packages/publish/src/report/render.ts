/**
 * The HTML report: one self-contained file (inline style, inline SVG, no
 * script, no network) under a Content-Security-Policy that forbids every
 * script and every fetch and allows only this file's own style sheet by its
 * hash. Exceptions come first, then the status grid, the coverage timeline,
 * each criterion's evidence and checks, and how to verify the evidence.
 */
import { createHash } from 'node:crypto';
import { type CheckOutcome, type Finding, undecided } from '@evidentia/audit';
import { acceptanceCell, acceptedCount, hasAcceptances, unusedAcceptancesBlock } from './acceptances-view.js';
import { frameworksSection } from './framework-tables.js';
import { html, trustedMarkup, type SafeHtml } from './html.js';
import { readinessSection } from './readiness-section.js';
import type { CriterionDocument, CriterionRow, ReportModel } from './model.js';
import { STATUS_TEXT, statusGrid } from './status-grid.js';
import { STYLE } from './style.js';
import { timelineSvg } from './timeline-svg.js';
import { verifySection } from './verify-section.js';

export const REPORT_CSP = (style: string) =>
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(style, 'utf8').digest('base64')}'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;

const STATUS_LABEL: Record<Finding['status'], string> = { exception: 'exception', 'not-assessed': 'not assessed', 'not-assessable': 'not assessable', pass: 'pass' };

function records(finding: Finding): SafeHtml {
  return html`${finding.records.slice(0, 3).map((hash, index) => html`${index > 0 ? ' ' : ''}<span class="hash" title="${hash}">${hash.slice(0, 12)}</span>`)}${finding.records.length > 3 ? ` +${finding.records.length - 3}` : ''}`;
}

function findingsTable(rows: { check: CheckOutcome; finding: Finding }[], withCheck: boolean): SafeHtml {
  if (rows.length === 0) return html`<p class="none">None.</p>`;
  // The exceptions table names the check instead of the status (every row is an exception), and their acceptance when any has one.
  const acceptance = hasAcceptances(rows.map(({ finding }) => finding));
  return html`<table><thead><tr><th>${withCheck ? 'check' : 'status'}</th><th>system</th><th>item</th><th>reason</th>${acceptance ? html`<th>acceptance</th>` : ''}<th>records</th></tr></thead><tbody>${rows.map(
    ({ check, finding }) =>
      html`<tr>${withCheck ? html`<td>${check.id}</td>` : html`<td class="status ${finding.status}">${finding.exempt !== undefined ? 'exempt' : STATUS_LABEL[finding.status]}</td>`}<td>${finding.system ?? ''}</td><td>${finding.item}</td><td class="reason">${finding.reason}</td>${acceptance ? acceptanceCell(finding) : ''}<td>${records(finding)}</td></tr>`,
  )}</tbody></table>`;
}

function omittedNote(check: CheckOutcome, status: Finding['status']): SafeHtml | string {
  const shown = check.findings.filter((finding) => finding.status === status).length;
  const hidden = check.counts[status] - shown;
  return hidden > 0 ? html`<p class="none">${hidden} more ${STATUS_LABEL[status]} finding(s) of ${check.id} are in checks/results.json.</p>` : '';
}

function exceptionsSection(model: ReportModel): SafeHtml {
  const rows = model.run.checks.flatMap((check) => check.findings.filter((finding) => finding.status === 'exception').map((finding) => ({ check, finding })));
  const errors = model.run.checks.filter((check) => check.error);
  return html`<section id="exceptions"><h2>Exceptions</h2>
${errors.map((check) => html`<p class="status exception">Check ${check.id} could not run: ${check.error}</p>`)}
${findingsTable(rows, true)}${model.run.checks.map((check) => omittedNote(check, 'exception'))}${unusedAcceptancesBlock(model.run)}</section>`;
}

function checkBlock(check: CheckOutcome): SafeHtml {
  const of = (status: Finding['status']) => check.findings.filter((finding) => finding.status === status).map((finding) => ({ check, finding }));
  return html`<h3>${check.title} <code>${check.id}</code></h3><p>${check.description}</p>
<p>${check.counts.pass} pass · ${check.counts.exception} exception(s)${check.accepted ? ` (${check.accepted} accepted)` : ''} · ${check.counts['not-assessed'] > 0 ? html`<span class="status not-assessed">${check.counts['not-assessed']} NOT ASSESSED</span>` : '0 not assessed'} · ${undecided(check)} not assessable${check.exempt ? ` · ${check.exempt} exempt by configuration` : ''}${check.error ? html` · <span class="status exception">could not run: ${check.error}</span>` : ''}</p>
${check.counts['not-assessed'] > 0 ? html`<details open><summary>Not assessed: no evidence of the period to judge (${check.counts['not-assessed']})</summary>${findingsTable(of('not-assessed'), false)}${omittedNote(check, 'not-assessed')}</details>` : ''}
${check.counts['not-assessable'] > 0 ? html`<details open><summary>${undecided(check) > 0 ? `Not assessable (${undecided(check)})` : ''}${undecided(check) > 0 && check.exempt ? ', ' : ''}${check.exempt ? `exempt by a setting of the configuration, neither a pass nor against it (${check.exempt})` : ''}</summary>${findingsTable(of('not-assessable'), false)}${omittedNote(check, 'not-assessable')}</details>` : ''}
${check.counts.pass > 0 ? html`<details><summary>Passing items (${check.counts.pass})</summary>${findingsTable(of('pass'), false)}${omittedNote(check, 'pass')}</details>` : ''}`;
}

function documentItem(document: CriterionDocument): SafeHtml {
  return html`<li>document ${document.sequence} <code>${document.fileName}</code> for request ${document.request} (${document.requestTitle}), effective ${document.effective}, answering ${document.answers.join(', ')}, SHA-256 <span class="hash">${document.content}</span></li>`;
}

function criterionSection(row: CriterionRow): SafeHtml {
  const status = STATUS_TEXT[row.status];
  return html`<section class="criterion ${row.status}" id="criterion-${row.id}"><h3>${row.id} ${row.label} — ${status.mark} ${status.text}</h3>
<p>Evidence in the period: ${row.evidence.length === 0 ? 'none' : row.evidence.map((e, i) => html`${i > 0 ? ', ' : ''}${e.items} ${e.kind} item(s)`)}${row.gapStreams.length > 0 ? html` · <span class="status exception">coverage gap in ${row.gapStreams.join(', ')}</span>` : ''}${row.unreadStreams.length > 0 ? html` · <span class="status exception">items in scope not read by ${row.unreadStreams.join(', ')}</span>` : ''}${row.unconfiguredStreams.length > 0 ? html` · <span class="status exception">coverage unknown: ${row.unconfiguredStreams.join(', ')} no longer configured</span>` : ''}${row.requestProblems.map((problem) => html` · <span class="status exception">${problem}</span>`)}.</p>
${row.documents.length > 0 ? html`<p>Documents answering its evidence requests:</p><ul>${row.documents.map(documentItem)}</ul>` : ''}
${row.checks.length === 0 ? html`<p class="none">No automated check serves this criterion; sample the population.</p>` : row.checks.map(checkBlock)}</section>`;
}

function summary(model: ReportModel): SafeHtml {
  const total = (status: Finding['status']) => model.run.checks.reduce((sum, check) => sum + check.counts[status], 0);
  // Items or counted documents of the period, not a status: a criterion whose checks found nothing to judge is not assessed, with no evidence behind it.
  const withEvidence = model.criteria.filter((row) => row.evidence.length > 0 || row.documents.length > 0).length;
  const gaps = model.streams.reduce((sum, stream) => sum + (stream.coverage?.gaps.length ?? 0), 0);
  return html`<ul class="cards"><li class="${total('exception') > 0 ? 'bad' : 'ok'}"><strong>${total('exception')}</strong>exceptions</li>${acceptedCount(model.run) > 0 ? html`<li class="warn"><strong>${acceptedCount(model.run)}</strong>of them accepted</li>` : ''}<li class="${total('not-assessed') > 0 ? 'bad' : 'ok'}"><strong>${total('not-assessed')}</strong>not assessed</li><li class="warn"><strong>${total('not-assessable')}</strong>not assessable</li><li class="ok"><strong>${total('pass')}</strong>passing items</li><li><strong>${model.run.checks.length}</strong>checks run</li><li><strong>${withEvidence} / ${model.criteria.length}</strong>criteria with evidence in the period</li><li><strong>${model.streams.length}</strong>streams</li>${model.coverageFromLedger ? html`<li class="${gaps > 0 ? 'bad' : 'ok'}"><strong>${gaps}</strong>coverage gaps</li>` : ''}<li><strong>${model.manifests}</strong>signed manifests</li></ul>`;
}

export function renderReport(model: ReportModel, title = 'SOC 2 evidence report'): string {
  const period = `${model.period.since.toISOString()} to ${model.period.until.toISOString()} (end exclusive)`;
  const shown = model.criteria.filter((row) => row.status !== 'none');
  const body = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP(STYLE)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trustedMarkup(STYLE)}</style></head>
<body><header><h1>${title}</h1><p class="meta">Period ${period} · generated ${model.generatedAt} · locker key <code>${model.keyId}</code></p></header>
<main>
<section id="summary"><h2>Summary</h2>${summary(model)}</section>
${exceptionsSection(model)}
<section id="criteria"><h2>Criteria at a glance</h2>${statusGrid(model)}</section>
${frameworksSection(model)}
${readinessSection(model)}
<section id="coverage"><h2>Collections over the period</h2>
<p>Each mark is a collection of a stream (green complete, red failed, amber both in the same sliver of time)${model.coverageFromLedger ? '; hatched red bands are coverage gaps' : '; schedules were not given (no configuration), so gaps are not computed'}.</p>
${timelineSvg(model)}</section>
<section id="evidence"><h2>Evidence and checks per criterion</h2>${shown.map(criterionSection)}</section>
${verifySection(model)}
</main><footer>evidentia · criteria IDs from the AICPA Trust Services Criteria; labels are evidentia's own words.</footer></body></html>
`;
  return body.text;
}
