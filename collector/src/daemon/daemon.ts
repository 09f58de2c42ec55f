/**
 * `evidentia daemon` put together: the daemon lock, the stream schedules,
 * the scheduler running collections through the runner, health (and its
 * optional HTTP endpoint), notifications (a run in which a stream starts
 * failing; a run that could not be recorded at all, and at start one that
 * ended unrecorded before (the process killed); a checkpoint witnesses
 * start missing; each new open gap, found by a coverage check of the last days
 * after every run, leaving out the time before a stream's first collection)
 * and an orderly stop. Everything the process touches (clock, notifier,
 * logger) comes in through options, so tests run it in-process.
 */
import type { Locker } from '@evidentia/locker';
import { type Clock, recentPeriod } from '@evidentia/time';
import { auditTimezone, ledgerFromLocker, notifyNewGaps, operationalGaps, streamPlans, UsageError } from '@evidentia/audit';
import type { LoadedConfig } from '../config/load.js';
import type { Notifier } from '../notify/notifier.js';
import { collect } from '../runner.js';
import { acquireDaemonLock, configFileHash, releaseDaemonLock } from '../daemon-lock.js';
import { DaemonHealth, type HealthSnapshot } from './health.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import type { DaemonLogger } from './logger.js';
import type { RetryPolicy } from './retry.js';
import { Scheduler, type RunCollection, type RunOutcome, type RunRequest } from './scheduler.js';

/** How far back the daemon looks for open gaps after each run (and how much earlier history it reads for them). */
export const GAP_WATCH_DAYS = 30;

export interface DaemonOptions {
  config: LoadedConfig;
  locker: Locker;
  clock: Clock;
  log: DaemonLogger;
  notifier: Notifier;
  /** Test seams: the HTTP transport and sleep of the connectors, the retry policy. */
  fetch?: typeof fetch;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  retry?: Partial<RetryPolicy>;
}

export interface RunningDaemon {
  health(): HealthSnapshot;
  /** The health endpoint, when enabled. */
  healthUrl: string | null;
  /** Stop taking work, abort the run in progress (recorded as interrupted), release the lock. */
  stop(reason: string): Promise<void>;
}

/**
 * A run that left a run row and no manifest, and no writer (the process was
 * killed, ran out of memory, the machine went down): nothing told anyone, and
 * the next run seals it as interrupted without a word. A run stopped by
 * SIGTERM is sealed at once (it has a manifest) and is not announced: it was
 * asked for. The notice is not awaited: a slow Slack does not hold the start.
 */
