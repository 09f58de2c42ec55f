import { describe, it, expect } from '@jest/globals';
import { findRequirement, MappingSet, mappingSets, mappingsFor } from './index.js';

const FIRST_AREAS = ['CC6.1', 'CC6.2', 'CC6.3', 'CC8.1', 'CC7.2', 'CC7.3', 'CC7.4', 'CC7.5', 'CC1.4'];

describe('mapping sets', () => {
  it('map SOC 2 to each other framework, with provenance', () => {
    expect(mappingSets.map((set) => set.target)).toEqual(['iso27001', 'nis2', 'c5']);
    for (const set of mappingSets) {
      expect(set.provenance).toMatchObject({ author: 'evidentia project', method: 'expert judgement' });
    }
  });

  it('point only at requirements that exist in their catalogs', () => {
    for (const set of mappingSets) {
      for (const mapping of set.mappings) {
        expect(findRequirement(mapping.source)?.framework).toBe('soc2');
        expect(findRequirement(mapping.target)?.framework).toBe(set.target);
      }
    }
  });

  it('cover the areas the collector serves first, in every target framework', () => {
    for (const set of mappingSets) {
      const sources = new Set(set.mappings.map((mapping) => mapping.source));
      for (const criterion of FIRST_AREAS) expect([set.id, criterion, sources.has(criterion)]).toEqual([set.id, criterion, true]);
    }
  });

  it('reach beyond the first areas: boundaries, malware, vulnerabilities, risk, vendors, availability', () => {
    for (const set of mappingSets) {
      const sources = new Set(set.mappings.map((mapping) => mapping.source));
      for (const criterion of ['CC3.2', 'CC4.1', 'CC6.7', 'CC7.1', 'CC9.2', 'A1.2', 'A1.3']) expect([set.id, criterion, sources.has(criterion)]).toEqual([set.id, criterion, true]);
    }
  });

  it('keep rationales short and in their own words', () => {
    for (const set of mappingSets) for (const mapping of set.mappings) expect(mapping.rationale.length).toBeLessThanOrEqual(120);
  });

  it('reject unknown relationships and duplicate pairs', () => {
    const base = { id: 'x', source: 'soc2', target: 'c5', provenance: { author: 'a', method: 'm', date: '2026-01-01' } };
    const mapping = { source: 'CC6.1', target: 'IDM-01', relationship: 'equal-to', rationale: 'r' };
    expect(MappingSet.safeParse({ ...base, mappings: [{ ...mapping, relationship: 'maps-to' }] }).success).toBe(false);
    expect(MappingSet.safeParse({ ...base, mappings: [mapping, mapping] }).success).toBe(false);
    expect(MappingSet.safeParse({ ...base, mappings: [mapping] }).success).toBe(true);
  });
});

describe('mappingsFor', () => {
  it('reads a SOC 2 criterion outwards as written', () => {
    const views = mappingsFor('CC6.2');
    expect(views).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'CC6.2', to: 'A.5.16', toFramework: 'iso27001', relationship: 'subset-of' }),
        expect.objectContaining({ from: 'CC6.2', to: 'A.5.18', relationship: 'intersects-with' }),
        expect.objectContaining({ from: 'CC6.2', to: 'NIS2.21.2.i', toFramework: 'nis2' }),
        expect.objectContaining({ from: 'CC6.2', to: 'IDM-02', toFramework: 'c5', relationship: 'superset-of' }),
      ]),
    );
  });

  it('reads a target back to SOC 2 with the relationship inverted', () => {
    expect(mappingsFor('A.5.16')).toEqual([expect.objectContaining({ from: 'A.5.16', to: 'CC6.2', toFramework: 'soc2', relationship: 'superset-of' })]);
    expect(mappingsFor('iso27001:A.8.16')).toEqual([expect.objectContaining({ to: 'CC7.2', relationship: 'equal-to' })]);
  });

  it('is empty for unmapped or unknown IDs', () => {
    expect(mappingsFor('A.7.7')).toEqual([]);
    expect(mappingsFor('nope')).toEqual([]);
  });
});
