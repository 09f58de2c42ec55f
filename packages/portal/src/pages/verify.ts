/**
 * The verify section of the runs page: a POST form (with the session's CSRF
 * token) that starts `evidentia verify`, and the last result with exactly
 * what the command printed. Every role may start it: it only reads.
 */
import { html, type SafeHtml } from '@evidentia/publish';
import type { VerifyResult } from '../verify-runs.js';

function verdict(result: VerifyResult): SafeHtml {
  if (result.finishedAt === null) return html`<p class="notice">Running since ${result.startedAt} (started by ${result.startedBy}): reload this page to see the result.</p>`;
  const status = result.code === 0 ? html`<span class="status pass">verified</span>` : result.code === 1 ? html`<span class="status failed">FAILED</span>` : html`<span class="status failed">could not run (exit ${result.code ?? 'none'})</span>`;
  return html`<p>${status} Started ${result.startedAt} by ${result.startedBy}, finished ${result.finishedAt}.</p>`;
}

export function verifySection(result: VerifyResult | null, csrf: string, available: boolean): SafeHtml {
  if (!available) return html`<section id="verify"><h2>Verify the locker</h2><p>Not available in this portal: run <code>evidentia verify</code>.</p></section>`;
  return html`<section id="verify"><h2>Verify the locker</h2>
<p>Re-derives every hash, chain link and signature, as <code>evidentia verify</code> does (with the configured witnesses); it runs in the background.</p>
<form method="post" action="/runs/verify"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">Run verify</button></form>
${result ? html`${verdict(result)}${result.output ? html`<pre id="verify-output">${result.output}</pre>` : ''}` : html`<p>No verify has been run from this portal since it started.</p>`}</section>`;
}
