/**
 * The IPE header of a population: how the list was produced, so an auditor
 * can judge its completeness and accuracy. For every stream run the rows rest
 * on: which queries ran (method, URL without pagination, request body such as
 * the GraphQL query or JQL), how many requests, when, under which identity,
 * and the API-reported total against the records received, all taken from
 * the signed manifests and the snapshot provenance.
 */
import { publicKeyId, type Locker, type ManifestStream, type SnapshotEntry } from '@evidentia/locker';
import { describePeriod, type Period } from '../checks/period.js';
import { REVIEW_ENTRY_SOURCE } from './access-review-rows.js';
import { type CoverageGapSource, gapsText, type MissingSource } from './empty-reason.js';

export const POPULATION_FORMAT = 'evidentia.population/1';

export interface IpeQuery {
  method: string;
  /** The URL with its pagination parameters removed. */
  url: string;
  /** The first request's body (pagination variables included, as sent). */
  requestBody: unknown;
  requests: number;
  statuses: number[];
  firstAt: string;
  lastAt: string;
}

export interface IpeSource {
  stream: string;
  type: string;
  runId: string;
  manifestSequence: number | null;
  manifestHash: string | null;
  status: string;
  /** Why the run is not complete (a total not matched, a failure), as its manifest says; null when complete. */
  error: string | null;
  startedAt: string;
  finishedAt: string;
  /** What the API said the population size was, when it says. */
  apiTotal: number | null;
  recordsReceived: number;
  requests: number;
  identities: string[];
  connector: string;
  gaps: ManifestStream['gaps'];
  /** Items the stream run could not read. */
  itemGaps: NonNullable<ManifestStream['itemGaps']>;
  queries: IpeQuery[];
}

export interface Ipe {
  format: typeof POPULATION_FORMAT;
  criterion: string | null;
  kind: string | null;
  period: ReturnType<typeof describePeriod>;
  generatedAt: string;
  items: number;
  /** Why the population is empty (no stream collects it, no run or no evidence of the period, nothing in it); null when it has items. */
  emptyReason: string | null;
  lockerKeyId: string;
  sources: IpeSource[];
  /**
   * Streams of the population's kind(s), and of a criterion's other kinds, with no usable evidence of the period
   * (never collected, no inventory within its staleness, no complete collection reaching into it): the population
   * may lack their items. Absent in files from older versions.
   */
  missingSources: MissingSource[];
  /**
   * Configured streams of the population's kind(s) that have evidence of the period but open coverage gaps in it
   * (times no collection covered, from their schedules): the population lacks their items of that time. Absent in
   * files from older versions and when no configuration gives schedules.
   */
  coverageGaps?: CoverageGapSource[];
  /** The signed access-review entries the rows rest on (a review population); absent when there are none. */
  reviewEntries?: IpeReviewEntry[];
}

/** A signed entry of the locker's access-review chain: a review started (its accounts) or a batch of decisions on it. */
export interface IpeReviewEntry {
  sequence: number;
  hash: string;
  kind: 'review' | 'decisions';
  reviewId: string;
  system: string;
  addedBy: string;
  addedAt: string;
}

const PAGINATION = /^(page|per_page|cursor|after|before|starting_after|startat|maxresults|nextpagetoken|pagetoken|marker|nexttoken|offset|limit)$/i;

