/**
 * What the pages read from the locker. The heavy work (judging a period,
 * readiness, evidence lists, population files, samples, record lookups) runs
 * in a locker worker on its own thread and read-only connection
 * (worker-pool.ts), so sign-in, /health and the light pages (runs, coverage,
 * read here on the server's own connection) are not held up by it. Results
 * are kept until the locker changes (its change mark, a few index lookups per
 * request), not for a fixed time: a period judged once serves every page
 * until a run, a document, an acceptance or an access review is added.
 */
import { type AuditConfig, type PopulationItem, type PopulationQuery, type Readiness, type Sample, scopeOf } from '@evidentia/audit';
import type { FrameworkId } from '@evidentia/catalog';
import type { Locker, RunSummary } from '@evidentia/locker';
import type { PeriodJudgement } from '@evidentia/publish';
import type { Period } from '@evidentia/time';
import { coverageData, type CoverageData } from './coverage-data.js';
import { KeptResults, type Making } from './kept-results.js';
import type { EvidenceItems, RequestsView, WrittenPopulation } from './locker-work.js';
import { JUDGEMENT_NOT_HELD } from './locker-work.js';
import { type OpenPopulation, type PopulationFileHooks, PopulationFiles } from './population-files.js';
import type { RecordPath } from './record-path.js';
import { type LockerRunner, lockerRunner, type Operation, type PoolOptions } from './worker-pool.js';

export type { EvidenceItems, RequestsView } from './locker-work.js';
export type { OpenPopulation, PopulationFile } from './population-files.js';

/** Periods whose judgements are kept (each a run over the period's records); population files kept on disk (population-files.ts). */
const PERIODS_KEPT = 8;
const FILES_KEPT = 8;
const PAGES_KEPT = 32;

/** A result, or for how many seconds it has been in the making (a page says so rather than wait). */
export type ReadyOrMaking<T> = { ready: T } | { makingSeconds: number };

/** A period's judgement, or for how many seconds it has been in the making. */
export type JudgedOrJudging = { judgement: PeriodJudgement } | { judgingSeconds: number };

const periodKey = (period: Period) => `${period.since.toISOString()}..${period.until.toISOString()}`;

export class Judgements {
  private mark: string | null = null;
  private readonly judged = new KeptResults<PeriodJudgement>(PERIODS_KEPT);
  private readonly pages = new KeptResults<unknown>(PAGES_KEPT);
  /** The population files on disk, read under leases (exposed for tests: how many are leased, when the let-go ones are removed). */
  readonly populationFiles: PopulationFiles;
  private light: Promise<unknown> = Promise.resolve();
  /** Each judgement's number, part of its readiness's key: a readiness is kept for the judgement it was made from only. */
  private readonly judgementIds = new WeakMap<PeriodJudgement, number>();
  private judgementCount = 0;

  private constructor(
    private readonly locker: Locker,
    private readonly config: AuditConfig,
    private readonly runner: LockerRunner,
    private readonly now: () => Date,
    hooks: PopulationFileHooks,
  ) {
    this.populationFiles = new PopulationFiles(FILES_KEPT, hooks);
  }

  /** Reads the configured checks first, so a bad check setting stops the server before it listens. `hooks`: for tests. */
  static async create(locker: Locker, config: AuditConfig, now: () => Date = () => new Date(), pool: PoolOptions = {}, hooks: PopulationFileHooks = {}): Promise<Judgements> {
    return new Judgements(locker, config, await lockerRunner(locker, config, pool), now, hooks);
  }

  get frameworks(): readonly FrameworkId[] {
    return scopeOf(this.config).frameworks;
  }

  /** The period's judgement, made once per period until the locker changes. */
  period(text: string, period: Period): Promise<PeriodJudgement> {
    return this.judging(text, period).value;
  }

  /** The judgement if it is ready within `waitMs`, else since when it has been in the making. */
  async judgedWithin(text: string, period: Period, waitMs: number): Promise<JudgedOrJudging> {
    const made = await this.within(this.judging(text, period), waitMs);
    return 'ready' in made ? { judgement: made.ready } : { judgingSeconds: made.makingSeconds };
  }

  readiness(judgement: PeriodJudgement, framework: FrameworkId): Promise<Readiness> {
    const now = this.now();
    // Readiness is as of now (what is due, what is overdue): kept for the minute, and only while the locker is unchanged.
    // Asked by period: the worker keeps the judgement it made last; only when it has judged another period since is the
    // judgement sent (a copy of every finding), never judged again.
    // Keyed by the judgement too: a page judged before a collect committed must not leave its readiness to the pages after.
    const key = `readiness ${this.judgementId(judgement)} ${periodKey(judgement.period)} ${framework} ${now.toISOString().slice(0, 16)}`;
    const args = [judgement.period, framework, now];
    return this.current().pages.get(key, () => this.runner.run<Readiness>('readiness', args).catch((error: unknown) => (error instanceof Error && error.message === JUDGEMENT_NOT_HELD ? this.runner.run<Readiness>('readiness', [...args, judgement]) : Promise.reject(error))), now).value as Promise<Readiness>;
  }

  /** Runs started within the period, newest first (a light read, done here). */
  async runs(period: Period): Promise<RunSummary[]> {
    const runs = await this.lightly(() => this.locker.runs());
    const since = period.since.getTime();
    const until = period.until.getTime();
    return runs.filter((run) => Date.parse(run.startedAt) >= since && Date.parse(run.startedAt) < until).reverse();
  }

