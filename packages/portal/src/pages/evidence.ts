/**
 * The evidence page: the items of a record kind in the period, optionally of
 * one system (the population `export population --kind` writes): each with
 * its record hash and the snapshots it came from. EVIDENCE_ROWS are listed
 * a page (`?page=N`), with links to the previous and next page; the page says
 * which rows of how many it lists, never a silent cut.
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
  /** The page shown, from 1: rows (page - 1) * EVIDENCE_ROWS + 1 onward. */
  page: number;
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

/** The link to another page of the same list (kind, system and period carried along). */
function pageHref(view: EvidenceView, page: number): string {
  return `/evidence?${new URLSearchParams({ kind: view.kind, ...(view.system ? { system: view.system } : {}), period: view.period, page: String(page) }).toString()}`;
}

/** Which rows this page lists, and links to its neighbours (plain links: the portal runs no script). */
function paging(view: EvidenceView): SafeHtml {
  const { found, page } = view;
  const first = (page - 1) * EVIDENCE_ROWS;
  const pages = Math.max(1, Math.ceil(found.matched / EVIDENCE_ROWS));
  if (pages === 1 && page === 1) return html``;
  const shown = found.items.length > 0 ? html`Rows ${first + 1}–${first + found.items.length} of ${found.matched} (page ${page} of ${pages})` : html`Page ${page} is past the last page (${pages}): no rows on it`;
  const previous = page > 1 ? html` <a rel="prev" href="${pageHref(view, Math.min(page - 1, pages))}">previous page</a>` : '';
  const next = page < pages ? html` <a rel="next" href="${pageHref(view, page + 1)}">next page</a>` : '';
  return html`<nav class="pages" aria-label="pages"><p class="notice">${shown}; <code>evidentia export population --kind ${view.kind}</code> writes them all.${previous}${next}</p></nav>`;
}

export function evidencePage(view: EvidenceView): SafeHtml {
  const { found } = view;
  const systems = [{ value: '', text: 'every system' }, ...found.systems.map((system) => ({ value: system, text: system }))];
  return html`<form class="filters" method="get" action="/evidence">${select('kind', 'kind', view.kinds.map((kind) => ({ value: kind, text: kind })), view.kind)}${select('system', 'system', systems, view.system)}${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Show</button></form>
<p>Period ${view.period}: ${found.matched} ${view.kind} item${found.matched === 1 ? '' : 's'}${view.system ? html` in ${view.system}` : ''}.</p>
${downloads(view)}
${paging(view)}
${found.items.length > 0 ? html`<table id="evidence"><thead><tr><th>system</th><th>key</th><th>summary</th><th>occurred</th><th>first seen</th><th>last seen</th><th>record</th><th>snapshots</th></tr></thead><tbody>${found.items.map((item) => row(item, view.period))}</tbody></table>` : html`<p id="evidence">No item of this kind in the period${view.page > 1 ? ' on this page' : ''}.</p>`}`;
}
