/**
 * What every command needs to find its inputs: the config file (if any) and
 * the locker directory, resolved the same way everywhere: --locker, else the
 * config's locker, else ./locker. The config loader (and through it the
 * connectors a config names) loads only when a config is read, so a command
 * that reads the locker named by --locker starts without it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '@evidentia/audit/errors';
import { initLocker, type InitResult, type KeyCustody, LockerError, openLocker, type Locker } from '@evidentia/locker';
import type { Period } from '@evidentia/time';
import type { LoadedConfig } from './config/load.js';
import type { Credentials } from './config/secrets.js';
import { signingSettings } from './config/signing.js';
import { keyCustodyOf } from './signing/custody.js';

export const DEFAULT_CONFIG = 'evidentia.yaml';

export interface LocationOptions {
  config?: string;
  locker?: string;
}

/**
 * The config named by --config, or ./evidentia.yaml when present; null when
 * there is none. `credentials: false` for commands that only read the locker
 * (check, report, export, coverage, status): they work without the secrets.
 */
export async function findConfig(options: LocationOptions, load: { credentials?: Credentials } = {}): Promise<LoadedConfig | null> {
  const { loadConfig } = await import('./config/load.js');
  if (options.config) return loadConfig(options.config, process.env, load);
  return existsSync(DEFAULT_CONFIG) ? loadConfig(DEFAULT_CONFIG, process.env, load) : null;
}

export async function requireConfig(options: LocationOptions, load: { credentials?: Credentials } = {}): Promise<LoadedConfig> {
  const config = await findConfig(options, load);
  if (!config) throw new UsageError(`no configuration: pass --config FILE or create ${DEFAULT_CONFIG} (see config/examples/)`);
  return config;
}

/**
 * The locker directory (--locker, else the config's, else ./locker) and the
 * custody of its private key (the config's `signing:`, else the default key
 * directory), read without credentials.
 */
export async function lockerLocationOf(options: LocationOptions): Promise<{ dir: string; custody: KeyCustody }> {
  const file = options.config ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null);
  const configured = file ? await (await import('./config/load.js')).loadLockerLocation(file) : null;
  return {
    dir: options.locker ? resolve(options.locker) : (configured?.dir ?? resolve('locker')),
    custody: keyCustodyOf(configured?.signing ?? signingSettings(undefined, process.cwd())),
  };
}

export async function lockerDirOf(options: LocationOptions): Promise<string> {
  return (await lockerLocationOf(options)).dir;
}

/**
 * Reading commands open the locker for reading only (no write, not even to
 * the WAL; immutable when this user may not write it), so they work on a
 * WORM copy; only collect, the daemon, key rotation and imports open it for writing.
 */
export type LockerAccess = 'read' | 'write';

export async function openLockerFor(options: LocationOptions, access: LockerAccess = 'read'): Promise<Locker> {
  const { dir, custody } = await lockerLocationOf(options);
  try {
    return await openLocker(dir, { custody, readonly: access === 'read' });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Create or confirm the locker at `dir`; what the locker refuses there (a file in its place, a newer schema, a database without its key) is about the directory given: exit 2. */
export async function initLockerAt(dir: string, custody: KeyCustody): Promise<InitResult> {
  try {
    return await initLocker(dir, { custody });
  } catch (error) {
    throw error instanceof LockerError ? new UsageError(error.message) : error;
  }
}

/**
 * The judging commands' first step (check, report, export bundle, export
 * oscal-results): the config read without credentials (null when there is
 * none) and --period read in its audit zone, before any locker is opened.
 */
export async function periodInputs(flags: LocationOptions & { period: string }, credentials: Credentials = false): Promise<{ config: LoadedConfig | null; period: Period }> {
  const config = await findConfig(flags, { credentials });
  const { readPeriod } = await import('@evidentia/audit');
  return { config, period: readPeriod(flags.period, config) };
}

/** The locker a command works on once its config is read: --locker, else the config's, else as lockerDirOf finds it. */
export function lockerOf(flags: LocationOptions, config: Pick<LoadedConfig, 'lockerDir'> | null, access: LockerAccess = 'read'): Promise<Locker> {
  return openLockerFor({ locker: flags.locker ?? config?.lockerDir, config: flags.config }, access);
}
