/**
 * What every command needs to find its inputs: the config file (if any) and
 * the locker directory, resolved the same way everywhere: --locker, else the
 * config's locker, else ./locker.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { openLocker, type Locker } from '@evidentia/locker';
import { loadConfig, loadLockerDir, type LoadedConfig } from './config/load.js';
import { UsageError } from '@evidentia/audit';

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
export async function findConfig(options: LocationOptions, load: { credentials?: boolean } = {}): Promise<LoadedConfig | null> {
  if (options.config) return loadConfig(options.config, process.env, load);
  return existsSync(DEFAULT_CONFIG) ? loadConfig(DEFAULT_CONFIG, process.env, load) : null;
}

export async function requireConfig(options: LocationOptions, load: { credentials?: boolean } = {}): Promise<LoadedConfig> {
  const config = await findConfig(options, load);
  if (!config) throw new UsageError(`no configuration: pass --config FILE or create ${DEFAULT_CONFIG} (see config/examples/)`);
  return config;
}

/** The locker directory: --locker, else the config's (read without credentials), else ./locker. */
export async function lockerDirOf(options: LocationOptions): Promise<string> {
  if (options.locker) return resolve(options.locker);
  if (options.config) return loadLockerDir(options.config);
  return existsSync(DEFAULT_CONFIG) ? loadLockerDir(DEFAULT_CONFIG) : resolve('locker');
}

export async function openLockerFor(options: LocationOptions): Promise<Locker> {
  const dir = await lockerDirOf(options);
  try {
    return await openLocker(dir);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parse a date or date-time option value (UTC when no offset is given). */
export function parseTime(value: string, option: string): Date {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const time = new Date(text);
  if (Number.isNaN(time.getTime())) throw new UsageError(`${option} expects a date such as 2026-01-01 or 2026-01-01T12:00:00Z, got "${value}"`);
  return time;
}
