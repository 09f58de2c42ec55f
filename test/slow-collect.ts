/**
 * A `collect` that holds the locker for a while: the GitHub fixtures served
 * with every members page 2 s late, and a config for them (pull requests off),
 * initialized. What the tests of a second writer meeting a run share.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { FIXTURES, githubConfig, runCli, spawnCli, TOKEN_ENV } from './cli.js';

export async function slowGithubLocker(): Promise<{ server: ReplayServer; file: string }> {
  const slow = JSON.parse(await readFile(join(FIXTURES, 'members.json'), 'utf8')) as { interactions: Array<{ response: { delayMs?: number } }> };
  for (const interaction of slow.interactions) interaction.response.delayMs = 2000;
  const server = await startReplayServer([slow as never, join(FIXTURES, 'branch-protection.json')]);
  const { file } = await githubConfig(server.baseUrl, '    streams:\n      pull_requests:\n        enabled: false\n');
  const init = await runCli(['init', '--config', file]);
  if (init.code !== 0) throw new Error(`init exited ${init.code}: ${init.stderr}`);
  return { server, file };
}

/** Start `collect` on `file` and resolve once it has reached the API (it then holds the writer lock). */
export async function collectUnderway(server: ReplayServer, file: string): Promise<ReturnType<typeof spawnCli>> {
  const collect = spawnCli(['collect', '--config', file], { env: TOKEN_ENV });
  const started = Date.now();
  while (server.requests.length < 1) {
    if (Date.now() - started > 20_000) throw new Error('the collect never reached the API');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return collect;
}
