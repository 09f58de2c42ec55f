/**
 * Where the locker's private signing key is kept, as the config and the
 * environment say: the `signing:` entry, else a key directory outside the
 * locker (EVIDENTIA_KEYS_DIR, else $XDG_CONFIG_HOME/evidentia/keys, else
 * ~/.config/evidentia/keys).
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SigningEntry } from './schema.js';
import type { z } from 'zod';

export type SigningSettings = { type: 'file'; dir: string } | { type: 'kms'; keyId: string; region?: string; endpoint?: string };

/** The key directory `init` uses when the config names none. */
export function defaultKeysDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EVIDENTIA_KEYS_DIR) return resolve(env.EVIDENTIA_KEYS_DIR);
  return join(env.XDG_CONFIG_HOME ? resolve(env.XDG_CONFIG_HOME) : join(homedir(), '.config'), 'evidentia', 'keys');
}

/** `~/…` is the user's home; any other relative path is relative to the config file's directory. */
function expandPath(path: string, baseDir: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : resolve(baseDir, path);
}

export function signingSettings(entry: z.infer<typeof SigningEntry> | undefined, baseDir: string, env: NodeJS.ProcessEnv = process.env): SigningSettings {
  if (entry?.type === 'kms') return entry;
  return { type: 'file', dir: entry?.dir ? expandPath(entry.dir, baseDir) : defaultKeysDir(env) };
}
