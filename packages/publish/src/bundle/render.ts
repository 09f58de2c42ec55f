/** The bundle verification report for the terminal: every problem on its own line, naming the file. */
import { terminalSafe } from '@evidentia/audit';
import type { BundleReport } from './verify.js';

export function renderBundleReport(report: BundleReport): string {
  const { counts } = report;
  const lines = [
    `checked ${counts.files} files: ${counts.manifests} manifests, ${counts.streams} stream runs, ${counts.records} records, ${counts.objects} objects, ${counts.checkpoints} witness checkpoint(s)`,
    `key ${report.keyId ?? 'unknown'} (${report.keySource === 'given' ? 'given with --public-key' : 'from the bundle: compare it with a key obtained separately'})`,
  ];
  for (const problem of report.problems) lines.push(`PROBLEM ${problem.code}${problem.path ? ` ${terminalSafe(problem.path)}` : ''}: ${terminalSafe(problem.message)}`);
  lines.push(report.ok ? 'bundle verified: no problems' : `bundle FAILED verification: ${report.problems.length} problem(s)`);
  return `${lines.join('\n')}\n`;
}
