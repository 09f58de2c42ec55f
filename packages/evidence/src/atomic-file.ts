/**
 * Every file evidentia hands to a person or a tool (a bundle, a report, a
 * population, an OSCAL document, a sample, a cassette) is written under a
 * temporary name in the same directory and renamed into place only once it
 * is whole. A kill, a full disk or a failed export then leaves the previous
 * file or none under the final name, never a truncated one that looks
 * finished. The rename stays in one directory, so one file system: atomic.
 */
import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** The suffix of a file still being written (what a kill leaves behind, beside the final name). */
export const PARTIAL_SUFFIX = '.partial';

export interface AtomicOutput {
  /** Where to write: a temporary name beside the final one. */
  readonly path: string;
  /** Move the finished file to its final name. */
  commit(): Promise<void>;
  /** Remove what was written (after a failure); the final name is untouched. */
  discard(): Promise<void>;
}

/**
 * Reserve a temporary name beside `file`. Refuses up front, as the rename
 * would at the end, a final name that is a directory or sits in a missing
 * folder (the errors carry `path`, like Node's own).
 */
export async function atomicOutput(file: string): Promise<AtomicOutput> {
  const final = resolve(file);
  const folder = await stat(dirname(final)).catch(() => null);
  if (!folder?.isDirectory()) throw Object.assign(new Error(`ENOENT: no such directory to write into, open '${final}'`), { code: 'ENOENT', syscall: 'write', path: final });
  if ((await stat(final).catch(() => null))?.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${final}'`), { code: 'EISDIR', syscall: 'write', path: final });
  const path = join(dirname(final), `.${basename(final)}.${process.pid}.${randomBytes(4).toString('hex')}${PARTIAL_SUFFIX}`);
  return {
    path,
    commit: () => rename(path, final),
    discard: () => rm(path, { force: true }),
  };
}

/** Run `write` on a temporary name beside `file`, then rename it into place; on failure nothing is left. */
export async function withAtomicOutput<T>(file: string, write: (path: string) => Promise<T>): Promise<T> {
  const output = await atomicOutput(file);
  try {
    const result = await write(output.path);
    await output.commit();
    return result;
  } catch (error) {
    await output.discard();
    throw error;
  }
}

/** writeFile, but the file appears under its name whole or not at all. */
export function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  return withAtomicOutput(file, (path) => writeFile(path, data));
}
