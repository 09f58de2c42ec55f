/**
 * Accepted exceptions in the report: the acceptance cell of an exception
 * (accepted with approver, last day and reason, or why it did not hold) and
 * the acceptances in effect that no exception used. An accepted exception is
 * listed with the other exceptions: accepting it never makes it a pass.
 */
import type { CheckRun, Finding } from '@evidentia/audit';
import { html, type SafeHtml } from './html.js';

export function hasAcceptances(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.acceptance);
}

export function acceptanceCell(finding: Finding): SafeHtml {
  const mark = finding.acceptance;
  if (!mark) return html`<td></td>`;
  if (mark.status === 'accepted') return html`<td><span class="status accepted">accepted</span> (#${mark.id}) until ${mark.until}, approved by ${mark.approver}: ${mark.reason}</td>`;
  return html`<td>acceptance #${mark.id} ${mark.status === 'lapsed' ? `lapsed after ${mark.until}` : 'revoked'} (approved by ${mark.approver}: ${mark.reason})</td>`;
}

export function unusedAcceptancesBlock(run: CheckRun): SafeHtml | string {
  const unused = run.acceptances?.unused ?? [];
  if (unused.length === 0) return '';
  return html`<h3>Acceptances no exception used</h3><p>In effect at the period's end, but the check raised no exception for the item.</p><table><thead><tr><th>#</th><th>check</th><th>item</th><th>until</th><th>approver</th><th>reason</th></tr></thead><tbody>${unused.map(
    (acceptance) => html`<tr><td>${acceptance.id}</td><td>${acceptance.check}</td><td>${acceptance.item}</td><td>${acceptance.until}</td><td>${acceptance.approver}</td><td class="reason">${acceptance.reason}</td></tr>`,
  )}</tbody></table>`;
}

export function acceptedCount(run: CheckRun): number {
  return run.checks.reduce((sum, check) => sum + (check.accepted ?? 0), 0);
}
