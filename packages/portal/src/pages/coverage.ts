/**
 * The coverage page: a calendar per stream and per evidence request over the
 * period, a row per month and a cell per day, each cell a letter the legend
 * names (colour only repeats it) and a title saying the day's state and its
 * causes; under each stream its gaps with their causes in full; then the
 * timeline of the runs started in the period. A stream is covered as
 * `evidentia coverage` judges its criteria: no open gap and no in-scope item
 * left unread. Every text from the locker
 * (errors, causes, request titles) is escaped by the html template.
 */
import { type StreamCoverage, unreadItem } from '@evidentia/audit';
import type { RunSummary } from '@evidentia/locker';
import { html, type SafeHtml } from '@evidentia/publish';
import type { DayState, RequestCalendar, StreamCalendar, StreamDay } from '../coverage-calendar.js';
import { periodField } from '../layout.js';

export const STREAM_LEGEND: Record<DayState, { mark: string; text: string }> = {
  collected: { mark: 'C', text: 'collected: a complete collection started that day' },
  covered: { mark: '+', text: 'covered: no gap, no collection started that day' },
  gap: { mark: 'G', text: 'gap: the day is not covered (the cause is given)' },
  'declared-gap': { mark: 'D', text: 'declared gap: the source declared it no longer keeps that history' },
  'closed-gap': { mark: 'B', text: 'gap closed later (back-filled by a later run)' },
  'not-judged': { mark: '.', text: 'not judged yet: after now' },
};

const REQUEST_LEGEND = {
  fulfilled: { mark: 'F', text: 'fulfilled: a document answers it, added in time' },
  late: { mark: 'L', text: 'late: answered after its deadline' },
  open: { mark: 'O', text: 'open: not answered yet, not due yet' },
  overdue: { mark: 'X', text: 'overdue: not answered, deadline passed' },
} as const;

interface Cell {
  day: string;
  mark: string;
  state: string;
  title: string;
}

/** Cells grouped a row per month, a column per day of the month (days outside the period left empty). */
function monthTable(caption: string, cells: Cell[]): SafeHtml {
  const months = [...new Set(cells.map((cell) => cell.day.slice(0, 7)))];
  const byDay = new Map(cells.map((cell) => [cell.day, cell]));
  const columns = Array.from({ length: 31 }, (_, index) => String(index + 1).padStart(2, '0'));
  return html`<table class="calendar"><caption>${caption}</caption><thead><tr><th scope="col">month</th>${columns.map((day) => html`<th scope="col">${Number(day)}</th>`)}</tr></thead><tbody>${months.map(
    (month) =>
      html`<tr><th scope="row">${month}</th>${columns.map((day) => {
        const cell = byDay.get(`${month}-${day}`);
        return cell ? html`<td class="day ${cell.state}" data-day="${cell.day}" title="${cell.title}">${cell.mark}</td>` : html`<td></td>`;
      })}</tr>`,
  )}</tbody></table>`;
}

function streamCell(day: StreamDay): Cell {
  const legend = STREAM_LEGEND[day.state];
  const parts = [`${day.day}: ${legend.text.split(':')[0]}`];
  if (day.collections > 0) parts.push(`${day.collections} collection${day.collections === 1 ? '' : 's'}`);
  if (day.closedBy) parts.push(`closed by ${day.closedBy}`);
  // The causes by kind only (the gap table below gives each in full): a period holds many days.
  if (day.causes.length > 0) parts.push(`cause: ${[...new Set(day.causes.map((cause) => cause.kind))].join(', ')}`);
  return { day: day.day, mark: legend.mark, state: day.state, title: parts.join('; ') };
}

/**
 * Covered as `evidentia coverage` judges a stream's criteria: no open gap, and no in-scope item it could not read
 * without a complete collection since (a denied repository's evidence is missing, whatever the schedule says).
 */
const wholly = (stream: StreamCoverage) => stream.covered && !stream.itemGaps.some(unreadItem);

function itemGapText(gap: StreamCoverage['itemGaps'][number]): string {
  const state = !gap.inScope ? '' : gap.readAgainAt === null ? ', NOT read again since' : `, read again ${gap.readAgainAt}`;
  return `${gap.item} (${gap.reason}, ${gap.inScope ? 'in scope' : 'out of scope'}, ${gap.collections}×, last ${gap.lastAt}${state})`;
}

function streamBadge(stream: StreamCoverage): SafeHtml {
  if (!stream.covered) return html`<span class="status exception">not covered</span>`;
  if (!wholly(stream)) return html`<span class="status exception">not covered: an in-scope item not read</span>`;
  return html`<span class="status pass">covered</span>`;
}

