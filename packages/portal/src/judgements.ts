/**
 * What the pages read from the locker: a period judged once (checks with
 * the accepted exceptions marked, evidence counts) and kept for a minute, the
 * readiness of a framework from it, and the runs. Locker work is done one
 * piece at a time: better-sqlite3 refuses a query while another's rows are
 * still being read on the same connection, and pages are requested together.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acceptancesFor, type AuditConfig, auditTimezone, type RequestLedger, requestLedgerFromLocker, reviewStates, type ReviewState, checksInScope, type ConfiguredCheck, configuredChecks, exportPopulation, type PopulationItem, type PopulationQuery, populationPage, type Readiness, type Sample, sampleOfQuery, scopeOf, sourcePlans } from '@evidentia/audit';
import type { FrameworkId } from '@evidentia/catalog';
import type { DocumentEntry, Locker, RunSummary } from '@evidentia/locker';
import { coverageData, type CoverageData } from './coverage-data.js';
import { findItem, recordPath, type RecordPath } from './record-path.js';
import { judgePeriod, type PeriodJudgement, readinessOfJudgement } from '@evidentia/publish';
import type { Period } from '@evidentia/time';

const KEEP_MS = 60_000;

export interface EvidenceItems {
  items: PopulationItem[];
  /** Items of the kind (and system) in the period, listed or not. */
  matched: number;
  /** Every system the kind's items of the period come from. */
  systems: string[];
}

export interface PopulationFiles {
  csv: Buffer;
  /** The IPE header, as the CLI writes it beside a CSV population (`<name>.ipe.json`). */
  ipe: Buffer;
  emptyReason: string | null;
}

export interface PopulationFile {
  /** The population file (CSV or XLSX) as the CLI writes it. */
  file: Buffer;
  /** The IPE sidecar (`<name>.ipe.json`) beside a CSV population; null for XLSX (its IPE sheet holds it). */
  ipe: Buffer | null;
  emptyReason: string | null;
  /** The kind the file holds (one per population), null when empty. */
  kind: string | null;
  /** Other kinds serving the criterion, each a population of its own. */
  otherKinds: Array<{ kind: string; items: number }>;
  items: number;
}

export interface RequestsView {
  /** The configured requests with each occurrence's status over the period (as `readiness` and `status` compute it); null when none is configured. */
  ledger: RequestLedger | null;
  /** Every document entry, current and superseded (as `evidence list`). */
  documents: DocumentEntry[];
  /** Every access review with its decisions (as `access-review status`). */
  reviews: ReviewState[];
}

export class Judgements {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly cache = new Map<string, { at: number | null; judgement: Promise<PeriodJudgement> }>();

  private constructor(
    private readonly locker: Locker,
    private readonly config: AuditConfig,
    private readonly checks: ConfiguredCheck[],
    private readonly now: () => Date,
  ) {}

  /** Reads the configured checks first, so a bad check setting stops the server before it listens. */
  static async create(locker: Locker, config: AuditConfig, now: () => Date = () => new Date()): Promise<Judgements> {
    return new Judgements(locker, config, checksInScope(await configuredChecks(config), scopeOf(config)), now);
  }

  get frameworks(): readonly FrameworkId[] {
    return scopeOf(this.config).frameworks;
  }

  /** The period's judgement, computed at most once a minute per period text. */
  period(text: string, period: Period): Promise<PeriodJudgement> {
    const kept = this.cache.get(text);
    // Kept while it is being judged, then for a minute from when it was done: on a large locker judging can
    // take longer than a minute, and counting from the start would judge the period again for every page.
    if (kept && (kept.at === null || this.now().getTime() - kept.at < KEEP_MS)) return kept.judgement;
    const judgement = this.serial(async () => judgePeriod(this.locker, this.config, period, this.checks, await acceptancesFor(this.locker, period, this.config)));
    const entry: { at: number | null; judgement: Promise<PeriodJudgement> } = { at: null, judgement };
    judgement.then(
      () => (entry.at = this.now().getTime()),
      // A failed judgement is not kept: the next request tries again.
      () => this.cache.get(text) === entry && this.cache.delete(text),
    );
    this.cache.set(text, entry);
    return judgement;
  }

