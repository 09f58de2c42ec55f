/**
 * The logger `collect` hands to connectors and the SDK: warnings and errors
 * (retries, skipped repositories, failed streams) as one readable line each
 * on stderr, so a person watching a run sees why it is slow or partial. Field
 * values are made terminal-safe; secrets never reach a logger (they print as
 * [secret]), and any resolved secret value a message carries is scrubbed.
 */
import type { Logger } from '@evidentia/sdk';
import { terminalSafe } from '@evidentia/audit';
import { scrubSecrets, scrubSecretsIn } from '../config/known-secrets.js';

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields) return '';
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${terminalSafe(typeof value === 'string' ? value : JSON.stringify(value))}`)
    .join(' ');
}

/** A line logger at or above `minimum`. */
export function createLineLogger(out: NodeJS.WritableStream, minimum: Level = 'warn'): Logger {
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < ORDER[minimum]) return;
    const detail = formatFields(fields === undefined ? undefined : scrubSecretsIn(fields));
    out.write(`${level}: ${terminalSafe(scrubSecrets(message))}${detail ? ` ${detail}` : ''}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
