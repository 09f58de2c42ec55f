import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { hashRecord, type EvidenceRecord } from '@evidentia/evidence';
import { account } from './accounts.test-support.js';
import { defineConnector } from './define.js';
import { MemorySink } from './memory-sink.js';
import { paginate } from './paginate.js';
import { clampToRetention, collectionRange, runStream } from './run-stream.js';
import type { Provenance, StreamContext, StreamSink } from './types.js';

class ArraySink implements StreamSink {
  records: EvidenceRecord[] = [];
  snapshots: Array<{ provenance: Provenance; body: unknown }> = [];
  async putSnapshot(provenance: Provenance, body: unknown) {
    this.snapshots.push({ provenance, body });
    return 'b'.repeat(64);
  }
  async putRecord(record: EvidenceRecord) {
    this.records.push(record);
    return hashRecord(record);
  }
}

function connectorWith(collect: (ctx: StreamContext<{ name: string }>) => Promise<void>, type: 'state' | 'event' = 'state') {
  return defineConnector({
    id: 'sample',
    version: '1.0.0',
    title: 'Sample',
    configSchema: z.object({ name: z.string() }),
    credentials: [],
    system: (config) => `sample:${config.name}`,
    streams: { things: { type, kind: 'access.account', description: 'things', controls: ['CC6.1'], collect } },
  });
}

const base = { instance: 'sample', config: { name: 'acme' }, stream: 'things', cursor: null, collectorVersion: 'test', now: () => new Date('2026-07-01T00:00:00Z') };

