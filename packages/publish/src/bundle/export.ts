/**
 * The audit bundle export: the period's manifests and their chain from the
 * manifest before it, the snapshot entries, raw responses and records of
 * every stream run the period's evidence rests on, the populations, the
 * check results (accepted exceptions marked), coverage, readiness, the HTML report, the
 * document evidence, exception acceptances and access reviews as signed, the public key and a README,
 * with a signed index of every file's SHA-256. Everything streams into the
 * zip one entry at a time, so a million records need no more memory than ten.
 */
import { readFile } from 'node:fs/promises';
import { sourcesOfStoredRecord } from '@evidentia/evidence';
import { checkpointLine, type Locker, NoPrivateKeyError, type PeriodStreamRun, publicKeyId, type SignedCheckpoint } from '@evidentia/locker';
import { type AcceptanceJudge, checkResultsWriter, UsageError, type CheckRun, type ConfiguredCheck, describePeriod, type FrameworkScope, type Ledger, type PeopleDirectory, type Period, type Readiness, type RequestLedger, runChecks, type SourcePlan } from '@evidentia/audit';
import { buildReportModel, type CoverageView } from '../report/model.js';
import { renderReport } from '../report/render.js';
import { addSignedEntries } from './entries.js';
import { addPopulations } from './populations.js';
import { addReadiness } from './readiness-files.js';
import { BUNDLE_FORMAT, INDEX_SIGNATURE_PURPOSE, PATHS, type BundleIndex, type ChainLine, type IncludedStream } from './layout.js';
import { bundleReadme } from './readme.js';
import { batched, ZipWriter } from './zip-writer.js';
import { VERIFIER_FILE } from '../verifier/file.js';

export interface BundleOptions {
  locker: Locker;
  period: Period;
  out: string;
  checks: ConfiguredCheck[];
  people: PeopleDirectory;
  /** The configured streams, so checks can say which had no evidence of the period. */
  sources?: readonly SourcePlan[] | null;
  /**
   * The coverage ledger (as JSON) and its view, when a configuration gives schedules (a null view: none does), and
   * the request ledger: the documents it counts go in whatever their effective day.
   */
  coverage: { ledger: Ledger; view: CoverageView | null; requests?: Pick<RequestLedger, 'requests'> | null } | null;
  createdAt?: Date;
  /** The accepted exceptions judged for the period: marked on the exceptions in checks/results.json and the report. */
  acceptances?: AcceptanceJudge;
  /** The audit time zone: which documents' files the period includes (by their effective day). Default UTC. */
  timezone?: string;
  /** Checkpoints read from the witnesses: those of the bundle's manifests are carried in witness/checkpoints.jsonl. */
  checkpoints?: SignedCheckpoint[];
  /** Readiness per framework from the bundle's check run and evidence count (readiness/<framework>.json and .csv, and the report's section); absent: none. */
  readiness?: (run: CheckRun, records: Map<string, Map<string, number>>) => Promise<Readiness[]>;
  /** The frameworks and SOC 2 criteria in scope, as `report` shows them: the report's criteria and framework tables; absent: every SOC 2 criterion, no other framework. */
  scope?: FrameworkScope;
}

export interface BundleSummary {
  file: string;
  files: number;
  bytes: number;
  records: number;
  manifests: { first: number; last: number };
  streams: number;
  /** Witness checkpoints carried. */
  checkpoints: number;
  run: CheckRun;
  signed: boolean;
}

async function* lines<T>(items: AsyncIterable<T>, line: (item: T) => string, onItem?: (item: T) => void): AsyncIterable<string> {
  for await (const item of items) {
    onItem?.(item);
    yield `${line(item)}\n`;
  }
}

/** The manifests to include: from the one before the first needed to the last run started in the period (or needed). */
async function manifestRange(locker: Locker, period: Period, included: PeriodStreamRun[]): Promise<ChainLine[]> {
  const manifests = await locker.manifests();
  const started = new Map((await locker.runs()).map((run) => [run.runId, Date.parse(run.startedAt)]));
  const inPeriod = manifests.filter((m) => {
    const at = started.get(m.runId) ?? NaN;
    return at >= period.since.getTime() && at < period.until.getTime();
  }).map((m) => m.sequence);
  const needed = [...inPeriod, ...included.map((stream) => stream.sequence)];
  if (needed.length === 0) return [];
  const first = Math.max(1, Math.min(...needed) - 1);
  const last = Math.max(...needed);
  return manifests.filter((m) => m.sequence >= first && m.sequence <= last);
}

