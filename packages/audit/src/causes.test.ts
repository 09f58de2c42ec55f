import { describe, expect, it } from '@jest/globals';
import { causesFirst, renderRootCauses, type ReportedProblem } from './causes.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('causes first', () => {
  it('puts the altered file first and folds the problems of the same file under it, most specific first', () => {
    const problems: ReportedProblem[] = [
      { code: 'records-unordered', path: 'records/records.jsonl', message: '63 record line(s) are out of hash order' },
      { code: 'record-missing', path: 'records/records.jsonl', message: `8 record(s) of github/members are missing: ${B}` },
      { code: 'record-added', path: 'records/records.jsonl', message: `1 record(s) are listed by no included record set: ${A}` },
      { code: 'file-altered', path: 'records/records.jsonl', message: 'records/records.jsonl hashes to …' },
      { code: 'file-altered', path: 'report.html', message: 'report.html hashes to …' },
    ];
    const findings = causesFirst(problems);
    expect(findings.map((finding) => [finding.cause.path, finding.consequences.map((p) => p.code)])).toEqual([
      ['records/records.jsonl', ['record-added', 'record-missing', 'records-unordered']],
      ['report.html', []],
    ]);
    expect(renderRootCauses(findings, (p) => `${p.code} ${p.path}`)).toEqual([
      'PROBLEM file-altered records/records.jsonl',
      '  which explains 3 more:',
      '  - record-added records/records.jsonl',
      '  - record-missing records/records.jsonl',
      '  - records-unordered records/records.jsonl',
      'PROBLEM file-altered report.html',
    ]);
  });

  it('folds a locker problem under the one naming the same item, through a consequence too, and keeps the unrelated apart', () => {
    const problems: ReportedProblem[] = [
      { code: 'record-missing', message: `record set ${B} of run r1 lists record row 5, which is missing` },
      { code: 'record-set-altered', message: `record set ${B} is stored as a change whose base set is missing` },
      { code: 'object-missing', message: `object ${A} is missing from objects/` },
      { code: 'snapshot-altered', message: `snapshot 3 of run r1 names body ${A}, which does not read back` },
      { code: 'chain-broken', message: 'manifest #4 links to nothing' },
    ];
    expect(causesFirst(problems).map((finding) => [finding.cause.code, finding.consequences.map((p) => p.code)])).toEqual([
      ['object-missing', ['snapshot-altered']],
      ['record-missing', ['record-set-altered']],
      ['chain-broken', []],
    ]);
  });

  it('puts an altered object before the manifest that read it, though the manifest check found it first', () => {
    const problems: ReportedProblem[] = [
      { code: 'manifest-altered', message: `manifest 1 (run r1): its object ${A} cannot be decompressed (incorrect length check)` },
      { code: 'run-altered', message: 'run r2: its row was changed' },
      { code: 'object-altered', message: `object ${A} hashes to ${B}` },
    ];
    expect(causesFirst(problems).map((finding) => [finding.cause.code, finding.consequences.map((p) => p.code)])).toEqual([
      ['object-altered', ['manifest-altered']],
      ['run-altered', []],
    ]);
  });

  it('leaves problems that explain nothing in the order found, every one of them reported', () => {
    const problems: ReportedProblem[] = [
      { code: 'run-altered', message: 'run r1: its row was changed' },
      { code: 'some-new-check', message: 'a code this module does not know' },
    ];
    expect(causesFirst(problems).map((finding) => finding.cause)).toEqual(problems);
  });
});
