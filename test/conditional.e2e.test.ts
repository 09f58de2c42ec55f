/**
 * An unchanged organization, collected twice: the second run revalidates
 * every GET with its ETag, GitHub answers 304 (free of rate limit), and the
 * locker ends up with the same record sets, stored once.
 */
import { afterEach, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReplayServer, type Cassette, type ReplayServer } from '@evidentia/testing';
import { FIXTURES, githubConfig, runCli, TOKEN_ENV } from './cli.js';

const STATE_FIXTURES = ['members.json', 'branch-protection.json'].map((name) => join(FIXTURES, name));

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The same traffic, as an unchanged server answers a conditional request: 304 with no body wherever a 200 carried an ETag. */
async function notModified(file: string): Promise<Cassette> {
  const cassette = JSON.parse(await readFile(file, 'utf8')) as Cassette;
  return {
    ...cassette,
    interactions: cassette.interactions.map((interaction) => {
      const headers = interaction.response.headers ?? {};
      if (interaction.request.method !== 'GET' || interaction.response.status !== 200 || !headers.etag) return interaction;
      return { ...interaction, response: { ...interaction.response, status: 304, body: null, headers: { etag: headers.etag, 'x-ratelimit-remaining': '4999' } } };
    }),
  };
}

it('re-collects an unchanged org with conditional requests and stores nothing twice', async () => {
  // One server for both runs (a stable base URL, as in real life): the 200s are served first, then the 304s.
  const revalidating = await Promise.all(STATE_FIXTURES.map(notModified));
  const conditional = revalidating.flatMap((c) => c.interactions).filter((i) => i.response.status === 304).length;
  expect(conditional).toBeGreaterThan(5);
  server = await startReplayServer([...STATE_FIXTURES, ...revalidating]);
  const { file } = await githubConfig(server.baseUrl);
  await runCli(['init', '--config', file]);
  // Inventories only, read as they are now: a --since/--until range is refused for them.
  const args = ['collect', '--config', file, '--stream', 'members', 'branch_protection', '--json'];
  const first = JSON.parse((await runCli(args, { env: TOKEN_ENV })).stdout) as { streams: Array<{ recordSet: string; recordCount: number }> };
  const second = await runCli(args, { env: TOKEN_ENV });
  expect(second.code).toBe(0);
  server.assertDone();
  const manifest = JSON.parse(second.stdout) as { streams: Array<{ recordSet: string; recordCount: number; snapshotCount: number }> };
  expect(manifest.streams.map((s) => s.recordSet)).toEqual(first.streams.map((s) => s.recordSet));
  expect(manifest.streams[0]?.recordCount).toBeGreaterThan(0);
  expect((await runCli(['verify', '--config', file])).code).toBe(0);
});