export async function exportBundle(options: BundleOptions): Promise<BundleSummary> {
  const { locker, period } = options;
  const createdAt = options.createdAt ?? new Date();
  const included = await locker.periodStreamRuns(period);
  const chain = await manifestRange(locker, period, included);
  if (chain.length === 0) throw new UsageError(`the locker has no runs for the period ${period.since.toISOString()} to ${period.until.toISOString()}: nothing to export (\`evidentia runs\` lists them)`);
  const publicKey = await locker.publicKey();
  const streams: IncludedStream[] = included.map((s) => ({ sequence: s.sequence, runId: s.runId, stream: `${s.instance}/${s.stream}` }));
  const head = { period: describePeriod(period), createdAt: createdAt.toISOString(), keyId: publicKeyId(publicKey), manifests: { first: chain[0]!.sequence, last: chain.at(-1)!.sequence }, streams };
  const zip = await ZipWriter.create(options.out, createdAt);
  try {
    return await writeBundle(zip, options, { head, chain, included, publicKey, createdAt });
  } catch (error) {
    await zip.abort();
    throw error;
  }
}

interface Plan {
  head: Omit<BundleIndex, 'format' | 'files'>;
  chain: ChainLine[];
  included: PeriodStreamRun[];
  publicKey: string;
  createdAt: Date;
}

async function writeBundle(zip: ZipWriter, options: BundleOptions, { head, chain, included, publicKey, createdAt }: Plan): Promise<BundleSummary> {
  const { locker, period } = options;
  const { streams } = head;
  await zip.add(PATHS.readme, bundleReadme(head));
  await zip.add(PATHS.verifier, await standaloneVerifier());
  await zip.add(PATHS.publicKey, publicKey);
  for (const rotation of await locker.keyRotations()) await zip.add(rotation.path, rotation.text);
  await zip.add(PATHS.chain, chain.map((m) => `${JSON.stringify({ sequence: m.sequence, runId: m.runId, hash: m.hash, previous: m.previous, signature: m.signature })}\n`).join(''));
  for (const manifest of chain) await zip.add(PATHS.manifest(manifest.sequence), await locker.readObject(manifest.hash));
  const checkpoints = checkpointsOf(chain, options.checkpoints ?? [], (await locker.manifests()).at(-1)?.sequence ?? 0);
  if (checkpoints.length > 0) await zip.add(PATHS.checkpoints, checkpoints.map(checkpointLine).join(''));

  const recordSets = [...new Set(included.map((s) => s.recordSet))];
  let records = 0;
  const sources = new Set<string>();
  const noteRecord = (record: { json: string }) => {
    records++;
    for (const source of sourcesOfStoredRecord(record.json)) sources.add(source);
  };
  await zip.add(PATHS.records, batched(lines(locker.setRecords(recordSets), (record) => record.json, noteRecord)));
  const bodies = new Set<string>();
  for (const stream of streams) {
    const entries = locker.snapshotEntries(stream.runId, stream.stream);
    const line = (e: { seq: number; entryHash: string; bodyHash: string; provenance: unknown }) => JSON.stringify({ seq: e.seq, entryHash: e.entryHash, bodyHash: e.bodyHash, provenance: e.provenance });
    await zip.add(PATHS.snapshots(stream.sequence, stream.stream), batched(lines(entries, line, (e) => bodies.add(e.bodyHash))));
  }
  // A record can rest on a response an earlier run read (an unchanged item, an AWS key listing): the bundle carries
  // that raw response too, where the locker holds it, though no included snapshot entry names it.
  const earlier: string[] = [];
  for (const source of sources) if (!bodies.has(source) && (await locker.holdsObject(source))) earlier.push(source);
  // A record set of a million members is a 67 MB list: it streams from the locker rather than being built whole.
  for (const hash of new Set([...recordSets, ...bodies, ...earlier])) await zip.add(PATHS.object(hash), locker.readObjectChunks(hash));
  // A request the report shows as answered has its document in the bundle, though its effective day be outside the period.
  const cited = new Set((options.coverage?.requests?.requests ?? []).flatMap((request) => request.occurrences.flatMap((occurrence) => occurrence.documents)));
  await addSignedEntries(zip, locker, period, options.timezone ?? 'UTC', cited);

  const evidence = await addPopulations(zip, locker, period, createdAt, options.sources ?? null, options.coverage?.ledger ?? null);
  const run = await addCheckResults(zip, options);
  const readiness = options.readiness ? await options.readiness(run, evidence) : [];
  await addReadiness(zip, readiness);
  const model = await buildReportModel({ locker, period, run, coverage: options.coverage?.view ?? null, requests: options.coverage?.requests ?? null, evidence, generatedAt: createdAt, readiness, timezone: options.timezone ?? 'UTC', ...(options.scope ? { scope: options.scope } : {}) });
  const coverage = options.coverage?.ledger ?? { format: 'evidentia.collections/1', note: 'no configuration was given, so schedules and gaps are unknown; these are the collections the locker holds', streams: model.streams };
  await zip.add(PATHS.coverage, `${JSON.stringify(coverage, null, 2)}\n`);
  await zip.add(PATHS.report, renderReport(model));
  await assertEvidenceUnchanged(locker, period, included);

  const index: BundleIndex = { format: BUNDLE_FORMAT, ...head, files: zip.files };
  const indexBytes = Buffer.from(`${JSON.stringify(index, null, 1)}\n`, 'utf8');
  let signed = true;
  let signature: string | null = null;
  try {
    signature = (await locker.signDocument(INDEX_SIGNATURE_PURPOSE, indexBytes)).signature;
  } catch (error) {
    // A copy of the locker for reading has no private key: its bundle goes out unsigned, and says so. A key that is
    // there but cannot sign (an unreadable or wrong key file, a KMS key that refuses) fails the export with its error.
    if (!(error instanceof NoPrivateKeyError)) throw error;
    signed = false;
  }
  await zip.add(PATHS.index, indexBytes, { index: false });
  if (signature) await zip.add(PATHS.signature, `${signature}\n`, { index: false });
  await zip.close();
  return { file: options.out, files: zip.files.length, bytes: zip.files.reduce((sum, f) => sum + f.bytes, 0), records, manifests: head.manifests, streams: streams.length, checkpoints: checkpoints.length, run, signed };
}

