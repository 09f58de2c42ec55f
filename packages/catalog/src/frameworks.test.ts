import { describe, it, expect } from '@jest/globals';
import { c5, Catalog, findRequirement, frameworks, getFramework, getRequirement, iso27001, isFrameworkId, nis2, REQUIREMENT_ID_PATTERNS, requirementsOf } from './index.js';

function countBy<T>(items: readonly T[], key: (item: T) => string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item) ?? '(none)';
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

describe('framework catalogs', () => {
  it('lists the four frameworks in a fixed order', () => {
    expect(frameworks.map((framework) => framework.id)).toEqual(['soc2', 'iso27001', 'nis2', 'c5']);
    expect(isFrameworkId('c5')).toBe(true);
    expect(isFrameworkId('pci')).toBe(false);
  });

  it('holds the ISO/IEC 27001:2022 clauses and all 93 Annex A controls by theme', () => {
    const annex = iso27001.requirements.filter((requirement) => requirement.id.startsWith('A.'));
    expect(annex).toHaveLength(93);
    expect(countBy(annex, (requirement) => requirement.theme)).toEqual({ organizational: 37, people: 8, physical: 14, technological: 34 });
    const clauses = iso27001.requirements.filter((requirement) => !requirement.id.startsWith('A.'));
    expect(clauses).toHaveLength(30);
    expect(clauses.every((requirement) => requirement.theme === undefined)).toBe(true);
    expect(clauses.map((requirement) => requirement.id)).toEqual(expect.arrayContaining(['4.1', '6.1.3', '7.5.3', '9.2.2', '9.3.3', '10.2']));
  });

  it('holds the NIS2 governance, measure and reporting articles', () => {
    const ids = nis2.requirements.map((requirement) => requirement.id);
    expect(ids.filter((id) => id.startsWith('NIS2.21.2.'))).toEqual('abcdefghij'.split('').map((letter) => `NIS2.21.2.${letter}`));
    expect(ids).toEqual(expect.arrayContaining(['NIS2.20.1', 'NIS2.20.2', 'NIS2.23.4.a', 'NIS2.23.4.b', 'NIS2.23.4.d']));
    expect(nis2.licence).toMatch(/European Union/);
  });

  it('holds the 121 C5:2020 criteria in 17 areas', () => {
    expect(c5.requirements).toHaveLength(121);
    expect(countBy(c5.requirements, (requirement) => requirement.group)).toEqual({
      OIS: 7, SP: 3, HR: 6, AM: 6, PS: 7, OPS: 24, IDM: 9, CRY: 4, COS: 8,
      PI: 3, DEV: 10, SSO: 5, SIM: 5, BCM: 4, COM: 4, INQ: 4, PSS: 12,
    });
  });

  it('keeps SOC 2 at 61 criteria', () => {
    expect(requirementsOf('soc2')).toHaveLength(61);
  });

  it('keeps every label and title short, as a guard against pasted standard text', () => {
    for (const framework of frameworks) {
      for (const requirement of framework.requirements) expect(requirement.label.length).toBeLessThanOrEqual(80);
      for (const group of framework.groups) expect(group.title.length).toBeLessThanOrEqual(80);
    }
  });

  it('records source, version and licence for each framework', () => {
    for (const framework of frameworks) {
      expect(framework.source).not.toBe('');
      expect(framework.version).not.toBe('');
      expect(framework.licence).not.toBe('');
    }
  });

  it('uses well-formed IDs that are unique across all frameworks, and distinct labels', () => {
    const all = frameworks.flatMap((framework) => framework.requirements);
    for (const requirement of all) expect(requirement.id).toMatch(REQUIREMENT_ID_PATTERNS[requirement.framework]);
    expect(new Set(all.map((requirement) => requirement.id)).size).toBe(all.length);
    for (const framework of frameworks) {
      const labels = framework.requirements.map((requirement) => requirement.label);
      expect(new Set(labels).size).toBe(labels.length);
    }
  });
});

describe('requirement look-up', () => {
  it('finds any framework ID, plain or qualified', () => {
    expect(findRequirement('CC6.2')).toMatchObject({ framework: 'soc2', group: 'CC6' });
    expect(findRequirement('A.5.16')).toMatchObject({ framework: 'iso27001', group: 'A.5', theme: 'organizational' });
    expect(findRequirement('9.2.1')).toMatchObject({ framework: 'iso27001', group: '9' });
    expect(findRequirement('NIS2.21.2.b')).toMatchObject({ framework: 'nis2' });
    expect(findRequirement('IDM-02')).toMatchObject({ framework: 'c5', group: 'IDM' });
    expect(findRequirement('iso27001:A.8.32')).toMatchObject({ id: 'A.8.32' });
    expect(findRequirement('c5:A.8.32')).toBeUndefined();
    expect(findRequirement('A.5.38')).toBeUndefined();
    expect(findRequirement('OPS-25')).toBeUndefined();
  });

  it('looks up within one framework only', () => {
    expect(getRequirement('c5', 'SIM-05')).toMatchObject({ id: 'SIM-05' });
    expect(getRequirement('iso27001', 'SIM-05')).toBeUndefined();
    expect(getFramework('nis2').name).toBe('NIS2 Directive');
  });
});

describe('catalog schema', () => {
  const base = { id: 'c5', name: 'n', version: 'v', source: 's', licence: 'l', groups: [{ id: 'SIM', title: 'Incidents' }] };
  const requirement = { id: 'SIM-01', framework: 'c5', group: 'SIM', label: 'A short label' };

  it('accepts a well-formed catalog', () => {
    expect(Catalog.safeParse({ ...base, requirements: [requirement] }).success).toBe(true);
  });

  it.each([
    ['a label past 80 characters', { label: 'x'.repeat(81) }],
    ['an ID in another framework format', { id: 'A.5.1' }],
    ['a requirement in a missing group', { id: 'OPS-01', group: 'OPS' }],
    ['an ID outside its group', { id: 'SIMX-01' }],
    ['a theme its group does not have', { theme: 'people' }],
  ])('rejects %s', (_name, change) => {
    expect(Catalog.safeParse({ ...base, requirements: [{ ...requirement, ...change }] }).success).toBe(false);
  });

  it('rejects duplicate IDs', () => {
    expect(Catalog.safeParse({ ...base, requirements: [requirement, { ...requirement, label: 'Other' }] }).success).toBe(false);
  });
});
