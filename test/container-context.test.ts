/**
 * What the image build may see: .dockerignore (also read by podman) keeps host
 * dependencies, git, lockers, signing keys, secrets and outputs out of the
 * build context wherever they lie, and still lets in every file the runtime
 * needs. Matched with Docker's own rules (@balena/dockerignore). And the
 * deployment examples run the portal inside the daemon (`daemon --serve`)
 * with a command line the CLI accepts, probed at the portal's /health.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as dockerignore from '@balena/dockerignore';
import { REPO_ROOT, runCli } from './cli.js';

// A CommonJS module (module.exports = the function) typed as an ES module with a default export: imported
// from ESM its default is the function itself, which the types call default.default.
const ignore = dockerignore.default as unknown as typeof dockerignore.default.default;
const rules = ignore().add(readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8'));

describe('.dockerignore', () => {
  it('keeps out host dependencies, git, lockers, keys, secrets and outputs, at the top and deep inside the sources', () => {
    const dangerous = [
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'packages/locker/node_modules/.bin/tsc',
      'collector/node_modules/tsx/package.json',
      '.git/config',
      'collector/.git/HEAD',
      'locker/locker.db',
      'demo-locker/locker.db-wal',
      'collector/locker/locker.db',
      'connectors/github/my-locker/objects/ab/abcdef',
      'connectors/github/my-locker/keys/signing.pub',
      'keys/9f2c.key',
      'collector/9f2c.key',
      'config/signing.pem',
      '.config/evidentia/keys/9f2c.key',
      '.env',
      'connectors/slack/.env.local',
      'evidentia.yaml',
      'bundle.zip',
      'packages/publish/out/bundle.zip',
      'collector/.bundle.zip.123.ab.partial',
      'jest-results.json',
      'packages/audit/dist/index.js',
      'coverage/lcov.info',
      '.bench/storage.json',
    ];
    expect(dangerous.filter((path) => !rules.ignores(path))).toEqual([]);
  });

  it('lets in every file of the workspace the runtime needs (all tracked sources but tests)', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    const needed = tracked.filter((path) => /^(packages|connectors|collector|config)\//.test(path) && !path.endsWith('.test.ts'));
    expect(needed.length).toBeGreaterThan(300);
    for (const path of ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml', 'collector/bin/evidentia.js', 'packages/publish/verifier/verify.mjs', ...needed]) {
      expect([path, rules.ignores(path)]).toEqual([path, false]);
    }
  });
});

describe('the deployment examples', () => {
  const unit = readFileSync(join(REPO_ROOT, 'config/deploy/evidentia.service'), 'utf8');
  const image = readFileSync(join(REPO_ROOT, 'config/deploy/Containerfile'), 'utf8');

  it('run the daemon with the portal: the systemd unit on loopback, the image on 0.0.0.0:8080 with its HEALTHCHECK at the portal\'s /health', () => {
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/evidentia\/collector\/bin\/evidentia\.js daemon --config \S+ --serve 127\.0\.0\.1:8080$/m);
    expect(unit).toContain('http://127.0.0.1:8080/health');
    expect(image).toMatch(/^CMD \["daemon", "--config", "[^"]+", "--serve", "0\.0\.0\.0:8080"\]$/m);
    expect(image).toMatch(/^EXPOSE 8080$/m);
    expect(image).toMatch(/^HEALTHCHECK .*http:\/\/127\.0\.0\.1:8080\/health/m);
  });

  it("use a command line the CLI accepts: the systemd unit's, run here, gets only as far as its (absent) config", async () => {
    const argv = /^ExecStart=\S+ \S+ (.+)$/m.exec(unit)![1]!.split(' ').map((word) => (word.endsWith('.yaml') ? '/nonexistent/evidentia.yaml' : word));
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid configuration in /nonexistent/evidentia.yaml');
    expect(result.stderr).not.toContain('unknown option');
  }, 60_000);
});