function withoutPagination(url: string): string {
  try {
    const parsed = new URL(url);
    for (const name of [...parsed.searchParams.keys()]) if (PAGINATION.test(name)) parsed.searchParams.delete(name);
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The request body with pagination variables removed, to group the pages of one query. */
function queryShape(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return JSON.stringify(body ?? null);
  const strip = (value: Record<string, unknown>) => Object.fromEntries(Object.entries(value).filter(([key]) => !PAGINATION.test(key)));
  const record = strip(body as Record<string, unknown>);
  if (typeof record.variables === 'object' && record.variables !== null) record.variables = strip(record.variables as Record<string, unknown>);
  return JSON.stringify(record);
}

async function queriesOf(entries: AsyncIterable<SnapshotEntry>): Promise<{ queries: IpeQuery[]; identities: string[] }> {
  const queries = new Map<string, IpeQuery>();
  const identities = new Set<string>();
  for await (const { provenance } of entries) {
    if (provenance.identity) identities.add(provenance.identity);
    const url = withoutPagination(provenance.url);
    const key = `${provenance.method} ${url} ${queryShape(provenance.requestBody)}`;
    const query = queries.get(key) ?? { method: provenance.method, url, requestBody: provenance.requestBody, requests: 0, statuses: [], firstAt: provenance.collectedAt, lastAt: provenance.collectedAt };
    query.requests++;
    if (!query.statuses.includes(provenance.status)) query.statuses.push(provenance.status);
    query.lastAt = provenance.collectedAt;
    queries.set(key, query);
  }
  return { queries: [...queries.values()], identities: [...identities] };
}

/** The IPE header for a population whose rows came from the given stream runs (`<runId> <instance>/<stream>`). */
export async function buildIpe(
  locker: Locker,
  options: { period: Period; control?: string; kind?: string; items: number; sources: Set<string>; generatedAt: Date; emptyReason?: string | null; missingSources?: readonly MissingSource[]; coverageGaps?: readonly CoverageGapSource[] },
): Promise<Ipe> {
  const sources: IpeSource[] = [];
  for (const run of await locker.runs()) {
    for (const stream of run.streams) {
      const name = `${stream.instance}/${stream.stream}`;
      if (!options.sources.has(`${run.runId} ${name}`)) continue;
      const { queries, identities } = await queriesOf(locker.snapshotEntries(run.runId, name));
      sources.push({
        stream: name,
        type: stream.type,
        runId: run.runId,
        manifestSequence: run.sequence,
        manifestHash: run.manifestHash,
        status: stream.status,
        error: stream.error,
        startedAt: stream.startedAt,
        finishedAt: stream.finishedAt,
        apiTotal: stream.apiTotal,
        recordsReceived: stream.recordCount,
        requests: stream.requests,
        identities,
        connector: `${stream.connector} ${stream.connectorVersion}`,
        gaps: stream.gaps,
        itemGaps: stream.itemGaps ?? [],
        queries,
      });
    }
  }
  const entryHashes = new Set([...options.sources].filter((key) => key.startsWith(REVIEW_ENTRY_SOURCE)).map((key) => key.slice(REVIEW_ENTRY_SOURCE.length)));
  const reviewEntries = entryHashes.size === 0 ? [] : (await locker.accessReviews()).filter((entry) => entryHashes.has(entry.hash));
  return {
    format: POPULATION_FORMAT,
    criterion: options.control ?? null,
    kind: options.kind ?? null,
    period: describePeriod(options.period),
    generatedAt: options.generatedAt.toISOString(),
    items: options.items,
    emptyReason: options.items === 0 ? (options.emptyReason ?? 'no record of the period') : null,
    lockerKeyId: publicKeyId(await locker.publicKey()),
    sources,
    missingSources: [...(options.missingSources ?? [])],
    ...(options.coverageGaps?.length ? { coverageGaps: [...options.coverageGaps] } : {}),
    ...(reviewEntries.length > 0 ? { reviewEntries: reviewEntries.map(({ sequence, hash, kind, reviewId, system, addedBy, addedAt }) => ({ sequence, hash, kind, reviewId, system, addedBy, addedAt })) } : {}),
  };
}

/** What a population with items says of a stream of its kind that gave it no evidence of the period. */
const incompleteLine = (source: MissingSource) => `incomplete: ${source.stream} has no usable evidence of the period, so its ${source.kind} items may be missing from this population (${source.reason})`;

/** What a population says of a stream of its kind with open coverage gaps in the period. */
const gapLine = (source: CoverageGapSource) => `incomplete: ${source.stream} has ${gapsText(source)}, so its ${source.kind} items of that time may be missing from this population (see coverage)`;

/** The IPE as plain lines, for the top of a CSV file and the IPE sheet of a workbook. */
export function ipeLines(ipe: Ipe): string[] {
  const lines = [
    `format: ${ipe.format}`,
    `population of: ${ipe.criterion ? `criterion ${ipe.criterion}` : ''}${ipe.criterion && ipe.kind ? ', ' : ''}${ipe.kind ? `record kind ${ipe.kind}` : ''}`,
    `period: ${ipe.period.since} to ${ipe.period.until} (end exclusive)`,
    `generated: ${ipe.generatedAt} from the locker signed by key ${ipe.lockerKeyId}`,
    `items: ${ipe.items}${ipe.emptyReason ? `: empty because ${ipe.emptyReason}` : ''}`,
    // An empty population's reason already names them.
    ...(ipe.items > 0 ? ipe.missingSources.map(incompleteLine) : []),
    ...(ipe.coverageGaps ?? []).map(gapLine),
  ];
  ipe.sources.forEach((source, index) => {
    // A complete run matched every total it was given (the records each counts: members, not collaborators); any other did not.
    const total =
      source.apiTotal === null
        ? 'the source reports no total of its own, so completeness rests on every page having been read to the end'
        : `total reported by the source ${source.apiTotal}, ${source.status === 'complete' ? 'matched by the records it counts' : `not matched: the run is ${source.status}`}`;
    const status = `${source.status}${source.error ? ` (${source.error})` : ''}`;
    lines.push(
      `source ${index + 1}: stream ${source.stream} (${source.type}), run ${source.runId}, manifest #${source.manifestSequence ?? '?'} ${source.manifestHash ?? ''}, ${status}, ${source.startedAt} to ${source.finishedAt}; ${total}, ${source.recordsReceived} records received, ${source.requests} requests; identity ${source.identities.join(', ') || 'not recorded'}; connector ${source.connector}`,
    );
    for (const gap of source.gaps) lines.push(`source ${index + 1} declared gap: ${gap.since ?? 'start'} to ${gap.until}: ${gap.reason}`);
    for (const gap of source.itemGaps) lines.push(`source ${index + 1} item not read${gap.inScope ? ' (in scope)' : ''}: ${gap.item}: ${gap.reason}`);
    for (const query of source.queries) {
      const body = query.requestBody === null || query.requestBody === undefined ? '' : ` body ${JSON.stringify(query.requestBody)}`;
      lines.push(`source ${index + 1} query: ${query.method} ${query.url}${body} (${query.requests} request(s), status ${query.statuses.join('/')}, ${query.firstAt} to ${query.lastAt})`);
    }
  });
  for (const entry of ipe.reviewEntries ?? []) {
    const what = entry.kind === 'review' ? 'review started (its accounts)' : 'decisions recorded';
    lines.push(`access-review entry ${entry.sequence}: ${what} for review ${entry.reviewId} of ${entry.system} by ${entry.addedBy} at ${entry.addedAt}, signed entry ${entry.hash}`);
  }
  if (ipe.reviewEntries?.length) lines.push('access-review query: every account of each review started in the period, with the decision recorded on it (empty while undecided); record_hash = SHA-256 of the canonical JSON {review, row, decision}');
  return lines;
}
