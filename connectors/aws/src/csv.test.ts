/**
 * The RFC 4180 parser and the credential report reader: quoting, line ends,
 * malformed input refused, AWS's "no value" words turned into null.
 */
import { describe, expect, it } from '@jest/globals';
import { csvObjects, CsvError, parseCsv } from './csv.js';
import { parseCredentialReport } from './credential-report.js';
import { loadFixture } from './test-support.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF and LF', () => {
    expect(parseCsv('a,b,c\r\n"x, y","say ""hi""","two\r\nlines"\n,,\n')).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\r\nlines'],
      ['', '', ''],
    ]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('"",x\n')).toEqual([['', 'x']]);
  });

  it('refuses malformed quoting instead of shifting columns', () => {
    expect(() => parseCsv('"open,b\n')).toThrow(CsvError);
    expect(() => parseCsv('"a"b,c\n')).toThrow(/after a closing quote/);
    expect(() => parseCsv('a"b,c\n')).toThrow(/quote inside an unquoted field/);
    expect(() => csvObjects('a,b\n1,2,3\n')).toThrow(/row 2: 3 fields where the header has 2/);
  });
});

describe('parseCredentialReport', () => {
  const content = () => {
    const report = loadFixture('iam-users.json').interactions[3]!.response.body as string;
    return Buffer.from(/<Content>([^<]+)<\/Content>/.exec(report)![1]!, 'base64');
  };

  it('keys rows by ARN and turns N/A, no_information and not_supported into null', () => {
    const rows = parseCredentialReport(content());
    expect(rows.size).toBe(7);
    expect(rows.get('arn:aws:iam::123456789012:root')).toEqual({
      user: '<root_account>',
      arn: 'arn:aws:iam::123456789012:root',
      createdAt: '2023-01-10T09:00:00.000Z',
      passwordEnabled: false,
      passwordLastUsed: '2026-02-14T10:30:00.000Z',
      passwordLastChanged: null,
      mfaActive: true,
      accessKeys: [{ slot: 'access_key_1', active: true, lastRotated: '2023-02-01T12:00:00.000Z', lastUsed: '2026-05-30T06:00:00.000Z' }],
    });
    expect(rows.get('arn:aws:iam::123456789012:user/bob')?.accessKeys).toEqual([]);
  });

  it('names the column when the report changes shape', () => {
    const text = Buffer.from(content()).toString('utf8').replace('2025-11-20T12:00:00+00:00', 'yesterday');
    expect(() => parseCredentialReport(Buffer.from(text))).toThrow(/credential report: 3\.access_key_1_last_rotated: not a timestamp: "yesterday"/);
  });
});
