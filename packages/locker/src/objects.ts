/**
 * The blob store: canonical JSON named by the SHA-256 of its uncompressed
 * bytes. Most blobs are gzip files (readable with `zcat`); a snapshot body
 * that differs little from an earlier body of the same request is stored as a
 * binary delta against it (delta-object.ts), read back through evidentia
 * (`load`/`read`, or the audit bundle export, which writes every body whole).
 * Content addressing makes identical snapshot bodies, record sets and
 * manifests cost nothing the second time; writing to a temporary file and
 * renaming means a killed process never leaves a partial file under a hash,
 * and a file that is there but does not read back as its object (left empty
 * by a power cut after a killed run that never flushed it) is written again
 * when its bytes are stored again.
 * Whatever the form on disk, reading re-hashes the final bytes. Files written
 * are made durable (`flush`: fsync of each file, then of the directories
 * naming them) before the manifest or entry rows that reference them commit,
 * so a power cut never leaves a committed row whose object is empty.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { hashCanonical, HASH_PATTERN, sha256Hex } from '@evidentia/evidence';
import { decodeDelta, encodeDelta } from './byte-delta.js';
import { deltaObjectFile, isDeltaObject, MAX_DELTA_DEPTH, parseDeltaObject } from './delta-object.js';
import { LockerError, LockerObjectError } from './errors.js';

/**
 * A missing object with a detail is a delta whose file is there but whose base (named in the detail) is not; an
 * unreadable one is there but cannot be read (a directory in its place, no permission, an I/O error), its detail saying why.
 */
export type LoadedObject = { state: 'ok'; bytes: Buffer } | { state: 'missing'; detail?: string } | { state: 'altered'; detail: string } | { state: 'unreadable'; detail: string };

type Resolved = { state: 'ok'; bytes: Buffer; depth: number } | Exclude<LoadedObject, { state: 'ok' }>;

export interface PutOptions {
  /** An earlier object these bytes probably resemble (the previous body of the same request): stored as a delta against it when that is clearly smaller. */
  base?: string | null;
}

/** The deepest chain a reader follows: the byte in the header cannot claim more. */
const MAX_DELTA_DEPTH_READ = 255;
/** Larger bodies are stored whole: encoding holds both versions and an index of the base in memory. */
const MAX_DELTA_BODY = 32 * 1024 * 1024;
/** A delta is kept only when its file is at most this fraction of the gzip of the whole: reading it costs its chain. */
const DELTA_WORTH = 0.5;

export interface ObjectFile {
  /** The hash the file name claims, or null for a file that is not a blob (a temporary file left by a kill). */
  hash: string | null;
  path: string;
}

/** fsync of a file or directory. */
export async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs in flight at once: the file system commits them together, about ten times faster than one by one. */
const SYNC_PARALLELISM = 8;

export class ObjectStore {
  private readonly knownDirs = new Set<string>();
  /** Files written and directories changed since the last flush. */
  private readonly unsyncedFiles = new Set<string>();
  private readonly unsyncedDirs = new Set<string>();
  /** Objects written or found intact by `holds` since the last flush: a body a run sees many times is read back once. */
  private readonly intact = new Set<string>();

  constructor(
    readonly root: string,
    private readonly sync: (path: string) => Promise<void> = syncPath,
  ) {}

