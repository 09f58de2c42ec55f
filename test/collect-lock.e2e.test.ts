/**
 * End to end: two `collect` runs on one locker at once. The second is
 * refused before it writes anything, with exit 2 and one line naming the
 * process that holds the locker, as when the daemon holds it; the first
 * finishes and the locker verifies.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { FIXTURES, githubConfig, runCli, spawnCli, TOKEN_ENV } from './cli.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('two collect runs at once', () => {
  it('refuses the second with exit 2, naming the holder, and the first completes', async () => {
    const slow = JSON.parse(await readFile(join(FIXTURES, 'members.json'), 'utf8')) as { interactions: Array<{ response: { delayMs?: number } }> };
    for (const interaction of slow.interactions) interaction.response.delayMs = 2000;
    server = await startReplayServer([slow as never, join(FIXTURES, 'branch-protection.json')]);
    const { file } = await githubConfig(server.baseUrl, '    streams:\n      pull_requests:\n        enabled: false\n');
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    const first = spawnCli(['collect', '--config', file], { env: TOKEN_ENV });
    const started = Date.now();
    while (server.requests.length < 1) {
      if (Date.now() - started > 20_000) throw new Error('the first collect never reached the API');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const second = await runCli(['collect', '--config', file], { env: TOKEN_ENV });
    expect(second).toMatchObject({ code: 2, stdout: "" });
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^evidentia: locker .* is being written by pid ${first.child.pid} \\(run \\S+\\); .*nothing was collected`))]);

    expect((await first.done).code).toBe(0);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  }, 90_000);
});
