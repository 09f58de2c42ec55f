/**
 * What the witness tests share: a config whose only connector is the example
 * HR-export connector (a file, so a collect needs no server and takes a
 * second), with the witnesses given, and copying a locker the way someone
 * restoring a backup or an attacker would.
 */
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { REPO_ROOT, runCli, tempDir, type CliResult } from '../cli.js';

const CONNECTOR = join(REPO_ROOT, 'config/examples/hr-export/connector.ts');
export const PEOPLE = join(REPO_ROOT, 'config/examples/hr-export/people.json');

export interface WitnessedSetup {
  dir: string;
  locker: string;
  /** The config with the witnesses. */
  file: string;
  /** The same locker and connector, no witness: how someone without the witness would collect. */
  unwitnessed: string;
}

/** `witnesses` is the YAML list under `witnesses:`, indented by two spaces. */
export async function witnessedConfig(witnesses: string, options: { people?: string; extra?: string } = {}): Promise<WitnessedSetup> {
  const dir = await tempDir('witness');
  const body = (people: string) => `locker: ./locker\nconnectors:\n  hr:\n    module: ${CONNECTOR}\n    config:\n      exportFile: ${people}\n${options.extra ?? ''}`;
  const file = join(dir, 'evidentia.yaml');
  const unwitnessed = join(dir, 'unwitnessed.yaml');
  await writeFile(file, `${body(options.people ?? PEOPLE)}witnesses:\n${witnesses}`);
  await writeFile(unwitnessed, body(options.people ?? PEOPLE));
  return { dir, locker: join(dir, 'locker'), file, unwitnessed };
}

/** A collect that must succeed; backfills from 2024 so the first run has records. */
export async function collectOk(config: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const result = await runCli(['collect', '--config', config, '--since', '2024-01-01', ...args], { env });
  expect(result.stderr).not.toMatch(/Error|warning/);
  expect(result.code).toBe(0);
  return result;
}

export async function initOk(config: string): Promise<void> {
  const result = await runCli(['init', '--config', config]);
  expect(result.code).toBe(0);
}

/** A copy of the whole locker folder (database, WAL if any, objects, keys), as a backup would take it. */
export async function copyLocker(locker: string, to: string, filter?: (path: string) => boolean): Promise<string> {
  await cp(locker, to, { recursive: true, filter: filter ?? (() => true) });
  return to;
}

export function verify(config: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(['verify', '--config', config, ...args], { env });
}
