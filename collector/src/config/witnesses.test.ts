/** The `witnesses:` list: defaults, paths relative to the config, and problems named by path and line. */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@evidentia/audit';
import { loadConfig } from './load.js';

async function load(witnesses: string) {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-witness-config-'));
  const file = join(dir, 'evidentia.yaml');
  await writeFile(file, `connectors: {}\nwitnesses:\n${witnesses}`);
  return { dir, load: () => loadConfig(file, {}) };
}

describe('witnesses config', () => {
  it('resolves local paths against the config file and fills defaults', async () => {
    const { dir, load: read } = await load('  - type: file\n    path: ../witness/acme.log\n  - type: git\n    repository: ./witness.git\n  - type: git\n    repository: git@example.com:acme/witness.git\n  - type: s3\n    bucket: acme-evidence-witness\n');
    expect((await read()).witnesses).toEqual([
      { type: 'file', path: join(dir, '../witness/acme.log') },
      { type: 'git', repository: join(dir, 'witness.git'), branch: 'main', path: 'evidentia-checkpoints.jsonl' },
      { type: 'git', repository: 'git@example.com:acme/witness.git', branch: 'main', path: 'evidentia-checkpoints.jsonl' },
      { type: 's3', bucket: 'acme-evidence-witness', prefix: '', region: 'us-east-1', retainDays: 2557 },
    ]);
  });

  it('names the path and line of each problem', async () => {
    const { load: read } = await load('  - type: s3\n    prefix: evidentia/\n    retainDays: 0\n  - type: slack\n  - type: ftp\n');
    const error = await read().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => `${p.path}@${p.line}`);
    expect(problems).toEqual(expect.arrayContaining(['witnesses.0.bucket@3', 'witnesses.0.retainDays@5', 'witnesses.2.type@7']));
    // The slack witness is judged once the list is valid: fix the others and it is named alone.
    const slackOnly = await load('  - type: slack\n');
    const slackError = (await slackOnly.load().then(() => null, (e: unknown) => e)) as ConfigError;
    expect(slackError.problems).toEqual([{ path: 'witnesses.0.type', line: 3, message: 'a slack witness posts to notifications.slack, which is not configured' }]);
  });
});
