/**
 * The other frameworks in scope (ISO/IEC 27001, NIS2, C5): one table per
 * framework, one row per requirement mapped to SOC 2, with its status through
 * the mappings and the criteria it goes through. Partial support is marked
 * as such and never coloured as a pass.
 */
import { type FrameworkTable, REQUIREMENT_STATUS_TEXT, viaText } from '@evidentia/audit';
import { html, type SafeHtml } from './html.js';
import type { ReportModel } from './model.js';

function frameworkTable(table: FrameworkTable): SafeHtml {
  const rows = table.rows.map((row) => {
    const status = REQUIREMENT_STATUS_TEXT[row.status];
    const mappings = row.mappings.map((link, index) => html`${index > 0 ? ', ' : ''}<span class="via ${link.support}">${viaText(link)}${link.covered ? '' : ' (not covered)'}</span>`);
    return html`<tr><td>${row.requirement}</td><td>${row.label}</td><td class="status ${row.status}">${status.mark} ${status.text}</td><td>${mappings}</td></tr>`;
  });
  return html`<section class="framework" id="framework-${table.framework}"><h3>${table.name}</h3>
${rows.length === 0 ? html`<p class="none">No requirement is mapped to a SOC 2 criterion in scope.</p>` : html`<table><thead><tr><th>requirement</th><th>label</th><th>status</th><th>through</th></tr></thead><tbody>${rows}</tbody></table>`}
${table.unmapped > 0 ? html`<p class="none">${table.unmapped} requirement(s) have no SOC 2 mapping; SOC 2 evidence says nothing about them.</p>` : ''}</section>`;
}

export function frameworksSection(model: ReportModel): SafeHtml | string {
  if (model.frameworks.length === 0) return '';
  return html`<section id="frameworks"><h2>Other frameworks through the SOC 2 mappings</h2>
<p>A SOC 2 criterion counts as covered when every check serving it passed (no exception, nothing left not assessed or not assessable; items exempt by configuration neither block nor pass it), the coverage ledger shows no open gap and no in-scope item left unread in its streams (unread with no complete collection of the stream since; those linked to it and those its checks judged, which must all still be configured), and no evidence request for it is overdue or was fulfilled late, as in the OSCAL findings; evidence that no check judges, or a report made without a configuration (no ledger), covers nothing. A requirement is covered only through a covered criterion that is equal to or a superset of it; subset or overlapping criteria make it partial, never a pass.</p>
${model.frameworks.map(frameworkTable)}</section>`;
}
