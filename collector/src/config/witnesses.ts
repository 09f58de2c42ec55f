/**
 * The configured witnesses, ready to use: local paths resolved against the
 * config file's folder, and a Slack witness refused unless there is a Slack
 * channel to post to.
 */
import { isAbsolute, resolve } from 'node:path';
import type { ConfigFile } from './schema.js';
import type { WitnessEntry } from './witness-schema.js';

export type { WitnessEntry };

/** A git remote written as a relative path (./ or ../) is relative to the config, like every other path in it. */
const relativePath = (value: string) => /^\.\.?\//.test(value);

export function resolveWitnesses(settings: Pick<ConfigFile, 'witnesses' | 'notifications'>, baseDir: string, problems: { path: string; message: string }[]): WitnessEntry[] {
  return settings.witnesses.map((witness, index) => {
    switch (witness.type) {
      case 'file':
        return { ...witness, path: isAbsolute(witness.path) ? witness.path : resolve(baseDir, witness.path) };
      case 'git':
        return relativePath(witness.repository) ? { ...witness, repository: resolve(baseDir, witness.repository) } : witness;
      case 'slack':
        if (!settings.notifications.slack) problems.push({ path: `witnesses.${index}.type`, message: 'a slack witness posts to notifications.slack, which is not configured' });
        return witness;
      default:
        return witness;
    }
  });
}
