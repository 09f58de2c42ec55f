/**
 * The tamper and rollback cases of the suite, run by the bench so BENCHMARKS.md
 * states how many were tried and caught on this checkout: jest runs the
 * locker's tamper tests (every edit inside the locker that verify must name)
 * and the witness tests (rollbacks only a witness outside the locker can
 * catch), and each test case counts as tried, and as caught when it passed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface CaseGroup {
  label: string;
  tests: string[];
  /** Which test titles are cases of this group (the rest set them up or check something else). */
  isCase: (title: string) => boolean;
}

export interface CaseCount {
  label: string;
  tried: number;
  caught: number;
  missed: string[];
}

interface JestJson {
  testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }>;
}

export function runCaseGroups(groups: CaseGroup[]): CaseCount[] {
  const out = join(mkdtempSync(join(tmpdir(), 'evidentia-bench-cases-')), 'results.json');
  const tests = groups.flatMap((group) => group.tests);
  try {
    execFileSync(process.execPath, ['--experimental-vm-modules', join(ROOT, 'node_modules/jest/bin/jest.js'), '--json', `--outputFile=${out}`, '--testTimeout=300000', ...tests], { cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] });
  } catch {
    // A failing case is a miss, counted below; the JSON is written either way.
  }
  const results = JSON.parse(readFileSync(out, 'utf8')) as JestJson;
  const byTitle = results.testResults.flatMap((file) => file.assertionResults);
  return groups.map((group) => {
    const cases = byTitle.filter((result) => group.isCase(result.title));
    return { label: group.label, tried: cases.length, caught: cases.filter((result) => result.status === 'passed').length, missed: cases.filter((result) => result.status !== 'passed').map((result) => result.title) };
  });
}

export const TAMPER_AND_ROLLBACK: CaseGroup[] = [
  {
    label: "tamper cases (edits inside the locker: blobs, record, manifest, snapshot and run rows, keys, triggers, the portal's audit log), each named by verify",
    tests: ['packages/locker/src/verify.test.ts', 'packages/locker/src/record-sets-verify.test.ts', 'packages/locker/src/portal-log.test.ts'],
    isCase: (title) => /^names |re-signed|does not rely/.test(title),
  },
  {
    label: 'rollback cases (newest run deleted, old database restored, WAL dropped, fork re-signed, checkpoint forged, newest document, acceptance or access-review entries deleted), each caught by a file, S3 or git witness',
    tests: ['test/witness/file.e2e.test.ts', 'test/witness/s3.e2e.test.ts', 'test/witness/git.e2e.test.ts', 'test/witness/entries.e2e.test.ts'],
    isCase: (title) => /catches|forged/.test(title),
  },
];
