/**
 * What the report shows, gathered from the locker before any HTML is made:
 * the check run, how much evidence each criterion has in the period, each
 * stream's collections over the period (and the coverage ledger's gaps when
 * there is one), and what an auditor needs to verify the bundle.
 */
import { Category, criteria as catalog } from '@evidentia/catalog';
import { type DocumentEntry, type Locker, publicKeyId, type StreamStatus } from '@evidentia/locker';
import { type CheckOutcome, type CheckRun, checkMet, frameworkScope, type FrameworkScope, type FrameworkTable, frameworkTables, groupItems, type Period, type Readiness, type RequestLedger, undecided, unmetRequests } from '@evidentia/audit';

export type CriterionStatus = 'exception' | 'not-assessed' | 'not-assessable' | 'pass' | 'evidence' | 'none';

export interface CriterionRow {
  id: string;
  label: string;
  group: string;
  status: CriterionStatus;
  /** Items in the period per record kind. */
  evidence: { kind: string; items: number }[];
  checks: CheckOutcome[];
  /** Streams serving the criterion with an open coverage gap (from the ledger). */
  gapStreams: string[];
  /** Streams serving the criterion that could not read an in-scope item in the period (from the ledger). */
  unreadStreams: string[];
  /** Streams its checks judged that no configured stream is (disabled or removed): their coverage cannot be judged. */
  unconfiguredStreams: string[];
  /** Evidence requests naming it that are overdue or were fulfilled late, one line each (readiness's words); one not yet due is not listed. */
  requestProblems: string[];
  /** The current documents the request ledger counted for its requests (fulfilled or late), each with the occurrence it answers. */
  documents: CriterionDocument[];
}

/** A document counted as evidence of a criterion: what an auditor needs to find it and check its bytes. */
export interface CriterionDocument {
  sequence: number;
  request: string;
  requestTitle: string;
  fileName: string;
  effective: string;
  /** SHA-256 of the file's bytes. */
  content: string;
  /** The occurrences it answers (a window's days or a personnel event), late ones marked. */
  answers: string[];
}

export interface StreamCoverageView {
  stream: string;
  covered: boolean;
  /** It could not read an in-scope item in the period. */
  unreadItems: boolean;
  expected: number;
  successful: number;
  gaps: { since: string; until: string; cause: string }[];
}

export interface CoverageView {
  streams: StreamCoverageView[];
  criteria: { criterion: string; gapStreams: string[]; unreadStreams: string[] }[];
}

export interface StreamTimeline {
  stream: string;
  type: string;
  collections: { at: string; status: StreamStatus; records: number }[];
  coverage: StreamCoverageView | null;
}

export interface ReportModel {
  period: Period;
  generatedAt: string;
  keyId: string;
  manifests: number;
  lastManifest: { sequence: number; hash: string } | null;
  run: CheckRun;
  /** The SOC 2 criteria in scope. */
  criteria: CriterionRow[];
  /** Requirement tables of the other frameworks in scope, through the mappings. */
  frameworks: FrameworkTable[];
  streams: StreamTimeline[];
  /** Whether gaps come from the coverage ledger (schedules known) or only collections are shown. */
  coverageFromLedger: boolean;
  /** Readiness per framework in scope; empty without a configuration (no schedules, no requests to judge). */
  readiness: Readiness[];
  /** The audit time zone (IANA name) the period was read in: the timeline's days and months are its. */
  timezone: string;
}

/** Items of the period per criterion and kind: each inventory item and each event counted once. */
export async function countEvidence(locker: Locker, period: Period): Promise<Map<string, Map<string, number>>> {
  const counts = new Map<string, Map<string, number>>();
  const add = (controls: string[], kind: string) => {
    for (const control of controls) {
      const perKind = counts.get(control) ?? new Map<string, number>();
      perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
      counts.set(control, perKind);
    }
  };
  const query = { since: period.since, until: period.until };
  for await (const item of groupItems(await locker.inventories(query), locker.inventoryHistory(query))) add(item.seen.at(-1)!.record.controls, item.kind);
  for await (const record of locker.periodEvents(query)) add(record.controls, record.kind);
  return counts;
}

