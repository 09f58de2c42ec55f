/**
 * End to end: a custom connector that throws, logs and reports its own token
 * (test/redaction/leaky-connector.ts). The token, plain, URL-encoded or
 * base64, must reach none of stdout, stderr, the signed manifest, the locker's
 * bytes (database, WAL, objects, gzip or not) or the Slack notification.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startSlackEndpoint, type SlackEndpoint } from '../collector/src/notify/slack-endpoint.test-support.js';
import { REPO_ROOT, runCli, tempDir } from './cli.js';

const TOKEN = 'lk-s3cr3t/Tok3n+Leak=7f9q';
const FORMS = [TOKEN, encodeURIComponent(TOKEN), Buffer.from(TOKEN, 'utf8').toString('base64')];
const ENV = { LEAKY_TOKEN: TOKEN, SLACK_TOKEN: 'xoxb-0000000000-redaction-test' };

let slack: SlackEndpoint | undefined;
afterEach(async () => {
  await slack?.close();
  slack = undefined;
});

async function setup(explode = false): Promise<{ dir: string; file: string; locker: string }> {
  slack = await startSlackEndpoint();
  const dir = await tempDir('redaction');
  const file = join(dir, 'evidentia.yaml');
  const connector = join(REPO_ROOT, 'test/redaction/leaky-connector.ts');
  await writeFile(
    file,
    [
      'locker: ./locker',
      'connectors:',
      '  leaky:',
      `    module: ${connector}`,
      '    config:',
      '      token: ${env:LEAKY_TOKEN}',
      `      explode: ${explode}`,
      'notifications:',
      '  slack:',
      '    token: ${env:SLACK_TOKEN}',
      '    channel: C0ALERTS01',
      `    apiUrl: ${slack.apiUrl}`,
      '',
    ].join('\n'),
  );
  return { dir, file, locker: join(dir, 'locker') };
}

/** Every file of the locker as bytes, and gzip objects also unpacked. */
async function lockerBytes(locker: string): Promise<Array<{ file: string; bytes: Buffer }>> {
  const found: Array<{ file: string; bytes: Buffer }> = [];
  for (const entry of await readdir(locker, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    found.push({ file, bytes });
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) found.push({ file: `${file} (unpacked)`, bytes: gunzipSync(bytes) });
  }
  return found;
}

const leaks = (text: string) => FORMS.filter((form) => text.includes(form));

describe('redaction everywhere', () => {
  it('keeps a connector\'s own token out of the terminal, the manifest, the locker and Slack', async () => {
    const { file, locker } = await setup();
    expect((await runCli(['init', '--config', file])).code).toBe(0);
    const collected = await runCli(['collect', '--config', file, '--json'], { env: ENV });
    expect(collected.code).toBe(1);
    const manifest = JSON.parse(collected.stdout) as { streams: Array<{ status: string; error: string }> };
    expect(manifest.streams[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('login refused for [redacted] (sent as [redacted], header [redacted])') });
    expect(collected.stderr).toContain('logging in with [redacted]');
    expect(leaks(collected.stdout + collected.stderr)).toEqual([]);

    const runs = await runCli(['runs', '--config', file, '--json']);
    expect(runs.stdout).toContain('login refused for [redacted]');
    expect(leaks(runs.stdout + runs.stderr)).toEqual([]);
    const files = await lockerBytes(locker);
    expect(files.length).toBeGreaterThan(3);
    expect(files.filter(({ bytes }) => FORMS.some((form) => bytes.includes(form))).map(({ file: name }) => name)).toEqual([]);

    const texts = slack!.posts.map((post) => post.fields.text ?? '');
    expect(texts.join('\n')).toContain('[redacted]');
    expect(leaks(JSON.stringify(slack!.posts))).toEqual([]);

    const doctor = await runCli(['doctor', '--config', file], { env: ENV });
    expect(doctor.stdout).toContain('the API rejected [redacted]');
    expect(leaks(doctor.stdout + doctor.stderr)).toEqual([]);
  }, 180_000);

  it('keeps it out of the CLI\'s own error line when the connector throws it while its config is read', async () => {
    const { file } = await setup(true);
    const collected = await runCli(['collect', '--config', file], { env: ENV });
    expect(collected.code).not.toBe(0);
    expect(collected.stderr).toContain('cannot use the token [redacted]');
    expect(leaks(collected.stdout + collected.stderr)).toEqual([]);
  }, 120_000);
});
