/**
 * One finding per requirement reviewed: satisfied or not, with the reason.
 *
 * A SOC 2 criterion is satisfied only when the checks serving it all passed
 * (no exception, nothing left undecided, none failed to run) and the coverage
 * ledger shows no open gap and no in-scope item left unread (no complete
 * collection of the stream since) in its streams (those
 * linked to it and those its checks judged, all still configured), and no
 * evidence request naming it is overdue or was fulfilled late; evidence
 * that no check judges, or
 * coverage that could not be judged (no configuration), is not enough.
 * Another framework's requirement is judged through the mapping sets with
 * those satisfied criteria (frameworkTables): only one that is equal to or
 * wider than the requirement carries it; partial support is reported, never
 * as satisfied.
 */
import type { FrameworkId } from '@evidentia/catalog';
import { checkMet, type FrameworkScope, frameworkTables, REQUIREMENT_STATUS_TEXT, type RequirementStatus, undecided, viaText } from '@evidentia/audit';
import { criterionSatisfied, type CriterionRow } from '../report/model.js';
import { markupText, stableUuid, statementId, tokenId } from './datatypes.js';
import { prop, type Finding } from './model.js';
import { checkObservationUuid, type ObservationContext } from './observations.js';

export interface FindingContext extends ObservationContext {
  framework: FrameworkId;
  /** Whether a coverage ledger was available (a configuration with the streams' schedules). */
  coverageKnown: boolean;
  /** Observation UUIDs of the open gaps, per stream. */
  gapObservations: ReadonlyMap<string, string[]>;
}

interface Verdict {
  satisfied: boolean;
  /** An exception was found or a check failed to run. */
  failed: boolean;
  reasons: string[];
}

function statusReason(row: CriterionRow): string {
  const sum = (status: 'pass' | 'exception' | 'not-assessable' | 'not-assessed') => row.checks.reduce((total, check) => total + check.counts[status], 0);
  const ids = (pick: (check: CriterionRow['checks'][number]) => boolean) => row.checks.filter(pick).map((check) => check.id).join(', ');
  switch (row.status) {
    case 'pass': {
      const exempt = row.checks.reduce((total, check) => total + (check.exempt ?? 0), 0);
      return `every check serving it passed (${sum('pass')} item(s)), none left undecided${exempt > 0 ? `; ${exempt} item(s) exempt by configuration (${ids((check) => (check.exempt ?? 0) > 0)}), each with its reason in the observation` : ''}`;
    }
    case 'exception': {
      const found = sum('exception') > 0 ? [`${sum('exception')} exception(s) found (${ids((check) => check.counts.exception > 0)})`] : [];
      const broken = row.checks.some((check) => check.error !== null) ? [`a check failed to run (${ids((check) => check.error !== null)})`] : [];
      return [...found, ...broken].join('; ');
    }
    case 'not-assessed':
      if (sum('not-assessed') > 0) return `not assessed: ${sum('not-assessed')} part(s) had no evidence of the period to judge (${ids((check) => check.counts['not-assessed'] > 0)}), which is never satisfied`;
      return `not assessed: ${ids((check) => !checkMet(check))} passed no item in the period (nothing, or only items exempt by configuration), which is never satisfied`;
    case 'not-assessable':
      return `the evidence could not decide ${row.checks.reduce((total, check) => total + undecided(check), 0)} item(s) (${ids((check) => undecided(check) > 0)})`;
    case 'evidence':
    {
      const items = row.evidence.reduce((total, kind) => total + kind.items, 0);
      const held = [items > 0 ? `${items} evidence item(s)` : null, row.documents.length > 0 ? `${row.documents.length} document(s) answering its evidence requests` : null].filter((text) => text !== null);
      return `${held.join(' and ')} in the period, but no check judges them`;
    }
    case 'none':
      return 'no evidence and no check result in the period';
  }
}

function verdictOf(row: CriterionRow, coverageKnown: boolean): Verdict {
  const reasons = [statusReason(row)];
  if (row.gapStreams.length > 0) reasons.push(`open coverage gap in ${row.gapStreams.join(', ')}`);
  if (row.unreadStreams.length > 0) reasons.push(`items in scope could not be read by ${row.unreadStreams.join(', ')} (\`evidentia coverage\` names them)`);
  if (row.requestProblems.length > 0) reasons.push(...row.requestProblems);
  if (row.unconfiguredStreams.length > 0) reasons.push(`its checks judged ${row.unconfiguredStreams.join(', ')}, which the configuration no longer names (disabled or removed), so their coverage of the period cannot be judged`);
  if (!coverageKnown) reasons.push("coverage could not be judged: no configuration gives the streams' schedules");
  return { satisfied: criterionSatisfied(row, coverageKnown), failed: row.status === 'exception', reasons };
}

