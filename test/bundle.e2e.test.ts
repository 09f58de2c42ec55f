/**
 * `evidentia export bundle` and `evidentia verify --bundle` as an auditor
 * uses them, on the demo locker: a clean bundle verifies (exit 0), a tampered
 * one names the file (exit 1), and a key obtained separately is honoured.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rewriteZip, writeZipEntryNamed } from '../packages/publish/src/bundle/rewrite-zip.js';
import { DEMO_PERIOD, demoLocker, runCli } from './cli.js';

let dir: string;
let locker: string;
let bundle: string;

beforeAll(async () => {
  ({ dir, locker } = await demoLocker('bundle'));
  bundle = join(dir, 'bundle.zip');
  const exported = await runCli(['export', 'bundle', '--locker', locker, '--period', DEMO_PERIOD, '--out', bundle]);
  expect(exported.stderr).toBe('');
  expect(exported.code).toBe(0);
  expect(exported.stdout).toMatch(/bundle written to .*bundle\.zip: \d+ files/);
}, 60_000);

describe('verify --bundle', () => {
  it('verifies a fresh bundle with nothing but the bundle, and with the locker key given', async () => {
    const plain = await runCli(['verify', '--bundle', bundle]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('bundle verified: no problems');
    const withKey = await runCli(['verify', '--bundle', bundle, '--public-key', join(locker, 'keys', 'signing.pub'), '--json']);
    expect(withKey.code).toBe(0);
    expect(JSON.parse(withKey.stdout)).toMatchObject({ ok: true, keySource: 'given' });
  });

  it('names an altered file and exits 1', async () => {
    const altered = join(dir, 'altered.zip');
    await rewriteZip(bundle, altered, (entries) => {
      entries.set('report.html', Buffer.from(entries.get('report.html')!.toString().replace('Exceptions', 'All good')));
    });
    const result = await runCli(['verify', '--bundle', altered]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('PROBLEM file-altered report.html: report.html hashes to');
  });

  it('refuses the bundle against a key from elsewhere', async () => {
    const key = join(dir, 'other.pem');
    await writeFile(key, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const result = await runCli(['verify', '--bundle', bundle, '--public-key', key]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('PROBLEM key-mismatch');
    // The manifest's signature fails because the key is another: said under the key mismatch that explains it.
    expect(result.stdout).toMatch(/^PROBLEM key-mismatch public-key\.pem: .*\n {2}which explains 2 more:\n {2}- signature-invalid manifests\/1\.json: /m);
  });

  it('names the edited records file first and folds what follows from it under it, in the terminal and in --json', async () => {
    const altered = join(dir, 'record-edited.zip');
    await rewriteZip(bundle, altered, (entries) => {
      const lines = entries.get('records/records.jsonl')!.toString().split('\n');
      lines[5] = lines[5]!.replace('"key":"', '"key":"x');
      entries.set('records/records.jsonl', Buffer.from(lines.join('\n')));
    });
    const result = await runCli(['verify', '--bundle', altered]);
    expect(result.code).toBe(1);
    const problems = result.stdout.split('\n').filter((line) => /^(PROBLEM| {2})/.test(line));
    expect(problems[0]).toMatch(/^PROBLEM file-altered records\/records\.jsonl: /);
    expect(problems[1]).toMatch(/^ {2}which explains \d+ more:$/);
    expect(problems.slice(2).every((line) => line.startsWith('  - '))).toBe(true);
    expect(problems.filter((line) => line.startsWith('PROBLEM'))).toHaveLength(1);
    expect(result.stdout).toMatch(/bundle FAILED verification: \d+ problem\(s\) from 1 root cause\(s\)/);

    const json = JSON.parse((await runCli(['verify', '--bundle', altered, '--json'])).stdout) as { problems: unknown[]; causes: Array<{ cause: { code: string; path: string }; consequences: Array<{ code: string; message: string }> }> };
    expect(json.causes).toHaveLength(1);
    expect(json.causes[0]!.cause).toMatchObject({ code: 'file-altered', path: 'records/records.jsonl' });
    // The original line's record is missing from its set: a consequence of the edit, not a cause of its own.
    expect(json.causes[0]!.consequences.map((problem) => problem.code)).toContain('record-missing');
    expect(json.causes[0]!.consequences.length + 1).toBe(json.problems.length);
  });

  it('says clearly when the file is not a bundle', async () => {
    const notZip = join(dir, 'not.zip');
    await writeFile(notZip, 'hello');
    const result = await runCli(['verify', '--bundle', notZip]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--bundle ${notZip}`);
  });

  it('names an entry it refuses to read (../) without passing its control characters to the terminal', async () => {
    const hostile = join(dir, 'hostile.zip');
    await writeZipEntryNamed(hostile, '../\u001b[2K\rbundle verified: no problems');
    const result = await runCli(['verify', '--bundle', hostile]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`evidentia: --bundle ${hostile}: invalid relative path: ../\\x1b[2K\\x0dbundle verified: no problems\n`);
  });
});
