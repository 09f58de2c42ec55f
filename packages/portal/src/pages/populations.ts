/**
 * The populations page: the population of a criterion or of a record kind in
 * the period, chosen in one of two GET forms (no JavaScript), with its IPE
 * header (how the list was produced) shown as the CLI writes it, the other
 * kinds serving the criterion, why it is empty when it is, the CSV, XLSX and
 * IPE downloads and the seeded sample form.
 */
import { html, type SafeHtml } from '@evidentia/publish';
import { periodField, select } from '../layout.js';

/** Which population: a criterion (`--control`) or a record kind (`--kind`). */
export type PopulationChoice = { by: 'control'; value: string } | { by: 'kind'; value: string };

export interface PopulationShown {
  choice: PopulationChoice;
  /** The kind the population holds (one per population), null when empty. */
  kind: string | null;
  items: number;
  otherKinds: Array<{ kind: string; items: number }>;
  emptyReason: string | null;
  /** The IPE header lines, as the CSV's `#` lines and the XLSX's IPE sheet carry them. */
  ipeLines: string[];
}

export interface PopulationsView {
  criteria: readonly string[];
  kinds: readonly string[];
  shown: PopulationShown | null;
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

/** The CLI flags that name the same population (e.g. `--control CC6.1 --period P`). */
export const selectorOf = (choice: PopulationChoice, period: string) => `--${choice.by} ${choice.value} --period ${period}`;

function chooser(view: PopulationsView, by: 'control' | 'kind', label: string, values: readonly string[]): SafeHtml {
  const chosen = view.shown?.choice.by === by ? view.shown.choice.value : '';
  return html`<form class="filters" id="by-${by}" method="get" action="/populations">${select(by, label, values.map((value) => ({ value, text: value })), chosen)}${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Show by ${label}</button></form>`;
}

function downloads(shown: PopulationShown, period: string): SafeHtml {
  const carried = html`<input type="hidden" name="${shown.choice.by}" value="${shown.choice.value}"><input type="hidden" name="period" value="${period}">`;
  const selector = selectorOf(shown.choice, period);
  return html`<section id="population-downloads"><h2>Downloads</h2>
<p>As <code>evidentia export population ${selector} --format csv|xlsx</code> writes it:</p>
<form method="get" action="/populations/population.csv">${carried}<button type="submit">Download CSV</button></form>
<form method="get" action="/populations/population.xlsx">${carried}<button type="submit">Download XLSX</button></form>
<form method="get" action="/populations/population.ipe.json">${carried}<button type="submit">Download the IPE header (JSON)</button></form>
<form id="sample" method="get" action="/populations/sample.csv">${carried}<label>seed<input name="seed" size="20" placeholder="random when empty"></label><label>size<input name="size" type="number" min="1" required size="6"></label><button type="submit">Draw sample (CSV)</button></form>
<p>The same seed and size draw the same rows as <code>evidentia sample ${selector} --seed S --size N</code>.</p></section>`;
}

function population(shown: PopulationShown, period: string): SafeHtml {
  const { choice } = shown;
  const of = choice.by === 'control' ? html`criterion ${choice.value}` : html`kind ${choice.value}`;
  return html`<p id="population-count">Period ${period}, ${of}: ${shown.items} ${shown.kind ?? ''} item${shown.items === 1 ? '' : 's'}.</p>
${shown.emptyReason ? html`<p class="notice">The population is EMPTY because ${shown.emptyReason}.</p>` : ''}
${shown.otherKinds.map((other) => html`<p class="notice other-kind">${other.items} ${other.kind} item(s) also serve ${choice.value}: a population of their own (choose kind ${other.kind}).</p>`)}
<section id="ipe"><h2>How this population was produced (IPE)</h2><pre>${shown.ipeLines.join('\n')}</pre></section>
${downloads(shown, period)}`;
}

export function populationsPage(view: PopulationsView): SafeHtml {
  return html`${chooser(view, 'control', 'criterion', view.criteria)}${chooser(view, 'kind', 'kind', view.kinds)}
${view.shown ? population(view.shown, view.period) : html`<p id="population-count">Choose a criterion or a record kind with evidence in the period ${view.period}.</p>`}`;
}
