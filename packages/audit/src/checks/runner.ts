/**
 * Runs checks over a period and gathers their outcome. Findings stream out
 * one at a time (to a results file, to --json output) while the runner keeps
 * only counts and a bounded number of findings per status for display, so a
 * million accounts cost a million lines of output, not a million objects in
 * memory. A check that throws is reported with its error and counts as failed.
 * What a check could not assess is added as not-assessed findings
 * (assessment.ts), so a check never passes on evidence that is not there.
 */
import type { KindName } from '@evidentia/evidence';
import type { Locker } from '@evidentia/locker';
import type { AcceptanceJudge, AcceptanceSummary } from './acceptances.js';
import { Assessment } from './assessment.js';
import { FINDING_STATUSES, type CheckDefinition, type Finding, type FindingStatus } from './define.js';
import { lockerEvidence } from './evidence.js';
import type { PeopleDirectory } from './people.js';
import type { Period } from './period.js';
import type { ConfiguredCheck } from './registry.js';
import { sourcesOf, type Source, type SourcePlan } from './sources.js';

export type FindingCounts = Record<FindingStatus, number>;

/** error: it could not run; exceptions: at least one; not-assessed: something had no evidence to judge; pass: everything was judged and passed or was listed as not assessable. */
export type CheckResult = 'error' | 'exceptions' | 'not-assessed' | 'pass';

export interface CheckOutcome {
  id: string;
  title: string;
  description: string;
  criteria: string[];
  reads: string[];
  settings: unknown;
  counts: FindingCounts;
  /** Not-assessable findings exempt by configuration (they carry `exempt`): they do not keep the check from meeting its criteria. Absent: none. */
  exempt?: number;
  /** Exceptions an acceptance in effect covers: still exceptions (counted in counts.exception), never passes. Absent: none (outcomes built without the runner). */
  accepted?: number;
  result: CheckResult;
  /** The configured or stored streams it judged (those of the kinds it reads that it applies to, context kinds left out). Absent: outcomes built without the runner. */
  streams?: string[];
  /** Exceptions first, then not assessed, not assessable, passes; at most `keep` of each. */
  findings: Finding[];
  /** Findings counted but not kept for display. */
  omitted: number;
  error: string | null;
}

export interface CheckRun {
  period: Period;
  checks: CheckOutcome[];
  /** When acceptances were given: how many exceptions they covered and which in effect found none. */
  acceptances?: AcceptanceSummary;
}

export interface RunChecksOptions {
  locker: Locker;
  period: Period;
  checks: ConfiguredCheck[];
  people: PeopleDirectory;
  /** The configured streams (from the config); null or absent: only what the locker holds is known. */
  sources?: readonly SourcePlan[] | null;
  /** The accepted exceptions judged for the period: exceptions they name are marked, never turned into passes. */
  acceptances?: AcceptanceJudge;
  /** Findings of each status kept for display per check (default 1000). */
  keep?: number;
  onCheckStart?: (check: CheckDefinition<unknown>) => void | Promise<void>;
  onFinding?: (check: CheckDefinition<unknown>, finding: Finding) => void | Promise<void>;
  onCheckEnd?: (outcome: CheckOutcome) => void | Promise<void>;
}

export function failed(outcome: CheckOutcome): boolean {
  return outcome.counts.exception > 0 || outcome.error !== null;
}

export function notAssessed(outcome: CheckOutcome): boolean {
  return outcome.counts['not-assessed'] > 0;
}

/** The not-assessable items the evidence could not decide: those exempt by configuration are a person's judgement, not missing evidence. */
export function undecided(outcome: Pick<CheckOutcome, 'counts' | 'exempt'>): number {
  return outcome.counts['not-assessable'] - (outcome.exempt ?? 0);
}

/**
 * Whether a check's outcome meets its criteria, the one rule of `check`'s framework tables, readiness,
 * the report and OSCAL: it ran, passed at least one item, and found no exception, nothing not assessed
 * and nothing the evidence could not decide (items exempt by configuration do not count against it,
 * and never for it: exemptions alone are no pass).
 */
export function checkMet(outcome: Pick<CheckOutcome, 'counts' | 'exempt' | 'error'>): boolean {
  const { counts } = outcome;
  return outcome.error === null && counts.pass > 0 && counts.exception === 0 && counts['not-assessed'] === 0 && undecided(outcome) === 0;
}

