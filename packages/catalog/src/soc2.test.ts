import { describe, it, expect } from '@jest/globals';
import { criteria, criteriaByCategory, MAX_LABEL_LENGTH, soc2 } from './index.js';

describe('soc2 catalog', () => {
  it('holds all 61 criteria with the per-category counts', () => {
    expect(criteria).toHaveLength(61);
    expect(criteriaByCategory('security')).toHaveLength(33);
    expect(criteriaByCategory('availability')).toHaveLength(3);
    expect(criteriaByCategory('processing_integrity')).toHaveLength(5);
    expect(criteriaByCategory('confidentiality')).toHaveLength(2);
    expect(criteriaByCategory('privacy')).toHaveLength(18);
  });

  it('has unique IDs in the TSC numbering', () => {
    const ids = criteria.map((criterion) => criterion.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(CC[1-9]|A1|PI1|C1|P[1-8])\.[1-9]$/);
  });

  it('lists the expected criteria of each group', () => {
    const countByGroup = Object.fromEntries(soc2.groups.map((group) => [group.id, 0]));
    for (const criterion of criteria) countByGroup[criterion.group] = (countByGroup[criterion.group] ?? 0) + 1;
    expect(countByGroup).toEqual({
      CC1: 5, CC2: 3, CC3: 4, CC4: 2, CC5: 3, CC6: 8, CC7: 5, CC8: 1, CC9: 2,
      A1: 3, PI1: 5, C1: 2,
      P1: 1, P2: 1, P3: 2, P4: 3, P5: 2, P6: 7, P7: 1, P8: 1,
    });
  });

  it('keeps every label and group title short, as a guard against pasted standard text', () => {
    expect(MAX_LABEL_LENGTH).toBe(80);
    for (const criterion of criteria) expect(criterion.label.length).toBeLessThanOrEqual(80);
    for (const group of soc2.groups) expect(group.title.length).toBeLessThanOrEqual(80);
  });

  it('has its own label for every criterion', () => {
    const labels = criteria.map((criterion) => criterion.label);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('carries the framework metadata and licence note', () => {
    expect(soc2).toMatchObject({
      id: 'soc2',
      version: '2017 TSC (points of focus revised 2022)',
      licence: "IDs and structure are facts; labels are evidentia's own words; the AICPA text is not reproduced",
    });
  });
});
