import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvidenceFetch, type EvidenceFetchOptions } from './evidence-fetch.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

let server: Server;
let base: string;

/** Every path answers with its own JSON body after `?delay=` milliseconds; `/cached` answers 304. */
beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    setTimeout(() => {
      if (url.pathname === '/cached') response.writeHead(304, { etag: '"v1"' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: url.pathname }));
    }, Number(url.searchParams.get('delay') ?? 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const hashOf = (body: unknown) => createHash('sha256').update(JSON.stringify(body)).digest('hex');
const hashOfPath = (path: string) => hashOf({ path });

function setup(overrides: Partial<EvidenceFetchOptions> = {}) {
  return createEvidenceFetch({
    fetch: globalThis.fetch,
    policy: DEFAULT_RETRY_POLICY,
    maxRequests: 100,
    requestTimeoutMs: 5_000,
    signal: new AbortController().signal,
    now: () => new Date('2026-07-01T00:00:00Z'),
    sleep: async () => {},
    random: () => 0.5,
    snapshot: async (_provenance, body) => hashOf(body),
    ...overrides,
  });
}

/** A stand-in for an SDK client that hides headers: it returns only the parsed body, after a hop through a timer. */
function hidingClient(send: typeof fetch) {
  return (path: string) =>
    new Promise<unknown>((resolve, reject) => {
      setImmediate(() => {
        send(`${base}${path}`).then((response) => response.json()).then(resolve, reject);
      });
    });
}

describe('sourcesOf', () => {
  it('collects the snapshot hashes of the requests a client makes inside the scope, in order and de-duplicated', async () => {
    const http = setup();
    const get = hidingClient(http.fetch);
    const { value, sources } = await http.sourcesOf(async () => {
      await get('/a');
      await get('/b');
      return get('/a');
    });
    expect(value).toEqual({ path: '/a' });
    expect(sources).toEqual([hashOfPath('/a'), hashOfPath('/b')]);
  });

  it('gives sequential scopes only their own sources, and a scope without recorded responses none', async () => {
    const http = setup();
    const get = hidingClient(http.fetch);
    const first = await http.sourcesOf(() => get('/first'));
    const second = await http.sourcesOf(() => get('/second'));
    const empty = await http.sourcesOf(async () => 'nothing fetched');
    expect(first.sources).toEqual([hashOfPath('/first')]);
    expect(second.sources).toEqual([hashOfPath('/second')]);
    expect(empty).toEqual({ value: 'nothing fetched', sources: [] });
  });

  it('reports to every open scope when scopes nest', async () => {
    const http = setup();
    const get = hidingClient(http.fetch);
    const outer = await http.sourcesOf(async () => {
      await get('/outer');
      const inner = await http.sourcesOf(() => get('/inner'));
      await get('/after');
      return inner;
    });
    expect(outer.value.sources).toEqual([hashOfPath('/inner')]);
    expect(outer.sources).toEqual([hashOfPath('/outer'), hashOfPath('/inner'), hashOfPath('/after')]);
  });

  it('never mixes concurrent scopes, even when their responses interleave', async () => {
    const http = setup();
    const get = hidingClient(http.fetch);
    const [slow, fast] = await Promise.all([
      http.sourcesOf(async () => {
        await get('/slow-1?delay=60');
        return get('/slow-2?delay=5');
      }),
      http.sourcesOf(async () => {
        await get('/fast-1?delay=5');
        return get('/fast-2?delay=30');
      }),
    ]);
    expect(slow.sources).toEqual([hashOfPath('/slow-1'), hashOfPath('/slow-2')]);
    expect(fast.sources).toEqual([hashOfPath('/fast-1'), hashOfPath('/fast-2')]);
  });

  it('adds nothing for the credential fetch', async () => {
    const http = setup();
    const { sources } = await http.sourcesOf(async () => {
      await (await http.credentialFetch(`${base}/token`, { method: 'POST' })).json();
      return hidingClient(http.fetch)('/data');
    });
    expect(sources).toEqual([hashOfPath('/data')]);
  });

  it('adds the snapshot hash of a stored body re-served on 304', async () => {
    const stored = { members: ['alice'] };
    const http = setup({ previous: async () => ({ etag: '"v1"', entryHash: 'e'.repeat(64), body: stored, headers: {} }) });
    const { value, sources } = await http.sourcesOf(() => hidingClient(http.fetch)('/cached'));
    expect(value).toEqual(stored);
    expect(sources).toEqual([hashOf(stored)]);
  });

  it("does not report one stream's responses to another stream's scope", async () => {
    const mine = setup();
    const other = setup();
    const { sources } = await mine.sourcesOf(() => hidingClient(other.fetch)('/elsewhere'));
    expect(sources).toEqual([]);
  });
});
