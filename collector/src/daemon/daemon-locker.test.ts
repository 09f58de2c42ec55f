/**
 * The daemon in-process on a virtual clock, collecting a small inline
 * connector into a real locker: stopped for three days, it catches up at
 * start and the locker records the missed interval, so coverage blames the
 * gap on the daemon; the new gap is announced once; the locker verifies.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { initLocker, openLocker, type Locker, type Manifest } from '@evidentia/locker';
import { defineConnector } from '@evidentia/sdk';
import type { LoadedConfig } from '../config/load.js';
import { ledgerFromLocker, streamPlans } from '@evidentia/audit';
import { startDaemon } from './daemon.js';
import { silentNotifier, type GapNotice, type UnrecordedRunNotice, type UnwitnessedCheckpointNotice } from '../notify/notifier.js';
import { VirtualClock } from './virtual-clock.test-support.js';
import { renderMetrics } from './metrics.js';

const d = (text: string) => new Date(text);
const quiet = { debug() {}, info() {}, warn() {}, error() {}, flush() {} };

/** Set to make the inventory stream fail. */
let inventoryError: string | null = null;
/** Set to have the inventory stream report more items than it emits (none): partial. */
let inventoryTotal: number | null = null;
/** Set to have the inventory stream wait (an hour, abortable) so the daemon can be stopped in the middle of a run. */
let inventoryWaits = false;
/** Set to have the inventory stream wait on a promise nothing settles, deaf to the abort: only its time limit ends it. */
let inventoryHangs = false;

const connector = defineConnector({
  id: 'inline',
  version: '1.0.0',
  title: 'inline test connector',
  configSchema: z.object({}),
  credentials: [],
  system: () => 'inline:test',
  streams: {
    inventory: {
      type: 'state',
      kind: 'access.account',
      description: 'an inventory',
      controls: ['CC6.1'],
      async collect(ctx) {
        if (inventoryError) throw new Error(inventoryError);
        if (inventoryTotal !== null) ctx.reportTotal(inventoryTotal);
        if (inventoryWaits) await ctx.sleep(3_600_000);
        if (inventoryHangs) await new Promise(() => {});
      },
    },
    events: { type: 'event', kind: 'audit.event', description: 'a history', controls: ['CC7.2'], initialLookbackDays: 1, async collect() {} },
  },
});

function config(lockerDir: string): LoadedConfig {
  const stream = (name: 'inventory' | 'events', schedule: string) => ({ name, definition: connector.streams[name]!, controls: connector.streams[name]!.controls, schedule, maxStalenessHours: 36 });
  return {
    file: join(lockerDir, 'evidentia.yaml'),
    lockerDir,
    requestTimeoutMs: 5_000,
    instances: [{ id: 'acme', definition: connector, config: {}, streams: [stream('inventory', '0 2 * * *'), stream('events', '0 * * * *')], requestBudget: 10 }],
    timezone: 'UTC',
    daemon: { health: { enabled: false, host: '127.0.0.1', port: 0 } },
    notifications: {},
    checks: {},
    people: { aliases: {} },
  };
}

let made: { dir: string; locker?: Locker } | undefined;
afterEach(async () => {
  inventoryError = null;
  inventoryTotal = null;
  inventoryWaits = false;
  inventoryHangs = false;
  await made?.locker?.close();
  if (made) await rm(made.dir, { recursive: true, force: true });
  made = undefined;
});

/** A new locker in a temporary directory, on a virtual clock starting at `start` (closed and removed after the test). */
async function lockerAt(start: string): Promise<{ clock: VirtualClock; dir: string; locker: Locker }> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-daemon-'));
  made = { dir };
  await initLocker(dir);
  const clock = new VirtualClock(d(start));
  const locker = await openLocker(dir, { now: () => clock.now() });
  made.locker = locker;
  return { clock, dir, locker };
}

