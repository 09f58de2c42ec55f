/**
 * A CSV population with its IPE header in `#` lines (as the bundle writes it):
 * a spreadsheet sees each header line as one cell, none of which can start a
 * formula however hostile the source text it carries, and the population
 * reader reads the header back, from these files and from those of older
 * versions, whose `#` lines were not quoted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { csvLine } from './csv.js';
import { csvHeader } from './export-population.js';
import { POPULATION_FORMAT, type Ipe, type IpeSource } from './ipe.js';
import { COLUMNS } from './population.js';
import { readPopulation } from './read-population.js';

const HOSTILE = 'GitHub said: x,=HYPERLINK("http://evil.example/")';
const source: IpeSource = {
  stream: 'github/members',
  type: 'snapshot',
  runId: 'r1',
  manifestSequence: 1,
  manifestHash: 'h',
  status: 'complete',
  error: null,
  startedAt: '2026-02-01T00:00:00.000Z',
  finishedAt: '2026-02-01T00:01:00.000Z',
  apiTotal: null,
  recordsReceived: 1,
  requests: 1,
  identities: ['arn:aws:iam::1:user/x,+1'],
  connector: 'github 1',
  gaps: [],
  itemGaps: [{ item: 'repository acme/x', reason: `${HOSTILE}\n=1+1`, inScope: true }],
  queries: [{ method: 'GET', url: 'https://api.github.example/orgs/acme/members?role=all,@x', requestBody: null, requests: 1, statuses: [200], firstAt: 'a', lastAt: 'b' }],
};
const ipe: Ipe = {
  format: POPULATION_FORMAT,
  criterion: null,
  kind: 'access.account',
  period: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-01T00:00:00.000Z' },
  generatedAt: '2026-02-01T00:00:00.000Z',
  items: 1,
  emptyReason: null,
  lockerKeyId: 'abc',
  sources: [source],
  missingSources: [{ stream: 'aws/iam_users', kind: 'access.account', reason: `${HOSTILE}\n-1` }],
  reviewEntries: [{ sequence: 1, hash: 'e', kind: 'review', reviewId: 'AR-1', system: 'github, -2+3', addedBy: '@alice,=1', addedAt: 'c' }],
};
const row = csvLine(COLUMNS.map((column) => (column === 'record_hash' ? 'a'.repeat(64) : column === 'kind' ? 'access.account' : '')));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidentia-read-population-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function ipeRead(name: string, text: string): Promise<unknown> {
  const file = join(dir, name);
  await writeFile(file, text);
  const read: { value: Partial<Ipe> | null } = { value: null };
  let rows = 0;
  for await (const _ of readPopulation(file, read)) rows++;
  expect(rows).toBe(1);
  return read.value;
}

describe('a CSV population with its IPE header in # lines', () => {
  it('is one cell per header line to a spreadsheet, none starting a formula', () => {
    const header = csvHeader(ipe);
    const records = parse(header.slice(0, header.lastIndexOf('\r\n\r\n') + 2), { relax_column_count: true }) as string[][];
    expect(records.length).toBeGreaterThan(8);
    for (const cells of records) {
      expect(cells).toHaveLength(1);
      expect(cells[0]).toMatch(/^# /);
    }
    expect(records.map(([cell]) => cell)).toContain(`# source 1 item not read (in scope): repository acme/x: ${HOSTILE} =1+1`);
    expect(records.map(([cell]) => cell)).toContain(`# incomplete: aws/iam_users has no usable evidence of the period, so its access.account items may be missing from this population (${HOSTILE} -1)`);
    expect(records.at(-1)?.[0]).toBe(`# ipe-json: ${JSON.stringify(ipe)}`);
  });

  it('reads the header back', async () => {
    expect(await ipeRead('population.csv', csvHeader(ipe) + row)).toEqual(ipe);
  });

  it('reads the unquoted # lines of older versions back', async () => {
    const older = `# evidentia population: how this list was produced (IPE) is in these # lines; the table follows the blank line.\n# items: 1\n# ipe-json: ${JSON.stringify(ipe)}\n\n${csvLine([...COLUMNS])}${row}`;
    expect(await ipeRead('older.csv', older)).toEqual(ipe);
  });
});
