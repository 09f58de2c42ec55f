import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from './fault-proxy.js';

/** A three-page list whose Link headers and bodies name the server's own address, as GitHub's do. */
let upstream: Server;
let origin = '';
beforeAll(async () => {
  upstream = createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', origin).searchParams.get('page') ?? 1);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (page < 3) headers.link = `<${origin}/items?page=${page + 1}>; rel="next"`;
    res.writeHead(200, headers).end(JSON.stringify({ page, self: `${origin}/items?page=${page}` }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

async function withProxy<T>(options: FaultProxyOptions, work: (proxy: FaultProxy) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy(origin, options);
  try {
    return await work(proxy);
  } finally {
    await proxy.close();
  }
}

describe('fault proxy', () => {
  it('without faults forwards every request and puts its own address where the server named its own', async () => {
    await withProxy({ seed: 1 }, async (proxy) => {
      const response = await fetch(`${proxy.url}/items`);
      expect(response.headers.get('link')).toBe(`<${proxy.url}/items?page=2>; rel="next"`);
      expect(await response.json()).toEqual({ page: 1, self: `${proxy.url}/items?page=1` });
    });
  });

  it('answers 429 with the Retry-After asked for, and 5xx', async () => {
    await withProxy({ seed: 1, rate: 1, types: ['rate-limit'], retryAfterSeconds: 2 }, async (proxy) => {
      const response = await fetch(`${proxy.url}/items`);
      expect([response.status, response.headers.get('retry-after')]).toEqual([429, '2']);
      expect(proxy.injected['rate-limit']).toBe(1);
    });
    await withProxy({ seed: 1, rate: 1, types: ['server-error'] }, async (proxy) => {
      expect([500, 502, 503]).toContain((await fetch(`${proxy.url}/items`)).status);
    });
  });

  it('resets the connection, or cuts a body short of its Content-Length', async () => {
    await withProxy({ seed: 1, rate: 1, types: ['reset'] }, async (proxy) => {
      await expect(fetch(`${proxy.url}/items`)).rejects.toThrow('fetch failed');
    });
    await withProxy({ seed: 1, rate: 1, types: ['truncate'] }, async (proxy) => {
      const response = await fetch(`${proxy.url}/items`);
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow('terminated');
      expect(proxy.injected.truncate).toBe(1);
    });
  });

  it('serves the previous page again when the next one is asked for, and only then', async () => {
    await withProxy({ seed: 1, rate: 1, types: ['repeat-page'] }, async (proxy) => {
      expect(await (await fetch(`${proxy.url}/items`)).json()).toMatchObject({ page: 1 });
      const repeated = await fetch(`${proxy.url}/items?page=2`);
      expect(await repeated.json()).toMatchObject({ page: 1 });
      expect(repeated.headers.get('link')).toBe(`<${proxy.url}/items?page=2>; rel="next"`);
      expect(proxy.injected['repeat-page']).toBe(1);
    });
  });

  it('never faults one request more than three times in a row, so six attempts get through', async () => {
    await withProxy({ seed: 7, rate: 1, types: ['server-error'] }, async (proxy) => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) statuses.push((await fetch(`${proxy.url}/items?page=3`)).status);
      expect(statuses.slice(0, 3).every((status) => status >= 500)).toBe(true);
      expect(statuses[3]).toBe(200);
    });
  });

  it('answers every request from the given one on with a persistent 401', async () => {
    await withProxy({ seed: 1, persistent: { from: 2, fault: 'unauthorized' } }, async (proxy) => {
      const statuses: number[] = [];
      for (let page = 1; page <= 3; page++) statuses.push((await fetch(`${proxy.url}/items?page=${page}`)).status);
      expect(statuses).toEqual([200, 401, 401]);
    });
  });

  it('injects the same faults for the same seed', async () => {
    const run = (seed: number) =>
      withProxy({ seed, rate: 0.5, types: ['rate-limit', 'server-error'] }, async (proxy) => {
        const statuses: number[] = [];
        for (let i = 0; i < 20; i++) statuses.push((await fetch(`${proxy.url}/items?page=${1 + (i % 3)}&i=${i}`)).status);
        return statuses;
      });
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(first.some((status) => status !== 200)).toBe(true);
    expect(await run(4)).not.toEqual(first);
  });
});
