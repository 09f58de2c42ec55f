/** The bundle verification report for the terminal: every problem on its own line, naming the file, root causes first with what follows from each under it. */
import { causesFirst, renderRootCauses, terminalSafe } from '@evidentia/audit';
import type { BundleProblem, BundleReport } from './verify.js';

const problemText = (problem: BundleProblem) => `${problem.code}${problem.path ? ` ${terminalSafe(problem.path)}` : ''}: ${terminalSafe(problem.message)}`;

/** The report as JSON: the problems as found, and as root causes with their consequences. */
export function bundleReportJson(report: BundleReport): string {
  return `${JSON.stringify({ ...report, causes: causesFirst(report.problems) }, null, 2)}\n`;
}

export function renderBundleReport(report: BundleReport): string {
  const { counts } = report;
  const lines = [
    `checked ${counts.files} files: ${counts.manifests} manifests, ${counts.streams} stream runs, ${counts.records} records, ${counts.objects} objects, ${counts.checkpoints} witness checkpoint(s)${counts.documents > 0 ? `, ${counts.documents} document entr${counts.documents === 1 ? 'y' : 'ies'}` : ''}${counts.acceptances > 0 ? `, ${counts.acceptances} exception acceptance entr${counts.acceptances === 1 ? 'y' : 'ies'}` : ''}${counts.accessReviews > 0 ? `, ${counts.accessReviews} access-review entr${counts.accessReviews === 1 ? 'y' : 'ies'}` : ''}`,
    `key ${report.keyId ?? 'unknown'} (${report.keySource === 'given' ? 'given with --public-key' : 'from the bundle: compare it with a key obtained separately'})`,
  ];
  const causes = causesFirst(report.problems);
  lines.push(...renderRootCauses(causes, problemText));
  for (const note of report.notes) lines.push(`note: ${terminalSafe(note)}`);
  lines.push(report.ok ? 'bundle verified: no problems' : `bundle FAILED verification: ${report.problems.length} problem(s) from ${causes.length} root cause(s)`);
  return `${lines.join('\n')}\n`;
}
