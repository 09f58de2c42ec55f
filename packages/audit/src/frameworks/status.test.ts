import { describe, expect, it } from '@jest/globals';
import type { CheckOutcome } from '../checks/runner.js';
import { syntheticOutcome } from '../checks/test-support.js';
import type { Ledger } from '../coverage/types.js';
import { frameworkScope, ledgerInScope, scopeOf } from './scope.js';
import { coveredCriteria, frameworkTables } from './status.js';

function outcome(criteria: string[], counts: Partial<CheckOutcome['counts']>, error: string | null = null): CheckOutcome {
  return syntheticOutcome(`check-${criteria.join('-')}`, criteria, counts, error);
}

const rowOf = (tables: ReturnType<typeof frameworkTables>, id: string) => tables.flatMap((table) => table.rows).find((row) => row.requirement === id);

describe('coveredCriteria', () => {
  it('counts a criterion whose checks passed items and found nothing else', () => {
    const checks = [outcome(['CC8.1'], { pass: 3 }), outcome(['CC6.2', 'CC6.3'], { pass: 1, exception: 1 }), outcome(['CC7.2'], { pass: 2 }, 'boom'), outcome(['CC7.3'], {}), outcome(['CC1.4'], { pass: 2 }), outcome(['CC1.4'], { pass: 1 })];
    expect([...coveredCriteria(checks)].sort()).toEqual(['CC1.4', 'CC8.1']);
  });

  it('never counts a criterion a check left partly not assessed or not assessable, whatever passed', () => {
    const checks = [outcome(['CC8.1'], { pass: 3 }), outcome(['CC6.1'], { pass: 10, 'not-assessed': 1 }), outcome(['CC7.2'], { pass: 4, 'not-assessable': 1 })];
    expect([...coveredCriteria(checks)]).toEqual(['CC8.1']);
  });
});

describe('frameworkTables', () => {
  const scope = frameworkScope(['iso27001', 'nis2', 'c5'], []);

  it('covers a requirement only through an equal-to or superset-of criterion', () => {
    const tables = frameworkTables(scope, ['CC8.1', 'CC6.2']);
    expect(tables.map((table) => table.framework)).toEqual(['iso27001', 'nis2', 'c5']);
    expect(rowOf(tables, 'A.8.32')?.status).toBe('covered');
    expect(rowOf(tables, 'IDM-02')?.status).toBe('covered');
    expect(rowOf(tables, 'A.5.16')).toMatchObject({ status: 'partial', mappings: [{ criterion: 'CC6.2', relationship: 'subset-of', support: 'partial', covered: true }] });
    expect(rowOf(tables, 'A.8.29')?.status).toBe('partial');
    expect(rowOf(tables, 'A.8.16')).toMatchObject({ status: 'not-covered', mappings: [{ criterion: 'CC7.2', covered: false }] });
    expect(tables[0]!.unmapped).toBeGreaterThan(0);
    expect(rowOf(tables, 'A.8.1')).toBeUndefined();
  });

  it('shows every subset-of requirement as partial even when all its criteria are covered', () => {
    expect(rowOf(frameworkTables(scope, ['CC7.2', 'CC7.3', 'CC7.4', 'CC7.5']), 'NIS2.21.2.b')?.status).toBe('partial');
  });

  it('lists only the frameworks in scope, and only the requirements mapped to the criteria asked about', () => {
    expect(frameworkTables(scopeOf(null), ['CC8.1'])).toEqual([]);
    const tables = frameworkTables(frameworkScope(['iso27001'], []), ['CC8.1'], new Set(['CC8.1']));
    expect(tables[0]!.rows.map((row) => row.requirement).sort()).toEqual(['A.8.29', 'A.8.32', 'A.8.9']);
  });

  it('ignores covered criteria outside the SOC 2 categories in scope', () => {
    const narrow = { ...scope, criteria: new Set(['CC6.2']) };
    expect(rowOf(frameworkTables(narrow, ['CC8.1']), 'A.8.32')?.status).toBe('not-covered');
  });
});

describe('scope', () => {
  it('always keeps soc2 and the security category', () => {
    const scope = scopeOf({ frameworks: ['c5'], soc2: { categories: ['privacy'] } });
    expect(scope.frameworks).toEqual(['soc2', 'c5']);
    expect(scope.categories).toEqual(['security', 'privacy']);
    expect(scope.criteria.has('CC6.1')).toBe(true);
    expect(scope.criteria.has('P1.1')).toBe(true);
    expect(scope.criteria.has('A1.2')).toBe(false);
  });

  it('drops out-of-scope criteria from the coverage ledger and keeps every stream gap', () => {
    const row = (criterion: string) => ({ criterion, streams: ['hr/leavers'], covered: false, gapStreams: ['hr/leavers'] });
    const ledger = { streams: [{ stream: 'hr/leavers' }], criteria: [row('A1.2'), row('CC6.2'), row('P1.1')], openGaps: 1, closedGaps: 0 } as unknown as Ledger;
    const security = ledgerInScope(ledger, scopeOf(null));
    expect(security.criteria.map((c) => c.criterion)).toEqual(['CC6.2']);
    expect(security.streams).toBe(ledger.streams);
    expect(security.openGaps).toBe(1);
    expect(ledgerInScope(ledger, scopeOf({ frameworks: ['soc2'], soc2: { categories: ['availability'] } })).criteria.map((c) => c.criterion)).toEqual(['A1.2', 'CC6.2']);
  });
});
