/**
 * A connector that does not await its calls (an async callback in forEach)
 * returns before its records are emitted: the stream fails naming the
 * missing await instead of ending complete with the records so far, and
 * nothing reaches the sink after the stream ended. Run for real against a
 * server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { account } from './accounts.test-support.js';
import { defineConnector } from './define.js';
import { snapshotOf } from './evidence-fetch.js';
import { MemorySink } from './memory-sink.js';
import { runStream } from './run-stream.js';
import type { StreamContext } from './types.js';

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ login: request.url?.split('/').pop() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function connectorWith(collect: (ctx: StreamContext<Record<string, never>>) => Promise<void>) {
  return defineConnector({
    id: 'floating',
    version: '1.0.0',
    title: 'Floating',
    configSchema: z.object({}).strict() as z.ZodType<Record<string, never>>,
    credentials: [],
    system: () => 'floating:acme',
    streams: { users: { type: 'state', kind: 'access.account', description: 'users', controls: ['CC6.1'], collect } },
  });
}

const run = (connector: ReturnType<typeof connectorWith>, sink: MemorySink) =>
  runStream({ connector, sink, instance: 'floating', config: {}, stream: 'users', cursor: null, collectorVersion: 'test' });

/** Fetch one user and emit its record. */
async function emitUser(ctx: StreamContext<Record<string, never>>, login: string): Promise<void> {
  const response = await ctx.fetch(`${base}/users/${login}`);
  await ctx.emit({ key: `user:${login}`, data: account(login), sources: [snapshotOf(response)] });
}

describe('a stream whose collect() does not await its calls', () => {
  it('fails naming the missing await, after its calls finished, instead of ending complete without their records', async () => {
    const sink = new MemorySink();
    const outcome = await run(
      connectorWith(async (ctx) => {
        for (const login of ['alice', 'bob']) void emitUser(ctx, login);
      }),
      sink,
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toMatch(/collect\(\) returned while 2 of its calls .* were still running.*await each call/);
    // The calls ran to their end before the stream did: nothing arrives afterwards.
    expect(outcome.records).toBe(2);
    expect(sink.records.map((record) => record.key)).toEqual(['user:alice', 'user:bob']);
  });

  it('is complete when every call was awaited, concurrently or not', async () => {
    const sink = new MemorySink();
    const outcome = await run(
      connectorWith(async (ctx) => {
        await Promise.all(['alice', 'bob'].map((login) => emitUser(ctx, login)));
        await emitUser(ctx, 'carol');
      }),
      sink,
    );
    expect(outcome).toMatchObject({ status: 'complete', error: null, records: 3 });
  });

  it('refuses a call made after the stream ended, so it never reaches the sink', async () => {
    const sink = new MemorySink();
    let kept: StreamContext<Record<string, never>> | null = null;
    const outcome = await run(
      connectorWith(async (ctx) => {
        kept = ctx;
      }),
      sink,
    );
    expect(outcome.status).toBe('complete');
    await expect(kept!.emit({ key: 'user:late', data: account('late'), sources: ['c'.repeat(64)] })).rejects.toThrow(/stream floating\/users has ended/);
    await expect(kept!.fetch(`${base}/users/late`)).rejects.toThrow(/has ended/);
    expect(sink.records).toEqual([]);
    expect(sink.snapshots).toEqual([]);
  });
});