  /** The record kinds with items in the period, sorted: a SQL aggregate in the worker, no judgement needed. */
  kinds(period: Period): Promise<string[]> {
    return this.listing(period).value;
  }

  /** The kinds if they are found within `waitMs` (the worker may still be busy, judging a period), else for how long they have been sought. */
  kindsWithin(period: Period, waitMs: number): Promise<ReadyOrMaking<string[]>> {
    return this.within(this.listing(period), waitMs);
  }

  /** The items of one record kind in the period, those of `system` when given: `limit` of them from `offset` (see evidenceItems). */
  evidence(period: Period, kind: string, system: string, limit: number, offset = 0): Promise<EvidenceItems> {
    return this.kept(`evidence ${periodKey(period)} ${JSON.stringify([kind, system, limit, offset])}`, 'evidence', [period, kind, system, limit, offset]);
  }

  /**
   * The population of a criterion or kind as `evidentia export population --control C | --kind K --format F`
   * writes it, through the same code, as a file on disk (kept until the locker changes or it is crowded out),
   * opened under a lease: the file (or, `ipe`, its IPE sidecar) stays on disk until the stream closes.
   */
  openPopulation(query: PopulationQuery, format: 'csv' | 'xlsx', part: 'file' | 'ipe' = 'file'): Promise<OpenPopulation> {
    const key = `${periodKey(query.period)} ${JSON.stringify([query.control ?? null, query.kind ?? null, format])}`;
    return this.current().populationFiles.open(key, (dir) => this.runner.run<WrittenPopulation>('populationFile', [query, format, dir]), this.now(), part);
  }

  /** A seeded sample of a kind's population, as `evidentia sample --kind K --period P --seed S --size N` draws it. */
  sample(period: Period, periodText: string, kind: string, size: number, seed: string): Promise<Sample> {
    return this.sampleOf({ period, kind }, periodText, size, seed);
  }

  /** A seeded sample of a criterion's or kind's population, as `evidentia sample --control C | --kind K --period P --seed S --size N` draws it. */
  sampleOf(query: PopulationQuery, periodText: string, size: number, seed: string): Promise<Sample> {
    return this.runner.run('sample', [query, periodText, size, seed]);
  }

  /** The requests page's view; `withinPeriod` (an auditor's): without the documents and access reviews of later periods. */
  requests(period: Period, withinPeriod = false): Promise<RequestsView> {
    return this.runner.run('requests', [period, this.now(), withinPeriod]);
  }

  /** The coverage and request ledgers of the period, as `evidentia coverage` computes them (a light read, done here). */
  coverage(period: Period): Promise<CoverageData> {
    return this.lightly(() => coverageData(this.locker, this.config, period, this.now()));
  }

  /** The period's item of `kind` with this record hash, or null. */
  recordItem(period: Period, kind: string, hash: string): Promise<PopulationItem | null> {
    return this.runner.run('recordItem', [period, kind, hash]);
  }

  /** The record's verification path, recomputed as `verify` would. */
  recordPath(item: PopulationItem): Promise<RecordPath> {
    return this.runner.run('recordPath', [item]);
  }

  /** A raw response (a snapshot body) as stored. */
  async rawResponse(bodyHash: string): Promise<Buffer> {
    return Buffer.from(await this.lightly(() => this.locker.readObject(bodyHash)));
  }

  /** Stops the workers and deletes the population files. */
  async close(): Promise<void> {
    this.judged.clear();
    this.pages.clear();
    await Promise.all([this.populationFiles.close(), this.runner.close()]);
  }

  private judgementId(judgement: PeriodJudgement): number {
    let id = this.judgementIds.get(judgement);
    if (id === undefined) this.judgementIds.set(judgement, (id = ++this.judgementCount));
    return id;
  }

  private judging(text: string, period: Period) {
    return this.current().judged.get(`${text} ${periodKey(period)}`, () => this.runner.run<PeriodJudgement>('judge', [period]), this.now());
  }

  private listing(period: Period): Making<string[]> {
    return this.current().pages.get(`kinds ${periodKey(period)}`, () => this.runner.run('kinds', [period]), this.now()) as Making<string[]>;
  }

  private async within<T>(making: Making<T>, waitMs: number): Promise<ReadyOrMaking<T>> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
    try {
      const made = await Promise.race([making.value.then((ready) => ({ ready })), late]);
      return made ?? { makingSeconds: Math.max(0, Math.round((this.now().getTime() - making.since.getTime()) / 1000)) };
    } finally {
      clearTimeout(timer);
    }
  }

  private kept<T>(key: string, op: Operation, args: unknown[]): Promise<T> {
    return this.current().pages.get(key, () => this.runner.run(op, args), this.now()).value as Promise<T>;
  }

  /** Forgets what was kept when the locker has changed since: read once per request, a few index lookups. */
  private current(): this {
    const mark = this.locker.changeMark();
    if (mark !== this.mark) {
      this.judged.clear();
      this.pages.clear();
      this.populationFiles.clear();
      this.mark = mark;
    }
    return this;
  }

  /** Light reads on the server's own connection, one at a time (one connection reads one query's rows at a time). */
  private lightly<T>(work: () => Promise<T>): Promise<T> {
    const result = this.light.then(work, work);
    this.light = result.catch(() => undefined);
    return result;
  }
}
