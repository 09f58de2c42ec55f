import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineConnector, runStream, Secret, snapshotOf } from '@evidentia/sdk';
import { findSecretLikeStrings, loadCassette, MemorySink, runConnectorFixture, startRecordingProxy, startReplayServer } from './index.js';

// Built by concatenation so this file holds no real-looking token.
const TOKEN = 'ghp_' + 'R3cord1ngT0k3n'.repeat(3);
const secretParam = ['access', 'token'].join('_');

let upstream: Server;
let upstreamUrl = '';

/** A stand-in for a real API: wants a token, pages with absolute Link URLs, returns personal data. */
function startUpstream(): Promise<void> {
  upstream = createServer((request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-remaining': '4999', etag: 'W/"abc"', 'set-cookie': 'session=s3cr3t', ...headers });
      response.end(JSON.stringify(body, null, 2));
    };
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Bad credentials' });
    const url = new URL(request.url ?? '/', upstreamUrl);
    if (url.pathname === '/orgs/acme/members' && url.searchParams.get('page') === null) {
      return send(
        200,
        [
          { id: 1, login: 'octocat', name: 'Mona Lisa Octocat', email: 'mona@acme.io', last_ip: '81.2.69.160', url: `${upstreamUrl}/users/octocat` },
          { id: 2, login: 'hubot', name: null, email: 'hubot@acme.io', last_ip: '81.2.69.160', url: `${upstreamUrl}/users/hubot` },
        ],
        {
          link: `<${upstreamUrl}/orgs/acme/members?per_page=2&page=2>; rel="next", <${upstreamUrl}/orgs/acme/members?per_page=2&page=2>; rel="last"`,
          // A header no recorder could know in advance (the connector's total), and credentials in headers.
          'x-total-count': '3',
          'x-acme-session-token': 's3cr3t-session',
          'x-api-key': 's3cr3t-key',
        },
      );
    }
    if (url.pathname === '/orgs/acme/members') {
      return send(200, [{ id: 3, login: 'jdoe', name: 'Jane Doe', email: 'Mona@acme.io', note: 'contact jane.doe@acme.io from 2001:4860::8888', url: `${upstreamUrl}/users/jdoe` }]);
    }
    if (url.pathname === '/teams') return send(200, [{ slug: 'platform', name: 'Platform Team' }]);
    if (url.pathname === '/teams/Platform Team/members' || url.pathname === '/teams/Platform%20Team/members') return send(200, [{ login: 'octocat' }]);
    send(404, { message: 'Not Found' });
  });
  return new Promise((resolve) =>
    upstream.listen(0, '127.0.0.1', () => {
      upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(startUpstream);
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const auth = { authorization: `Bearer ${TOKEN}` };

describe('startRecordingProxy', () => {
  it('records a cassette without credentials or personal data that replays to the same redacted bodies', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl });
    const first = await fetch(`${proxy.baseUrl}/orgs/acme/members?per_page=2&${secretParam}=${TOKEN}`, { headers: auth });
    // The caller gets the real response, with upstream URLs pointing at the proxy.
    expect(first.headers.get('link')).toContain(`<${proxy.baseUrl}/orgs/acme/members?per_page=2&page=2>; rel="next"`);
    const firstBody = (await first.json()) as Array<{ email: string; url: string }>;
    expect(firstBody[0]).toMatchObject({ email: 'mona@acme.io', url: `${proxy.baseUrl}/users/octocat` });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
    expect((await fetch(next, { headers: auth })).status).toBe(200);
    await proxy.close();

    const cassette = proxy.cassette('acme members, two pages');
    const text = JSON.stringify(cassette);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/authorization|access_token|set-cookie|s3cr3t/i);
    expect(text).not.toMatch(/acme\.io|Mona Lisa|Jane Doe|81\.2\.69\.160|2001:4860/);
    expect(text).not.toContain(upstreamUrl);
    expect(findSecretLikeStrings(text)).toEqual([]);

    const [page1, page2] = cassette.interactions;
    expect(page1?.request).toEqual({ method: 'GET', path: '/orgs/acme/members?per_page=2', body: null });
    // Every response header is kept (the total among them) but cookies, credentials and the connection's transport headers.
    expect(page1?.response.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      etag: 'W/"abc"',
      link: '<{{baseUrl}}/orgs/acme/members?per_page=2&page=2>; rel="next", <{{baseUrl}}/orgs/acme/members?per_page=2&page=2>; rel="last"',
      'x-ratelimit-remaining': '4999',
      'x-total-count': '3',
      date: expect.any(String),
    });
    expect(page1?.response.body).toEqual([
      { id: 1, login: 'octocat', name: 'Person 1', email: 'user1@example.com', last_ip: '192.0.2.1', url: '{{baseUrl}}/users/octocat' },
      { id: 2, login: 'hubot', name: null, email: 'user2@example.com', last_ip: '192.0.2.1', url: '{{baseUrl}}/users/hubot' },
    ]);
    // The same address (whatever its case) gets the same placeholder across pages.
    expect(page2?.response.body).toEqual([
      { id: 3, login: 'jdoe', name: 'Person 2', email: 'user1@example.com', note: 'contact user3@example.com from 2001:db8::2', url: '{{baseUrl}}/users/jdoe' },
    ]);

    const replay = await startReplayServer([cassette]);
    try {
      const replayed = await fetch(`${replay.baseUrl}/orgs/acme/members?per_page=2&${secretParam}=[redacted]`);
      expect(replayed.headers.get('link')).toContain(`<${replay.baseUrl}/orgs/acme/members?per_page=2&page=2>; rel="next"`);
      expect(replayed.headers.get('x-total-count')).toBe('3');
      const body = (await replayed.json()) as Array<{ url: string }>;
      expect(body).toEqual(JSON.parse(JSON.stringify(page1?.response.body).replaceAll('{{baseUrl}}', replay.baseUrl)));
      expect(body[0]?.url).toBe(`${replay.baseUrl}/users/octocat`);
      const replayedNext = /<([^>]+)>; rel="next"/.exec(replayed.headers.get('link') ?? '')?.[1] ?? '';
      expect(await (await fetch(replayedNext)).json()).toEqual(JSON.parse(JSON.stringify(page2?.response.body).replaceAll('{{baseUrl}}', replay.baseUrl)));
      replay.assertDone();
    } finally {
      await replay.close();
    }
  });

  it('rewrites a request built from a redacted value the way it will be sent on replay', async () => {
    const proxy = await startRecordingProxy({ upstream: upstreamUrl });
    const teams = (await (await fetch(`${proxy.baseUrl}/teams`, { headers: auth })).json()) as Array<{ name: string }>;
    const members = await fetch(`${proxy.baseUrl}/teams/${encodeURIComponent(teams[0]?.name ?? '')}/members`, { headers: auth });
    expect(members.status).toBe(200);
    await proxy.close();
    const cassette = proxy.cassette('teams');
    expect(cassette.interactions.map((interaction) => interaction.request.path)).toEqual(['/teams', '/teams/Person%201/members']);

    const replay = await startReplayServer([cassette]);
    try {
      const replayedTeams = (await (await fetch(`${replay.baseUrl}/teams`)).json()) as Array<{ name: string }>;
      expect(replayedTeams).toEqual([{ slug: 'platform', name: 'Person 1' }]);
      expect((await fetch(`${replay.baseUrl}/teams/${encodeURIComponent(replayedTeams[0]?.name ?? '')}/members`)).status).toBe(200);
      replay.assertDone();
    } finally {
      await replay.close();
    }
  });

  it('records a connector run that replays in strict mode, and saves it as a loadable file', async () => {
    const configSchema = z.object({ baseUrl: z.string(), token: z.instanceof(Secret) });
    const members = z.array(z.object({ id: z.number(), login: z.string(), name: z.string().nullable(), email: z.string() }));
    const connector = defineConnector<z.infer<typeof configSchema>>({
      id: 'tiny',
      version: '0.1.0',
      title: 'Tiny',
      configSchema,
      credentials: [{ field: 'token', description: 'API token', permissions: ['read:org'] }],
      system: () => 'tiny:acme',
      streams: {
        members: {
          type: 'state',
          kind: 'access.account',
          description: 'members',
          controls: ['CC6.1'],
          async collect(ctx) {
            let url: string | null = `${ctx.config.baseUrl}/orgs/acme/members?per_page=2`;
            while (url) {
              const response = await ctx.fetch(url, { headers: { authorization: `Bearer ${ctx.config.token.reveal()}` } });
              if (!response.ok) throw new Error(`HTTP ${response.status}`);
              for (const member of members.parse(await response.json())) {
                const data = { accountId: String(member.id), displayName: member.name, email: member.email, accountType: 'member', status: 'active' as const };
                const rest = { privileged: false, roles: [], mfa: 'unknown' as const, createdAt: null, lastLoginAt: null, credentials: [], ssoIdentity: null };
                await ctx.emit({ key: member.login, data: { ...data, ...rest }, sources: [snapshotOf(response)] });
              }
              url = /<([^>]+)>; rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
            }
          },
        },
      },
    });

    const proxy = await startRecordingProxy({ upstream: upstreamUrl });
    const live = await runStream({
      connector,
      instance: 'tiny',
      config: { baseUrl: proxy.baseUrl, token: new Secret(TOKEN, '${env:TINY_TOKEN}') },
      stream: 'members',
      sink: new MemorySink(),
      cursor: null,
      collectorVersion: 'test',
    });
    expect(live).toMatchObject({ status: 'complete', records: 3 });
    const file = join(await mkdtemp(join(tmpdir(), 'evidentia-record-')), 'tiny', 'members.json');
    await proxy.save(file, 'tiny members');
    await proxy.close();
    expect(await readFile(file, 'utf8')).toMatch(/^\{\n {2}"format": "evidentia\.cassette\/1",\n {2}"description": "tiny members"/);

    const { outcome, records } = await runConnectorFixture({
      connector,
      stream: 'members',
      cassettes: [await loadCassette(file)],
      config: (baseUrl) => ({ baseUrl, token: new Secret('[redacted]', '${env:TINY_TOKEN}') }),
    });
    expect(outcome.status).toBe('complete');
    expect(records.map((record) => [record.key, record.data.displayName, record.data.email])).toEqual([
      ['octocat', 'Person 1', 'user1@example.com'],
      ['hubot', null, 'user2@example.com'],
      ['jdoe', 'Person 2', 'user1@example.com'],
    ]);
  });

  it('answers 502 when the upstream cannot be reached and records nothing', async () => {
    const proxy = await startRecordingProxy({ upstream: 'http://127.0.0.1:1' });
    const response = await fetch(`${proxy.baseUrl}/x`);
    expect(response.status).toBe(502);
    expect(proxy.cassette('nothing').interactions).toEqual([]);
    await proxy.close();
  });
});
