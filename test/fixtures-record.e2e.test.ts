/**
 * Record mode end to end: `evidentia fixtures record` runs a stream through
 * the recording proxy against a local upstream (the replay server standing in
 * for GitHub), and the cassette it writes replays strictly, with the token
 * stripped and personal data redacted.
 */
import { afterEach, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret } from '@evidentia/sdk';
import { runConnectorFixture, startReplayServer, type ReplayServer } from '@evidentia/testing';
import githubConnector, { GitHubConfig } from '@evidentia/connector-github';
import { FIXTURES, githubConfig, runCli } from './cli.js';

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
