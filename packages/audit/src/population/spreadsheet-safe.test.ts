/** The one formula-injection guard for CSV and XLSX cells. */
import { describe, expect, it } from '@jest/globals';
import { spreadsheetSafe } from './spreadsheet-safe.js';

describe('spreadsheetSafe', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    [' =1+1', "' =1+1"],
    ['\u00a0=1+1', "'\u00a0=1+1"],
    ['\u3000+1+1', "'\u3000+1+1"],
    ['\n=1+1', "'\n=1+1"],
    ['\r\n  -1', "'\r\n  -1"],
    ['\uff1d1+1', "'\uff1d1+1"],
    ['\uff0b1', "'\uff0b1"],
    ['\uff0d1', "'\uff0d1"],
    ['\uff20SUM(A1)', "'\uff20SUM(A1)"],
  ])('neutralizes %j', (input, expected) => {
    expect(spreadsheetSafe(input)).toBe(expected);
  });

  it('leaves ordinary text, numbers and empty values alone', () => {
    expect(spreadsheetSafe('Fix login = faster')).toBe('Fix login = faster');
    expect(spreadsheetSafe('acme/api#12')).toBe('acme/api#12');
    expect(spreadsheetSafe(42)).toBe('42');
    expect(spreadsheetSafe(null)).toBe('');
    expect(spreadsheetSafe(undefined)).toBe('');
    expect(spreadsheetSafe('a =not first')).toBe('a =not first');
    expect(spreadsheetSafe('  indented text')).toBe('  indented text');
    expect(spreadsheetSafe('\uff1ain full width')).toBe('\uff1ain full width');
  });
});
