/**
 * The per-criterion status grid: one tile per criterion of the catalog,
 * grouped by criterion group, coloured and marked by what the evidence and
 * checks say (marks as well as colours, so it reads without colour too).
 */
import { html, type SafeHtml } from './html.js';
import type { CriterionRow, CriterionStatus, ReportModel } from './model.js';

export const STATUS_TEXT: Record<CriterionStatus, { mark: string; text: string }> = {
  exception: { mark: '✗', text: 'exceptions found' },
  'not-assessed': { mark: '!', text: 'partly not assessed: no evidence of the period to judge' },
  'not-assessable': { mark: '?', text: 'partly not assessable' },
  pass: { mark: '✓', text: 'checks pass' },
  evidence: { mark: '•', text: 'evidence, no automated check' },
  none: { mark: '–', text: 'no evidence collected' },
};

function tile(row: CriterionRow): SafeHtml {
  const status = STATUS_TEXT[row.status];
  // Checks that pass do not make it satisfied while its streams have a gap, an unread item in scope or unknown coverage,
  // or a request for it is overdue or was answered late: the tile says so, and is outlined for what its evidence lacks.
  const lacks = [
    row.gapStreams.length > 0 ? `coverage gap in ${row.gapStreams.join(', ')}` : null,
    row.unreadStreams.length > 0 ? `items in scope not read by ${row.unreadStreams.join(', ')}` : null,
    row.unconfiguredStreams.length > 0 ? `coverage unknown: ${row.unconfiguredStreams.join(', ')} no longer configured` : null,
  ].filter((text) => text !== null);
  const requests = row.requestProblems.length > 0 ? [`${row.requestProblems.length} evidence request problem(s): overdue, late or not judged`] : [];
  const href = row.status === 'none' ? null : `#criterion-${row.id}`;
  const body = html`<span class="id">${row.id}</span><span class="mark">${status.mark}</span>`;
  const title = [`${row.id} ${row.label}: ${status.text}`, ...lacks, ...requests].join(' · ');
  return html`<li class="tile ${row.status}${lacks.length > 0 ? ' gapped' : ''}" title="${title}">${href ? html`<a href="${href}">${body}</a>` : body}</li>`;
}

export function statusGrid(model: ReportModel): SafeHtml {
  const groups = new Map<string, CriterionRow[]>();
  for (const row of model.criteria) groups.set(row.group, [...(groups.get(row.group) ?? []), row]);
  const legend = (Object.keys(STATUS_TEXT) as CriterionStatus[]).map((status) => html`<li class="tile ${status}"><span class="mark">${STATUS_TEXT[status].mark}</span> ${STATUS_TEXT[status].text}</li>`);
  return html`<div class="grid">${[...groups].map(([group, rows]) => html`<div class="group"><h3>${group}</h3><ul>${rows.map(tile)}</ul></div>`)}</div><ul class="legend">${legend}</ul>`;
}
