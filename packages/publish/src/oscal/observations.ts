/**
 * The observations of an assessment result: one per check run over the
 * period (what it judged, its counts, the exceptions and undecided items by
 * name, the record sets it read) and one per open coverage gap. Item names
 * and reasons come from evidence (ticket titles, user names), so they pass
 * through markupText before they reach a Markdown field.
 */
import { causeText, type CheckOutcome, type FindingStatus, type Gap, undecided } from '@evidentia/audit';
import { markupText, stableUuid } from './datatypes.js';
import { prop, type Observation, type RelevantEvidence } from './model.js';
import type { StreamRead } from './evidence-reads.js';

export interface ObservationContext {
  /** The result's stable key (framework and period): UUIDs of its parts derive from it. */
  key: string;
  /** The locker's back-matter resource, or null when the locker holds no manifest. */
  lockerResource: string | null;
  /** When the evidence was last collected (the last manifest's run), for an observation without reads. */
  asOf: string;
}

/** Findings of each status named in an observation; `evidentia check` lists them all. */
export const LISTED_FINDINGS = 25;

export const checkObservationUuid = (context: Pick<ObservationContext, 'key'>, checkId: string) => stableUuid(context.key, 'observation/check', checkId);
export const gapObservationUuid = (context: Pick<ObservationContext, 'key'>, gap: Pick<Gap, 'key'>) => stableUuid(context.key, 'observation/gap', gap.key);

/** The findings of a status, or `exempt`: not-assessable by a configured exemption, listed apart from what the evidence could not decide. */
function listed(outcome: CheckOutcome, status: FindingStatus | 'exempt', heading: string): string[] {
  const findings = outcome.findings.filter((finding) => (status === 'exempt' ? finding.exempt !== undefined : finding.status === status && (status !== 'not-assessable' || finding.exempt === undefined)));
  if (findings.length === 0) return [];
  const lines = findings.map((finding) => `- ${markupText(finding.item)}${finding.system ? ` (${markupText(finding.system)})` : ''}: ${markupText(finding.reason)}`);
  const more = (status === 'exempt' ? (outcome.exempt ?? 0) : status === 'not-assessable' ? undecided(outcome) : outcome.counts[status]) - findings.length;
  return [heading, '', ...lines, ...(more > 0 ? [`- and ${more} more (\`evidentia check\` lists every finding)`] : []), ''];
}

function checkDescription(outcome: CheckOutcome): string {
  const { pass, exception } = outcome.counts;
  const unassessed = outcome.counts['not-assessed'];
  return [
    markupText(outcome.description),
    '',
    `Over the period: ${pass} passed, ${exception} exception(s), ${unassessed} not assessed (no evidence of the period to judge), ${undecided(outcome)} not assessable${outcome.exempt ? `, ${outcome.exempt} exempt by configuration (neither a pass nor against it)` : ''}.`,
    '',
    ...(outcome.error ? [`The check failed to run: ${markupText(outcome.error)}`, ''] : []),
    ...listed(outcome, 'exception', 'Exceptions:'),
    ...listed(outcome, 'not-assessed', 'Not assessed:'),
    ...listed(outcome, 'not-assessable', 'Not assessable:'),
    ...listed(outcome, 'exempt', 'Exempt by configuration:'),
  ]
    .join('\n')
    .trim();
}

function lockerEvidence(context: ObservationContext, description: string): RelevantEvidence[] {
  return context.lockerResource ? [{ href: `#${context.lockerResource}`, description }] : [];
}

function readEvidence(context: ObservationContext, read: StreamRead): RelevantEvidence {
  const manifests = read.firstManifest === read.lastManifest ? `manifest ${read.firstManifest}` : `manifests ${read.firstManifest} to ${read.lastManifest}`;
  return {
    ...(context.lockerResource ? { href: `#${context.lockerResource}` } : {}),
    description: `Records of ${markupText(read.stream)} the check read: ${read.runs} stream run(s) in ${manifests}, the last collected ${read.collectedAt}. Each record-set prop is a stream run's record set in the locker.`,
    props: read.recordSets.map((hash) => prop('record-set', hash)),
  };
}

export function checkObservation(context: ObservationContext, outcome: CheckOutcome, reads: readonly StreamRead[]): Observation {
  const evidence = reads.length > 0 ? reads.map((read) => readEvidence(context, read)) : lockerEvidence(context, 'The check found no records of the kinds it reads in the period.');
  return {
    uuid: checkObservationUuid(context, outcome.id),
    title: markupText(`Check ${outcome.id}: ${outcome.title}`),
    description: checkDescription(outcome),
    props: [
      prop('check-id', outcome.id),
      ...outcome.criteria.map((criterion) => prop('criterion', criterion)),
      prop('pass-count', String(outcome.counts.pass)),
      prop('exception-count', String(outcome.counts.exception)),
      prop('not-assessable-count', String(outcome.counts['not-assessable'])),
      prop('not-assessed-count', String(outcome.counts['not-assessed'])),
    ],
    methods: ['TEST'],
    types: ['control-objective'],
    ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
    collected: reads.map((read) => read.collectedAt).sort().at(-1) ?? context.asOf,
  };
}

/** An open gap: a stretch of the period no successful collection of the stream covers. `collected` is when the ledger judged it up to. */
export function gapObservation(context: ObservationContext, gap: Gap, evaluatedUntil: string): Observation {
  const evidence = lockerEvidence(context, `The stream runs of ${markupText(gap.stream)} in the locker, from which the coverage ledger finds the gap.`);
  return {
    uuid: gapObservationUuid(context, gap),
    title: markupText(`Coverage gap in ${gap.stream}`),
    description: `No successful collection of ${markupText(gap.stream)} covers ${gap.since} to ${gap.until}. Cause: ${markupText(causeText(gap))}.`,
    props: [prop('stream', gap.stream), prop('gap-since', gap.since), prop('gap-until', gap.until)],
    methods: ['TEST'],
    types: ['finding'],
    ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
    collected: evaluatedUntil,
  };
}
