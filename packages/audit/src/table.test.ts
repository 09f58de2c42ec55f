/**
 * Terminal tables fit the terminal: the widest columns give way first, cut
 * cells end in an ellipsis and a last line points to --json; piped output is
 * never cut, and hostile cell text stays escaped.
 */
import { describe, expect, it } from '@jest/globals';
import { renderTable, terminalSafe, terminalWidth } from './table.js';

const widest = (text: string) => Math.max(...text.trimEnd().split('\n').map((line) => [...line].length));

describe('renderTable', () => {
  const rows = [
    ['CC8.1', 'github:acme-corp', `pr:api#${'1'.repeat(3)}`, 'merged without an approving review by someone other than the author; the only approval came after the merge'],
    ['CC6.1', 'aws:acme-prod', 'user:deploy-bot', 'no MFA'],
  ];

  it('keeps every column at its natural width when the table fits', () => {
    const text = renderTable(['criterion', 'system', 'item', 'reason'], rows, 400);
    expect(text).toContain(rows[0]![3]);
    expect(text).not.toContain('…');
    expect(text).not.toContain('--json');
  });

  it('cuts the widest column first to fit, marks the cut and says where the full text is', () => {
    const text = renderTable(['criterion', 'system', 'item', 'reason'], rows, 80);
    const lines = text.trimEnd().split('\n');
    expect(widest(lines.slice(0, -1).join('\n'))).toBeLessThanOrEqual(80);
    // The short columns are whole; only the reason was cut.
    expect(lines[2]).toContain('github:acme-corp');
    expect(lines[2]).toContain('pr:api#111');
    expect(lines[2]).toMatch(/merged without an approving.*…$/);
    expect(lines[3]).toMatch(/no MFA$/);
    expect(lines.at(-1)).toBe('(cells cut to fit 80 columns; --json has the full text)');
  });

  it('never cuts a column below eight characters, even when the table cannot fit', () => {
    const text = renderTable(['a-long-header', 'b'], [['x'.repeat(50), 'y'.repeat(50)]], 10);
    const row = text.split('\n')[2]!;
    expect(row).toBe(`${'x'.repeat(7)}…  ${'y'.repeat(7)}…`);
  });

  it('escapes control characters before measuring, and cuts whole characters', () => {
    const text = renderTable(['name'], [['\u001b[31mred\u001b[0m'], ['😀'.repeat(30)]], 12);
    expect(text).toContain('\\x1b[31mred…');
    expect(text).toContain(`${'😀'.repeat(11)}…`);
    expect(text).not.toContain('\u001b');
  });

  it('escapes bidirectional controls, so a title cannot reorder its row', () => {
    const title = 'Fix login \u202egnp.exe\u202c';
    const text = renderTable(['item', 'title'], [['pr:api#7', title]], 400);
    expect(text).toContain('Fix login \\u202egnp.exe\\u202c');
    for (const char of ['\u061c', '\u200e', '\u200f', '\u202a', '\u202b', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(terminalSafe(`a${char}b`)).toBe(`a\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}b`);
    }
    expect(text).not.toMatch(/[\u202a-\u202e]/);
  });
});

describe('terminalWidth', () => {
  it('is $COLUMNS when set, the terminal when stdout is one, and unlimited when piped', () => {
    expect(terminalWidth({ COLUMNS: '72' }, { isTTY: false })).toBe(72);
    expect(terminalWidth({}, { isTTY: true, columns: 120 })).toBe(120);
    expect(terminalWidth({}, { isTTY: false, columns: 120 })).toBe(Number.POSITIVE_INFINITY);
    expect(terminalWidth({ COLUMNS: 'wide' }, { isTTY: false })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('renderTable of a large listing', () => {
  it('lists every row of 300,000 (a year of events): the widths were taken by spreading every cell into Math.max, past the call stack', () => {
    const many = Array.from({ length: 300_000 }, (_, index) => [`event-${index}`, 'aws:acme-prod']);
    const lines = renderTable(['key', 'system'], many, 120).trimEnd().split('\n');
    expect(lines).toHaveLength(300_002);
    expect(lines[300_001]).toBe('event-299999  aws:acme-prod');
  });
});
