/**
 * The report's readiness section: per framework in scope, the counts by
 * status and the top things to do, then every requirement with all its
 * statuses, what evidences it and every missing line. Built only with the
 * `html` template, so every value from evidence is escaped by its one
 * escaping function.
 */
import { READINESS_STATUS_TEXT, type Readiness, type ReadinessStatus, type RequirementReadiness, statusCounts } from '@evidentia/audit';
import { html, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';

/** The report's existing status colours: problems red, what is not yet due amber, ready green. */
const STATUS_CLASS: Record<ReadinessStatus, string> = {
  exceptions: 'exception',
  overdue: 'exception',
  gaps: 'exception',
  'not-assessed': 'not-assessed',
  'no-evidence-path': 'not-covered',
  open: 'not-assessable',
  partial: 'partial',
  ready: 'pass',
};

function statuses(requirement: RequirementReadiness): SafeHtml {
  return html`${requirement.statuses.map((status, index) => html`${index > 0 ? ' + ' : ''}<span class="status ${STATUS_CLASS[status]}">${READINESS_STATUS_TEXT[status]}</span>`)}`;
}

function row(requirement: RequirementReadiness): SafeHtml {
  const evidence = requirement.evidence.map((path) => html`<li>${path.kind} <code>${path.id}</code>: ${path.summary}${path.evidenced ? '' : ' (no evidence of the period)'}</li>`);
  const missing = requirement.missing.map((problem) => html`<li><span class="status ${STATUS_CLASS[problem.status]}">${READINESS_STATUS_TEXT[problem.status]}</span> ${problem.text}</li>`);
  return html`<tr><td>${requirement.requirement}</td><td>${requirement.label}</td><td>${statuses(requirement)}</td><td>${evidence.length > 0 ? html`<ul>${evidence}</ul>` : 'none'}</td><td>${missing.length > 0 ? html`<ul>${missing}</ul>` : 'nothing'}</td></tr>`;
}

/** One framework's readiness: counts, the top things to do and every requirement (the report's section and the portal's page). */
export function frameworkReadiness(readiness: Readiness): SafeHtml {
  const { summary } = readiness;
  return html`<section class="readiness" id="readiness-${readiness.framework}"><h3>${readiness.name}</h3>
<p>${summary.requirements} requirements: ${statusCounts(summary.byStatus)}.</p>
${summary.todo.length > 0 ? html`<p>Top things to do:</p><ol>${summary.todo.map((item) => html`<li><span class="status ${STATUS_CLASS[item.status]}">${READINESS_STATUS_TEXT[item.status]}</span> ${item.text} (${item.requirements.join(', ')})</li>`)}</ol>` : html`<p>Nothing to do: every requirement is ready.</p>`}
<table><thead><tr><th>requirement</th><th>label</th><th>status</th><th>evidenced by</th><th>missing</th></tr></thead><tbody>${readiness.requirements.map(row)}</tbody></table></section>`;
}

export function readinessSection(model: ReportModel): SafeHtml | string {
  if (model.readiness.length === 0) return '';
  return html`<section id="readiness"><h2>Readiness</h2>
<p>Per requirement: what evidences it (streams, checks, evidence requests), every status that applies and what is missing. Ready only with evidence of the period and nothing open; a requirement with an exception and a gap shows both; one reached only through SOC 2 criteria that serve part of it is partial, never ready.</p>
${model.readiness.map(frameworkReadiness)}</section>`;
}
