/**
 * A stream's snapshots never keep a secret the config resolved where the
 * connector or the API put it in a request or a link: a query parameter of
 * any name, the path, a GraphQL variable, a `next` link the API echoes in its
 * body or Link header. Run for real against a server on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineConnector } from './define.js';
import { MemorySink } from './memory-sink.js';
import { runStream } from './run-stream.js';
import { Secret } from './secret.js';
import type { PreviousSnapshot, StreamContext } from './types.js';

const TOKEN = 'tok-7Hq2v9ZxLmN4pRs';
let server: Server;
let base: string;

beforeAll(async () => {
  // Echoes the request's path and query in the body and in a Link header, as APIs with a token in the query do.
  server = createServer((request, response) => {
    const echoed = `${base}${request.url ?? '/'}`;
    const headers: Record<string, string> = { 'content-type': 'application/json', etag: '"v1"' };
    if (request.url?.startsWith('/echo')) headers.link = `<${echoed}&page=2>; rel="next"`;
    response.writeHead(200, headers).end(JSON.stringify(request.url?.startsWith('/echo') ? { next: `${echoed}&page=2` } : { users: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Config = { token: Secret };

function connectorWith(collect: (ctx: StreamContext<Config>) => Promise<void>) {
  return defineConnector<Config>({
    id: 'query-token',
    version: '1.0.0',
    title: 'Query token',
    configSchema: z.object({ token: z.instanceof(Secret) }),
    credentials: [],
    system: () => 'query-token:acme',
    streams: { users: { type: 'state', kind: 'access.account', description: 'users', controls: ['CC6.1'], collect } },
  });
}

/** A memory sink that also answers conditional lookups, noting the URLs asked for. */
class ConditionalSink extends MemorySink {
  readonly asked: string[] = [];
  async previousSnapshot(_method: string, url: string): Promise<PreviousSnapshot | null> {
    this.asked.push(url);
    return null;
  }
}

const run = (connector: ReturnType<typeof connectorWith>, sink: MemorySink) =>
  runStream({ connector, sink, instance: 'query-token', config: { token: new Secret(TOKEN, '${env:T}') }, stream: 'users', cursor: null, collectorVersion: 'test' });

describe('snapshots of a stream', () => {
  it('keep no config secret in the URL, the request body, the headers or the URLs in the body', async () => {
    const sink = new ConditionalSink();
    const outcome = await run(
      connectorWith(async (ctx) => {
        const token = ctx.config.token.reveal();
        await ctx.fetch(`${base}/echo?apiToken=${token}&private_token=${token}`);
        await ctx.fetch(`${base}/users/${token}`);
        await ctx.fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ users }', variables: { apiToken: token } }) });
        await ctx.snapshot({ method: 'GET', url: `file:///exports/${token}.json`, requestBody: null, status: 200, headers: {} }, { exportedFrom: `file:///exports/${token}.json` });
      }),
      sink,
    );
    expect(outcome.status).toBe('complete');
    expect(sink.snapshots).toHaveLength(4);
    const stored = JSON.stringify(sink.snapshots);
    expect(stored).not.toContain(TOKEN);
    expect(sink.snapshots[0]!.provenance.url).toBe(`${base}/echo?apiToken=[redacted]&private_token=[redacted]`);
    expect(sink.snapshots[0]!.body).toEqual({ next: `${base}/echo?apiToken=[redacted]&private_token=[redacted]&page=2` });
    expect(sink.snapshots[2]!.provenance.requestBody).toEqual({ query: '{ users }', variables: { apiToken: '[redacted]' } });
    // Conditional requests look the response up as it was stored.
    expect(sink.asked).toEqual([`${base}/echo?apiToken=[redacted]&private_token=[redacted]`, `${base}/users/[redacted]`]);
  });

  it('keep a secret value that is data in the body, as a record built from it has it', async () => {
    const sink = new MemorySink();
    await run(
      connectorWith(async (ctx) => {
        await ctx.snapshot({ method: 'GET', url: 'file:///exports/keys.json', requestBody: null, status: 200, headers: {} }, { keys: [{ id: ctx.config.token.reveal() }] });
      }),
      sink,
    );
    expect(sink.snapshots[0]!.body).toEqual({ keys: [{ id: TOKEN }] });
  });

  it('keep the ETag only of a response whose headers and body held no secret, so a 304 never serves a copy that lost one', async () => {
    const sink = new MemorySink();
    await run(
      connectorWith(async (ctx) => {
        const token = ctx.config.token.reveal();
        await ctx.fetch(`${base}/echo?apiToken=${token}`);
        await ctx.fetch(`${base}/users/${token}`);
      }),
      sink,
    );
    // The echoed next link lost the token: served back on a 304, the client would follow it without one.
    expect(sink.snapshots[0]!.provenance.headers.etag).toBeUndefined();
    expect(sink.snapshots[0]!.provenance.headers.link).toBe(`<${base}/echo?apiToken=[redacted]&page=2>; rel="next"`);
    // Only the URL held the token: the stored answer is the server's, and stays revalidatable.
    expect(sink.snapshots[1]!.provenance.headers.etag).toBe('"v1"');
  });
});