/**
 * Whether a SOC 2 criterion is satisfied in the period, the one rule of the
 * report's framework tables and the OSCAL findings: every check serving it
 * met it (audit's checkMet: items passed, no exception, nothing not assessed
 * or undecided, none failed to run; items exempt by configuration count
 * neither way) and the
 * coverage ledger, which must be known, shows no open gap in its streams and
 * none of them failed to read an in-scope item (a denied repository's
 * evidence is missing, whatever the checks said about the rest), and every
 * stream its checks judged is configured (a disabled stream's coverage is
 * unknown), and no evidence request naming it is overdue or was fulfilled
 * late (one open and not yet due is fine). Evidence that no check judges is
 * not enough.
 */
export function criterionSatisfied(row: Pick<CriterionRow, 'status' | 'gapStreams' | 'unreadStreams' | 'unconfiguredStreams' | 'requestProblems'>, coverageKnown: boolean): boolean {
  return row.status === 'pass' && row.gapStreams.length === 0 && row.unreadStreams.length === 0 && row.unconfiguredStreams.length === 0 && row.requestProblems.length === 0 && coverageKnown;
}

/**
 * Per criterion, the documents the request ledger counted (it never counts a superseded one, nor one whose file is
 * missing or altered): readiness calls a request with such a document evidenced, so the report shows them.
 */
function countedDocuments(ledger: Pick<RequestLedger, 'requests'> | null, entries: readonly DocumentEntry[]): Map<string, CriterionDocument[]> {
  const byCriterion = new Map<string, CriterionDocument[]>();
  for (const line of ledger?.requests ?? []) {
    const documents = new Map<number, CriterionDocument>();
    for (const occurrence of line.occurrences) {
      if (occurrence.status !== 'fulfilled' && occurrence.status !== 'late') continue;
      for (const sequence of occurrence.documents) {
        const entry = entries.find((candidate) => candidate.sequence === sequence);
        if (!entry) continue;
        const document = documents.get(sequence) ?? { sequence, request: line.id, requestTitle: line.title, fileName: entry.fileName, effective: entry.effective, content: entry.content, answers: [] };
        document.answers.push(occurrence.status === 'late' ? `${occurrence.label} (late)` : occurrence.label);
        documents.set(sequence, document);
      }
    }
    for (const criterion of line.criteria) byCriterion.set(criterion, [...(byCriterion.get(criterion) ?? []), ...documents.values()].sort((a, b) => a.sequence - b.sequence));
  }
  return byCriterion;
}

function statusOf(checks: CheckOutcome[], evidence: number): CriterionStatus {
  if (checks.some((check) => check.counts.exception > 0 || check.error)) return 'exception';
  if (checks.some((check) => check.counts['not-assessed'] > 0)) return 'not-assessed';
  if (checks.some((check) => undecided(check) > 0)) return 'not-assessable';
  // Every serving check must have passed items: one that judged only exempt items met nothing.
  if (checks.length > 0 && checks.every(checkMet)) return 'pass';
  if (checks.some((check) => check.counts.pass > 0 || (check.exempt ?? 0) > 0)) return 'not-assessed';
  return evidence > 0 ? 'evidence' : 'none';
}

async function timelines(locker: Locker, period: Period, coverage: CoverageView | null): Promise<StreamTimeline[]> {
  const streams = new Map<string, StreamTimeline>();
  const [since, until] = [period.since.getTime(), period.until.getTime()];
  for (const run of await locker.runs()) {
    for (const stream of run.streams) {
      const id = `${stream.instance}/${stream.stream}`;
      const timeline = streams.get(id) ?? { stream: id, type: stream.type, collections: [], coverage: coverage?.streams.find((s) => s.stream === id) ?? null };
      const startedAt = Date.parse(stream.startedAt);
      if (startedAt >= since && startedAt < until) timeline.collections.push({ at: stream.startedAt, status: stream.status, records: stream.recordCount });
      streams.set(id, timeline);
    }
  }
  for (const view of coverage?.streams ?? []) if (!streams.has(view.stream)) streams.set(view.stream, { stream: view.stream, type: 'state', collections: [], coverage: view });
  return [...streams.values()].sort((a, b) => a.stream.localeCompare(b.stream));
}