describe('daemon with a real locker', () => {
  it('refuses a schedule or time zone it cannot read, naming the config path', async () => {
    const broken = config('/tmp/nowhere');
    broken.instances[0]!.streams[0]!.schedule = '0 25 * * *';
    expect(() => streamPlans(broken)).toThrow(/connectors\.acme\.streams\.inventory\.schedule \("0 25 \* \* \*", time zone UTC\): hour field "25": 25 is outside 0-23/);
    expect(() => streamPlans({ ...config('/tmp/nowhere'), timezone: 'Europe/Atlantis' })).toThrow(/timezone: unknown time zone "Europe\/Atlantis"/);
  });

  it('catches up after three days down, records the downtime for coverage and announces the gap once', async () => {
    const { clock, dir, locker } = await lockerAt('2026-03-08T12:00:00Z');
    const announced: GapNotice[][] = [];
    const notifier = { ...silentNotifier, gapsFound: async (gaps: GapNotice[]) => void announced.push(gaps) };
    const options = { config: config(dir), locker, clock, log: quiet, notifier };

    const first = await startDaemon(options);
    await clock.runUntil(d('2026-03-10T10:30:00Z'));
    await first.stop('SIGTERM');
    await clock.runUntil(d('2026-03-13T10:05:00Z'));
    const second = await startDaemon(options);
    await clock.runUntil(d('2026-03-14T03:00:00Z'));
    expect(second.health().streams.map((s) => [s.stream, s.lastStatus, s.nextRunAt])).toEqual([
      ['acme/inventory', 'complete', '2026-03-15T02:00:00.000Z'],
      ['acme/events', 'complete', '2026-03-14T04:00:00.000Z'],
    ]);
    await second.stop('end of test');

    const catchUps = await locker.runsByTrigger('catch-up');
    expect(catchUps.map((run) => [run.startedAt, run.parameters.missedSince, run.parameters.missedUntil])).toEqual([['2026-03-13T10:05:00.000Z', '2026-03-10T11:00:00.000Z', '2026-03-13T10:05:00.000Z']]);

    const ledger = await ledgerFromLocker(locker, streamPlans(options.config), { since: d('2026-03-09T00:00:00Z'), until: d('2026-03-14T00:00:00Z') }, clock.now());
    const [inventory, events] = ledger.streams;
    expect(inventory?.gaps.map((gap) => [gap.since, gap.until, gap.status, gap.causes.map((cause) => cause.kind).join()])).toEqual([['2026-03-11T14:00:00.000Z', '2026-03-13T10:05:00.000Z', 'open', 'daemon-down']]);
    expect(events?.gaps.map((gap) => [gap.since, gap.status, gap.closedBy?.split(' ')[0], gap.causes.map((cause) => cause.kind).join()])).toEqual([['2026-03-10T10:00:00.000Z', 'closed', 'catch-up', 'daemon-down']]);
    expect(events?.expected).toBe(5 * 24);
    // 72 hourly fires missed; the catch-up at 10:05 fills the 10:00 slot.
    expect(events?.successful).toBe(5 * 24 - 71);

    expect(announced.flat().map((notice) => [notice.stream, notice.gap.since])).toEqual([['acme/inventory', '2026-03-11T14:00:00.000Z']]);
    expect((await locker.verify()).ok).toBe(true);
  });

  it('announces a stream that starts failing once, not on every retry, and retries only that stream', async () => {
    const { clock, dir, locker } = await lockerAt('2026-05-04T01:00:00Z');
    const announced: string[] = [];
    const notifier = { ...silentNotifier, runFinished: async (manifest: Manifest) => void announced.push(`${manifest.trigger} ${manifest.status}`) };
    const daemon = await startDaemon({ config: config(dir), locker, clock, log: quiet, notifier, retry: { jitter: 0 } });
    await clock.runUntil(d('2026-05-04T01:30:00Z'));
    inventoryError = 'HTTP 401 Bad credentials';
    await clock.runUntil(d('2026-05-05T01:30:00Z'));
    expect(daemon.health().streams.find((s) => s.stream === 'acme/inventory')).toMatchObject({ lastStatus: 'failed', lastError: 'HTTP 401 Bad credentials', consecutiveFailures: 5, nextRunAt: '2026-05-05T02:00:00.000Z' });
    await daemon.stop('end of test');
    expect(announced).toEqual(['schedule partial']);
    const retries = (await locker.runs()).filter((run) => run.trigger === 'retry');
    expect(retries.map((run) => [run.startedAt.slice(11, 16), run.streams.map((s) => s.stream).join()])).toEqual([
      ['02:01', 'inventory'],
      ['02:03', 'inventory'],
      ['02:07', 'inventory'],
      ['02:15', 'inventory'],
    ]);
  });

  it('stops a stream that never finishes at its time limit, records it as failed, and goes on to the other streams and the next schedule', async () => {
    const { clock, dir, locker } = await lockerAt('2026-05-04T01:30:00Z');
    const hanging = config(dir);
    hanging.instances[0]!.streamTimeoutMs = 200;
    const daemon = await startDaemon({ config: hanging, locker, clock, log: quiet, notifier: silentNotifier, retry: { maxRetries: 0 } });
    await clock.runUntil(d('2026-05-04T01:45:00Z'));
    inventoryHangs = true;
    await clock.runUntil(d('2026-05-04T03:30:00Z'));
    const health = (stream: string) => daemon.health().streams.find((s) => s.stream === stream);
    expect(health('acme/inventory')).toMatchObject({ lastStatus: 'failed', lastError: expect.stringMatching(/^stream acme\/inventory did not finish within its time limit of 0\.2 seconds \(connectors\.acme\.streamTimeoutSeconds\)/), nextRunAt: '2026-05-05T02:00:00.000Z' });
    expect(health('acme/events')).toMatchObject({ lastStatus: 'complete', nextRunAt: '2026-05-04T04:00:00.000Z' });
    await daemon.stop('end of test');
    const runs = (await locker.runs()).filter((run) => run.trigger === 'schedule');
    expect(runs.map((run) => [run.startedAt.slice(11, 16), run.streams.map((s) => `${s.stream} ${s.status}`).join(', ')])).toEqual([
      ['01:30', 'inventory complete, events complete'],
      ['02:00', 'inventory failed, events complete'],
      ['03:00', 'events complete'],
    ]);
    expect((await locker.verify()).ok).toBe(true);
  });

  it('says when a witness stops taking checkpoints: health degraded and naming it, one notice until every witness takes one again', async () => {
    const { clock, dir, locker } = await lockerAt('2026-05-04T01:30:00Z');
    const witnessed = config(dir);
    // A witness file under a regular file: it cannot be created, as on a volume that went away.
    const blocker = join(dir, 'witness-volume');
    witnessed.witnesses = [{ type: 'file', path: join(blocker, 'checkpoints.jsonl') }];
    await writeFile(blocker, 'not a directory\n');
    const announced: UnwitnessedCheckpointNotice[] = [];
    const notifier = { ...silentNotifier, checkpointNotWitnessed: async (notice: UnwitnessedCheckpointNotice) => void announced.push(notice) };
    const daemon = await startDaemon({ config: witnessed, locker, clock, log: quiet, notifier });
    await clock.runUntil(d('2026-05-04T03:30:00Z'));
    const health = daemon.health();
    expect(health.status).toBe('degraded');
    expect(health.streams.every((stream) => stream.lastStatus === 'complete')).toBe(true);
    expect(health.witnesses).toEqual({ lastCheckpoint: 3, missed: [expect.stringMatching(/^witness file .*checkpoints\.jsonl did not take checkpoint #3: could not append to .*: (EEXIST|ENOTDIR)$/)] });
    expect(renderMetrics(health)).toContain('evidentia_witnesses_missed 1');
    // The first run's, not again at 02:00 and 03:00 while it keeps failing.
    expect(announced.map((notice) => [notice.sequence, notice.warnings.length])).toEqual([[1, 1]]);

    await rm(blocker);
    await clock.runUntil(d('2026-05-04T04:30:00Z'));
    expect(daemon.health()).toMatchObject({ status: 'ok', witnesses: { lastCheckpoint: 4, missed: [] } });
    await rm(join(dir, 'witness-volume'), { recursive: true });
    await writeFile(blocker, 'gone again\n');
    await clock.runUntil(d('2026-05-04T05:30:00Z'));
    await daemon.stop('end of test');
    // Failing again after a recovery is a new notice.
    expect(announced.map((notice) => notice.sequence)).toEqual([1, 5]);
  });

  it('reports a partial stream as partial, as the locker has it, and counts it a failure after a restart too', async () => {
    const { clock, dir, locker } = await lockerAt('2026-05-04T01:30:00Z');
    const options = { config: config(dir), locker, clock, log: quiet, notifier: silentNotifier, retry: { jitter: 0 } };
    const first = await startDaemon(options);
    await clock.runUntil(d('2026-05-04T01:45:00Z'));
    inventoryTotal = 3;
    await clock.runUntil(d('2026-05-04T02:30:00Z'));
    const inventory = () => first.health().streams.find((s) => s.stream === 'acme/inventory');
    expect(inventory()).toMatchObject({ lastStatus: 'partial', lastError: expect.stringMatching(/3/), consecutiveFailures: 5 });
    await first.stop('restart');
    const second = await startDaemon(options);
    expect(second.health()).toMatchObject({ status: 'degraded' });
    expect(second.health().streams.find((s) => s.stream === 'acme/inventory')).toMatchObject({ lastStatus: 'partial', consecutiveFailures: 1 });
    await second.stop('end of test');
  });

  it('announces, at start, a run that ended without being recorded (the process killed), and not one stopped by SIGTERM', async () => {
    const { clock, dir, locker } = await lockerAt('2026-05-04T01:30:00Z');
    const announced: string[] = [];
    const notifier = { ...silentNotifier, runNotRecorded: async (notice: UnrecordedRunNotice) => void announced.push(`${notice.trigger} (${notice.streams.join()}): ${notice.error}`) };
    const options = { config: config(dir), locker, clock, log: quiet, notifier };
    // SIGTERM in the middle of a run: aborted and sealed as interrupted at once, as the operator asked.
    inventoryWaits = true;
    const stopped = await startDaemon(options);
    const running = clock.runUntil(d('2026-05-04T01:31:00Z'));
    while (!stopped.health().running) await new Promise((resolve) => setImmediate(resolve));
    await stopped.stop('SIGTERM');
    await running;
    inventoryWaits = false;
    expect(await locker.latestRun()).toMatchObject({ status: 'interrupted', finishedAt: expect.any(String) });
    await (await startDaemon(options)).stop('end of test');
    expect(announced).toEqual([]);

    // A run killed before its commit (out of memory, SIGKILL, the machine went down): a run row, no manifest, no writer.
    const killed = await openLocker(dir, { now: () => clock.now() });
    await killed.beginRun({ trigger: 'schedule', collectorVersion: 'test', parameters: { only: ['acme/inventory'] } });
    await killed.close();
    const daemon = await startDaemon(options);
    await daemon.stop('end of test');
    expect(announced).toEqual([expect.stringMatching(/^schedule \(acme\/inventory\): run \S+ started 2026-05-04T01:31:00.000Z ended without being recorded: the process was killed or the machine went down before it committed; nothing it collected was kept$/)]);
  });

  it('announces runs that cannot be recorded (the signing key is gone) once, and a stream failure after them still', async () => {
    const { clock, dir, locker } = await lockerAt('2026-05-04T01:00:00Z');
    const announced: string[] = [];
    const notifier = {
      ...silentNotifier,
      runFinished: async (manifest: Manifest) => void announced.push(`${manifest.trigger} ${manifest.status}`),
      runNotRecorded: async (notice: UnrecordedRunNotice) => void announced.push(`${notice.trigger} not recorded (${notice.streams.join()}): ${notice.error}`),
    };
    const daemon = await startDaemon({ config: config(dir), locker, clock, log: quiet, notifier, retry: { jitter: 0 } });
    await clock.runUntil(d('2026-05-04T01:30:00Z'));
    const key = join(dir, 'keys', 'signing.key');
    await rename(key, `${key}.away`);
    await clock.runUntil(d('2026-05-04T04:30:00Z'));
    // 02:00, 03:00 and 04:00, each retried 4 times: all refused before collecting.
    expect(daemon.health()).toMatchObject({ status: 'degraded', runs: { complete: 1, error: 3 * 5 } });
    await rename(`${key}.away`, key);
    inventoryError = 'HTTP 401 Bad credentials';
    await clock.runUntil(d('2026-05-05T02:30:00Z'));
    await daemon.stop('end of test');
    expect(announced).toEqual([expect.stringMatching(/^schedule not recorded \(acme\/inventory,acme\/events\): no private key for .*: this locker can be read and verified but not written/), 'schedule partial']);
  });
});
