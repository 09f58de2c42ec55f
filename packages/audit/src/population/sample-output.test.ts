/**
 * A sample's CSV: its `#` lines carry the seed, which the auditor (or a
 * portal query) chooses, so a spreadsheet must see each as one cell that
 * cannot start a formula; a seed with control characters is refused.
 */
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { sampleCsv } from './sample-output.js';
import { SAMPLE_FORMAT, type Sample, seedProblem } from './sample.js';
import { SAMPLING_METHOD } from './seeded-random.js';

const sampleWith = (seed: string): Sample => ({
  format: SAMPLE_FORMAT,
  method: SAMPLING_METHOD,
  seed,
  size: 1,
  all: false,
  population: { file: 'population.csv', sha256: 'f'.repeat(64), recordDigest: 'd'.repeat(64), items: 3, criterion: 'CC8.1', kind: 'change.request', period: null, generatedAt: null, otherKinds: [], missingSources: [], coverageGaps: [] },
  picks: [{ pick: 1, row: 2, kind: 'change.request', system: 'github:acme', key: 'acme/api#2', summary: '=HYPERLINK("http://evil.example/")', recordHash: 'a'.repeat(64) }],
});

/** The records a spreadsheet reads from the CSV: the header lines, the blank line, the column names and the rows. */
const spreadsheet = (text: string) => parse(text, { relax_column_count: true, skip_empty_lines: true }) as string[][];

describe('a sample as CSV', () => {
  it.each(['x,=1+1', 'x", =1+1', 'x\n=HYPERLINK("http://evil.example/")', 'x\r\n@SUM(A1)'])('keeps the seed %j inside one # cell per line', (seed) => {
    const records = spreadsheet(sampleCsv(sampleWith(seed)));
    const header = records.slice(0, records.findIndex(([first]) => first === 'pick'));
    expect(header).toHaveLength(4);
    for (const cells of header) {
      expect(cells).toHaveLength(1);
      expect(cells[0]).toMatch(/^# /);
    }
    expect(header[0]?.[0]).toContain(`seed: ${seed.replace(/[\r\n]+/g, ' ')}; size: 1 of 3`);
    expect(JSON.parse(header[3]?.[0]?.slice('# sample-json: '.length) ?? '')).toMatchObject({ seed });
    expect(records.at(-1)).toEqual(['1', '2', 'change.request', 'github:acme', 'acme/api#2', '\'=HYPERLINK("http://evil.example/")', 'a'.repeat(64)]);
  });
});

describe('seedProblem', () => {
  it.each([
    ['000A', 'x\n=1'],
    ['000D', 'x\r'],
    ['0009', '\tx'],
    ['0085', 'x\u0085'],
    ['202E', 'x\u202ey'],
    ['2066', 'x\u2066'],
  ])('refuses a seed holding U+%s, naming it', (code, seed) => {
    expect(seedProblem(seed)).toBe(`holds the control character U+${code}: give a seed of plain text`);
  });

  it('takes any plain text', () => {
    for (const seed of ['audit-2026', 'x,=1+1', 'graine d’été 2026', '監査']) expect(seedProblem(seed)).toBeNull();
  });
});
