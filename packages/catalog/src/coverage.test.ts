import { describe, it, expect } from '@jest/globals';
import { CatalogError, coverageThroughMappings } from './index.js';

describe('coverageThroughMappings', () => {
  it('counts equal-to as covering', () => {
    expect(coverageThroughMappings('A.8.16', ['CC7.2'])).toEqual({ requirement: 'A.8.16', status: 'covered', via: [{ criterion: 'CC7.2', relationship: 'equal-to' }] });
  });

  it('counts superset-of as covering', () => {
    expect(coverageThroughMappings('A.8.32', ['CC8.1']).status).toBe('covered');
    expect(coverageThroughMappings('c5:DEV-09', ['CC8.1']).status).toBe('covered');
  });

  it('never passes on subset-of or intersects-with, however many are covered', () => {
    expect(coverageThroughMappings('A.5.16', ['CC6.2'])).toMatchObject({ status: 'partial', via: [{ criterion: 'CC6.2', relationship: 'subset-of' }] });
    expect(coverageThroughMappings('A.5.18', ['CC6.2', 'CC6.3']).status).toBe('partial');
    expect(coverageThroughMappings('NIS2.21.2.b', ['CC7.2', 'CC7.3', 'CC7.4', 'CC7.5']).status).toBe('partial');
  });

  it('reports mapped but uncovered requirements as not covered', () => {
    expect(coverageThroughMappings('A.8.16', [])).toEqual({ requirement: 'A.8.16', status: 'not-covered', via: [] });
    expect(coverageThroughMappings('A.8.16', ['CC6.1']).status).toBe('not-covered');
  });

  it('reports requirements without a mapping, or with only no-relationship, as unmapped', () => {
    expect(coverageThroughMappings('A.7.7', ['CC6.1']).status).toBe('unmapped');
    expect(coverageThroughMappings('NIS2.20.1', ['CC1.4']).status).toBe('unmapped');
  });

  it('rejects unknown IDs and SOC 2 criteria', () => {
    expect(() => coverageThroughMappings('A.9.1', [])).toThrow(CatalogError);
    expect(() => coverageThroughMappings('CC6.1', ['CC6.1'])).toThrow(/direct/);
  });
});