  readiness(judgement: PeriodJudgement, framework: FrameworkId): Promise<Readiness> {
    return this.serial(() => readinessOfJudgement(this.locker, this.config, judgement, framework, this.now()));
  }

  /** Runs started within the period, newest first. */
  async runs(period: Period): Promise<RunSummary[]> {
    const runs = await this.serial(() => this.locker.runs());
    const since = period.since.getTime();
    const until = period.until.getTime();
    return runs.filter((run) => Date.parse(run.startedAt) >= since && Date.parse(run.startedAt) < until).reverse();
  }

  /**
   * The items of one record kind in the period (the population `export
   * population --kind` writes), those of `system` when given: `limit` of them
   * from `offset`, all counted, with every system seen, without reading the
   * rest of the population (population-page.ts in audit).
   */
  evidence(period: Period, kind: string, system: string, limit: number, offset = 0): Promise<EvidenceItems> {
    return this.serial(() => populationPage(this.locker, { period, kind, system, offset, limit }));
  }

  /** A kind's population of the period as `evidentia export population --kind K --format csv` writes it. */
  async populationCsv(period: Period, kind: string): Promise<PopulationFiles> {
    const files = await this.populationFile({ period, kind }, 'csv');
    return { csv: files.file, ipe: files.ipe!, emptyReason: files.emptyReason };
  }

  /**
   * The population of a criterion or kind as `evidentia export population --control C | --kind K --format F`
   * writes it, through the same code: the file and (for CSV) its IPE sidecar, each whole.
   */
  populationFile(query: PopulationQuery, format: 'csv' | 'xlsx'): Promise<PopulationFile> {
    return this.serial(async () => {
      const scratch = await mkdtemp(join(tmpdir(), 'evidentia-portal-population-'));
      try {
        const file = join(scratch, `population.${format}`);
        const written = await exportPopulation(this.locker, query, format, file, { sources: sourcePlans(this.config) });
        return { file: await readFile(file), ipe: written.ipeFile ? await readFile(written.ipeFile) : null, emptyReason: written.ipe.emptyReason ?? null, kind: written.kind, otherKinds: written.otherKinds, items: written.ipe.items };
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    });
  }

  /** A seeded sample of a kind's population, as `evidentia sample --kind K --period P --seed S --size N` draws it. */
  sample(period: Period, periodText: string, kind: string, size: number, seed: string): Promise<Sample> {
    return this.sampleOf({ period, kind }, periodText, size, seed);
  }

  /** A seeded sample of a criterion's or kind's population, as `evidentia sample --control C | --kind K --period P --seed S --size N` draws it. */
  sampleOf(query: PopulationQuery, periodText: string, size: number, seed: string): Promise<Sample> {
    return this.serial(() => sampleOfQuery(this.locker, query, size, seed, { periodText, sources: sourcePlans(this.config) }));
  }

  requests(period: Period): Promise<RequestsView> {
    return this.serial(async () => {
      const { requests } = this.config;
      const ledger = requests?.length ? await requestLedgerFromLocker(this.locker, requests, period, this.now(), { timezone: auditTimezone(this.config), aliases: this.config.people.aliases }) : null;
      return { ledger, documents: await this.locker.documents(), reviews: reviewStates(await this.locker.accessReviews()) };
    });
  }

  /** The coverage and request ledgers of the period, as `evidentia coverage` computes them. */
  coverage(period: Period): Promise<CoverageData> {
    return this.serial(() => coverageData(this.locker, this.config, period, this.now()));
  }

  /** The period's item of `kind` with this record hash, or null. */
  recordItem(period: Period, kind: string, hash: string): Promise<PopulationItem | null> {
    return this.serial(() => findItem(this.locker, period, kind, hash));
  }

  /** The record's verification path, recomputed as `verify` would. */
  recordPath(item: PopulationItem): Promise<RecordPath> {
    return this.serial(() => recordPath(this.locker, item));
  }

  /** A raw response (a snapshot body) as stored. */
  rawResponse(bodyHash: string): Promise<Buffer> {
    return this.serial(() => this.locker.readObject(bodyHash));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
