/**
 * "Tell people about a gap once." Open gaps are announced through the
 * Notifier when they are first seen, by `coverage` or by the daemon after a
 * run; the keys of announced gaps are kept in `<locker>/notified-gaps.json`
 * (a gap's key is its stream and where the uncovered interval truly begins,
 * so the same gap growing longer is not new). The file is the daemon's
 * bookkeeping, not evidence: deleting it only means gaps are announced again.
 * Keys announced are also kept in memory for the process's life, so a file
 * that cannot be written (said as an error each time it happens) does not
 * make the daemon announce the same gaps after every run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Logger, writeFileAtomic } from '@evidentia/evidence';
import type { AuditNotifier } from '../notices.js';
import type { Gap } from './types.js';

const FILE = 'notified-gaps.json';
/** Keys kept (oldest dropped first): a bound on the file, far above any real number of open gaps. */
const MAX_KEYS = 10_000;
/** Keys announced by this process, by file: what a failed write of the file would otherwise forget. */
const announcedHere = new Map<string, Set<string>>();

async function readKeys(path: string): Promise<string[]> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    return Array.isArray(parsed) ? parsed.filter((key): key is string => typeof key === 'string') : [];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return [];
    throw error;
  }
}

/** Announce the open gaps not announced before; returns those announced. Never throws: a failure is logged. */
export async function notifyNewGaps(lockerDir: string, notifier: AuditNotifier, gaps: Gap[], log: Logger): Promise<Gap[]> {
  const path = join(lockerDir, FILE);
  const here = announcedHere.get(path) ?? new Set<string>();
  let fresh: Gap[];
  let stored: string[];
  try {
    stored = await readKeys(path);
    const known = new Set([...stored, ...here]);
    fresh = gaps.filter((gap) => gap.status === 'open' && !known.has(gap.key));
    if (fresh.length === 0) return [];
    await notifier.gapsFound(fresh.map((gap) => ({ stream: gap.stream, gap: { since: gap.since, until: gap.until, reason: gap.causes.map((cause) => cause.detail).join('; ') } })));
  } catch (error) {
    log.warn('could not announce new coverage gaps', { error: (error as Error).message });
    return [];
  }
  for (const gap of fresh) here.add(gap.key);
  announcedHere.set(path, here);
  try {
    const keys = [...new Set([...stored, ...fresh.map((gap) => gap.key)])].slice(-MAX_KEYS);
    await writeFileAtomic(path, `${JSON.stringify(keys, null, 1)}\n`);
  } catch (error) {
    log.error(
      `announced ${fresh.length} new coverage gap(s) but could not record them in ${path}: they are not announced again while this process runs, but will be after it restarts unless the file can be written`,
      { error: (error as Error).message },
    );
  }
  return fresh;
}
