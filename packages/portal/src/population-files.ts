/**
 * The population files the locker worker writes, each in a directory of its
 * own, kept on disk by key (a few of them, until the locker changes) and read
 * under a lease (file-lease.ts): a request leases a file while it is still
 * kept, before it opens it, and the lease goes back when the file's stream
 * closes (its answer finished, or the client went away). A file that stops
 * being kept (crowded out, superseded once the locker changed) is removed
 * when no lease on it is held, so a request never finds its file removed
 * between being handed it and reading it (that was an HTTP 500).
 */
import type { ReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileLeases } from './file-lease.js';
import { KeptResults, type Making } from './kept-results.js';
import type { WrittenPopulation } from './locker-work.js';

/** A population file on disk (the worker wrote it in `dir`, removed when the file is no longer kept nor leased). */
export interface PopulationFile extends WrittenPopulation {
  dir: string;
}

/** A population file, or its IPE sidecar, opened under a lease. */
export interface OpenPopulation {
  file: PopulationFile;
  /** The bytes; the lease goes back when the stream closes (read to its end, or destroyed). */
  stream: ReadStream;
  size: number;
}

export interface PopulationFileHooks {
  /** For tests: called once the file is leased, before it is opened (where another request could remove it). */
  beforeOpen?: (file: PopulationFile) => Promise<void> | void;
}

/** Writes a population into `dir` (the worker does). */
export type WritePopulation = (dir: string) => Promise<WrittenPopulation>;

export class PopulationFiles {
  private readonly leases = new FileLeases<Making<PopulationFile>>();
  private readonly kept: KeptResults<PopulationFile>;
  private readonly removals = new Set<Promise<void>>();
  private closing = () => {};
  private readonly closed = new Promise<void>((resolve) => (this.closing = resolve));

  constructor(
    cap: number,
    private readonly hooks: PopulationFileHooks = {},
  ) {
    this.kept = new KeptResults<PopulationFile>(cap, (file, making) => this.remove(file, making));
  }

  /** The file kept under `key` (written by `write` when none is), or its IPE sidecar, opened under a lease. */
  async open(key: string, write: WritePopulation, now: Date, part: 'file' | 'ipe'): Promise<OpenPopulation> {
    const making = this.kept.get(key, () => written(write), now);
    // Taken at once, while the file is kept: whatever lets go of it from now on waits for this lease to remove it.
    const lease = this.leases.take(making);
    try {
      const file = await making.value;
      await this.hooks.beforeOpen?.(file);
      const path = part === 'ipe' ? file.ipe : file.file;
      if (path === null) throw new Error('an XLSX population has no IPE sidecar (its IPE sheet holds it)');
      const handle = await open(path);
      try {
        const { size } = await handle.stat();
        const stream = handle.createReadStream();
        stream.once('close', () => lease.release());
        return { file, stream, size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    } catch (error) {
      lease.release();
      throw error;
    }
  }

  /** Lets go of every file (the locker changed): each is removed once its leases are given back. */
  clear(): void {
    this.kept.clear();
  }

  /** How many leases are held now (each an answer still reading its file). */
  leased(): number {
    return this.leases.count();
  }

  /** Resolves once every file let go of so far is removed (a leased one: after its leases are given back). */
  async removed(): Promise<void> {
    // A file let go of is handed to its removal once its computation settles: a turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(this.removals);
  }

  /** Removes every file, leased or not (the portal is closing, its answers are done), and waits until they are gone. */
  async close(): Promise<void> {
    this.kept.clear();
    this.closing();
    await this.removed();
  }

  private remove(file: PopulationFile, making: Making<PopulationFile>): void {
    // A directory that cannot be removed is left in the temporary directory; nothing reads it again.
    const removal = Promise.race([this.leases.free(making), this.closed]).then(() => rm(file.dir, { recursive: true, force: true })).catch(() => undefined);
    this.removals.add(removal);
    void removal.finally(() => this.removals.delete(removal));
  }
}

/** A new directory with the population written in it, removed again when writing fails. */
async function written(write: WritePopulation): Promise<PopulationFile> {
  const dir = await mkdtemp(join(tmpdir(), 'evidentia-portal-population-'));
  try {
    return { ...(await write(dir)), dir };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
