/**
 * Readiness for people: a summary a founder reads first (requirements by
 * status, the top things to do), then one row per requirement fitted to the
 * terminal (labels stay in --json and the report), then every missing line in full. And the auditor's CSV: one row
 * per missing line (a ready requirement is one row with nothing missing).
 */
import { csvLine } from '../population/csv.js';
import { renderTable, terminalSafe } from '../table.js';
import { READINESS_STATUSES, type Readiness, type ReadinessStatus, type RequirementReadiness } from './types.js';

export const READINESS_STATUS_TEXT: Record<ReadinessStatus, string> = {
  exceptions: 'exceptions',
  overdue: 'overdue',
  gaps: 'gaps',
  'not-assessed': 'not assessed',
  'no-evidence-path': 'no evidence path',
  open: 'open (due later)',
  partial: 'partial',
  ready: 'ready',
};

function evidenceText(requirement: RequirementReadiness): string {
  const kinds = ['stream', 'check', 'request', 'review'] as const;
  const parts = kinds.flatMap((kind) => {
    const paths = requirement.evidence.filter((path) => path.kind === kind);
    return paths.length === 0 ? [] : [`${paths.filter((path) => path.evidenced).length}/${paths.length} ${kind}${paths.length === 1 ? '' : 's'}`];
  });
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** `3 ready, 9 exceptions, …`: every status with at least one requirement, most urgent first. */
export function statusCounts(counts: Record<ReadinessStatus, number>): string {
  const shown = READINESS_STATUSES.filter((status) => counts[status] > 0).map((status) => `${counts[status]} ${READINESS_STATUS_TEXT[status]}`);
  return shown.length === 0 ? 'none' : shown.join(', ');
}

function requirementList(ids: string[]): string {
  if (ids.length === 1) return ids[0]!;
  const shown = ids.slice(0, 8).join(', ');
  return `${ids.length} requirements: ${shown}${ids.length > 8 ? ', …' : ''}`;
}

export function renderReadiness(readiness: Readiness): string {
  const { summary } = readiness;
  const header = `readiness for ${readiness.name}, ${readiness.period.since} .. ${readiness.period.until} (as of ${readiness.now})`;
  const todo = summary.todo.map((item, index) => `  ${index + 1}. [${READINESS_STATUS_TEXT[item.status]}] ${terminalSafe(item.text)} — ${requirementList(item.requirements)}`);
  const rows = readiness.requirements.map((requirement) => [
    requirement.requirement,
    requirement.statuses.map((status) => READINESS_STATUS_TEXT[status]).join(' + '),
    evidenceText(requirement),
    requirement.missing.length === 0 ? '' : `${requirement.missing[0]!.text}${requirement.missing.length > 1 ? ` (+${requirement.missing.length - 1} more)` : ''}`,
  ]);
  // A requirement without an evidence path has that one line, already in the table above.
  const missing = readiness.requirements.flatMap((requirement) => requirement.missing.filter((problem) => problem.status !== 'no-evidence-path').map((problem) => [requirement.requirement, READINESS_STATUS_TEXT[problem.status], problem.text]));
  return [
    header,
    `${summary.requirements} requirements: ${statusCounts(summary.byStatus)}`,
    `with each problem (a requirement can have several): ${statusCounts({ ...summary.withStatus, ready: 0 })}`,
    summary.todo.length > 0 ? `top things to do:\n${todo.join('\n')}` : 'nothing to do: every requirement is ready',
    '',
    renderTable(['requirement', 'status', 'evidence (held/serving)', 'missing'], rows),
    missing.length > 0 ? `what is missing:\n${renderTable(['requirement', 'status', 'missing'], missing)}` : '',
  ].join('\n');
}

export const READINESS_CSV_HEADER = ['framework', 'requirement', 'label', 'status', 'statuses', 'evidenced_by', 'missing_status', 'missing'];

/** One row per missing line, or one row for a requirement with nothing missing; every cell through the formula-injection guard. */
export function readinessCsv(readiness: Readiness): string {
  const rows = readiness.requirements.flatMap((requirement) => {
    const base = [readiness.framework, requirement.requirement, requirement.label, requirement.status, requirement.statuses.join(' '), requirement.evidence.map((path) => `${path.kind} ${path.id}: ${path.summary}`).join('; ')];
    return requirement.missing.length === 0 ? [csvLine([...base, '', ''])] : requirement.missing.map((problem) => csvLine([...base, problem.status, problem.text]));
  });
  return csvLine(READINESS_CSV_HEADER) + rows.join('');
}
