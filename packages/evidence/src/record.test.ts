/** Reading a stored record's sources from its canonical JSON without parsing the rest. */
import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './hash.js';
import type { EvidenceRecord } from './record.js';
import { sourcesOfStoredRecord } from './record-sources.js';

const h = (c: string) => c.repeat(64);
const record = (sources: string[], data: Record<string, unknown> = {}): EvidenceRecord => ({
  kind: 'access.account',
  key: 'user:"sources":[x]',
  system: 'sys "sources":[',
  stream: 'a/b',
  occurredAt: null,
  data,
  sources,
  controls: ['CC6.1'],
});

describe('sourcesOfStoredRecord', () => {
  it('reads the sources of a stored (canonical) record, whatever its data and strings hold', () => {
    expect(sourcesOfStoredRecord(canonicalJson(record([h('a'), h('b')])))).toEqual([h('a'), h('b')]);
    expect(sourcesOfStoredRecord(canonicalJson(record([])))).toEqual([]);
    // A nested "sources" in data comes before the record's own; quoted look-alikes in strings do not count.
    expect(sourcesOfStoredRecord(canonicalJson(record([h('c')], { sources: [h('d')], note: '"sources":["x"]' })))).toEqual([h('c')]);
  });

  it('parses a text of another shape whole, and names nothing for one that does not parse', () => {
    expect(sourcesOfStoredRecord(JSON.stringify({ sources: [h('e'), 'not-a-hash', 7], kind: 'x' }))).toEqual([h('e')]);
    expect(sourcesOfStoredRecord('{"sources":["abc"]')).toEqual([]);
    expect(sourcesOfStoredRecord('not json')).toEqual([]);
  });
});
