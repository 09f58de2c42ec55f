/**
 * End to end: two `collect` runs on one locker at once. The second is
 * refused before it writes anything, with exit 2 and one line naming the
 * process that holds the locker, as when the daemon holds it; the first
 * finishes and the locker verifies.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { ReplayServer } from '@evidentia/testing';
import { runCli, TOKEN_ENV } from './cli.js';
import { collectUnderway, slowGithubLocker } from './slow-collect.js';

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('two collect runs at once', () => {
  it('refuses the second with exit 2, naming the holder, and the first completes', async () => {
    let file: string;
    ({ server, file } = await slowGithubLocker());
    const first = await collectUnderway(server, file);

    const second = await runCli(['collect', '--config', file], { env: TOKEN_ENV });
    expect(second).toMatchObject({ code: 2, stdout: "" });
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^evidentia: locker .* is being written by pid ${first.child.pid} \\(run \\S+\\); .*nothing was collected`))]);

    expect((await first.done).code).toBe(0);
    expect((await runCli(['verify', '--config', file])).code).toBe(0);
  }, 90_000);
});
