/**
 * How the ledger is read and shown: the period flag in the daemon's time
 * zone, the terminal table, the auditor's CSV (neutralized against formula
 * injection) and announcing each open gap only once.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeLedger } from './ledger.js';
import { notifyNewGaps } from './notified.js';
import { renderLedger, renderLedgerCsv } from './render.js';
import type { AuditNotifier, GapNotice } from '../notices.js';
import { planOf, simulate, type SimulatedStream } from './history.test-support.js';

const d = (text: string) => new Date(text);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
/** RFC 4180, enough for this test: quoted cells, doubled quotes, CRLF or LF rows. */
function parse(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < csv.length; index++) {
    const char = csv[index]!;
    if (quoted) {
      if (char === '"' && csv[index + 1] === '"') [cell, index] = [cell + '"', index + 1];
      else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') [row, cell] = [[...row, cell], ''];
    else if (char === '\n') [rows[rows.length], row, cell] = [[...row, cell], [], ''];
    else if (char !== '\r') cell += char;
  }
  return rows;
}

const MEMBERS: SimulatedStream = { id: 'github/members', type: 'state', controls: ['CC6.1'] };

function failingLedger(error: string) {
  const history = simulate({ streams: [MEMBERS], from: d('2025-12-01T00:00:00Z'), until: d('2026-02-01T00:00:00Z'), fail: (_id, at) => (at >= d('2026-01-10T00:00:00Z') && at < d('2026-01-14T00:00:00Z') ? error : null) });
  return computeLedger({ period: { since: d('2026-01-01T00:00:00Z'), until: d('2026-02-01T00:00:00Z') }, now: d('2026-03-01T00:00:00Z'), streams: [planOf(MEMBERS)], downtimes: history.downtimes }, history.facts);
}

describe('coverage output', () => {
  it('prints streams, gaps with causes and criteria', () => {
    const text = renderLedger(failingLedger('HTTP 401 Bad credentials'));
    expect(text).toContain('coverage of 2026-01-01T00:00:00.000Z .. 2026-02-01T00:00:00.000Z');
    expect(text).toMatch(/github\/members\s+state\s+0 2 \* \* \* UTC\s+31\s+27\s+4\s+NO\s+1\s+0/);
    expect(text).toMatch(/2026-01-10T14:00:00\.000Z\s+2026-01-14T02:00:00\.000Z\s+3d 12h\s+open, cannot be closed\s+stream-failed: failed 4 times: HTTP 401 Bad credentials/);
    expect(text).toMatch(/CC6\.1\s+NO\s+github\/members\s+github\/members/);
    expect(text).toContain('1 open gap; 0 closed');
  });

  it('writes a CSV for auditors whose cells cannot run as formulas', () => {
    const csv = renderLedgerCsv(failingLedger('=HYPERLINK("http://evil.example","click")'));
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['stream', 'type', 'schedule', 'timezone', 'criteria', 'expected', 'successful', 'failed', 'covered', 'gap_status', 'gap_since', 'gap_until', 'gap_hours', 'closable', 'closed_at', 'closed_by', 'causes']);
    expect(rows[1]?.slice(0, 14)).toEqual(['github/members', 'state', '0 2 * * *', 'UTC', 'CC6.1', '31', '27', '4', 'no', 'open', '2026-01-10T14:00:00.000Z', '2026-01-14T02:00:00.000Z', '84', 'no']);
    expect(rows[1]?.[16]).toBe('stream-failed: failed 4 times: =HYPERLINK("http://evil.example","click")');
    expect(rows.flat().every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
  });

  it('lists in the CSV the items a stream could not read, so a stream without a time gap does not read as whole', () => {
    const ledger = failingLedger('HTTP 502');
    const members = ledger.streams[0]!;
    members.itemGaps = [
      { item: '=repository acme/payments', reason: 'HTTP 403', inScope: true, collections: 3, lastAt: '2026-01-20T02:00:00.000Z', readAgainAt: null },
      { item: 'repository acme/web', reason: 'HTTP 404', inScope: true, collections: 1, lastAt: '2026-01-05T02:00:00.000Z', readAgainAt: '2026-01-06T02:00:00.000Z' },
    ];
    const rows = parse(renderLedgerCsv(ledger));
    expect(rows).toHaveLength(4);
    expect(rows[2]?.slice(9)).toEqual(['item not read', '', '', '', '', '', '', "'=repository acme/payments: HTTP 403 (3 collections, last 2026-01-20T02:00:00.000Z)"]);
    // One a later complete collection made up for is closed, with when.
    expect(rows[3]?.slice(9)).toEqual(['item not read, complete again', '', '', '', '', '2026-01-06T02:00:00.000Z', '', 'repository acme/web: HTTP 404 (1 collection, last 2026-01-05T02:00:00.000Z)']);
  });

  it('announces an open gap once, and a new one when it appears', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-notified-'));
    const sent: GapNotice[][] = [];
    const notifier: AuditNotifier = { gapsFound: async (gaps: GapNotice[]) => void sent.push(gaps), exceptionsFound: async () => undefined };
    const gaps = failingLedger('HTTP 502').streams[0]!.gaps;
    expect((await notifyNewGaps(dir, notifier, gaps, quiet)).length).toBe(1);
    expect(await notifyNewGaps(dir, notifier, gaps, quiet)).toEqual([]);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.[0]).toMatchObject({ stream: 'github/members', gap: { since: '2026-01-10T14:00:00.000Z', reason: 'failed 4 times: HTTP 502' } });
    const later = [...gaps, { ...gaps[0]!, key: 'github/members@2026-01-20T02:00:00.000Z', since: '2026-01-21T14:00:00.000Z' }];
    expect((await notifyNewGaps(dir, notifier, later, quiet)).map((gap) => gap.key)).toEqual(['github/members@2026-01-20T02:00:00.000Z']);
    expect(JSON.parse(await readFile(join(dir, 'notified-gaps.json'), 'utf8'))).toHaveLength(2);
  });
});
