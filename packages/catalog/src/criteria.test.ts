import { describe, it, expect } from '@jest/globals';
import { CatalogError, expandCriteriaRange, getCriterion, isCriterionId, UnknownCriterionError } from './index.js';

describe('criterion look-up', () => {
  it('finds known criteria and nothing else', () => {
    expect(getCriterion('CC6.1')).toMatchObject({ id: 'CC6.1', category: 'security', group: 'CC6' });
    expect(getCriterion('PI1.5')).toMatchObject({ category: 'processing_integrity', group: 'PI1' });
    expect(getCriterion('CC6.9')).toBeUndefined();
    expect(isCriterionId('P6.7')).toBe(true);
    expect(isCriterionId('CC9.3')).toBe(false);
    expect(isCriterionId('cc6.1')).toBe(false);
  });
});

describe('expandCriteriaRange', () => {
  it('expands a range within a group', () => {
    expect(expandCriteriaRange('CC6.1-CC6.3')).toEqual(['CC6.1', 'CC6.2', 'CC6.3']);
    expect(expandCriteriaRange('P6.6-P6.7')).toEqual(['P6.6', 'P6.7']);
    expect(expandCriteriaRange('CC8.1-CC8.1')).toEqual(['CC8.1']);
  });

  it('refuses a range across groups', () => {
    expect(() => expandCriteriaRange('CC6.8-CC7.1')).toThrow(/spans groups CC6 and CC7/);
  });

  it('refuses a range that runs backwards', () => {
    expect(() => expandCriteriaRange('CC6.3-CC6.1')).toThrow(/runs backwards/);
  });

  it('names an unknown end', () => {
    expect(() => expandCriteriaRange('CC6.1-CC6.9')).toThrow(UnknownCriterionError);
    expect(() => expandCriteriaRange('CC6.1-CC6.9')).toThrow(/"CC6\.9"/);
  });

  it('refuses text that is not a range', () => {
    expect(() => expandCriteriaRange('CC6.1')).toThrow(CatalogError);
    expect(() => expandCriteriaRange('CC6.1-CC6.2-CC6.3')).toThrow(/not a range/);
  });
});