describe('runStream', () => {
  it("gives a stream the sink's earlier record of a key and its stored responses, and nothing without a history", async () => {
    const seen: Array<{ previous: EvidenceRecord | null; body: unknown }> = [];
    const connector = connectorWith(async (ctx) => {
      const previous = await ctx.previousRecord('access.account', 'user:alice');
      seen.push({ previous, body: previous ? await ctx.storedResponse(previous.sources[0]!) : await ctx.storedResponse('d'.repeat(64)) });
      const source = previous?.sources[0] ?? (await ctx.snapshot({ method: 'GET', url: 'https://api.example.com/users/alice', requestBody: null, status: 200, headers: {} }, { login: 'alice' }));
      await ctx.emit({ key: 'user:alice', data: account('alice'), sources: [source] });
    });
    const first = new MemorySink();
    await runStream({ ...base, connector, sink: first });
    expect(seen.shift()).toEqual({ previous: null, body: undefined });
    const second = new MemorySink({ records: first.records, snapshots: first.snapshots });
    expect((await runStream({ ...base, connector, sink: second })).status).toBe('complete');
    expect(seen.shift()).toEqual({ previous: first.records[0], body: { login: 'alice' } });
    // The record rests on the earlier run's response, which the sink accepts as a source, and no request was made.
    expect(second.records).toEqual(first.records);
    expect(second.snapshots).toEqual([]);
  });

  it('fills in the envelope, stores an identical duplicate once and applies control overrides', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      for (const login of ['alice', 'alice', 'bob']) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink, controls: ['CC6.2', 'CC6.3'] });
    expect(outcome).toMatchObject({ status: 'complete', records: 2, cursorAfter: null });
    expect(sink.records.map((r) => r.key)).toEqual(['user:alice', 'user:bob']);
    expect(sink.records[0]).toMatchObject({ system: 'sample:acme', stream: 'sample/things', kind: 'access.account', controls: ['CC6.2', 'CC6.3'], occurredAt: null });
  });

  it('makes a state stream partial, naming the key, when one key is emitted with two different contents', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      ctx.reportTotal(2);
      await ctx.emit({ key: 'user:alice', data: account('alice'), sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:bob', data: account('bob'), sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:alice', data: { ...account('alice'), privileged: true }, sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome).toMatchObject({ status: 'partial', records: 2 });
    expect(outcome.error).toBe('1 in-scope item could not be read: record access.account "user:alice" (emitted twice in this run with different content (did it change while the list was read?); both versions are stored)');
    expect(sink.records.map((record) => [record.key, record.data.privileged])).toEqual([['user:alice', false], ['user:bob', false], ['user:alice', true]]);
    // The same item read again from another response is the same version: stored once, the stream complete.
    const again = new ArraySink();
    const twice = connectorWith(async (ctx) => {
      for (const source of ['c', 'd']) await ctx.emit({ key: 'user:alice', data: account('alice'), sources: [source.repeat(64)] });
    });
    expect(await runStream({ ...base, connector: twice, sink: again })).toMatchObject({ status: 'complete', records: 1 });
    expect(again.records.map((record) => record.sources)).toEqual([['c'.repeat(64)]]);
    // An event stream records history: both versions stand, and the stream is complete.
    const occurredAt = '2026-06-30T00:00:00Z';
    const events = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:alice', occurredAt, data: account('alice'), sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:alice', occurredAt, data: { ...account('alice'), privileged: true }, sources: ['c'.repeat(64)] });
    }, 'event');
    expect(await runStream({ ...base, connector: events, sink: new ArraySink() })).toMatchObject({ status: 'complete', records: 1 });
  });

  it('keeps the other records and names the record and field when one does not match its kind (partial, not failed)', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:x', data: { ...account('x'), mfa: 'maybe' } as never, sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:y', data: account('y'), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toContain('record access.account "user:x"');
    expect(outcome.error).toContain('data.mfa');
    expect(outcome.itemGaps).toEqual([expect.objectContaining({ item: 'record access.account "user:x"', inScope: true })]);
    expect(sink.records.map((record) => record.key)).toEqual(['user:y']);
    expect(outcome.records).toBe(1);
  });

  it('refuses a record that rests on no snapshot (sources: []), naming it as an in-scope gap, and keeps the others', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:x', data: account('x'), sources: [] });
      await ctx.emit({ key: 'user:y', data: account('y'), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([
      expect.objectContaining({ item: 'record access.account "user:x"', reason: expect.stringContaining('sources: a record must name the snapshot(s) it was derived from'), inScope: true }),
    ]);
    expect(sink.records.map((record) => record.key)).toEqual(['user:y']);
  });

  it('fails the stream when an item gap does not say whether the item is in scope, instead of taking it for out of scope and complete', async () => {
    const connector = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:a', data: account('a'), sources: ['c'.repeat(64)] });
      // A connector in JavaScript that left inScope out: undefined read as false, and the denied item as one that does not matter.
      ctx.itemGap({ item: 'group admins', reason: 'HTTP 403' } as never);
    });
    const outcome = await runStream({ ...base, connector, sink: new ArraySink() });
    expect(outcome).toMatchObject({ status: 'failed', error: 'itemGap for group admins needs inScope: true or false (whether the configuration puts the item in scope), got undefined' });
  });

  it('fails the stream when the connector sets a cursor that is not a string, which the locker cannot store', async () => {
    // A Date from a connector in JavaScript: the locker refused it when the stream was finished, ending the whole run.
    const connector = connectorWith(async (ctx) => ctx.setCursor(new Date('2026-06-30T00:00:00Z') as never), 'event');
    const outcome = await runStream({ ...base, connector, sink: new ArraySink() });
    expect(outcome).toMatchObject({ status: 'failed', error: 'ctx.setCursor expects the cursor as a string (an ISO 8601 time for a time cursor), got an object', cursorAfter: null });
  });

  it('fails the stream saying what ctx.emit expects when it is handed no record at all', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:w', data: account('w'), sources: ['c'.repeat(64)] });
      await ctx.emit(null as never);
    });
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome).toMatchObject({ status: 'failed', error: 'ctx.emit expects a record ({ key, data, sources }), got null' });
    expect(sink.records.map((record) => record.key)).toEqual(['user:w']);
  });

  it('counts each record emitted without a key as an item of its own, so the gaps say how many were not stored', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      // A connector mapping a field the items lack (person.ID for person.id), in JavaScript.
      for (const login of ['x', 'y', 'z']) await ctx.emit({ key: undefined as never, data: account(login), sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:w', data: account('w'), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toMatch(/^3 in-scope items could not be read: record access.account without a key \(emit number 1\) \(does not match its kind: key: /);
    expect(outcome.itemGaps.map((gap) => gap.item)).toEqual(['record access.account without a key (emit number 1)', 'record access.account without a key (emit number 2)', 'record access.account without a key (emit number 3)']);
    expect(sink.records.map((record) => record.key)).toEqual(['user:w']);
  });

  it('names a record whose own criteria are not the catalog\'s as an item gap, and stores the others (partial)', async () => {
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:x', data: account('x'), sources: ['c'.repeat(64)], controls: ['CC6.2', '../../evil'] });
      await ctx.emit({ key: 'user:z', data: account('z'), sources: ['c'.repeat(64)], controls: ['CC9.9'] });
      await ctx.emit({ key: 'user:y', data: account('y'), sources: ['c'.repeat(64)], controls: ['CC6.3'] });
    });
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome.status).toBe('partial');
    expect(outcome.itemGaps).toEqual([
      { item: 'record access.account "user:x"', reason: 'does not match its kind: controls: "../../evil" is not a criterion of the catalog (such as CC6.1)', inScope: true },
      { item: 'record access.account "user:z"', reason: 'does not match its kind: controls: "CC9.9" is not a criterion of the catalog (such as CC6.1)', inScope: true },
    ]);
    expect(sink.records.map((record) => [record.key, record.controls])).toEqual([['user:y', ['CC6.1', 'CC6.3']]]);
  });

  it('names an event record that says not when it happened as an item gap, and stores the others (partial)', async () => {
    // Populations, checks and coverage place an event by its occurredAt: one without it would be stored and in no period.
    const sink = new ArraySink();
    const connector = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:x', data: account('x'), sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:n', occurredAt: null, data: account('n'), sources: ['c'.repeat(64)] });
      await ctx.emit({ key: 'user:y', occurredAt: '2026-06-30T00:00:00Z', data: account('y'), sources: ['c'.repeat(64)] });
    }, 'event');
    const outcome = await runStream({ ...base, connector, sink });
    expect(outcome.status).toBe('partial');
    const reason = 'does not match its kind: occurredAt: an event stream\'s record must say when it happened; without it no period holds it (no population, check or coverage would see it)';
    expect(outcome.itemGaps).toEqual([
      { item: 'record access.account "user:x"', reason, inScope: true },
      { item: 'record access.account "user:n"', reason, inScope: true },
    ]);
    expect(sink.records.map((record) => record.key)).toEqual(['user:y']);
    // A state stream's record is an observation at the run's time: it needs none.
    const state = connectorWith(async (ctx) => ctx.emit({ key: 'user:z', data: account('z'), sources: ['c'.repeat(64)] }));
    expect(await runStream({ ...base, connector: state, sink: new ArraySink() })).toMatchObject({ status: 'complete', records: 1 });
  });

  it('advances an event cursor to the range end only when the stream completes', async () => {
    const ok = await runStream({ ...base, connector: connectorWith(async () => {}, 'event'), sink: new ArraySink() });
    expect(ok.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    const failing = connectorWith(async () => {
      throw new Error('HTTP 401 Bad credentials');
    }, 'event');
    const failed = await runStream({ ...base, connector: failing, sink: new ArraySink(), cursor: '2026-06-30T00:00:00.000Z' });
    expect(failed).toMatchObject({ status: 'failed', cursorAfter: null, cursorBefore: '2026-06-30T00:00:00.000Z', error: 'HTTP 401 Bad credentials' });
  });

  it('keeps the cursor through a backfill of an earlier window, or of a later one that leaves a hole after it', async () => {
    const cursor = '2026-06-30T00:00:00.000Z';
    const event = connectorWith(async () => {}, 'event');
    const earlier = await runStream({ ...base, connector: event, sink: new ArraySink(), cursor, since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-02-01T00:00:00Z') });
    expect(earlier).toMatchObject({ status: 'complete', cursorAfter: cursor });
    const later = await runStream({ ...base, connector: event, sink: new ArraySink(), cursor: '2026-05-01T00:00:00.000Z', since: new Date('2026-06-01T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') });
    expect(later).toMatchObject({ status: 'complete', cursorAfter: '2026-05-01T00:00:00.000Z' });
    // A backfill reaching across the cursor, and a scheduled run from the cursor, move it to their end.
    const across = await runStream({ ...base, connector: event, sink: new ArraySink(), cursor, since: new Date('2026-06-01T00:00:00Z'), until: new Date('2026-07-01T00:00:00Z') });
    expect(across.cursorAfter).toBe('2026-07-01T00:00:00.000Z');
    expect((await runStream({ ...base, connector: event, sink: new ArraySink(), cursor })).cursorAfter).toBe('2026-07-01T00:00:00.000Z');
  });

  it('fails a range that ends before it starts (--until alone, before the cursor) instead of reading nothing and saying complete', async () => {
    let asked = false;
    const event = connectorWith(async () => {
      asked = true;
    }, 'event');
    const outcome = await runStream({ ...base, connector: event, sink: new ArraySink(), cursor: '2026-06-30T00:00:00.000Z', until: new Date('2026-03-01T00:00:00Z') });
    expect(outcome).toMatchObject({ status: 'failed', cursorAfter: null });
    expect(outcome.error).toBe("the range to collect ends before it starts (from 2026-06-29T23:00:00.000Z to 2026-03-01T00:00:00.000Z): without --since a backfill starts at the stream's cursor, so one before the cursor names its start too");
    expect(asked).toBe(false);
    // A scheduled run (no range given) behind its cursor by more than the overlap: the clock went back, and it says so.
    const behind = await runStream({ ...base, connector: event, sink: new ArraySink(), cursor: '2026-07-03T00:00:00.000Z' });
    expect(behind).toMatchObject({ status: 'failed', cursorAfter: null });
    expect(behind.error).toMatch(/^the stream's cursor 2026-07-03T00:00:00\.000Z is later than now \(2026-07-01T00:00:00\.000Z\): the clock was ahead when a run recorded it, or is behind now\./);
    expect(asked).toBe(false);
  });

  it("fails the stream, instead of throwing out of the run, when the connector's system(config) throws or names no system", async () => {
    let asked = false;
    const collect = async () => {
      asked = true;
    };
    const throwing = { ...connectorWith(collect), system: (config: { name: string; org?: { slug: string } }) => `sample:${config.org!.slug}` };
    const outcome = await runStream({ ...base, connector: throwing, sink: new ArraySink() });
    expect(outcome).toMatchObject({ status: 'failed', cursorAfter: null, records: 0 });
    expect(outcome.error).toMatch(/^connector sample: system\(config\) failed: .*slug/);
    const nameless = { ...connectorWith(collect), system: () => undefined as unknown as string };
    expect(await runStream({ ...base, connector: nameless, sink: new ArraySink() })).toMatchObject({
      status: 'failed',
      error: "connector sample: system(config) must return the system's name (e.g. acme:example.com), got undefined",
    });
    expect(asked).toBe(false);
  });

  it('rethrows cancellation instead of recording a failed stream', async () => {
    const controller = new AbortController();
    const connector = connectorWith(async () => {
      controller.abort(new Error('SIGTERM'));
      throw new Error('aborted request');
    });
    await expect(runStream({ ...base, connector, sink: new ArraySink(), signal: controller.signal })).rejects.toThrow('SIGTERM');
  });

  it("stops paging a list at the stream's abort, even one whose pages do not come through ctx.fetch", async () => {
    const controller = new AbortController();
    const asked: number[] = [];
    const connector = connectorWith(async () => {
      const things = paginate<{ id: string }, number>({
        what: 'things',
        first: 1,
        key: (thing) => thing.id,
        async fetchPage(page) {
          asked.push(page!);
          if (page === 2) controller.abort(new Error('SIGTERM'));
          return { items: [{ id: String(page) }], next: page! + 1 };
        },
      });
      for await (const thing of things) void thing;
    });
    await expect(runStream({ ...base, connector, sink: new ArraySink(), signal: controller.signal })).rejects.toThrow('SIGTERM');
    expect(asked).toEqual([1, 2]);
  });
});

describe('collectionRange', () => {
  const now = new Date('2026-07-01T00:00:00Z');
  it('re-reads an overlap window before the cursor', () => {
    expect(collectionRange({ overlapMs: 3_600_000 }, '2026-06-30T12:00:00Z', now).since?.toISOString()).toBe('2026-06-30T11:00:00.000Z');
  });
  it('reaches back the initial lookback on a first run', () => {
    expect(collectionRange({ initialLookbackDays: 30 }, null, now).since?.toISOString()).toBe('2026-06-01T00:00:00.000Z');
  });
  it('uses explicit backfill bounds as given', () => {
    const range = collectionRange({}, '2026-06-30T12:00:00Z', now, new Date('2026-01-01T00:00:00Z'), new Date('2026-02-01T00:00:00Z'));
    expect([range.since?.toISOString(), range.until.toISOString()]).toEqual(['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z']);
  });
});

describe('retention', () => {
  const now = new Date('2026-07-01T00:00:00Z');
  it('declares the part of a backfill older than the source keeps as a gap and collects the rest', async () => {
    let asked: unknown = null;
    const connector = defineConnector({
      id: 'trail',
      version: '1.0.0',
      title: 'Trail',
      configSchema: z.object({}),
      credentials: [],
      system: () => 'trail:test',
      streams: {
        events: {
          type: 'event',
          kind: 'audit.event',
          description: 'events',
          controls: ['CC7.2'],
          retentionDays: 90,
          async collect(ctx) {
            asked = ctx.range;
          },
        },
      },
    });
    const outcome = await runStream({ ...base, connector, config: {}, stream: 'events', sink: new ArraySink(), since: new Date('2026-01-01T00:00:00Z'), until: now });
    expect(asked).toEqual({ since: new Date('2026-04-02T00:00:00Z'), until: now });
    expect(outcome.gaps).toEqual([{ since: '2026-01-01T00:00:00.000Z', until: '2026-04-02T00:00:00.000Z', reason: expect.stringContaining('keeps 90 days') }]);
    expect(outcome.status).toBe('complete');
  });

  it('declares a range wholly beyond retention as one gap and asks for nothing', () => {
    const { range, gaps } = clampToRetention({ since: new Date('2025-01-01T00:00:00Z'), until: new Date('2025-02-01T00:00:00Z') }, 90, now);
    expect(range.since).toEqual(range.until);
    expect(gaps[0]?.until).toBe('2025-02-01T00:00:00.000Z');
  });

  it('leaves ranges inside retention alone', () => {
    const inside = { since: new Date('2026-06-01T00:00:00Z'), until: now };
    expect(clampToRetention(inside, 90, now)).toEqual({ range: inside, gaps: [] });
  });
});

describe('runStream completeness', () => {
  it('is complete when the total the source reports matches the distinct records received', async () => {
    const connector = connectorWith(async (ctx) => {
      ctx.reportTotal(3, { what: 'organization members' });
      for (const login of ['alice', 'bob', 'carol', 'bob']) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink: new ArraySink() });
    expect(outcome).toMatchObject({ status: 'complete', error: null, apiTotal: 3, records: 3, itemGaps: [] });
  });

  it('is partial, with both numbers in the reason, when fewer records arrived than the source reports', async () => {
    const connector = connectorWith(async (ctx) => {
      ctx.reportTotal(329, { what: 'organization members' });
      for (const login of ['alice', 'bob']) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink: new ArraySink() });
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toBe('received 2 of 329 organization members the source reports');
    expect(outcome.apiTotal).toBe(329);
  });

  it('counts the records emitted before a total known only at the end is reported', async () => {
    const reporting = (total: number) =>
      connectorWith(async (ctx) => {
        for (const login of ['alice', 'bob', 'carol']) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['c'.repeat(64)] });
        ctx.reportTotal(total, { what: 'organization members' });
      });
    expect(await runStream({ ...base, connector: reporting(3), sink: new ArraySink() })).toMatchObject({ status: 'complete', apiTotal: 3, records: 3 });
    const short = await runStream({ ...base, connector: reporting(5), sink: new ArraySink() });
    expect(short).toMatchObject({ status: 'partial', error: 'received 3 of 5 organization members the source reports' });
  });

  it('takes the same total reported again (on every page of a listing) as one population, not one more', async () => {
    const connector = connectorWith(async (ctx) => {
      for (const page of [['alice', 'bob'], ['carol']]) {
        ctx.reportTotal(3, { what: 'users' });
        for (const login of page) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['c'.repeat(64)] });
      }
    });
    expect(await runStream({ ...base, connector, sink: new ArraySink() })).toMatchObject({ status: 'complete', apiTotal: 3, records: 3 });
  });

  it('applies a counting predicate reported after the records to them too', async () => {
    const connector = connectorWith(async (ctx) => {
      for (const key of ['member:a', 'outside:b']) await ctx.emit({ key, data: account(key), sources: ['c'.repeat(64)] });
      ctx.reportTotal(1, { what: 'members', counts: (record) => record.key.startsWith('member:') });
    });
    expect(await runStream({ ...base, connector, sink: new ArraySink() })).toMatchObject({ status: 'complete', apiTotal: 1 });
  });

  it('counts only the records a total says it counts, and checks every total reported', async () => {
    const connector = connectorWith(async (ctx) => {
      ctx.reportTotal(2, { what: 'members', counts: (record) => record.key.startsWith('member:') });
      ctx.reportTotal(2, { what: 'outside collaborators', counts: (record) => record.key.startsWith('outside:') });
      for (const key of ['member:a', 'member:b', 'outside:c']) await ctx.emit({ key, data: account(key), sources: ['c'.repeat(64)] });
    });
    const outcome = await runStream({ ...base, connector, sink: new ArraySink() });
    expect(outcome).toMatchObject({ status: 'partial', apiTotal: 4, error: 'received 1 of 2 outside collaborators the source reports' });
  });

  it('counts items received but excluded from the records toward the total, and only those', async () => {
    const withExcluded = (excluded: number) =>
      connectorWith(async (ctx) => {
        let left = 0;
        ctx.reportTotal(4, { what: 'issues matching the JQL', excluded: () => left });
        for (const key of ['user:a', 'user:b']) await ctx.emit({ key, data: account(key), sources: ['c'.repeat(64)] });
        left = excluded;
      });
    expect(await runStream({ ...base, connector: withExcluded(2), sink: new ArraySink() })).toMatchObject({ status: 'complete', apiTotal: 4, records: 2 });
    const short = await runStream({ ...base, connector: withExcluded(1), sink: new ArraySink() });
    expect(short).toMatchObject({ status: 'partial', apiTotal: 4, error: 'received 3 of 4 issues matching the JQL the source reports (1 of them received but not kept as records)' });
  });

  it('keeps an event stream\'s cursor where it was when the stream is partial', async () => {
    const connector = connectorWith(async (ctx) => {
      ctx.reportTotal(5);
      ctx.setCursor('2026-06-30T00:00:00.000Z');
    }, 'event');
    const outcome = await runStream({ ...base, connector, sink: new ArraySink(), cursor: '2026-06-01T00:00:00.000Z' });
    expect(outcome).toMatchObject({ status: 'partial', cursorAfter: null, cursorBefore: '2026-06-01T00:00:00.000Z' });
  });

  it('names a denied item as a gap: out of scope the stream stays complete, in scope it is partial', async () => {
    const denied = (inScope: boolean) =>
      connectorWith(async (ctx) => {
        await ctx.emit({ key: 'user:alice', data: account('alice'), sources: ['c'.repeat(64)] });
        ctx.itemGap({ item: 'channel #inc-7 (C07)', reason: 'not_in_channel', inScope });
      });
    const outside = await runStream({ ...base, connector: denied(false), sink: new ArraySink() });
    expect(outside).toMatchObject({ status: 'complete', records: 1, itemGaps: [{ item: 'channel #inc-7 (C07)', reason: 'not_in_channel', inScope: false }] });
    const inside = await runStream({ ...base, connector: denied(true), sink: new ArraySink() });
    expect(inside.status).toBe('partial');
    expect(inside.error).toBe('1 in-scope item could not be read: channel #inc-7 (C07) (not_in_channel)');
  });

  it('keeps the item gaps named so far when the stream fails', async () => {
    const connector = connectorWith(async (ctx) => {
      ctx.itemGap({ item: 'repository acme/legacy', reason: 'HTTP 404', inScope: false });
      throw new Error('boom');
    });
    const outcome = await runStream({ ...base, connector, sink: new ArraySink() });
    expect(outcome).toMatchObject({ status: 'failed', error: expect.stringContaining('boom'), itemGaps: [{ item: 'repository acme/legacy' }] });
  });

  it('hands back the stored record when an item is unchanged except for its sources, so it is stored once', async () => {
    const sink = new ArraySink();
    const first = connectorWith(async (ctx) => {
      for (const login of ['alice', 'bob']) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['1'.repeat(64)] });
    });
    await runStream({ ...base, connector: first, sink });
    const stored = new Map(sink.records.map((record) => [`${record.kind}/${record.key}`, record]));
    const withHistory = Object.assign(sink, { previousRecord: async (kind: string, key: string) => stored.get(`${kind}/${key}`) ?? null });
    const second = connectorWith(async (ctx) => {
      await ctx.emit({ key: 'user:alice', data: account('alice'), sources: ['2'.repeat(64)] });
      await ctx.emit({ key: 'user:bob', data: { ...account('bob'), privileged: true }, sources: ['2'.repeat(64)] });
    });
    await runStream({ ...base, connector: second, sink: withHistory });
    const [, , alice, bob] = sink.records;
    expect(alice).toEqual(stored.get('access.account/user:alice'));
    expect(alice?.sources).toEqual(['1'.repeat(64)]);
    expect(bob?.sources).toEqual(['2'.repeat(64)]);
    expect(bob?.data).toMatchObject({ privileged: true });
  });
});

describe('runStream totals reported after the records', () => {
  it('counts records emitted before the total was reported', async () => {
    const connector = connectorWith(async (ctx) => {
      for (const login of ['alice', 'bob']) await ctx.emit({ key: `user:${login}`, data: account(login), sources: ['c'.repeat(64)] });
      ctx.reportTotal(2, { what: 'users' });
    });
    expect(await runStream({ ...base, connector, sink: new ArraySink() })).toMatchObject({ status: 'complete', apiTotal: 2 });
  });
});
