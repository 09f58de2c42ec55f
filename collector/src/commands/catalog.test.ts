import { describe, it, expect } from '@jest/globals';
import { UsageError } from '@evidentia/audit';
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

  it('shows official text only when the locker holds some', () => {
    expect(showRequirement('CC6.1')).toMatchObject({ officialText: null, officialTextSource: null });
    const source = { sequence: 2, hash: 'a'.repeat(64), framework: 'soc2', entryCount: 1, sourceName: 'licensed.csv', sourceSha256: 'b'.repeat(64), importedAt: '2026-01-02T03:04:05.000Z' };
    expect(showRequirement('CC6.1', { framework: 'soc2', id: 'CC6.1', text: 'Synthetic text for CC6.1', source })).toMatchObject({
      officialText: 'Synthetic text for CC6.1',
      officialTextSource: { file: 'licensed.csv', sha256: 'b'.repeat(64), importedAt: '2026-01-02T03:04:05.000Z', import: 2 },
    });
  });

  it('marks requirements with official text when asked', () => {
    expect(listRequirements('soc2')[0]).not.toHaveProperty('officialText');
    const rows = listRequirements('soc2', new Set(['CC6.1']));
    expect(rows.filter((row) => row.officialText).map((row) => row.id)).toEqual(['CC6.1']);
  });
});
