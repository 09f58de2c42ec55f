import { describe, expect, it } from '@jest/globals';
import { requirementsServedBy, resolveRequirement, supportOf } from './resolve.js';

describe('resolveRequirement', () => {
  it('resolves ISO 27001, NIS2 and C5 IDs to the SOC 2 criteria serving them, reading from the criterion', () => {
    expect(resolveRequirement('A.8.15')?.criteria).toEqual([{ criterion: 'CC7.2', relationship: 'intersects-with', support: 'partial' }]);
    expect(resolveRequirement('A.8.32')?.criteria).toEqual([{ criterion: 'CC8.1', relationship: 'superset-of', support: 'covering' }]);
    expect(resolveRequirement('IDM-02')?.criteria).toEqual([{ criterion: 'CC6.2', relationship: 'superset-of', support: 'covering' }]);
    const nis2 = resolveRequirement('NIS2.21.2.b');
    expect(nis2?.requirement.framework).toBe('nis2');
    expect(nis2?.criteria.map((link) => `${link.criterion} ${link.relationship} ${link.support}`)).toEqual([
      'CC7.2 subset-of partial',
      'CC7.3 subset-of partial',
      'CC7.4 subset-of partial',
      'CC7.5 subset-of partial',
    ]);
  });

  it('resolves a SOC 2 criterion to itself, and accepts framework-qualified IDs', () => {
    expect(resolveRequirement('CC6.1')?.criteria).toEqual([{ criterion: 'CC6.1', relationship: 'equal-to', support: 'covering' }]);
    expect(resolveRequirement('iso27001:A.5.16')?.criteria.map((link) => link.criterion)).toEqual(['CC6.2']);
  });

  it('leaves out no-relationship mappings and knows no made-up ID', () => {
    expect(resolveRequirement('NIS2.20.1')?.criteria).toEqual([]);
    expect(resolveRequirement('A.9.99')).toBeUndefined();
    expect(resolveRequirement('nis2:A.8.15')).toBeUndefined();
  });

  it('treats only equal-to and superset-of as covering', () => {
    expect(supportOf('equal-to')).toBe('covering');
    expect(supportOf('superset-of')).toBe('covering');
    expect(supportOf('subset-of')).toBe('partial');
    expect(supportOf('intersects-with')).toBe('partial');
  });
});

describe('requirementsServedBy', () => {
  it('lists the requirements of the frameworks in scope a criterion maps to', () => {
    const served = requirementsServedBy('CC8.1', ['soc2', 'iso27001']);
    expect(served.every((mapped) => mapped.framework === 'iso27001')).toBe(true);
    expect(served).toContainEqual({ framework: 'iso27001', requirement: 'A.8.32', relationship: 'superset-of', support: 'covering' });
    expect(served).toContainEqual({ framework: 'iso27001', requirement: 'A.8.29', relationship: 'intersects-with', support: 'partial' });
    expect(requirementsServedBy('CC8.1', ['soc2'])).toEqual([]);
    expect(requirementsServedBy('CC1.4', ['nis2']).map((mapped) => mapped.requirement)).not.toContain('NIS2.20.1');
  });
});
