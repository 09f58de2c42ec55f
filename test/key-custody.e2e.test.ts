/**
 * End to end: where the private signing key lives. `init` keeps it outside
 * the locker (a key file, or an AWS KMS key through the real
 * @aws-sdk/client-kms against a local KMS); `key rotate` hands signing to a
 * new key and `verify --public-key <first key>` follows it; a locker copy
 * without its key verifies but refuses to be written, in one line.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFile, copyFile, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePublicKey } from '@evidentia/locker';
import { startReplayServer, type ReplayServer } from '@evidentia/testing';
import { startKmsSimulator, type KmsSimulator } from '../collector/src/signing/kms-simulator.js';
import { FIXTURES, githubConfig, runCli, TEST_KEYS_DIR, TOKEN_ENV } from './cli.js';

const PERIOD = ['--since', '2026-04-02', '--until', '2026-06-30'];
const BUNDLE_PERIOD = `2026-04-02..${new Date().toISOString().slice(0, 10)}`;
const HAPPY = ['members.json', 'branch-protection.json', 'pull-requests.json'].map((name) => join(FIXTURES, name));
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

let server: ReplayServer | undefined;
let kms: KmsSimulator | undefined;
afterEach(async () => {
  await server?.close();
  await kms?.close();
  server = kms = undefined;
});

async function filesWithPrivateKeys(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    if ((await readFile(join(entry.parentPath, entry.name))).includes('PRIVATE KEY')) found.push(entry.name);
  }
  return found;
}

describe('key custody end to end', () => {
  it('collects and verifies with an AWS KMS key: no private key on disk, manifests signed ECDSA P-256', async () => {
    server = await startReplayServer(HAPPY);
    kms = await startKmsSimulator();
    const setup = await githubConfig(server.baseUrl, `signing:\n  type: kms\n  keyId: alias/evidentia\n  region: us-east-1\n  endpoint: ${kms.endpoint}\n`);
    const env = { ...TOKEN_ENV, ...AWS_ENV, EVIDENTIA_KEYS_DIR: await mkdtemp(join(tmpdir(), 'evidentia-no-keys-')) };
    const init = await runCli(['init', '--config', setup.file], { env });
    expect(init.stderr).toBe('');
    expect(init.stdout).toContain('private key: KMS key alias/evidentia');
    const collected = await runCli(['collect', '--config', setup.file, '--json', ...PERIOD], { env });
    expect(collected.code).toBe(0);
    const manifest = JSON.parse(collected.stdout) as { keyAlgorithm?: string; keyId: string; status: string };
    expect(manifest).toMatchObject({ status: 'complete', keyAlgorithm: 'ecdsa-p256-sha256' });
    expect(kms.calls.filter((call) => call.operation === 'Sign').length).toBeGreaterThanOrEqual(1);
    expect(await filesWithPrivateKeys(setup.dir)).toEqual([]);
    expect(await readdir(env.EVIDENTIA_KEYS_DIR)).toEqual([]);

    const pinned = join(setup.dir, 'kms.pem');
    await writeFile(pinned, kms.publicKeyPem);
    const verified = await runCli(['verify', '--config', setup.file, '--public-key', pinned]);
    expect(verified.stdout).toContain('locker verified: no problems');
    expect(verified.code).toBe(0);
    const bundle = join(setup.dir, 'bundle.zip');
    expect((await runCli(['export', 'bundle', '--config', setup.file, '--period', BUNDLE_PERIOD, '--out', bundle], { env })).code).toBe(0);
    const bundled = await runCli(['verify', '--bundle', bundle, '--public-key', pinned]);
    expect(bundled.stdout).toMatch(/bundle verified/);
    expect(bundled.code).toBe(0);
  }, 240_000);

  it('rotates a file key to the KMS key the config now names, the old key found in --from-keys or the default key directory', async () => {
    kms = await startKmsSimulator();
    const setup = await githubConfig('http://127.0.0.1:9');
    const [first, elsewhere] = [await mkdtemp(join(tmpdir(), 'evidentia-first-keys-')), await mkdtemp(join(tmpdir(), 'evidentia-other-keys-'))];
    const init = await runCli(['init', '--config', setup.file], { env: { EVIDENTIA_KEYS_DIR: first } });
    const keyId = /fingerprint \(SHA-256\): ([0-9a-f]{64})/.exec(init.stdout)![1]!;
    const firstKey = join(setup.dir, 'first-key.pem');
    await copyFile(join(setup.locker, 'keys', 'signing.pub'), firstKey);
    await appendFile(setup.file, `signing:\n  type: kms\n  keyId: alias/evidentia\n  region: us-east-1\n  endpoint: ${kms.endpoint}\n`);
    const env = { ...AWS_ENV, EVIDENTIA_KEYS_DIR: elsewhere };
    const missing = await runCli(['key', 'rotate', '--config', setup.file], { env });
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining(`signing key ${keyId} in KMS key alias/evidentia or ${elsewhere} or `)]);
    const rotated = await runCli(['key', 'rotate', '--config', setup.file, '--from-keys', first], { env });
    expect([rotated.code, rotated.stderr]).toEqual([0, '']);
    expect(rotated.stdout).toContain(`: ${keyId} -> ${parsePublicKey(kms.publicKeyPem).keyId}\n`);
    const verified = await runCli(['verify', '--config', setup.file, '--public-key', firstKey], { env });
    expect([verified.code, verified.stdout]).toEqual([0, expect.stringContaining('locker verified: no problems')]);
  }, 240_000);

  it('rotates a file key: the old key signs the hand-over, verify pinned to the first key follows it, a copy without the key cannot write', async () => {
    server = await startReplayServer(HAPPY);
    const setup = await githubConfig(server.baseUrl);
    const init = await runCli(['init', '--config', setup.file]);
    const keyId = /fingerprint \(SHA-256\): ([0-9a-f]{64})/.exec(init.stdout)![1]!;
    expect(init.stdout).toContain(`private key: ${join(TEST_KEYS_DIR, `${keyId}.key`)}`);
    expect(await filesWithPrivateKeys(setup.locker)).toEqual([]);
    expect((await runCli(['collect', '--config', setup.file, ...PERIOD], { env: TOKEN_ENV })).code).toBe(0);
    const firstKey = join(setup.dir, 'first-key.pem');
    await copyFile(join(setup.locker, 'keys', 'signing.pub'), firstKey);

    const rotated = await runCli(['key', 'rotate', '--config', setup.file]);
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    const newKeyId = /-> ([0-9a-f]{64})/.exec(rotated.stdout)![1]!;
    expect(rotated.stdout).toContain(`the new key signs from manifest 2 on; its private key: ${join(TEST_KEYS_DIR, `${newKeyId}.key`)}`);
    // The API is gone: the run fails, and its manifest is still signed, by the new key.
    await server.close();
    server = undefined;
    const after = await runCli(['collect', '--config', setup.file, '--json', '--stream', 'members'], { env: TOKEN_ENV });
    expect(after.code).toBe(1);
    expect(JSON.parse(after.stdout)).toMatchObject({ sequence: 2, keyId: newKeyId });

    const verified = await runCli(['verify', '--config', setup.file, '--public-key', firstKey]);
    expect(verified.stdout).toContain('locker verified: no problems');
    expect(verified.stdout).toContain(`\nkey ${keyId} (given with --public-key; followed through 1 key rotation)\n`);
    expect(verified.code).toBe(0);
    // Without --public-key the locker's own keys/signing.pub is trusted, which whoever can write the locker can replace: said, with its key.
    const unpinned = await runCli(['verify', '--config', setup.file]);
    expect(unpinned.stdout).toContain(`\nkey ${keyId} (the locker's own keys/signing.pub, which whoever can write the locker can replace: compare it with a key kept elsewhere, or pass --public-key; followed through 1 key rotation)\n`);
    expect(JSON.parse((await runCli(['verify', '--config', setup.file, '--json'])).stdout)).toMatchObject({ ok: true, key: { keyId, source: 'locker', rotations: 1 } });
    // A bundle carries the rotation records: signed by the new key, it verifies against the first.
    const bundle = join(setup.dir, 'bundle.zip');
    expect((await runCli(['export', 'bundle', '--config', setup.file, '--period', BUNDLE_PERIOD, '--out', bundle])).code).toBe(0);
    const bundled = await runCli(['verify', '--bundle', bundle, '--public-key', firstKey]);
    expect(bundled.stdout).toMatch(/bundle verified/);
    expect(bundled.code).toBe(0);

    const elsewhere = { ...TOKEN_ENV, EVIDENTIA_KEYS_DIR: await mkdtemp(join(tmpdir(), 'evidentia-other-keys-')) };
    const refused = await runCli(['collect', '--config', setup.file], { env: elsewhere });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^evidentia: no private key for \\S+'s signing key ${newKeyId} in \\S+ or \\S+signing\\.key: this locker can be read and verified but not written \\(set signing: in the config\\)\\n$`));
    expect((await runCli(['verify', '--config', setup.file], { env: elsewhere })).code).toBe(0);
  }, 240_000);
});
