/**
 * The blob store: canonical JSON named by the SHA-256 of its uncompressed
 * bytes, gzip-compressed on disk (an auditor can read any blob with `zcat`).
 * Content addressing makes identical snapshot bodies, record sets and
 * manifests cost nothing the second time; writing to a temporary file and
 * renaming means a killed process never leaves a partial file under a hash.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { hashCanonical, HASH_PATTERN, sha256Hex } from '@evidentia/evidence';
import { LockerError } from './errors.js';

export type LoadedObject = { state: 'ok'; bytes: Buffer } | { state: 'missing' } | { state: 'altered'; detail: string };

export interface ObjectFile {
  /** The hash the file name claims, or null for a file that is not a blob (a temporary file left by a kill). */
  hash: string | null;
  path: string;
}

export class ObjectStore {
  private readonly knownDirs = new Set<string>();

  constructor(readonly root: string) {}

  path(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  /** Store bytes under their hash (the caller hashed exactly these bytes); a blob that exists is kept. */
  put(hash: string, bytes: Buffer): void {
    const target = this.path(hash);
    if (existsSync(target)) return;
    const dir = dirname(target);
    if (!this.knownDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.knownDirs.add(dir);
    }
    const temporary = join(dir, `.${hash.slice(2)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    writeFileSync(temporary, gzipSync(bytes), { flag: 'wx', mode: 0o444 });
    renameSync(temporary, target);
  }

  /** Store a value's canonical JSON; returns its hash. */
  putValue(value: unknown): string {
    const { hash, bytes } = hashCanonical(value);
    this.put(hash, bytes);
    return hash;
  }

  /** Read and re-hash a blob without throwing, for verification. */
  load(hash: string): LoadedObject {
    let compressed: Buffer;
    try {
      compressed = readFileSync(this.path(hash));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
      throw error;
    }
    let bytes: Buffer;
    try {
      bytes = gunzipSync(compressed);
    } catch (error) {
      return { state: 'altered', detail: `cannot be decompressed (${(error as Error).message})` };
    }
    const actual = sha256Hex(bytes);
    return actual === hash ? { state: 'ok', bytes } : { state: 'altered', detail: `content hashes to ${actual}` };
  }

  /** The uncompressed bytes of a blob, refused if missing or not matching its hash. */
  read(hash: string): Buffer {
    if (!HASH_PATTERN.test(hash)) throw new LockerError(`${JSON.stringify(hash)} is not a SHA-256 hex hash`);
    const loaded = this.load(hash);
    if (loaded.state === 'missing') throw new LockerError(`object ${hash} is missing from ${this.root}`);
    if (loaded.state === 'altered') throw new LockerError(`object ${hash} is altered: it ${loaded.detail}; run \`evidentia verify\``);
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
