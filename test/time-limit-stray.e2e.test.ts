/**
 * A stream stopped at its time limit whose connector ignores the abort keeps running in the background; a
 * promise its code later rejects and never awaits would end the whole process (Node's default), or fail
 * whichever stream runs then without naming the stopped one. Through the CLI, as the daemon runs it (jest
 * takes such rejections for itself, so this runs `evidentia collect` in a child process): a rejection while
 * a later stream runs fails that stream naming the stopped one; one while no stream runs is logged against
 * the stopped stream, and the process ends as the run says, not with a crash.
 */
import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir } from './cli.js';

/** `late`: deaf to the abort; rejects unawaited when kicked, or 1.5 s after its abort. `kicker`: kicks it, then ends. */
const CONNECTOR = `import { z } from 'zod';
import { defineConnector } from '@evidentia/sdk';
const login = async (ctx) => {
  const body = await ctx.snapshot({ method: 'GET', url: 'https://audit.example.invalid/events', requestBody: null, status: 200, headers: {} }, ['login']);
  const at = new Date(ctx.range.until.getTime() - 1000).toISOString();
  await ctx.emit({ key: 'event:' + ctx.stream, occurredAt: at, sources: [body], data: { actor: null, action: 'login', target: null, at, sourceAddress: null, outcome: 'success' } });
};
const stream = (collect) => ({ type: 'event', kind: 'audit.event', description: 'a history', controls: ['CC7.2'], initialLookbackDays: 1, collect });
export default defineConnector({ id: 'stalling', version: '1.0.0', title: 'stalling', credentials: [], system: () => 'stalling:test',
  configSchema: z.object({}).strict(),
  streams: {
    late: stream(async (ctx) => {
      await login(ctx);
      const fail = () => void Promise.reject(new Error('late failure of a stopped stream'));
      globalThis.evidentiaKick = fail;
      ctx.signal.addEventListener('abort', () => setTimeout(() => { if (globalThis.evidentiaKick === fail) fail(); }, 1500));
      await new Promise(() => {});
    }),
    kicker: stream(async (ctx) => {
      const kick = globalThis.evidentiaKick;
      globalThis.evidentiaKick = undefined;
      kick?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await login(ctx);
    }),
  } });
`;

async function folder(withKicker: boolean): Promise<string> {
  const dir = await tempDir('time-limit-stray');
  await writeFile(join(dir, 'stalling.js'), CONNECTOR);
  const late = `  stalled:\n    module: ./stalling.js\n    streamTimeoutSeconds: 0.5\n    streams:\n      kicker:\n        enabled: false\n`;
  const kicker = `  steady:\n    module: ./stalling.js\n    streams:\n      late:\n        enabled: false\n`;
  await writeFile(join(dir, 'evidentia.yaml'), `locker: ./locker\nconnectors:\n${late}${withKicker ? kicker : ''}`);
  expect((await runCli(['init', '--config', 'evidentia.yaml'], { cwd: dir })).code).toBe(0);
  return dir;
}

describe('a stream left running at its time limit', () => {
  it('rejecting a promise while a later stream runs fails that stream, naming the stopped one', async () => {
    const dir = await folder(true);
    const collected = await runCli(['collect', '--config', 'evidentia.yaml'], { cwd: dir });
    expect(collected.code).toBe(1);
    expect(collected.stdout).toMatch(/stalled\/late\s+event\s+failed/);
    expect(collected.stdout).toMatch(/steady\/kicker\s+event\s+failed/);
    expect(collected.stdout).toContain('a promise of the stream was rejected and never awaited (late failure of a stopped stream); streams stopped at their time limit and still running may have rejected it instead: stalled/late');
  }, 180_000);

  it('rejecting a promise once no stream runs is logged against it, and the process ends as the run says', async () => {
    const dir = await folder(false);
    const collected = await runCli(['collect', '--config', 'evidentia.yaml'], { cwd: dir });
    const output = `${collected.stdout}\n${collected.stderr}`;
    expect(output).toContain('after the stream was stopped at its time limit');
    expect(output).toContain('late failure of a stopped stream');
    expect(collected.stderr).not.toMatch(/^\s+at /m);
    expect(collected.code).toBe(1);
    expect(collected.stdout).toMatch(/stalled\/late\s+event\s+failed/);
  }, 180_000);
});
