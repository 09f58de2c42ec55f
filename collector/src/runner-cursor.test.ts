/**
 * An event stream's cursor over a day's scheduled runs and the backfills
 * between them, through the real runner and locker: a backfill of an earlier
 * window never moves the cursor back (the next scheduled run would read
 * months again), one of a later window never moves it over the hole it leaves,
 * and `--until` alone before the cursor fails instead of reading nothing and
 * saying complete. The third and later runs read from where the history is
 * collected without a hole, and every event of the source is stored.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initLocker, openLocker, type Locker } from '@evidentia/locker';
import { defineConnector } from '@evidentia/sdk';
import type { LoadedConfig } from './config/load.js';
import { collect } from './runner.js';

/** The source's events, by time; the connector emits those inside the range it is asked for. */
const source: string[] = [];
/** The ranges the runs asked for, in order. */
const asked: Array<{ since: string; until: string }> = [];

const connector = defineConnector({
  id: 'inline',
  version: '1.0.0',
  title: 'inline test connector',
  configSchema: z.object({}),
  credentials: [],
  system: () => 'inline:test',
  streams: {
    events: {
      type: 'event',
      kind: 'audit.event',
      description: 'a history',
      controls: ['CC7.2'],
      async collect(ctx) {
        const { since, until } = ctx.range!;
        asked.push({ since: since!.toISOString(), until: until.toISOString() });
        const body = await ctx.snapshot({ method: 'GET', url: 'https://audit.example.invalid/events', requestBody: null, status: 200, headers: {} }, source);
        for (const at of source.filter((time) => Date.parse(time) >= since!.getTime() && Date.parse(time) < until.getTime())) {
          await ctx.emit({ key: `event:${at}`, occurredAt: at, sources: [body], data: { actor: null, action: 'login', target: null, at, sourceAddress: null, outcome: 'success' } });
        }
      },
    },
  },
});

function config(lockerDir: string): LoadedConfig {
  return {
    file: `${lockerDir}/evidentia.yaml`,
    lockerDir,
    requestTimeoutMs: 5_000,
    instances: [{ id: 'acme', definition: connector, config: {}, streams: [{ name: 'events', definition: connector.streams.events!, controls: ['CC7.2'], schedule: '0 2 * * *', maxStalenessHours: 36 }], requestBudget: 10 }],
    timezone: 'UTC',
    daemon: { health: { enabled: false, host: '127.0.0.1', port: 0 } },
    notifications: {},
    checks: {},
    people: { aliases: {} },
  };
}

let dir: string | undefined;
let locker: Locker | undefined;
afterEach(async () => {
  await locker?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  [dir, locker] = [undefined, undefined];
  source.length = 0;
  asked.length = 0;
});

describe("an event stream's cursor through backfills", () => {
  it('stays where the history is collected without a hole, so later scheduled runs read on from it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'evidentia-cursor-'));
    const lockerDir = join(dir, 'locker');
    await initLocker(lockerDir);
    let now = new Date('2026-12-07T02:00:00.000Z');
    const opened = (locker = await openLocker(lockerDir, { now: () => now }));
    const options = () => ({ config: config(lockerDir), locker: opened, now: () => now });
    const at = (time: string) => (now = new Date(time));
    const cursor = () => opened.cursor('acme', 'events');
    const keys = async () => {
      const held: string[] = [];
      for await (const record of opened.records({ stream: 'acme/events' })) held.push(record.key);
      return held.sort();
    };
    source.push('2026-01-15T10:00:00.000Z', '2026-12-06T10:00:00.000Z');

    await collect({ ...options(), trigger: 'schedule' });
    expect(await cursor()).toBe('2026-12-07T02:00:00.000Z');

    // An earlier window: its event is stored, the cursor stays.
    at('2026-12-07T09:00:00.000Z');
    const earlier = await collect({ ...options(), trigger: 'backfill', since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-02-01T00:00:00Z') });
    expect(earlier.manifest.streams[0]).toMatchObject({ status: 'complete' });
    expect(await cursor()).toBe('2026-12-07T02:00:00.000Z');

    // The third run reads on from the cursor, not from the backfill's end.
    source.push('2026-12-07T12:00:00.000Z');
    at('2026-12-08T02:00:00.000Z');
    await collect({ ...options(), trigger: 'schedule' });
    expect(asked.at(-1)).toEqual({ since: '2026-12-07T01:00:00.000Z', until: '2026-12-08T02:00:00.000Z' });
    expect(await cursor()).toBe('2026-12-08T02:00:00.000Z');

    // --until alone, before the cursor: failed with the reason, cursor kept, nothing asked of the source.
    at('2026-12-08T09:00:00.000Z');
    const reversed = await collect({ ...options(), trigger: 'backfill', until: new Date('2026-03-01T00:00:00Z') });
    expect(reversed.manifest.streams[0]).toMatchObject({ status: 'failed' });
    expect(reversed.manifest.streams[0]!.error).toContain('the range to collect ends before it starts');
    expect(asked).toHaveLength(3);
    expect(await cursor()).toBe('2026-12-08T02:00:00.000Z');

    // A later window leaves 2026-12-08..10 unread: the cursor does not jump over it, and the next run reads it.
    source.push('2026-12-09T12:00:00.000Z', '2026-12-10T12:00:00.000Z');
    at('2026-12-11T01:00:00.000Z');
    await collect({ ...options(), trigger: 'backfill', since: new Date('2026-12-10T00:00:00Z'), until: new Date('2026-12-11T00:00:00Z') });
    expect(await cursor()).toBe('2026-12-08T02:00:00.000Z');
    at('2026-12-11T02:00:00.000Z');
    await collect({ ...options(), trigger: 'schedule' });
    expect(asked.at(-1)).toEqual({ since: '2026-12-08T01:00:00.000Z', until: '2026-12-11T02:00:00.000Z' });
    expect(await cursor()).toBe('2026-12-11T02:00:00.000Z');

    expect(await keys()).toEqual(source.map((time) => `event:${time}`).sort());
    expect((await opened.verify()).ok).toBe(true);
  });
});
