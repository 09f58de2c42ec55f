/**
 * A recording keeps none of the config's secret values, whatever the
 * connector calls the parameter that carries one (`?api_token=`, a path
 * segment, a GraphQL variable) and wherever the API echoes it (a `next`
 * link): and the cassette still replays for a test that sends another token.
 * Real servers on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startRecordingProxy } from './recorder.js';
import { startReplayServer } from './replay-server.js';

const TOKEN = 'tok-7Hq2v9ZxLmN4pRs';
let upstream: Server;
let upstreamUrl = '';

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', upstreamUrl);
      const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (url.pathname === '/users' && url.searchParams.get('api_token') === TOKEN) return json(200, { users: [{ id: 'u1' }], next: `${upstreamUrl}/users?api_token=${TOKEN}&page=2` });
      if (url.pathname === `/keys/${TOKEN}/scopes`) return json(200, { scopes: ['users:read'] });
      if (url.pathname === '/graphql' && (JSON.parse(body) as { variables: { apiToken: string } }).variables.apiToken === TOKEN) return json(200, { data: { users: [] } });
      json(401, { message: 'bad token' });
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

/** The three requests a connector holding `token` makes against `base`. */
async function exchange(base: string, token: string): Promise<number[]> {
  const statuses: number[] = [];
  statuses.push((await fetch(`${base}/users?api_token=${token}&limit=100`)).status);
  statuses.push((await fetch(`${base}/keys/${token}/scopes`)).status);
  const graphql = { query: '{ users }', variables: { apiToken: token, first: 100 } };
  statuses.push((await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(graphql) })).status);
  return statuses;
}

describe('a recording given the config secrets', () => {
  it('keeps none of them, and replays for a test holding another token', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl, secrets: [TOKEN] });
    expect(await exchange(proxy.baseUrl, TOKEN)).toEqual([200, 200, 200]);
    await proxy.close();
    const cassette = proxy.cassette('secrets in the query, the path and a variable');
    expect(JSON.stringify(cassette)).not.toContain(TOKEN);
    expect(cassette.interactions.map((interaction) => interaction.request.path)).toEqual(['/users?api_token=%5Bredacted%5D&limit=100', '/keys/%5Bredacted%5D/scopes', '/graphql']);
    expect(cassette.interactions[0]!.response.body).toEqual({ users: [{ id: 'u1' }], next: '{{baseUrl}}/users?api_token=[redacted]&page=2' });

    const replay = await startReplayServer([cassette]);
    try {
      expect(await exchange(replay.baseUrl, 'test-token-123')).toEqual([200, 200, 200]);
      replay.assertDone();
      // Only the removed values match anything: another limit is another request.
      expect((await fetch(`${replay.baseUrl}/users?api_token=x&limit=50`)).status).toBe(501);
    } finally {
      await replay.close();
    }
  });
});

describe('an upstream URL holding a password', () => {
  it('is refused before anything is recorded, without repeating the password', async () => {
    const start = startRecordingProxy({ upstream: `http://bot:${TOKEN}@127.0.0.1:1/api` });
    await expect(start).rejects.toThrow('evidentia record: the upstream URL http://127.0.0.1:1/api holds credentials (user info); pass them as the connector\'s secrets instead');
    await expect(start).rejects.not.toThrow(TOKEN);
  });
});
