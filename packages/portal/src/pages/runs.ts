/** The runs page: the collection runs started in the period, newest first, each with its streams. */
import type { RunSummary } from '@evidentia/locker';
import { html, type SafeHtml } from '@evidentia/publish';
import { periodField } from '../layout.js';

function streams(run: RunSummary): SafeHtml {
  return html`<table class="streams"><thead><tr><th>stream</th><th>type</th><th>status</th><th>requests</th><th>records</th><th>source total</th><th>declared gaps</th><th>error</th></tr></thead><tbody>${run.streams.map(
    (stream) =>
      html`<tr><td>${stream.instance}/${stream.stream}</td><td>${stream.type}</td><td><span class="status ${stream.status}">${stream.status}</span></td><td>${stream.requests}</td><td>${stream.recordCount}</td><td>${stream.apiTotal ?? 'not reported'}</td><td>${stream.gaps.length + (stream.itemGaps?.length ?? 0)}</td><td>${stream.error ?? ''}</td></tr>`,
  )}</tbody></table>`;
}

function runSection(run: RunSummary): SafeHtml {
  return html`<section class="run" id="run-${run.runId}"><h2>Run ${run.sequence ?? '(no manifest)'}: <span class="status ${run.status}">${run.status}</span></h2>
<p><code>${run.runId}</code>, ${run.trigger}, started ${run.startedAt}, finished ${run.finishedAt ?? 'not yet'}${run.manifestHash ? html`, manifest <code>${run.manifestHash}</code>` : ''}.</p>
${run.streams.length > 0 ? streams(run) : html`<p>No stream recorded.</p>`}</section>`;
}

export interface RunsView {
  runs: RunSummary[];
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

export function runsPage(view: RunsView): SafeHtml {
  return html`<form class="filters" method="get" action="/runs">${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Show</button></form>
<p>Period ${view.period}: ${view.runs.length} run${view.runs.length === 1 ? '' : 's'} started in it.</p>
${view.runs.map(runSection)}`;
}
