/**
 * The ledger for people and for auditors: a terminal table (streams, gaps,
 * criteria) and a flat CSV, one row per gap and per item a stream could not
 * read (streams without either get one row), whose cells are neutralized against spreadsheet formula injection:
 * evidence text such as an error message may begin with = + - @.
 */
import { stringify } from 'csv-stringify/sync';
import { renderFrameworkTables } from '../frameworks/render.js';
import type { FrameworkTable } from '../frameworks/status.js';
import { renderTable } from '../table.js';
import type { Gap, Ledger } from './types.js';
import { spreadsheetSafe } from '../population/spreadsheet-safe.js';

const HOUR_MS = 3_600_000;

/** "2d 4h", "3h 20m", "45m". */
export function duration(since: string, until: string): string {
  const minutes = Math.round((Date.parse(until) - Date.parse(since)) / 60_000);
  const [days, hours, rest] = [Math.floor(minutes / 1440), Math.floor((minutes % 1440) / 60), minutes % 60];
  if (days > 0) return `${days}d ${hours}h`;
  return hours > 0 ? `${hours}h ${rest}m` : `${rest}m`;
}

/** Gaps as `since..until` for a line: "a..b, c..d, e..f, and 2 more". */
export function gapList(gaps: readonly string[]): string {
  return gaps.slice(0, 3).join(', ') + (gaps.length > 3 ? `, and ${gaps.length - 3} more` : '');
}

/** An instant to the minute (`2026-05-10T14:00Z`): enough to find a gap, short enough for a line. */
export function minute(iso: string): string {
  return `${iso.slice(0, 16)}Z`;
}

export function causeText(gap: Gap): string {
  return gap.causes.map((cause) => `${cause.kind}: ${cause.detail}`).join('; ');
}

function gapState(gap: Gap): string {
  if (gap.status === 'closed') return `closed ${gap.closedAt} by ${gap.closedBy}`;
  if (gap.ongoing) return 'open, ongoing';
  return gap.closable ? 'open, back-fill possible' : 'open, cannot be closed';
}

/** `frameworks`: requirement tables of the other frameworks in scope, derived from the criteria's coverage. */
export function renderLedger(ledger: Ledger, frameworks: readonly FrameworkTable[] = []): string {
  const streams = renderTable(
    ['stream', 'type', 'schedule', 'expected', 'successful', 'failed', 'covered', 'open gaps', 'closed gaps'],
    ledger.streams.map((s) => [s.stream, s.type, `${s.schedule} ${s.timezone}`, s.expected, s.successful, s.failed, s.covered ? 'yes' : 'NO', s.gaps.filter((g) => g.status === 'open').length, s.gaps.filter((g) => g.status === 'closed').length]),
  );
  const gaps = ledger.streams.flatMap((s) => s.gaps);
  const gapTable = gaps.length
    ? renderTable(['stream', 'since', 'until', 'length', 'state', 'cause'], gaps.map((g) => [g.stream, g.since, g.until, duration(g.since, g.until), gapState(g), causeText(g)]))
    : 'no gaps\n';
  const itemGaps = ledger.streams.flatMap((s) => s.itemGaps.map((g) => [s.stream, g.item, g.inScope ? 'yes' : 'no', g.collections, g.lastAt, g.readAgainAt ?? (g.inScope ? 'NOT YET' : ''), g.reason]));
  const itemTable = itemGaps.length ? `items that could not be read:\n${renderTable(['stream', 'item', 'in scope', 'collections', 'last', 'complete again', 'reason'], itemGaps)}` : '';
  const criteria = renderTable(
    ['criterion', 'covered', 'streams', 'streams with open gaps', 'streams with unread items'],
    ledger.criteria.map((c) => [c.criterion, c.covered ? 'yes' : 'NO', c.streams.join(', '), c.gapStreams.join(', '), c.unreadStreams.join(', ')]),
  );
  const verdict = ledger.openGaps === 0 ? 'covered: no open gap' : `${ledger.openGaps} open gap${ledger.openGaps === 1 ? '' : 's'}`;
  return [
    `coverage of ${ledger.period.since} .. ${ledger.period.until} (judged up to ${ledger.evaluatedUntil})`,
    '',
    streams,
    gapTable + itemTable,
    criteria + renderFrameworkTables(frameworks),
    `${verdict}; ${ledger.closedGaps} closed\n`,
  ].join('\n');
}

export function renderLedgerCsv(ledger: Ledger): string {
  const header = ['stream', 'type', 'schedule', 'timezone', 'criteria', 'expected', 'successful', 'failed', 'covered', 'gap_status', 'gap_since', 'gap_until', 'gap_hours', 'closable', 'closed_at', 'closed_by', 'causes'];
  const rows: unknown[][] = [];
  for (const s of ledger.streams) {
    const base = [s.stream, s.type, s.schedule, s.timezone, s.controls.join(' '), s.expected, s.successful, s.failed, s.covered ? 'yes' : 'no'];
    if (s.gaps.length === 0 && s.itemGaps.length === 0) rows.push([...base, '', '', '', '', '', '', '', '']);
    for (const g of s.gaps) {
      const hours = Math.round(((Date.parse(g.until) - Date.parse(g.since)) / HOUR_MS) * 100) / 100;
      rows.push([...base, g.status, g.since, g.until, hours, g.status === 'open' ? (g.closable ? 'yes' : 'no') : '', g.closedAt ?? '', g.closedBy ?? '', causeText(g)]);
    }
    // An item the stream could not read is a gap inside it, not in time: its row has no interval. A complete
    // collection after it closes it (closed_at), as one closes a gap in time.
    for (const g of s.itemGaps) {
      const state = !g.inScope ? 'item not read, out of scope' : g.readAgainAt === null ? 'item not read' : 'item not read, complete again';
      rows.push([...base, state, '', '', '', '', g.readAgainAt ?? '', '', `${g.item}: ${g.reason} (${g.collections} collection${g.collections === 1 ? '' : 's'}, last ${g.lastAt})`]);
    }
  }
  return stringify([header, ...rows].map((row) => row.map(spreadsheetSafe)), { quoted_string: true });
}