function relatedTo(context: FindingContext, rows: readonly CriterionRow[]): { 'observation-uuid': string }[] {
  const uuids = rows.flatMap((row) => [...row.checks.map((check) => checkObservationUuid(context, check.id)), ...row.gapStreams.flatMap((stream) => context.gapObservations.get(stream) ?? [])]);
  return [...new Set(uuids)].map((uuid) => ({ 'observation-uuid': uuid }));
}

function finding(context: FindingContext, id: string, label: string, verdict: Omit<Verdict, 'reasons'>, description: string, status: string, related: { 'observation-uuid': string }[]): Finding {
  return {
    uuid: stableUuid(context.key, 'finding', id),
    title: markupText(`${id}: ${label}`),
    description,
    props: [prop('status', status)],
    target: {
      type: 'statement-id',
      'target-id': statementId(tokenId(context.framework, id)),
      status: { state: verdict.satisfied ? 'satisfied' : 'not-satisfied', reason: verdict.satisfied ? 'pass' : verdict.failed ? 'fail' : 'other' },
    },
    ...(related.length > 0 ? { 'related-observations': related } : {}),
  };
}

function mappedFinding(context: FindingContext, requirement: RequirementStatus, rows: ReadonlyMap<string, CriterionRow>, verdicts: ReadonlyMap<string, Verdict>): Finding {
  const satisfied = requirement.status === 'covered';
  const summary = satisfied
    ? 'Satisfied: a SOC 2 criterion equal to or wider than it is satisfied in the period.'
    : requirement.status === 'partial'
      ? `Not satisfied: ${REQUIREMENT_STATUS_TEXT.partial.text}; partial support never counts as satisfied.`
      : 'Not satisfied: none of the SOC 2 criteria it maps to is satisfied in the period.';
  const lines = requirement.mappings.map((link) => {
    const verdict = verdicts.get(link.criterion);
    const state = !verdict ? 'outside the SOC 2 scope of this export' : verdict.satisfied ? 'satisfied' : `not satisfied: ${verdict.reasons.join('; ')}`;
    return `- ${viaText(link)} (${link.support === 'covering' ? 'covers it' : 'partial support only'}): ${state}`;
  });
  const linked = requirement.mappings.flatMap((link) => rows.get(link.criterion) ?? []);
  const failed = requirement.mappings.some((link) => verdicts.get(link.criterion)?.failed);
  return finding(context, requirement.requirement, requirement.label, { satisfied, failed }, [summary, '', 'Through the SOC 2 mappings:', '', ...lines].join('\n'), requirement.status, relatedTo(context, linked));
}

/** The findings of the framework in `context`, the control IDs reviewed, and how many requirements no SOC 2 criterion maps to (not reviewed). */
export function findingsOf(context: FindingContext, criteria: readonly CriterionRow[], scope: FrameworkScope): { findings: Finding[]; reviewed: string[]; unmapped: number } {
  const verdicts = new Map(criteria.map((row) => [row.id, verdictOf(row, context.coverageKnown)]));
  if (context.framework === 'soc2') {
    const findings = criteria.map((row) => {
      const verdict = verdicts.get(row.id)!;
      const description = `${verdict.satisfied ? 'Satisfied' : 'Not satisfied'}: ${verdict.reasons.join('; ')}.`;
      return finding(context, row.id, row.label, verdict, description, row.status, relatedTo(context, [row]));
    });
    return { findings, reviewed: criteria.map((row) => tokenId('soc2', row.id)), unmapped: 0 };
  }
  const satisfied = [...verdicts].filter(([, verdict]) => verdict.satisfied).map(([id]) => id);
  const table = frameworkTables(scope, satisfied).find((candidate) => candidate.framework === context.framework);
  const rows = new Map(criteria.map((row) => [row.id, row]));
  const findings = (table?.rows ?? []).map((requirement) => mappedFinding(context, requirement, rows, verdicts));
  return { findings, reviewed: (table?.rows ?? []).map((requirement) => tokenId(context.framework, requirement.requirement)), unmapped: table?.unmapped ?? 0 };
}
