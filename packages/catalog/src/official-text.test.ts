import { describe, it, expect } from '@jest/globals';
import { requirementsOf } from './frameworks.js';
import { MAX_OFFICIAL_TEXT_LENGTH, OfficialTextError, officialTextEntries, type OfficialTextRow } from './official-text.js';
import { resolveRequirementId, unknownIdHint } from './official-text-ids.js';
import type { FrameworkId } from './requirement.js';

const SOURCE = { file: 'licensed.csv', idColumn: 'id', textColumn: 'text' };

/** Rows below a header in row 1; every text is made up, never real standard text. */
function rows(...pairs: [string, string][]): OfficialTextRow[] {
  return pairs.map(([id, text], index) => ({ row: index + 2, id, text }));
}

function problemsOf(framework: FrameworkId, input: OfficialTextRow[]): OfficialTextError['problems'] {
  try {
    officialTextEntries(framework, input, SOURCE);
  } catch (error) {
    if (error instanceof OfficialTextError) return error.problems;
    throw error;
  }
  throw new Error('expected the rows to be refused');
}

describe('officialTextEntries', () => {
  it('accepts known IDs, normalizes line breaks and lists requirements left without text', () => {
    const result = officialTextEntries('soc2', rows(['CC6.1', '  Synthetic text for CC6.1\r\nsecond line  '], ['', ''], ['CC6.2', 'Synthetic text for CC6.2']), SOURCE);
    expect(result.entries).toEqual([
      { id: 'CC6.1', text: 'Synthetic text for CC6.1\nsecond line' },
      { id: 'CC6.2', text: 'Synthetic text for CC6.2' },
    ]);
    expect(result.missing).toHaveLength(requirementsOf('soc2').length - 2);
    expect(result.missing).not.toContain('CC6.1');
    expect(result.missing[0]).toBe(requirementsOf('soc2')[0]!.id);
  });

  it('refuses the whole file, naming file, row, column and ID of every problem', () => {
    const input = rows(
      ['CC6.1', 'Synthetic text'],
      ['CC6.9', 'Synthetic text'],
      ['cc6.1', 'Synthetic text again'],
      ['CC7.2', '   '],
      ['', 'Synthetic text without an ID'],
      ['CC7.3', 'x'.repeat(MAX_OFFICIAL_TEXT_LENGTH + 1)],
    );
    expect(problemsOf('soc2', input)).toEqual([
      { row: 3, column: 'id', id: 'CC6.9', message: '"CC6.9" is not a requirement ID in soc2 (CC6 has CC6.1 to CC6.8)' },
      { row: 4, column: 'id', id: 'cc6.1', message: 'CC6.1 (written "cc6.1") appears twice: it already has text in row 2' },
      { row: 5, column: 'text', id: 'CC7.2', message: 'no text for CC7.2' },
      { row: 6, column: 'id', id: null, message: 'no requirement ID for this text' },
      { row: 7, column: 'text', id: 'CC7.3', message: 'the text for CC7.3 is 20,001 characters; at most 20,000 are accepted' },
    ]);
    expect(() => officialTextEntries('soc2', input, SOURCE)).toThrow(/^licensed\.csv: nothing imported, 5 problems:\n {2}row 3, column "id": "CC6\.9" is not a requirement ID in soc2/);
  });

  it('names the framework an ID belongs to when it is not the chosen one', () => {
    expect(problemsOf('iso27001', rows(['CC6.1', 'Synthetic text']))[0]!.message).toBe('"CC6.1" is not a requirement ID in iso27001 (CC6.1 is a soc2 requirement, not iso27001)');
  });

  it('refuses a file with only a header or blank rows', () => {
    expect(problemsOf('c5', rows(['', '']))).toEqual([{ row: null, column: null, id: null, message: 'no rows with a requirement ID and text below the header' }]);
  });

  it('refuses clause numbers that could be Annex A controls in a file that writes Annex A without "A."', () => {
    expect(officialTextEntries('iso27001', rows(['5.1', 'Synthetic clause text'], ['A.5.15', 'Synthetic control text']), SOURCE).entries.map((e) => e.id)).toEqual(['5.1', 'A.5.15']);
    expect(problemsOf('iso27001', rows(['5.1', 'Synthetic text'], ['5.15', 'Synthetic text']))).toEqual([
      {
        row: 2,
        column: 'id',
        id: '5.1',
        message: '"5.1" is ambiguous: it is clause 5.1, but this file writes Annex A controls without "A." (row 3: "5.15"), so it may mean A.5.1; write Annex A IDs with "A."',
      },
    ]);
  });

  it('refuses a clause heading that is also an Annex A number rather than storing the clause\'s text as the control\'s', () => {
    // Clause 6.1 is split into 6.1.1 to 6.1.3 in the catalog: "6.1" in a file of clauses is that heading, not A.6.1 (screening).
    const problems = problemsOf('iso27001', rows(['6.1', 'Synthetic heading text'], ['6.1.2', 'Synthetic clause text'], ['7.5', 'Synthetic heading text'], ['9.1', 'Synthetic clause text']));
    expect(problems).toEqual([
      { row: 2, column: 'id', id: '6.1', message: '"6.1" is not a requirement ID in iso27001 (6.1 is the heading of clauses 6.1.1 to 6.1.3: give the text under those IDs, or write A.6.1 for the Annex A control)' },
      { row: 4, column: 'id', id: '7.5', message: '"7.5" is not a requirement ID in iso27001 (7.5 is the heading of clauses 7.5.1 to 7.5.3: give the text under those IDs, or write A.7.5 for the Annex A control)' },
    ]);
    // Written with "A.", or as a bare number no clause heading has, it is the Annex A control.
    expect(officialTextEntries('iso27001', rows(['A.6.1', 'Synthetic control text'], ['6.5', 'Synthetic control text']), SOURCE).entries.map((e) => e.id)).toEqual(['A.6.1', 'A.6.5']);
  });
});

