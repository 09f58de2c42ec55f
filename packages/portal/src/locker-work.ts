/**
 * The locker work behind the portal's pages, as plain functions of one
 * opened locker: what a locker worker (locker-worker.ts) runs on its own
 * thread and connection, and what runs in this thread where no worker can
 * start. Every result is structured-cloneable (plain data, Maps, Dates), so
 * it crosses the thread boundary unchanged; a population file is written to
 * a directory the caller owns and only its path comes back.
 */
import { join } from 'node:path';
import { acceptancesFor, type AuditConfig, type ConfiguredCheck, auditTimezone, configuredChecks, checksInScope, exportPopulation, populationPage, type PopulationItem, type PopulationQuery, type Readiness, configuredRequestLedger, type RequestLedger, reviewStates, type ReviewState, type Sample, sampleOfQuery, scopeOf, sourcePlans, streamPlans } from '@evidentia/audit';
import type { FrameworkId } from '@evidentia/catalog';
import type { DocumentEntry, Locker, RunSummary } from '@evidentia/locker';
import { judgePeriod, type PeriodJudgement, readinessOfJudgement } from '@evidentia/publish';
import { type Period, TimeZone } from '@evidentia/time';
import { coverageData, type CoverageData } from './coverage-data.js';
import { findItem, recordPath, type RecordPath } from './record-path.js';

export interface EvidenceItems {
  items: PopulationItem[];
  /** Items of the kind (and system) in the period, listed or not. */
  matched: number;
  /** Every system the kind's items of the period come from. */
  systems: string[];
}

/** A population file written by the worker: the file and (CSV) its IPE sidecar, on disk. */
export interface WrittenPopulation {
  /** The population file (CSV or XLSX) as the CLI writes it. */
  file: string;
  /** The IPE sidecar (`<name>.ipe.json`) beside a CSV population; null for XLSX (its IPE sheet holds it). */
  ipe: string | null;
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

/**
 * The items of one record kind in the period (the population `export
 * population --kind` writes), those of `system` when given: `limit` of them
 * from `offset`, all counted, with every system seen, without reading the
 * rest of the population (audit's populationPage).
 */
export function evidenceItems(locker: Locker, period: Period, kind: string, system: string, limit: number, offset = 0): Promise<EvidenceItems> {
  return populationPage(locker, { period, kind, system, offset, limit });
}

/** The period's item of `kind` with this record hash, or null. */
export function recordItem(locker: Locker, period: Period, kind: string, hash: string): Promise<PopulationItem | null> {
  return findItem(locker, period, kind, hash);
}

/** What readiness answers when it holds no judgement of the period (another period was judged here since). */
export const JUDGEMENT_NOT_HELD = 'the locker worker holds no judgement of this period';

/** Every operation a page asks of the locker, over one opened locker and the audit config. */
export class LockerWork {
  /**
   * The last judgement made here and the locker's change mark it was made at: readiness is asked for
   * with the period, not the judgement, since sending a judgement of a million findings to this thread
   * at every readiness page cost seconds of copying.
   */
  private last: { key: string; judgement: Promise<PeriodJudgement> } | null = null;

  private constructor(
    private readonly locker: Locker,
    private readonly config: AuditConfig,
    private readonly checks: ConfiguredCheck[],
  ) {}

  static async create(locker: Locker, config: AuditConfig): Promise<LockerWork> {
    return new LockerWork(locker, config, checksInScope(await configuredChecks(config), scopeOf(config)));
  }

  judge(period: Period): Promise<PeriodJudgement> {
    const key = this.judgementKey(period);
    if (this.last?.key !== key) {
      const judgement = (async () => judgePeriod(this.locker, this.config, period, this.checks, await acceptancesFor(this.locker, period, this.config)))();
      const last = { key, judgement };
      judgement.catch(() => this.last === last && (this.last = null));
      this.last = last;
    }
    return this.last.judgement;
  }

  /**
   * The framework's readiness over the period's judgement: the one given, else the one made here last while the locker
   * is unchanged. Without either it refuses (JUDGEMENT_NOT_HELD) rather than judge again: the caller holds the judgement
   * and sends it, which costs a copy, not a judging.
   */
  async readiness(period: Period, framework: FrameworkId, now: Date, judgement?: PeriodJudgement): Promise<Readiness> {
    const held = judgement ?? (this.last?.key === this.judgementKey(period) ? await this.last.judgement : undefined);
    if (!held) throw new Error(JUDGEMENT_NOT_HELD);
    return readinessOfJudgement(this.locker, this.config, held, framework, now);
  }

  private judgementKey(period: Period): string {
    return `${period.since.toISOString()} ${period.until.toISOString()} ${this.locker.changeMark()}`;
  }

  runs(): Promise<RunSummary[]> {
    return this.locker.runs();
  }

  /** The record kinds with items in the period, sorted (the evidence list's choice of kind), found in SQL. */
  kinds(period: Period): Promise<string[]> {
    return this.locker.periodKinds(period);
  }

  evidence(period: Period, kind: string, system: string, limit: number, offset = 0): Promise<EvidenceItems> {
    return evidenceItems(this.locker, period, kind, system, limit, offset);
  }

  /** Writes the population as `evidentia export population` does into `dir` (which the caller owns and removes). */
  async populationFile(query: PopulationQuery, format: 'csv' | 'xlsx', dir: string): Promise<WrittenPopulation> {
    const file = join(dir, `population.${format}`);
    const written = await exportPopulation(this.locker, query, format, file, { sources: sourcePlans(this.config), schedules: streamPlans(this.config) });
    return { file, ipe: written.ipeFile ?? null, emptyReason: written.ipe.emptyReason ?? null, kind: written.kind, otherKinds: written.otherKinds, items: written.ipe.items };
  }

  sample(query: PopulationQuery, periodText: string, size: number, seed: string): Promise<Sample> {
    return sampleOfQuery(this.locker, query, size, seed, { periodText, sources: sourcePlans(this.config), schedules: streamPlans(this.config) });
  }

  /**
   * `withinPeriod` (an auditor's view): only the documents in force by the period's last day (effective on or before it)
   * or counted by the period's request ledger (a background check added after it for a hire in it, as the bundle
   * carries it), and the access reviews started before its end; the rest is another period's evidence.
   */
  async requests(period: Period, now: Date, withinPeriod = false): Promise<RequestsView> {
    const timezone = auditTimezone(this.config);
    const ledger = await configuredRequestLedger(this.locker, this.config, period, now);
    const documents = await this.locker.documents();
    const reviews = reviewStates(await this.locker.accessReviews());
    if (!withinPeriod) return { ledger, documents, reviews };
    const lastDay = new Date(TimeZone.of(timezone).wallOf(period.until.getTime() - 1)).toISOString().slice(0, 10);
    const until = period.until.getTime();
    const cited = new Set((ledger?.requests ?? []).flatMap((line) => line.occurrences.flatMap((occurrence) => occurrence.documents)));
    return { ledger, documents: documents.filter((entry) => entry.effective <= lastDay || cited.has(entry.sequence)), reviews: reviews.filter((review) => Date.parse(review.startedAt) < until) };
  }

  coverage(period: Period, now: Date): Promise<CoverageData> {
    return coverageData(this.locker, this.config, period, now);
  }

  recordItem(period: Period, kind: string, hash: string): Promise<PopulationItem | null> {
    return recordItem(this.locker, period, kind, hash);
  }

  recordPath(item: PopulationItem): Promise<RecordPath> {
    return recordPath(this.locker, item);
  }

  rawResponse(bodyHash: string): Promise<Buffer> {
    return this.locker.readObject(bodyHash);
  }
}

