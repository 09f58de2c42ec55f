/**
 * Writes a zip one entry at a time and remembers each entry's SHA-256 and
 * size for the bundle index. An entry's content is pushed through a stream
 * that yazl reads as it is written (with backpressure), and the next entry
 * starts only when the previous one has been consumed, so memory stays flat
 * and the locker is never asked two queries at once.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import yazl from 'yazl';
import { atomicOutput, type AtomicOutput } from '@evidentia/evidence';

export interface IndexedFile {
  path: string;
  sha256: string;
  bytes: number;
}

export type EntrySource = Buffer | string | AsyncIterable<Buffer | string>;

export interface EntryWriter {
  write(chunk: Buffer | string): Promise<void>;
  end(): Promise<IndexedFile>;
}

export class ZipWriter {
  readonly files: IndexedFile[] = [];
  private readonly zip = new yazl.ZipFile();
  private readonly output: WriteStream;
  /**
   * Rejects when the file cannot be written (disk full, file too large): yazl then stops reading the entries,
   * so whatever waits on the zip waits on this too and fails with the error, naming the file, instead of
   * waiting for ever (or the process ending on an error event nobody listens for).
   */
  private readonly failed: Promise<never>;

  private constructor(
    private readonly target: AtomicOutput,
    private readonly mtime: Date,
    file: string,
  ) {
    this.output = createWriteStream(target.path);
    this.failed = new Promise<never>((_resolve, reject) => {
      this.output.on('error', (error: NodeJS.ErrnoException) => reject(Object.assign(error, { path: error.path ?? file })));
    });
    this.failed.catch(() => undefined);
    this.zip.outputStream.pipe(this.output);
  }

  /** A zip that takes the name `file` only once it is closed whole (written beside it until then). */
  static async create(file: string, mtime: Date): Promise<ZipWriter> {
    return new ZipWriter(await atomicOutput(file), mtime, file);
  }

  /** Start an entry to write into piece by piece; the zip consumes it as it is written. */
  open(path: string, options: { index?: boolean } = {}): EntryWriter {
    const hash = createHash('sha256');
    let bytes = 0;
    const pass = new PassThrough();
    const consumed = once(pass, 'end');
    this.zip.addReadStream(pass, path, { mtime: this.mtime, mode: 0o100644 });
    return {
      write: async (chunk) => {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(buffer);
        bytes += buffer.length;
        if (!pass.write(buffer)) await Promise.race([once(pass, 'drain'), this.failed]);
      },
      end: async () => {
        pass.end();
        await Promise.race([consumed, this.failed]);
        const file = { path, sha256: hash.digest('hex'), bytes };
        if (options.index !== false) this.files.push(file);
        return file;
      },
    };
  }

  /** Add one entry and wait until the zip has consumed all of it; returns its index entry. */
  async add(path: string, source: EntrySource, options: { index?: boolean } = {}): Promise<IndexedFile> {
    const entry = this.open(path, options);
    const chunks: Iterable<Buffer | string> | AsyncIterable<Buffer | string> = typeof source === 'string' || Buffer.isBuffer(source) ? [source] : source;
    for await (const chunk of chunks) await entry.write(chunk);
    return entry.end();
  }

  /** Give up: stop writing and remove the partial file; nothing appears under the final name. */
  async abort(): Promise<void> {
    // yazl goes on producing what it was given: cut it off from the file first. A write already on its way
    // fails once the file is destroyed; that error is expected here, and unheard it would end the process
    // before the real error is told and the partial file removed.
    this.zip.outputStream.unpipe(this.output);
    this.output.on('error', () => undefined);
    const closed = this.output.closed ? null : new Promise<void>((resolve) => this.output.once('close', () => resolve()));
    this.output.destroy();
    await closed;
    await this.target.discard();
  }

  /** Finish the zip and give it its final name. */
  async close(): Promise<void> {
    const closed = once(this.output, 'close');
    this.zip.end();
    await Promise.race([closed, this.failed]);
    await this.target.commit();
  }
}

/** Lines of text, batched into chunks of about 64 KiB (one write per line would be slow). */
export async function* batched(lines: AsyncIterable<string>, size = 65_536): AsyncIterable<string> {
  let batch = '';
  for await (const line of lines) {
    batch += line;
    if (batch.length >= size) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}