describe('resolveRequirementId', () => {
  it.each([
    ['soc2', 'CC6.1', 'CC6.1'],
    ['soc2', ' cc6.1 ', 'CC6.1'],
    ['iso27001', 'iso27001:A.5.15', 'A.5.15'],
    ['iso27001', '5.15', 'A.5.15'],
    ['iso27001', '5.1', '5.1'],
    ['iso27001', '6.1.2', '6.1.2'],
    ['nis2', '21(2)(b)', 'NIS2.21.2.b'],
    ['nis2', 'Art. 21(2)(B)', 'NIS2.21.2.b'],
    ['nis2', 'Article 20(1)', 'NIS2.20.1'],
    ['nis2', '23.4.a', 'NIS2.23.4.a'],
    ['c5', 'OIS-1', 'OIS-01'],
    ['c5', 'ois 01', 'OIS-01'],
    ['c5', 'IDM02', 'IDM-02'],
  ] as const)('%s reads %j as %s', (framework, written, id) => {
    expect(resolveRequirementId(framework, written)?.id).toBe(id);
  });

  it.each([
    ['soc2', 'iso27001:A.5.15'],
    ['iso27001', '9.15'],
    ['iso27001', '6.1'],
    ['iso27001', '7.5'],
    ['nis2', '21(2)(k)'],
    ['c5', 'OIS-99'],
  ] as const)('%s knows no %j', (framework, written) => {
    expect(resolveRequirementId(framework, written)).toBeNull();
  });

  it('marks bare Annex A IDs and clause numbers that have an Annex A twin', () => {
    expect(resolveRequirementId('iso27001', '5.15')).toEqual({ id: 'A.5.15', bareAnnex: true, alsoAnnex: null });
    expect(resolveRequirementId('iso27001', '5.1')).toEqual({ id: '5.1', bareAnnex: false, alsoAnnex: 'A.5.1' });
  });
});

describe('unknownIdHint', () => {
  it('suggests near misses, or the range of the group they all fall in', () => {
    expect(unknownIdHint('iso27001', 'A.5.155')).toBe('did you mean A.5.15?');
    expect(unknownIdHint('soc2', 'CC61')).toBe('did you mean CC6.1?');
    expect(unknownIdHint('iso27001', 'A.9.9')).toBe('did you mean A.5.9, A.7.9 or A.8.9?');
    expect(unknownIdHint('nis2', 'NIS2.21.2.k')).toBe('NIS2.21 has NIS2.21.2.a to NIS2.21.2.j');
    expect(unknownIdHint('iso27001', 'completely different')).toBeNull();
  });
});