function resultOf(counts: FindingCounts, error: string | null): CheckResult {
  if (error !== null) return 'error';
  if (counts.exception > 0) return 'exceptions';
  return counts['not-assessed'] > 0 ? 'not-assessed' : 'pass';
}

/** The sources of a kind, read once per run: every check reading the kind asks, and the locker does not change under a run. */
type SourcesOfKind = (kind: KindName) => Promise<Source[]>;

function sourcesOnce(options: RunChecksOptions): SourcesOfKind {
  const read = new Map<KindName, Promise<Source[]>>();
  return (kind) => {
    if (!read.has(kind)) read.set(kind, sourcesOf(options.locker, options.period, kind, options.sources ?? null));
    return read.get(kind)!;
  };
}

async function runOne(options: RunChecksOptions, { definition, settings, timezone }: ConfiguredCheck, sourcesOfKind: SourcesOfKind): Promise<CheckOutcome> {
  const keep = options.keep ?? 1000;
  const kept: Record<FindingStatus, Finding[]> = { exception: [], 'not-assessed': [], 'not-assessable': [], pass: [] };
  const counts: FindingCounts = { pass: 0, exception: 0, 'not-assessable': 0, 'not-assessed': 0 };
  let error: string | null = null;
  let accepted = 0;
  let exempt = 0;
  const streams = new Set<string>();
  const record = async (finding: Finding) => {
    counts[finding.status]++;
    // Only a not-assessable finding can be exempt (an exemption on a stale system's finding was dropped with its status).
    if (finding.exempt !== undefined && finding.status !== 'not-assessable') delete finding.exempt;
    if (finding.exempt !== undefined) exempt++;
    const acceptance = finding.status === 'exception' ? options.acceptances?.mark(definition.id, finding.item) : null;
    if (acceptance) {
      finding.acceptance = acceptance;
      if (acceptance.status === 'accepted') accepted++;
    }
    if (kept[finding.status].length < keep) kept[finding.status].push(finding);
    await options.onFinding?.(definition, finding);
  };
  await options.onCheckStart?.(definition);
  try {
    const applies = Assessment.applies(definition, settings);
    const cache = new Map<KindName, Source[]>();
    const sources = async (kind: KindName) => {
      if (!cache.has(kind)) cache.set(kind, (await sourcesOfKind(kind)).filter(applies));
      return cache.get(kind)!;
    };
    const assessment = await Assessment.of(definition, sources);
    const evidence = lockerEvidence(options.locker, options.period, definition.reads, definition.id, sources);
    for await (const yielded of definition.evaluate({ period: options.period, settings, evidence, people: options.people, timezone: timezone ?? 'UTC' })) {
      // A fixed field order, and nothing a custom check adds beyond the contract.
      const finding: Finding = { item: yielded.item, system: yielded.system, status: yielded.status, reason: yielded.reason, records: yielded.records, ...(typeof yielded.exempt === 'string' ? { exempt: yielded.exempt } : {}) };
      if (!FINDING_STATUSES.includes(finding.status)) throw new Error(`finding for ${String(finding.item)} has status ${String(finding.status)}; expected ${FINDING_STATUSES.join(', ')}`);
      await record(assessment.judge(finding, yielded.spans));
    }
    for (const finding of assessment.remaining()) await record(finding);
    const judged = definition.reads.filter((kind) => !definition.supplementary?.includes(kind));
    for (const kind of judged) for (const source of await sources(kind)) streams.add(source.stream);
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  }
  const findings = FINDING_STATUSES.flatMap((status) => kept[status]);
  const total = FINDING_STATUSES.reduce((sum, status) => sum + counts[status], 0);
  const { id, title, description, criteria, reads } = definition;
  const outcome: CheckOutcome = { id, title, description, criteria, reads, settings, counts, accepted, ...(exempt > 0 ? { exempt } : {}), result: resultOf(counts, error), streams: [...streams].sort(), findings, omitted: total - findings.length, error };
  await options.onCheckEnd?.(outcome);
  return outcome;
}

/** Run the checks one after another (they share the locker's single reader). */
export async function runChecks(options: RunChecksOptions): Promise<CheckRun> {
  const checks: CheckOutcome[] = [];
  const sourcesOfKind = sourcesOnce(options);
  for (const check of options.checks) checks.push(await runOne(options, check, sourcesOfKind));
  const accepted = checks.reduce((sum, check) => sum + (check.accepted ?? 0), 0);
  const acceptances = options.acceptances?.summary(checks.map((check) => check.id), accepted);
  return { period: options.period, checks, ...(acceptances ? { acceptances } : {}) };
}
