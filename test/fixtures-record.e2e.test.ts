/**
 * Record mode end to end: `evidentia fixtures record` runs a stream through
 * the recording proxy against a local upstream (the replay server standing in
 * for GitHub), and the cassette it writes replays strictly, with the token
 * stripped and personal data redacted.
 */
import { afterEach, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret } from '@evidentia/sdk';
import { runConnectorFixture, startReplayServer, type ReplayServer } from '@evidentia/testing';
import githubConnector, { GitHubConfig } from '@evidentia/connector-github';
import { FIXTURES, githubConfig, runCli, tempDir } from './cli.js';

let upstream: ReplayServer | undefined;
afterEach(async () => {
  await upstream?.close();
  upstream = undefined;
});

it('records a stream into a cassette that replays, without the token or personal data', async () => {
  upstream = await startReplayServer([join(FIXTURES, 'members.json')]);
  const { file, dir } = await githubConfig(upstream.baseUrl);
  const out = join(dir, 'recorded-members.json');
  const token = 'recording-token-value-1234';
  const recorded = await runCli(['fixtures', 'record', '--config', file, '--connector', 'github', '--stream', 'members', '--out', out], { env: { GITHUB_TOKEN: token } });
  expect(recorded.stderr).toBe('');
  expect(recorded.code).toBe(0);
  upstream.assertDone();

  const text = await readFile(out, 'utf8');
  expect(text).not.toContain(token);
  // Every address left is on a reserved example domain (the redactor maps real ones to userN@example.com).
  const domains = new Set([...text.matchAll(/[\w.+-]+@([\w.-]+\.[a-z]+)/gi)].map((match) => match[1]));
  expect([...domains].filter((domain) => !/(^|\.)example(\.com)?$/.test(domain ?? ''))).toEqual([]);
  expect(text).toContain('{{baseUrl}}');

  const original = JSON.parse(await readFile(join(FIXTURES, 'members.json'), 'utf8')) as { interactions: unknown[] };
  const cassette = JSON.parse(text) as { format: string; interactions: unknown[] };
  expect(cassette.format).toBe('evidentia.cassette/1');
  expect(cassette.interactions).toHaveLength(original.interactions.length);

  const replayed = await runConnectorFixture({
    connector: githubConnector,
    stream: 'members',
    cassettes: [out],
    config: (baseUrl) => GitHubConfig.parse({ org: 'acme-corp', baseUrl, token: new Secret('another-token', '${env:GITHUB_TOKEN}') }),
  });
  expect(replayed.outcome.status).toBe('complete');
  expect(replayed.records.map((record) => record.key).sort()).toContain('user:alice-dev');
  // GitHub's member count covers admins and members; outside collaborators have no count of their own.
  const members = replayed.records.filter((record) => record.kind === 'access.account' && !(record.data.roles as string[]).includes('outside_collaborator'));
  expect(members.length).toBe(replayed.outcome.apiTotal);
});

/** A custom connector whose API takes its token in the query, under a name of its own, and echoes it in a next link. */
const QUERY_TOKEN_CONNECTOR = `import { z } from 'zod';
import { defineConnector, secret, snapshotOf } from '@evidentia/sdk';
const account = (id) => ({ accountId: id, displayName: null, email: null, accountType: 'member', status: 'active', privileged: false, roles: [],
  mfa: 'unknown', createdAt: null, lastLoginAt: null, credentials: [], ssoIdentity: null });
export default defineConnector({
  id: 'query-token', version: '0.1.0', title: 'Token in the query', credentials: [],
  configSchema: z.object({ baseUrl: z.string(), token: secret() }).strict(),
  system: () => 'query-token:test',
  apiBase: { read: (config) => config.baseUrl, override: (config, baseUrl) => ({ ...config, baseUrl }) },
  streams: { users: { type: 'state', kind: 'access.account', description: 'users', controls: ['CC6.1'], async collect(ctx) {
    let url = ctx.config.baseUrl + '/users?api_token=' + ctx.config.token.reveal();
    while (url) {
      const response = await ctx.fetch(url);
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const page = await response.json();
      for (const id of page.users) await ctx.emit({ key: id, data: account(id), sources: [snapshotOf(response)] });
      url = page.next;
    }
  } } },
});
`;

it("records a custom connector's token sent under any query name, and echoed in a next link, as [redacted], and the cassette replays", async () => {
  const token = 'query-token-value-5678';
  const api = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://api');
    if (url.searchParams.get('api_token') !== token) return response.writeHead(401).end();
    const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const page = url.searchParams.get('page') === '2' ? { users: ['u3'], next: null } : { users: ['u1', 'u2'], next: `${base}/users?api_token=${token}&page=2` };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(page));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  try {
    const dir = await tempDir('query-token');
    await writeFile(join(dir, 'connector.mjs'), QUERY_TOKEN_CONNECTOR);
    const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    await writeFile(join(dir, 'evidentia.yaml'), `locker: ./locker\nconnectors:\n  qt:\n    module: ./connector.mjs\n    config:\n      baseUrl: ${baseUrl}\n      token: \${env:QT_TOKEN}\n`);
    const recorded = await runCli(['fixtures', 'record', '--config', 'evidentia.yaml', '--connector', 'qt', '--stream', 'users', '--out', 'users.json'], { cwd: dir, env: { QT_TOKEN: token } });
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
    const text = await readFile(join(dir, 'users.json'), 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain('api_token=[redacted]&page=2');

    const tried = await runCli(['connectors', 'try', '--config', 'evidentia.yaml', '--connector', 'qt', '--stream', 'users', '--cassette', 'users.json', '--json'], { cwd: dir, env: { QT_TOKEN: 'another-test-token' } });
    expect(tried.stderr).toBe('');
    // The requests try lists show the query without the token.
    expect(tried.stdout).not.toContain('another-test-token');
    expect(JSON.parse(tried.stdout)).toMatchObject({ outcome: { status: 'complete', records: 3 }, notes: [] });
  } finally {
    await new Promise<void>((resolve) => api.close(() => resolve()));
  }
}, 120_000);