async function announceKilledRun(locker: Locker, notifier: Notifier, log: DaemonLogger): Promise<void> {
  const latest = await locker.latestRun();
  if (!latest || latest.status !== 'interrupted' || latest.manifestHash !== null) return;
  const entry = (await locker.runsByTrigger(latest.trigger)).find((run) => run.runId === latest.runId);
  const only = entry?.parameters.only;
  const streams = Array.isArray(only) ? only.map(String) : [];
  const error = `run ${latest.runId} started ${latest.startedAt} ended without being recorded: the process was killed or the machine went down before it committed; nothing it collected was kept`;
  log.warn('the last run ended without being recorded', { runId: latest.runId, trigger: latest.trigger, startedAt: latest.startedAt, streams });
  void notifier.runNotRecorded({ trigger: latest.trigger, streams, error }).catch((failure: unknown) => log.warn('could not announce the unrecorded run', { error: (failure as Error).message }));
}

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { config, locker, clock, log, notifier } = options;
  const plans = streamPlans(config);
  const startedAt = clock.now();
  acquireDaemonLock(locker.dir, startedAt, { file: config.file, hash: configFileHash(config.file) });
  let server: HealthServer | null = null;
  try {
    const heads = await locker.streamHeads();
    const health = new DaemonHealth(startedAt, plans.map((plan) => plan.id), heads);
    const run: RunCollection = async (request) => {
      const result = await collect({ config, locker, only: request.streams, trigger: request.trigger, parameters: request.parameters, signal: request.signal, log, fetch: options.fetch, sleep: options.sleep, now: () => clock.now() });
      const { manifest } = result;
      for (const warning of result.witnessed.warnings) log.warn('checkpoint not witnessed', { runId: manifest.runId, warning });
      const witnessWarnings = config.witnesses?.length ? result.witnessed.warnings : undefined;
      return { runId: manifest.runId, status: manifest.status, manifest, witnessWarnings, streams: manifest.streams.map((s) => ({ stream: `${s.instance}/${s.stream}`, status: s.status, error: s.error })) };
    };
    const firstAttempts = new Map(heads.map((head) => [head.stream, new Date(head.firstStartedAt)]));
    const watchGaps = async () => {
      const now = clock.now();
      const ledger = await ledgerFromLocker(locker, plans, recentPeriod(now, GAP_WATCH_DAYS), now, { lookbackDays: GAP_WATCH_DAYS, firstAttempts });
      const gaps = operationalGaps(ledger);
      health.setGaps(gaps);
      for (const gap of await notifyNewGaps(locker.dir, notifier, gaps, log)) log.warn('new coverage gap', { stream: gap.stream, since: gap.since, until: gap.until, causes: gap.causes.map((cause) => cause.kind) });
    };
    // Announce a stream that starts failing, not each retry of it (a lasting failure surfaces as a gap). Whether a
    // failure was announced is kept apart from failure counts: a run that left no manifest (announced on its own)
    // does not stand for the stream failure that may follow it. A stream failing when the daemon starts was announced before.
    const announcedFailures = new Set(heads.filter((head) => head.last.status !== 'complete').map((head) => head.stream));
    let unrecordedAnnounced = false;
    // Witnesses that miss checkpoints are announced when they start to, again only after a checkpoint all of them took.
    let unwitnessedAnnounced = false;
    const announceWitnesses = async ({ manifest, witnessWarnings }: NonNullable<RunOutcome['report']>) => {
      if (!manifest || !witnessWarnings) return;
      if (witnessWarnings.length === 0) unwitnessedAnnounced = false;
      else if (!unwitnessedAnnounced) {
        unwitnessedAnnounced = true;
        await notifier.checkpointNotWitnessed({ runId: manifest.runId, sequence: manifest.sequence, warnings: witnessWarnings });
      }
    };
    const announce = async (request: RunRequest, outcome: RunOutcome) => {
      if (outcome.error) {
        if (!unrecordedAnnounced) await notifier.runNotRecorded({ trigger: request.trigger, streams: request.streams, error: outcome.error.message });
        unrecordedAnnounced = true;
        return;
      }
      unrecordedAnnounced = false;
      await announceWitnesses(outcome.report);
      const failing = outcome.report.streams.filter((stream) => stream.status !== 'complete').map((stream) => stream.stream);
      for (const stream of outcome.report.streams) if (stream.status === 'complete') announcedFailures.delete(stream.stream);
      if (outcome.report.manifest && failing.some((stream) => !announcedFailures.has(stream))) await notifier.runFinished(outcome.report.manifest);
      for (const stream of failing) announcedFailures.add(stream);
    };
    const finished = async (request: RunRequest, outcome: RunOutcome, runStart: Date) => {
      for (const stream of request.streams) if (!firstAttempts.has(stream)) firstAttempts.set(stream, runStart);
      health.runFinished(request, outcome, clock.now());
      if (outcome.error) log.error('collection run could not complete', { trigger: request.trigger, streams: request.streams, error: outcome.error.message });
      else log.info('collection run finished', { runId: outcome.report.runId, status: outcome.report.status, trigger: request.trigger, streams: outcome.report.streams });
      await announce(request, outcome);
      await watchGaps().catch((error: unknown) => log.warn('coverage check failed', { error: (error as Error).message }));
    };
    let runStartedAt = startedAt;
    const scheduler = new Scheduler({
      streams: plans.map((plan) => ({ id: plan.id, schedule: plan.schedule })),
      clock,
      run,
      lastAttempts: new Map(heads.map((head) => [head.stream, new Date(head.last.startedAt)])),
      log,
      retry: options.retry,
      events: {
        runStarted: (request) => {
          runStartedAt = clock.now();
          health.runStarted(request, runStartedAt);
          log.info('collection run started', { trigger: request.trigger, streams: request.streams, parameters: request.parameters });
        },
        runFinished: (request, outcome) => finished(request, outcome, runStartedAt),
      },
    });
    const snapshot = () => health.snapshot(scheduler.state(), clock.now());
    const { enabled, host, port } = config.daemon.health;
    if (enabled) {
      server = await startHealthServer(host, port, snapshot).catch((error: unknown) => {
        throw new UsageError(`daemon.health: cannot listen on ${host}:${port} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      });
    }
    await announceKilledRun(locker, notifier, log);
    log.info('daemon started', { locker: locker.dir, timezone: auditTimezone(config), streams: plans.map((plan) => `${plan.id} "${plan.schedule.expression}"`), health: server?.url ?? null });
    scheduler.start();
    return {
      health: snapshot,
      healthUrl: server?.url ?? null,
      async stop(reason) {
        log.info('daemon stopping', { reason, runInProgress: scheduler.running });
        await scheduler.stop(reason);
        await server?.close();
        releaseDaemonLock(locker.dir);
        log.info('daemon stopped', { reason });
        log.flush();
      },
    };
  } catch (error) {
    await server?.close();
    releaseDaemonLock(locker.dir);
    throw error;
  }
}
