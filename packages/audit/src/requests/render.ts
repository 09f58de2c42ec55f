/**
 * The request ledger for people: one row per request (expected, fulfilled,
 * late, open, overdue), then every occurrence that is not fulfilled on time,
 * with its cause.
 */
import { renderTable, terminalSafe } from '../table.js';
import type { RequestLedger } from './types.js';

export function renderRequestLedger(ledger: RequestLedger): string {
  if (ledger.requests.length === 0) return '';
  const rows = ledger.requests.map((line) => [line.id, line.frequency, line.criteria.join(' '), line.owner, line.expected, line.fulfilled, line.late || '', line.open || '', line.overdue || '']);
  const pending = ledger.requests.flatMap((line) =>
    line.occurrences.filter((occurrence) => occurrence.status !== 'fulfilled').map((occurrence) => [line.id, occurrence.status, occurrence.label, terminalSafe(occurrence.cause ?? '')]),
  );
  const unwatched = ledger.requests.filter((line) => line.unwatched).map((line) => `request ${line.id} NOT JUDGED: ${line.unwatched}\n`);
  return [
    `evidence requests ${ledger.first}..${ledger.last} (as of ${ledger.today}):`,
    renderTable(['request', 'frequency', 'criteria', 'owner', 'expected', 'fulfilled', 'late', 'open', 'overdue'], rows),
    pending.length > 0 ? `occurrences not fulfilled on time:\n${renderTable(['request', 'status', 'occurrence', 'cause'], pending)}` : unwatched.length > 0 ? null : 'every occurrence due so far is fulfilled on time\n',
    ...unwatched,
  ]
    .filter((part) => part !== null)
    .join('\n');
}
