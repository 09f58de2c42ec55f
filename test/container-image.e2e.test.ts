/**
 * The image, built for real where a container engine runs (docker or podman):
 * it starts as the unprivileged user, answers `--version`, carries no
 * devDependency, no git and no key, declares the locker and key
 * directories as volumes, and runs the example custom connector from a folder of its own. Where no engine is reachable the test is skipped and
 * says so; so it is where the engine has not the base image and cannot pull it (no network).
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

const CONTAINERFILE = 'config/deploy/Containerfile';

function runningEngine(): string | null {
  for (const engine of ['docker', 'podman']) {
    const probe = spawnSync(engine, ['info'], { stdio: 'ignore', timeout: 15_000 });
    if (probe.status === 0) return engine;
  }
  return null;
}

/** The base images the Containerfile names that the engine neither has nor can pull (no network, no registry access). */
function missingBaseImages(engine: string): string[] {
  const images = [...readFileSync(join(REPO_ROOT, CONTAINERFILE), 'utf8').matchAll(/^FROM\s+(\S+)/gm)].map((match) => match[1]!);
  const has = (image: string) => spawnSync(engine, ['image', 'inspect', image], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  const pulls = (image: string) => spawnSync(engine, ['pull', image], { stdio: 'ignore', timeout: 300_000 }).status === 0;
  return [...new Set(images)].filter((image) => !has(image) && !pulls(image));
}

/** Why the image cannot be built here, or null when it can. */
function skipReason(engine: string | null): string | null {
  if (!engine) return 'no container engine (docker or podman) is running on this machine';
  const missing = missingBaseImages(engine);
  return missing.length > 0 ? `${engine} has no base image ${missing.join(', ')} and cannot pull it` : null;
}

const engine = runningEngine();
const skipped = skipReason(engine);
if (skipped) process.stdout.write(`container image test skipped: ${skipped}\n`);
const withEngine = skipped ? it.skip : it;
const TAG = `evidentia-image-test:${process.pid}`;

describe('the container image', () => {
  withEngine('builds from the repository, runs as uid 10001 with production dependencies only, locker and keys as volumes', () => {
    const run = (...args: string[]) => execFileSync(engine!, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 1_500_000 });
    run('build', '-f', CONTAINERFILE, '-t', TAG, '.');
    try {
      expect(run('run', '--rm', TAG, '--version').trim()).toMatch(/^\d+\.\d+\.\d+/);
      expect(run('run', '--rm', '--entrypoint', 'id', TAG, '-u').trim()).toBe('10001');
      const inside = run('run', '--rm', '--entrypoint', 'sh', TAG, '-c', 'ls /opt/evidentia/node_modules/.pnpm | grep -cE "^(typescript|jest|eslint|ts-jest)@" ; ls -a /opt/evidentia; find /opt /home /var/lib -name "*.key" -o -name locker.db | wc -l');
      const [devDependencies, ...rest] = inside.trim().split('\n');
      expect(devDependencies).toBe('0');
      expect(rest).not.toContain('.git');
      expect(rest).not.toContain('locker');
      expect(rest.at(-1)).toBe('0');
      const volumes = JSON.parse(run('image', 'inspect', '--format', '{{json .Config.Volumes}}', TAG)) as Record<string, unknown>;
      expect(Object.keys(volumes).sort()).toEqual(['/var/lib/evidentia', '/var/lib/evidentia-keys']);
      // The example HR connector in a folder of its own (no node_modules): its zod and SDK come from the CLI.
      const team = "mkdir -p /tmp/team && cp /opt/evidentia/config/examples/hr-export/connector.ts /opt/evidentia/config/examples/hr-export/people.json /tmp/team/ && cd /tmp/team && printf 'locker: ./locker\\nconnectors:\\n  hr:\\n    module: ./connector.ts\\n    config:\\n      exportFile: ./people.json\\n' > evidentia.yaml && node /opt/evidentia/collector/bin/evidentia.js connectors try --config evidentia.yaml --connector hr --stream lifecycle --since 2020-01-01 --json";
      expect((JSON.parse(run('run', '--rm', '--entrypoint', 'sh', TAG, '-c', team)) as { records: unknown[] }).records).toHaveLength(6);
    } finally {
      spawnSync(engine!, ['rmi', '-f', TAG], { stdio: 'ignore' });
    }
  }, 1_800_000);
});