  path(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  has(hash: string): boolean {
    return existsSync(this.path(hash));
  }

  /**
   * Whether the store holds this object intact: its file there and its bytes hashing to its name. A file alone
   * proves nothing: one written by a process that was killed was never flushed, and a power cut may leave it empty.
   */
  holds(hash: string): boolean {
    if (this.intact.has(hash)) return true;
    const intact = this.load(hash).state === 'ok';
    if (intact) this.intact.add(hash);
    return intact;
  }

  /**
   * Store bytes under their hash (the caller hashed exactly these bytes). An intact blob is kept; a file under the
   * name that does not read back as these bytes (emptied by a power cut, damaged) is replaced by them.
   */
  put(hash: string, bytes: Buffer, options: PutOptions = {}): void {
    const target = this.path(hash);
    if (existsSync(target) && this.holds(hash)) return;
    let file: Buffer = gzipSync(bytes);
    const delta = options.base && options.base !== hash && HASH_PATTERN.test(options.base) ? this.deltaFile(options.base, bytes) : null;
    if (delta && delta.length <= file.length * DELTA_WORTH) file = delta;
    const dir = dirname(target);
    if (!this.knownDirs.has(dir)) {
      if (mkdirSync(dir, { recursive: true }) !== undefined) this.unsyncedDirs.add(this.root);
      this.knownDirs.add(dir);
    }
    const temporary = join(dir, `.${hash.slice(2)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(temporary, file, { flag: 'wx', mode: 0o444 });
    renameSync(temporary, target);
    this.unsyncedFiles.add(target);
    this.unsyncedDirs.add(dir);
    this.intact.add(hash);
  }

  /** Make every file written since the last flush durable: the files' contents first, then the directory entries naming them. */
  async flush(): Promise<void> {
    const files = [...this.unsyncedFiles];
    // A new prefix directory before the root that names it.
    const dirs = [...this.unsyncedDirs].sort((a, b) => b.length - a.length);
    try {
      await this.syncAll(files);
      await this.syncAll(dirs);
    } catch (error) {
      // Nothing referencing them commits; the next flush tries again (a stored object is never written twice).
      throw new LockerError(`could not make the objects written durable (fsync): ${(error as Error).message}`);
    }
    for (const file of files) this.unsyncedFiles.delete(file);
    for (const dir of dirs) this.unsyncedDirs.delete(dir);
    this.intact.clear();
  }

  private async syncAll(paths: readonly string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < paths.length) await this.sync(paths[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(SYNC_PARALLELISM, paths.length) }, worker));
  }

  /** Store a value's canonical JSON; returns its hash. */
  putValue(value: unknown): string {
    const { hash, bytes } = hashCanonical(value);
    this.put(hash, bytes);
    return hash;
  }

  /** Read and re-hash a blob without throwing, for verification. */
  load(hash: string): LoadedObject {
    const resolved = this.resolve(hash, MAX_DELTA_DEPTH_READ);
    return resolved.state === 'ok' ? { state: 'ok', bytes: resolved.bytes } : resolved;
  }

  /** The delta file for bytes against a base, or null when the base does not load or its chain is already at the bound. */
  private deltaFile(baseHash: string, bytes: Buffer): Buffer | null {
    if (bytes.length > MAX_DELTA_BODY) return null;
    const base = this.resolve(baseHash, MAX_DELTA_DEPTH_READ);
    if (base.state !== 'ok' || base.depth >= MAX_DELTA_DEPTH || base.bytes.length > MAX_DELTA_BODY) return null;
    const delta = encodeDelta(base.bytes, bytes);
    // Evidence is never written in a form that does not read back: the delta is applied once before it is kept.
    if (!decodeDelta(base.bytes, delta).equals(bytes)) return null;
    return deltaObjectFile(baseHash, base.depth + 1, delta);
  }

  /** Read a blob, following its delta chain; `maxDepth` is the depth its caller's header allows (each step must decrease). */
  private resolve(hash: string, maxDepth: number): Resolved {
    let file: Buffer;
    try {
      file = readFileSync(this.path(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
      return { state: 'unreadable', detail: `cannot be read (${(error as Error).message})` };
    }
    let bytes: Buffer;
    let depth = 0;
    let rebuilt = '';
    if (isDeltaObject(file)) {
      const parsed = parseDeltaObject(file);
      if (typeof parsed === 'string') return { state: 'altered', detail: parsed };
      const { baseHash } = parsed;
      depth = parsed.depth;
      if (depth > maxDepth) return { state: 'altered', detail: `is a delta object claiming chain depth ${depth}, deeper than its place in the chain allows (${maxDepth})` };
      const base = this.resolve(baseHash, depth - 1);
      const against = `is stored as a delta against object ${baseHash}, which`;
      if (base.state === 'missing') return { state: 'missing', detail: `${against} ${base.detail ?? 'is missing'}` };
      if (base.state === 'altered' || base.state === 'unreadable') return { state: base.state, detail: `${against} ${base.detail}` };
      if (base.depth !== depth - 1) return { state: 'altered', detail: `${against} has chain depth ${base.depth}, not ${depth - 1} as this object's header says` };
      try {
        bytes = decodeDelta(base.bytes, parsed.delta);
      } catch (error) {
        return { state: 'altered', detail: `is a delta that does not apply to its base ${baseHash} (${(error as Error).message})` };
      }
      rebuilt = ` (rebuilt from a delta against object ${baseHash})`;
    } else {
      try {
        bytes = gunzipSync(file);
      } catch (error) {
        return { state: 'altered', detail: `cannot be decompressed (${(error as Error).message})` };
      }
    }
    const actual = sha256Hex(bytes);
    return actual === hash ? { state: 'ok', bytes, depth } : { state: 'altered', detail: `content hashes to ${actual}${rebuilt}` };
  }

  /** The uncompressed bytes of a blob, refused if missing or not matching its hash. */
  read(hash: string): Buffer {
    if (!HASH_PATTERN.test(hash)) throw new LockerError(`${JSON.stringify(hash)} is not a SHA-256 hex hash`);
    const loaded = this.load(hash);
    if (loaded.state === 'missing') throw new LockerObjectError(hash, 'missing', loaded.detail ? `object ${hash} ${loaded.detail}; run \`evidentia verify\`` : `object ${hash} is missing from ${this.root}`);
    if (loaded.state === 'altered') throw new LockerObjectError(hash, 'altered', `object ${hash} is altered: it ${loaded.detail}; run \`evidentia verify\``);
    if (loaded.state === 'unreadable') throw new LockerObjectError(hash, 'unreadable', `object ${hash} ${loaded.detail}; run \`evidentia verify\``);
    return loaded.bytes;
  }

  /** Every file under objects/, one directory at a time. */
  *files(): Generator<ObjectFile> {
    if (!existsSync(this.root)) return;
    for (const entry of readdirSync(this.root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = join(this.root, entry.name);
      if (!entry.isDirectory()) {
        yield { hash: null, path: dir };
        continue;
      }
      for (const name of readdirSync(dir).sort()) {
        const hash = entry.name + name;
        yield { hash: HASH_PATTERN.test(hash) ? hash : null, path: join(dir, name) };
      }
    }
  }
}
