/**
 * Reading a bundle zip for verification, with bounded memory: the central
 * directory is listed once, and each entry is read as a stream (yauzl, random
 * access) whose SHA-256 is computed while a checker consumes it, so every
 * file is hashed exactly once however large it is.
 *
 * The verifier reads entries by the central directory, as unzip does, but a
 * tool that reads a zip front to back (a streaming extractor) goes by the
 * local headers instead: the zip's layout is checked so that both read the
 * same files, each local header naming its entry as the central directory
 * does and the entries following one another from the first byte to the
 * central directory, with no bytes between them that no entry lists.
 */
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import yauzl from 'yauzl';

export interface EntryDigest {
  sha256: string;
  bytes: number;
}

/** A way the zip's local headers read differently from its central directory. */
export interface ZipLayoutProblem {
  /** The entry, when the problem is one entry's. */
  path: string | null;
  message: string;
}

/** Sizes a data descriptor may have after an entry's data (with or without its signature, zip64 or not). */
const DESCRIPTOR_SIZES = new Set([12, 16, 20, 24]);

/** An entry the zip cannot give whole (its data does not inflate, is not the size the zip states, or is larger than such a file can be). */
export class BundleEntryError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export class BundleZip {
  /** Digests of the entries read so far. */
  readonly digests = new Map<string, EntryDigest>();
  /** Entries read whole whose data does not have the CRC-32 the zip states (unzip and other tools call them damaged). */
  readonly crcMismatches: Array<{ path: string; stated: number; actual: number }> = [];

  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: Map<string, yauzl.Entry>,
    /** Names that occur more than once in the zip (only the first is read). */
    readonly duplicates: string[],
    /** Where tools reading the local headers would see other files than the central directory lists. */
    readonly layoutProblems: ZipLayoutProblem[],
  ) {}

  static async open(file: string): Promise<BundleZip> {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
    const centralDirectory = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    const entries = new Map<string, yauzl.Entry>();
    const duplicates: string[] = [];
    const all: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        all.push(entry);
        if (entries.has(entry.fileName)) duplicates.push(entry.fileName);
        else if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
    return new BundleZip(zip, entries, duplicates, await layoutProblems(zip, all, centralDirectory));
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
    let crc = 0;
    let stream: AsyncIterable<Buffer>;
    try {
      stream = (await this.zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>;
    } catch (error) {
      throw unreadable(path, error);
    }
    const iterator = stream[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await iterator.next();
      } catch (error) {
        throw unreadable(path, error);
      }
      if (next.done) break;
      hash.update(next.value);
      crc = crc32(next.value, crc);
      bytes += next.value.length;
      yield next.value;
    }
    this.digests.set(path, { sha256: hash.digest('hex'), bytes });
    if (crc !== entry.crc32) this.crcMismatches.push({ path, stated: entry.crc32, actual: crc });
  }

  /** A whole (small) entry; refuses entries larger than `limit` bytes. */
  async read(path: string, limit = 64 * 1024 * 1024): Promise<Buffer> {
    const entry = this.entries.get(path);
    if (entry && entry.uncompressedSize > limit) throw new BundleEntryError(path, `${path} is ${entry.uncompressedSize} bytes, more than the ${limit} such a file can be`);
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks(path)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** The entry's lines (without line ends); a line longer than `limit` bytes (a zip bomb of one endless line) fails the entry instead of filling memory. */
  lines(path: string, limit = MAX_LINE_BYTES): AsyncIterable<string> {
    return createInterface({ input: Readable.from(this.boundedLines(path, limit)), crlfDelay: Infinity });
  }

  /** The entry's chunks, failing it once a run of bytes without a line end (LF or CR) exceeds `limit`. */
  private async *boundedLines(path: string, limit: number): AsyncIterable<Buffer> {
    let run = 0;
    for await (const chunk of this.chunks(path)) {
      const first = lineEnd(chunk);
      if ((first < 0 ? run + chunk.length : run + first) > limit) throw new BundleEntryError(path, `${path} has a line longer than ${limit} bytes, more than any line of a bundle file`);
      run = first < 0 ? run + chunk.length : chunk.length - Math.max(chunk.lastIndexOf(0x0a), chunk.lastIndexOf(0x0d)) - 1;
      yield chunk;
    }
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

/**
 * Each entry's local header must name it as the central directory does, and
 * the entries must lie one after the other from offset 0 to the central
 * directory: a local header naming another file, entries sharing bytes, or
 * bytes no entry lists (a local entry left out of the central directory) are
 * read as other files by a tool that goes by the local headers.
 */
async function layoutProblems(zip: yauzl.ZipFile, entries: yauzl.Entry[], centralDirectory: number): Promise<ZipLayoutProblem[]> {
  const problems: ZipLayoutProblem[] = [];
  const spans: Array<{ name: string; start: number; end: number; descriptor: boolean }> = [];
  for (const entry of entries) {
    let header: yauzl.LocalFileHeader;
    try {
      header = await zip.readLocalFileHeaderPromise(entry);
    } catch (error) {
      problems.push({ path: entry.fileName, message: `its local header cannot be read (${(error as Error).message})` });
      continue;
    }
    const local = Buffer.from(header.fileName);
    if (!local.equals(entry.fileNameRaw)) {
      problems.push({ path: entry.fileName, message: `its local header names it ${JSON.stringify(local.toString('utf8'))}, so a tool reading the zip front to back would take it for another file` });
    }
    spans.push({ name: entry.fileName, start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize, descriptor: (entry.generalPurposeBitFlag & 0x8) !== 0 });
  }
  spans.sort((a, b) => a.start - b.start);
  let at = 0;
  let before: (typeof spans)[number] | null = null;
  for (const span of [...spans, { name: null, start: centralDirectory, end: centralDirectory, descriptor: false }]) {
    const gap = span.start - at;
    const what = span.name === null ? 'the central directory' : span.name;
    if (gap < 0) problems.push({ path: span.name, message: `${what} starts at byte ${span.start} of the zip, inside ${before?.name ?? 'the zip'}, which ends at byte ${at}: the two share bytes` });
    else if (gap > 0 && !(before?.descriptor && DESCRIPTOR_SIZES.has(gap))) {
      problems.push({ path: null, message: `bytes ${at}–${span.start - 1} of the zip (${gap} bytes, before ${what}) belong to no entry its central directory lists: a tool reading the zip front to back could extract a file the index does not vouch for from them` });
    }
    at = Math.max(at, span.end);
    if (span.name !== null) before = span;
  }
  return problems;
}

/** The longest line a bundle file may hold (a record, a snapshot entry, a chain link are far shorter). */
const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** The index of the first LF or CR in `chunk`, or -1. */
function lineEnd(chunk: Buffer): number {
  const lf = chunk.indexOf(0x0a);
  const cr = chunk.indexOf(0x0d);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

/** zlib's CRC-32 where Node has it (20.15, 22.2 and later), else the same by table, for the verifier run by an older Node. */
const nativeCrc32 = (zlib as { crc32?: (data: Buffer, value: number) => number }).crc32;
let crcTable: Uint32Array | null = null;
function crc32(data: Buffer, value: number): number {
  if (nativeCrc32) return nativeCrc32(data, value);
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = (value ^ 0xffffffff) >>> 0;
  for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const unreadable = (path: string, error: unknown) => new BundleEntryError(path, `${path} cannot be read from the zip: ${(error as Error).message}`);