function streamSection(calendar: StreamCalendar): SafeHtml {
  const stream = calendar.coverage;
  const gaps = stream.gaps;
  return html`<section class="stream" data-stream="${stream.stream}"><h3>${stream.stream} ${streamBadge(stream)}</h3>
<p>${stream.type} stream, schedule <code>${stream.schedule}</code> (${stream.timezone}): ${stream.successful} of ${stream.expected} expected collections successful, ${stream.failed} failed; last success ${stream.lastSuccessAt ?? 'never'}; criteria ${stream.controls.join(', ') || 'none'}.</p>
${monthTable(`${stream.stream} by day`, calendar.days.map(streamCell))}
${
  gaps.length > 0
    ? html`<table class="gaps"><thead><tr><th>gap since</th><th>until</th><th>state</th><th>causes</th></tr></thead><tbody>${gaps.map(
        (gap) =>
          html`<tr><td>${gap.since}</td><td>${gap.until}</td><td>${gap.status === 'closed' ? `closed ${gap.closedAt ?? ''} by ${gap.closedBy ?? 'a later run'}` : gap.ongoing ? 'open, ongoing' : gap.closable ? 'open, back-fill possible' : 'open, cannot be closed'}</td><td><ul>${gap.causes.map((cause) => html`<li><strong>${cause.kind}</strong> ${cause.since} .. ${cause.until}: ${cause.detail}</li>`)}</ul></td></tr>`,
      )}</tbody></table>`
    : html`<p>No gap in the period.</p>`
}
${stream.itemGaps.length > 0 ? html`<p class="notice">Items it could not read: ${stream.itemGaps.map((gap) => html`${itemGapText(gap)} `)}</p>` : ''}</section>`;
}

function requestSection(calendar: RequestCalendar): SafeHtml {
  const cells = calendar.days
    .filter((day) => day.statuses.length > 0)
    .map((day) => {
      // The worst status of the day's occurrences is its mark; the title lists them all.
      const worst = (['overdue', 'late', 'open', 'fulfilled'] as const).find((status) => day.statuses.includes(status))!;
      return { day: day.day, mark: REQUEST_LEGEND[worst].mark, state: `request-${worst}`, title: `${day.day}: ${day.labels.join('; ')}` };
    });
  const all = calendar.days.map((day) => cells.find((cell) => cell.day === day.day) ?? { day: day.day, mark: '', state: 'request-none', title: `${day.day}: nothing expected` });
  return html`<section class="request" data-request="${calendar.id}"><h3>${calendar.id}: ${calendar.title}</h3>${monthTable(`${calendar.id} by day`, all)}</section>`;
}

function legend(entries: readonly { mark: string; text: string }[], state: (index: number) => string): SafeHtml {
  return html`<dl class="legend">${entries.map((entry, index) => html`<dt class="day ${state(index)}">${entry.mark}</dt><dd>${entry.text}</dd>`)}</dl>`;
}

export interface CoverageView {
  streams: StreamCalendar[];
  requests: RequestCalendar[] | null;
  runs: RunSummary[];
  judgedUntil: string;
  openGaps: number;
  closedGaps: number;
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

export function coveragePage(view: CoverageView): SafeHtml {
  const streamStates = Object.keys(STREAM_LEGEND);
  const requestStates = Object.keys(REQUEST_LEGEND);
  const covered = view.streams.filter((stream) => wholly(stream.coverage)).length;
  const unread = view.streams.filter((stream) => stream.coverage.covered && !wholly(stream.coverage)).length;
  return html`<form class="filters" method="get" action="/coverage">${periodField(view.offered, view.period, view.typedPeriods)}<button type="submit">Show</button></form>
<p id="coverage-summary">Period ${view.period}, judged up to ${view.judgedUntil}: ${covered} of ${view.streams.length} streams covered${unread > 0 ? `; ${unread} stream${unread === 1 ? '' : 's'} could not read an in-scope item` : ''}; ${view.openGaps} open gap${view.openGaps === 1 ? '' : 's'}, ${view.closedGaps} closed. The same ledger as <code>evidentia coverage --period ${view.period}</code>.</p>
<section id="streams"><h2>Streams</h2>${legend(Object.values(STREAM_LEGEND), (index) => streamStates[index]!)}
${view.streams.length > 0 ? view.streams.map(streamSection) : html`<p>No stream is configured: nothing is collected, so nothing is covered.</p>`}</section>
<section id="requests"><h2>Evidence requests</h2>${
    view.requests === null
      ? html`<p>No evidence request is configured.</p>`
      : html`${legend(Object.values(REQUEST_LEGEND), (index) => `request-${requestStates[index]!}`)}${view.requests.map(requestSection)}`
  }</section>
<section id="timeline"><h2>Timeline of runs</h2>${
    view.runs.length > 0
      ? html`<table class="timeline"><thead><tr><th>started</th><th>finished</th><th>trigger</th><th>status</th><th>streams</th><th>run</th></tr></thead><tbody>${[...view.runs].reverse().map(
          (run) =>
            html`<tr><td>${run.startedAt}</td><td>${run.finishedAt ?? 'not yet'}</td><td>${run.trigger}</td><td><span class="status ${run.status}">${run.status}</span></td><td>${run.streams.length}</td><td><a href="/runs?period=${encodeURIComponent(view.period)}#run-${run.runId}">${run.runId}</a></td></tr>`,
        )}</tbody></table>`
      : html`<p>No run started in the period.</p>`
  }</section>`;
}
