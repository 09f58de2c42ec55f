/**
 * The evidence page: the items of a record kind in the period, optionally of
 * one system (the population `export population --kind` writes): each with
 * its record hash and the snapshots it came from. At most EVIDENCE_ROWS are
 * listed; the page says how many matched, never a silent cut.
 */
import type { PopulationItem } from '@evidentia/audit';
import { html, type SafeHtml } from '@evidentia/publish';
import type { EvidenceItems } from '../judgements.js';
import { periodField, select } from '../layout.js';
import { recordHref } from './record.js';

export const EVIDENCE_ROWS = 500;

function row(item: PopulationItem, period: string): SafeHtml {
  return html`<tr><td>${item.system}</td><td>${item.key}</td><td>${item.summary}</td><td>${item.occurredAt ?? ''}</td><td>${item.firstObservedAt}</td><td>${item.lastObservedAt}</td><td><a href="${recordHref(item.kind, period, item.recordHash)}"><code title="${item.recordHash}">${item.recordHash.slice(0, 12)}</code></a></td><td>${item.snapshotHashes.length}</td></tr>`;
}

export interface EvidenceView {
  kinds: readonly string[];
  kind: string;
  system: string;
  found: EvidenceItems;
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

/** The population downloads and the seeded sample form: GET forms, the period and kind carried along. */
function downloads(view: EvidenceView): SafeHtml {
  const carried = html`<input type="hidden" name="kind" value="${view.kind}"><input type="hidden" name="period" value="${view.period}">`;
  return html`<section id="population"><h2>Population and sample</h2>
<p>The ${view.kind} population of the period (every system), as <code>evidentia export population --kind ${view.kind} --period ${view.period} --format csv</code> writes it:</p>
<form method="get" action="/evidence/population.csv">${carried}<button type="submit">Download CSV</button></form>
<form method="get" action="/evidence/population.ipe.json">${carried}<button type="submit">Download its IPE header</button></form>
<form id="sample" method="get" action="/evidence/sample.csv">${carried}<label>seed<input name="seed" size="20" placeholder="random when empty"></label><label>size<input name="size" type="number" min="1" required size="6"></label><button type="submit">Draw sample (CSV)</button></form>
<p>The same seed and size draw the same rows as <code>evidentia sample --kind ${view.kind} --period ${view.period} --seed S --size N</code>.</p></section>`;
}

export function evidencePage(view: EvidenceView): SafeHtml {
  const { found } = view;
  const systems = [{ value: '', text: 'every system' }, ...found.systems.map((system) => ({ value: system, text: system }))];
  return html`<form class="filters" method="get" action="/evidence">${select('kind', 'kind', view.kinds.map((kind) => ({ value: kind, text: kind })), view.kind)}${select('system', 'system', systems, view.system)}${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Show</button></form>
<p>Period ${view.period}: ${found.matched} ${view.kind} item${found.matched === 1 ? '' : 's'}${view.system ? html` in ${view.system}` : ''}.</p>
${downloads(view)}
${found.items.length < found.matched ? html`<p class="notice">The first ${found.items.length} are listed; <code>evidentia export population --kind ${view.kind}</code> writes them all.</p>` : ''}
${found.items.length > 0 ? html`<table id="evidence"><thead><tr><th>system</th><th>key</th><th>summary</th><th>occurred</th><th>first seen</th><th>last seen</th><th>record</th><th>snapshots</th></tr></thead><tbody>${found.items.map((item) => row(item, view.period))}</tbody></table>` : html`<p id="evidence">No item of this kind in the period.</p>`}`;
}
