/**
 * A record's page: its stored data, the snapshots it came from (each with
 * its provenance and a link to the raw response as stored), and its
 * verification path to a signed manifest with each step's expected and
 * recomputed value. Everything from the locker is escaped.
 */
import { html, type SafeHtml } from '@evidentia/publish';
import type { RecordPath } from '../record-path.js';

/** The link to a record's page in a period. */
export function recordHref(kind: string, period: string, hash: string): string {
  return `/evidence/record?${new URLSearchParams({ kind, period, hash }).toString()}`;
}

/** The link to a record a check's finding rests on: the page finds its kind among those the check reads. */
export function recordOfCheckHref(check: string, period: string, hash: string): string {
  return `/evidence/record-of?${new URLSearchParams({ check, period, hash }).toString()}`;
}

export function rawHref(kind: string, period: string, hash: string, body: string): string {
  return `/evidence/raw?${new URLSearchParams({ kind, period, hash, body }).toString()}`;
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

export interface RecordView {
  path: RecordPath;
  period: string;
}

export function recordPage({ path, period }: RecordView): SafeHtml {
  const { item } = path;
  const raw = (body: string) => rawHref(item.kind, period, item.recordHash, body);
  const failed = path.checks.filter((step) => !step.ok);
  return html`<p><a href="/evidence?${new URLSearchParams({ kind: item.kind, period }).toString()}">Back to the ${item.kind} evidence of ${period}</a></p>
<section id="record"><h2>${item.kind} ${item.key}</h2>
<table class="facts"><tbody>
<tr><th>system</th><td>${item.system}</td></tr><tr><th>stream</th><td>${item.stream}</td></tr>
<tr><th>summary</th><td>${item.summary}</td></tr><tr><th>occurred</th><td>${item.occurredAt ?? 'not an event'}</td></tr>
<tr><th>first seen</th><td>${item.firstObservedAt}</td></tr><tr><th>last seen</th><td>${item.lastObservedAt}</td></tr>
<tr><th>criteria</th><td>${item.controls.join(', ')}</td></tr><tr><th>record hash</th><td><code>${item.recordHash}</code></td></tr>
</tbody></table>
<h3>Data (the stored JSON, indented)</h3>${path.json === null ? html`<p class="error">The record set of its run does not list this record: its stored data cannot be shown.</p>` : html`<pre id="record-data">${pretty(path.json)}</pre>`}</section>
<section id="snapshots"><h2>Snapshots it came from</h2>
${
  path.snapshots.length > 0
    ? html`<table><thead><tr><th>#</th><th>request</th><th>status</th><th>collected</th><th>as</th><th>entry hash</th><th>raw response</th></tr></thead><tbody>${path.snapshots.map(
        (snapshot) =>
          html`<tr><td>${snapshot.seq}</td><td>${snapshot.provenance.method} ${snapshot.provenance.url}${snapshot.provenance.requestBody === null ? '' : html`<pre>${JSON.stringify(snapshot.provenance.requestBody, null, 2)}</pre>`}</td><td>${snapshot.provenance.status}</td><td>${snapshot.provenance.collectedAt}</td><td>${snapshot.provenance.identity ?? ''}</td><td><code>${snapshot.entryHash}</code></td><td><a href="${raw(snapshot.bodyHash)}">${snapshot.bodyHash.slice(0, 12)}…</a></td></tr>`,
      )}</tbody></table>`
    : ''
}
${path.earlierSources.length > 0 ? html`<p>Read by an earlier run (the record rests on it unchanged: the same response, or one a fact of this run shows still holds, such as an AWS key listing while the key's creation time is the same): ${path.earlierSources.map((body) => html`<a href="${raw(body)}">${body.slice(0, 12)}…</a> `)}</p>` : ''}
<p>A raw response is shown as stored: credentials were redacted from the request when it was collected, and the stored bytes are never changed after.</p></section>
<section id="verification"><h2>Verification path</h2>
<p>Record → record set (Merkle root) → manifest${path.manifest ? html` #${path.manifest.sequence} <code>${path.manifest.hash}</code>` : ''} → signature, recomputed now with the functions <code>evidentia verify</code> uses, against the locker's own key and its rotations.</p>
<p class="${failed.length === 0 ? 'verified' : 'error'}" id="verification-result">${failed.length === 0 ? `All ${path.checks.length} steps check out.` : `${failed.length} of ${path.checks.length} steps do NOT check out: run evidentia verify.`}</p>
<table><thead><tr><th>step</th><th>expected</th><th>recomputed</th><th>result</th></tr></thead><tbody>${path.checks.map(
    (step) => html`<tr><td>${step.step}</td><td><code>${step.expected}</code></td><td><code>${step.found}</code></td><td><span class="status ${step.ok ? 'pass' : 'exception'}">${step.ok ? 'checks out' : 'does not check out'}</span></td></tr>`,
  )}</tbody></table></section>`;
}
