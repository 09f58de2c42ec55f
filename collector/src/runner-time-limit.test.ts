/**
 * A stream that never finishes, through the config, the real runner and
 * locker: a custom connector module whose request hangs on a socket that
 * never answers, and one whose collect() waits on a promise nothing settles
 * and ignores the abort. With a tiny `streamTimeoutSeconds` each is stopped
 * at its limit and recorded as failed, naming itself and the limit, with the
 * record it emitted before kept and its cursor left; the run goes on to the
 * next connector's stream and commits.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initLocker, openLocker, type Locker } from '@evidentia/locker';
import { loadConfig } from './config/load.js';
import { collect } from './runner.js';

const zod = pathToFileURL(createRequire(import.meta.url).resolve('zod')).href;

/** Three event streams, each emitting one login first: one then requests `url`, one waits forever deaf to the abort, one ends. */
const MODULE = `import { z } from ${JSON.stringify(zod)};
const login = async (ctx) => {
  const body = await ctx.snapshot({ method: 'GET', url: 'https://audit.example.invalid/events', requestBody: null, status: 200, headers: {} }, ['login']);
  const at = new Date(ctx.range.until.getTime() - 1000).toISOString();
  await ctx.emit({ key: 'event:' + ctx.stream, occurredAt: at, sources: [body], data: { actor: null, action: 'login', target: null, at, sourceAddress: null, outcome: 'success' } });
};
const stream = (collect) => ({ type: 'event', kind: 'audit.event', description: 'a history', controls: ['CC7.2'], initialLookbackDays: 1, collect });
export default { id: 'stalling', version: '1.0.0', title: 'stalling', credentials: [], system: () => 'stalling:test',
  configSchema: z.object({ url: z.string() }),
  streams: {
    socket: stream(async (ctx) => { await login(ctx); await ctx.fetch(ctx.config.url); }),
    deaf: stream(async (ctx) => { await login(ctx); await new Promise(() => {}); }),
    after: stream(async (ctx) => { await login(ctx); }),
  } };
`;

let made: { dir: string; locker?: Locker; server: Server; sockets: Socket[] } | undefined;
afterEach(async () => {
  if (!made) return;
  await made.locker?.close();
  for (const socket of made.sockets) socket.destroy();
  await new Promise((resolve) => made!.server.close(resolve));
  await rm(made.dir, { recursive: true, force: true });
  made = undefined;
});

/** A server that accepts connections and never answers: a request to it waits until it is aborted. */
async function silentServer(sockets: Socket[]): Promise<{ server: Server; url: string }> {
  const server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/events` };
}

describe('a stream that never finishes', () => {
  it('is stopped at its time limit and recorded as failed, keeping what it emitted, and the run goes on', async () => {
    const sockets: Socket[] = [];
    const { server, url } = await silentServer(sockets);
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-time-limit-'));
    made = { dir, server, sockets };
    await writeFile(join(dir, 'stalling.mjs'), MODULE);
    const file = join(dir, 'evidentia.yaml');
    // The request itself would wait an hour: only the stream's limit ends it (half a second: time for the one emit before, on a busy machine too).
    await writeFile(
      file,
      `collector:\n  requestTimeoutSeconds: 3600\nconnectors:\n  stalled:\n    module: ./stalling.mjs\n    streamTimeoutSeconds: 0.5\n    config:\n      url: ${url}\n    streams:\n      after:\n        enabled: false\n` +
        `  steady:\n    module: ./stalling.mjs\n    config:\n      url: ${url}\n    streams:\n      socket:\n        enabled: false\n      deaf:\n        enabled: false\n`,
    );
    const config = await loadConfig(file, {});
    await initLocker(config.lockerDir);
    const locker = (made.locker = await openLocker(config.lockerDir));

    const result = await collect({ config, locker, trigger: 'test' });

    const limit = (stream: string) => `stream ${stream} did not finish within its time limit of 0.5 seconds (connectors.stalled.streamTimeoutSeconds) and was stopped`;
    expect(result.outcomes.map(({ stream, outcome }) => ({ stream, status: outcome.status, records: outcome.records, error: outcome.error?.slice(0, limit(stream).length) ?? null }))).toEqual([
      { stream: 'stalled/socket', status: 'failed', records: 1, error: limit('stalled/socket') },
      { stream: 'stalled/deaf', status: 'failed', records: 1, error: limit('stalled/deaf') },
      { stream: 'steady/after', status: 'complete', records: 1, error: null },
    ]);
    // The request reached the server, which never answered.
    expect(sockets.length).toBeGreaterThan(0);
    expect(result.manifest.status).toBe('partial');
    expect(result.manifest.streams.map((stream) => [`${stream.instance}/${stream.stream}`, stream.recordCount, stream.cursorAfter === null])).toEqual([
      ['stalled/socket', 1, true],
      ['stalled/deaf', 1, true],
      ['steady/after', 1, false],
    ]);
    const kept: string[] = [];
    for await (const record of locker.records({ kind: 'audit.event' })) kept.push(`${record.stream} ${record.key}`);
    expect(kept.sort()).toEqual(['stalled/deaf event:deaf', 'stalled/socket event:socket', 'steady/after event:after']);
  });
});
