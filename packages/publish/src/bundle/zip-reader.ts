/**
 * Reading a bundle zip for verification, with bounded memory: the central
 * directory is listed once, and each entry is read as a stream (yauzl, random
 * access) whose SHA-256 is computed while a checker consumes it, so every
 * file is hashed exactly once however large it is.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

export interface EntryDigest {
  sha256: string;
  bytes: number;
}

export class BundleZip {
  /** Digests of the entries read so far. */
  readonly digests = new Map<string, EntryDigest>();

  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, yauzl.Entry>,
    /** Names that occur more than once in the zip (only the first is read). */
    readonly duplicates: string[],
  ) {}

  static async open(file: string): Promise<BundleZip> {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
    const entries = new Map<string, yauzl.Entry>();
    const duplicates: string[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entries.has(entry.fileName)) duplicates.push(entry.fileName);
        else if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    return new BundleZip(zip, entries, duplicates);
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** The entry's bytes as they stream, hashed on the way (the digest is recorded once the stream has been read to its end). */
  async *chunks(path: string): AsyncIterable<Buffer> {
    const entry = this.entries.get(path);
    if (!entry) throw new Error(`${path} is not in the bundle`);
    const hash = createHash('sha256');
    let bytes = 0;
    const stream = await this.zip.openReadStreamPromise(entry);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
    this.digests.set(path, { sha256: hash.digest('hex'), bytes });
  }

  /** A whole (small) entry; refuses entries larger than `limit` bytes. */
  async read(path: string, limit = 64 * 1024 * 1024): Promise<Buffer> {
    const entry = this.entries.get(path);
    if (entry && entry.uncompressedSize > limit) throw new Error(`${path} is ${entry.uncompressedSize} bytes, more than ${limit} expected for this file`);
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(path)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** The entry's lines (without line ends). */
  lines(path: string): AsyncIterable<string> {
    return createInterface({ input: Readable.from(this.chunks(path)), crlfDelay: Infinity });
  }

  /** Read an entry only to hash it, unless it was read already. */
  async digest(path: string): Promise<EntryDigest> {
    const known = this.digests.get(path);
    if (known) return known;
    for await (const chunk of this.chunks(path)) void chunk;
    return this.digests.get(path)!;
  }

  close(): void {
    this.zip.close();
  }
}