/**
 * The criterion's streams with an open gap or an unread in-scope item: those the ledger serves it
 * with, and those its checks judged (a pass rests on them, whatever criteria their controls name);
 * and the judged streams the ledger does not know, since the configuration no longer names them.
 */
function streamProblems(criterion: string, checks: readonly CheckOutcome[], coverage: CoverageView | null): Pick<CriterionRow, 'gapStreams' | 'unreadStreams' | 'unconfiguredStreams'> {
  const served = coverage?.criteria.find((c) => c.criterion === criterion);
  const judged = new Set(checks.flatMap((check) => check.streams ?? []));
  const views = (coverage?.streams ?? []).filter((view) => judged.has(view.stream));
  const union = (listed: readonly string[], more: StreamCoverageView[]) => [...new Set([...listed, ...more.map((view) => view.stream)])];
  return {
    gapStreams: union(served?.gapStreams ?? [], views.filter((view) => !view.covered)),
    unreadStreams: union(served?.unreadStreams ?? [], views.filter((view) => view.unreadItems)),
    unconfiguredStreams: coverage ? [...judged].filter((stream) => !views.some((view) => view.stream === stream)).sort() : [],
  };
}

/** Without a scope: every SOC 2 criterion, no other framework. */
const SOC2_ONLY = frameworkScope(['soc2'], Category.options);

export async function buildReportModel(options: {
  locker: Locker;
  period: Period;
  run: CheckRun;
  coverage?: CoverageView | null;
  /** The request ledger of the period (null or absent: no request configured). */
  requests?: Pick<RequestLedger, 'requests'> | null;
  evidence?: Map<string, Map<string, number>>;
  generatedAt?: Date;
  scope?: FrameworkScope;
  readiness?: Readiness[];
  /** The audit time zone the period was read in (default UTC). */
  timezone?: string;
}): Promise<ReportModel> {
  const { locker, period, run } = options;
  const evidence = options.evidence ?? (await countEvidence(locker, period));
  const coverage = options.coverage ?? null;
  const scope = options.scope ?? SOC2_ONLY;
  const documents = countedDocuments(options.requests ?? null, options.requests?.requests.length ? await locker.documents() : []);
  const rows: CriterionRow[] = catalog.filter((criterion) => scope.criteria.has(criterion.id)).map((criterion) => {
    const perKind = evidence.get(criterion.id) ?? new Map<string, number>();
    const checks = run.checks.filter((check) => check.criteria.includes(criterion.id));
    const items = [...perKind.values()].reduce((sum, n) => sum + n, 0);
    const { gapStreams, unreadStreams, unconfiguredStreams } = streamProblems(criterion.id, checks, coverage);
    const counted = documents.get(criterion.id) ?? [];
    return {
      id: criterion.id,
      label: criterion.label,
      group: criterion.group,
      status: statusOf(checks, items + counted.length),
      evidence: [...perKind].map(([kind, count]) => ({ kind, items: count })).sort((a, b) => a.kind.localeCompare(b.kind)),
      checks,
      gapStreams,
      unreadStreams,
      unconfiguredStreams,
      requestProblems: unmetRequests(options.requests ?? null, criterion.id),
      documents: counted,
    };
  });
  const manifests = await locker.manifests();
  const last = manifests.at(-1);
  return {
    period,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    keyId: publicKeyId(await locker.publicKey()),
    manifests: manifests.length,
    lastManifest: last ? { sequence: last.sequence, hash: last.hash } : null,
    run,
    criteria: rows,
    frameworks: frameworkTables(scope, rows.filter((row) => criterionSatisfied(row, coverage !== null)).map((row) => row.id)),
    streams: await timelines(locker, period, coverage),
    coverageFromLedger: coverage !== null,
    readiness: options.readiness ?? [],
    timezone: options.timezone ?? 'UTC',
  };
}
