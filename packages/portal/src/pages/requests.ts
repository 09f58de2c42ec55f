/**
 * The requests page: each configured evidence request with the status of
 * its occurrences over the period (fulfilled, late, overdue, or not due yet),
 * the document entries with their hashes (current and superseded, as
 * `evidentia evidence list`), and the access reviews with their state (as
 * `evidentia access-review status`). Every string goes through `html`.
 */
import type { Occurrence, RequestLine, ReviewState } from '@evidentia/audit';
import type { DocumentEntry } from '@evidentia/locker';
import { html, type SafeHtml } from '@evidentia/publish';
import type { RequestsView } from '../judgements.js';
import { periodField } from '../layout.js';

/** `open` in the ledger is an occurrence whose deadline has not passed: said as "not due" to a reader. */
const statusText = (occurrence: Occurrence) => (occurrence.status === 'open' ? 'not due' : occurrence.status);

function requestRows(request: RequestLine): SafeHtml[] {
  // A per-event request no configured stream gives events to could see nothing: "nothing expected" would pass for a judgement.
  const unjudged = request.unwatched ? [html`<tr class="status-overdue"><td>${request.id}</td><td>${request.title}</td><td colspan="4">NOT JUDGED: ${request.unwatched}</td></tr>`] : [];
  if (request.occurrences.length === 0) return unjudged.length > 0 ? unjudged : [html`<tr><td>${request.id}</td><td>${request.title}</td><td colspan="4">nothing expected in the period</td></tr>`];
  return [...unjudged, ...request.occurrences.map(
    (occurrence) =>
      html`<tr class="status-${statusText(occurrence).replace(' ', '-')}"><td>${request.id}</td><td>${request.title}</td><td>${occurrence.label}</td><td>${occurrence.deadline}</td><td>${statusText(occurrence)}</td><td>${occurrence.documents.map((n) => `#${n}`).join(' ')}${occurrence.cause ? html` ${occurrence.cause}` : ''}</td></tr>`,
  )];
}

function documentRow(entry: DocumentEntry): SafeHtml {
  return html`<tr><td>${entry.sequence}</td><td>${entry.request}</td><td>${entry.fileName}</td><td>${entry.type}</td><td>${entry.effective}</td><td>${entry.addedBy}</td><td><code>${entry.content}</code></td><td>${entry.supersededBy === null ? 'current' : `superseded by #${entry.supersededBy}`}</td></tr>`;
}

function reviewRow(review: ReviewState): SafeHtml {
  const revokes = [...review.decisions.values()].filter((decision) => decision.decision === 'revoke').length;
  return html`<tr><td>${review.reviewId}</td><td>${review.system}</td><td>${review.startedAt}</td><td>${review.startedBy}</td><td>${review.body.rows.length}</td><td>${review.decisions.size}</td><td>${revokes}</td><td>${review.complete ? 'complete' : 'open'}</td></tr>`;
}

export interface RequestsPageView {
  view: RequestsView;
  offered: readonly string[];
  period: string;
  typedPeriods: boolean;
}

export function requestsPage({ view, offered, period, typedPeriods }: RequestsPageView): SafeHtml {
  const { ledger, documents, reviews } = view;
  const requests = ledger
    ? html`<p>${ledger.requests.length} requests, ${ledger.first} to ${ledger.last} (today ${ledger.today}): ${ledger.overdue} overdue.</p>
<table id="requests"><thead><tr><th>request</th><th>title</th><th>occurrence</th><th>deadline</th><th>status</th><th>documents / cause</th></tr></thead><tbody>${ledger.requests.flatMap(requestRows)}</tbody></table>`
    : html`<p id="requests">No evidence request is configured (requests: in the config).</p>`;
  return html`<form class="filters" method="get" action="/requests">${periodField(offered, period, typedPeriods)}<button type="submit">Show</button></form>
<h2>Requests</h2>
${requests}
<h2>Documents</h2>
${documents.length > 0 ? html`<table id="documents"><thead><tr><th>#</th><th>request</th><th>file</th><th>type</th><th>effective</th><th>added by</th><th>sha256</th><th>state</th></tr></thead><tbody>${documents.map(documentRow)}</tbody></table>` : html`<p id="documents">No document in the locker.</p>`}
<h2>Access reviews</h2>
${reviews.length > 0 ? html`<table id="reviews"><thead><tr><th>review</th><th>system</th><th>started</th><th>by</th><th>accounts</th><th>decided</th><th>revoke</th><th>state</th></tr></thead><tbody>${reviews.map(reviewRow)}</tbody></table>` : html`<p id="reviews">No access review in the locker.</p>`}`;
}
