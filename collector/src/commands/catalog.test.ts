import { describe, it, expect } from '@jest/globals';
import { UsageError } from '../errors.js';
import { listRequirements, showRequirement } from './catalog.js';

describe('catalog command', () => {
  it('lists all frameworks or one', () => {
    expect(listRequirements()).toHaveLength(61 + 123 + 16 + 121);
    const iso = listRequirements('iso27001');
    expect(iso.every((row) => row.framework === 'iso27001')).toBe(true);
    expect(iso.find((row) => row.id === 'A.8.32')).toMatchObject({ group: 'A.8', theme: 'technological' });
    expect(() => listRequirements('pci')).toThrow(UsageError);
  });

  it('shows a requirement with its mappings from either side', () => {
    const shown = showRequirement('CC8.1');
    expect(shown).toMatchObject({ id: 'CC8.1', framework: 'soc2' });
    expect(shown.mappings).toContainEqual(expect.objectContaining({ to: 'A.8.32', framework: 'iso27001', relationship: 'superset-of', set: 'soc2-iso27001' }));
    expect(showRequirement('A.8.32').mappings).toEqual([expect.objectContaining({ to: 'CC8.1', framework: 'soc2', relationship: 'subset-of' })]);
    expect(showRequirement('A.7.7').mappings).toEqual([]);
    expect(() => showRequirement('A.9.9')).toThrow(UsageError);
  });
});