/**
 * The locker is read in many queries while a collection may commit (a daemon
 * does not wait for an export): a run that adds evidence of the period after
 * the bundle chose its stream runs would put that evidence in populations,
 * results and report but not its records, snapshots or manifest. Such a
 * bundle is refused rather than signed.
 */
async function assertEvidenceUnchanged(locker: Locker, period: Period, included: PeriodStreamRun[]): Promise<void> {
  const key = (runs: PeriodStreamRun[]) => runs.map((run) => `#${run.sequence} ${run.runId} ${run.instance}/${run.stream}`);
  const before = new Set(key(included));
  const added = key(await locker.periodStreamRuns(period)).filter((run) => !before.has(run));
  if (added.length > 0) throw new UsageError(`the locker changed while the bundle was written: ${added.join(', ')} committed evidence of the period meanwhile, which the bundle's records would lack; nothing was written, export again`);
}

async function standaloneVerifier(): Promise<Buffer> {
  try {
    return await readFile(VERIFIER_FILE);
  } catch (error) {
    throw new Error(`the standalone verifier ${VERIFIER_FILE} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): this evidentia installation is incomplete; \`pnpm build:verifier\` makes it`, { cause: error });
  }
}

/**
 * The checkpoints naming the bundle's manifests, and those naming a run after
 * the locker's newest (`lockerHead`), once each (several witnesses hold the
 * same one), by sequence. A run the witness saw and the locker lacks was
 * deleted (an older locker.db restored): left out, the bundle would hide it;
 * carried, its verification names it.
 */
function checkpointsOf(chain: ChainLine[], checkpoints: SignedCheckpoint[], lockerHead: number): SignedCheckpoint[] {
  const first = chain[0]?.sequence ?? 0;
  const last = chain.at(-1)?.sequence ?? 0;
  const carried = ({ sequence }: SignedCheckpoint['checkpoint']) => (sequence >= first && sequence <= last) || sequence > lockerHead;
  const unique = new Map(checkpoints.filter(({ checkpoint }) => carried(checkpoint)).map((signed) => [checkpointLine(signed), signed]));
  return [...unique.values()].sort((a, b) => a.checkpoint.sequence - b.checkpoint.sequence);
}

/** Run the checks, streaming every finding into checks/results.json as it is found. */
async function addCheckResults(zip: ZipWriter, options: BundleOptions): Promise<CheckRun> {
  const entry = zip.open(PATHS.checks);
  const writer = checkResultsWriter(options.period, (text) => entry.write(text));
  await writer.begin();
  const run = await runChecks({ locker: options.locker, period: options.period, checks: options.checks, people: options.people, sources: options.sources ?? null, acceptances: options.acceptances, ...writer });
  await writer.end(undefined, run.acceptances);
  await entry.end();
  return run;
}
