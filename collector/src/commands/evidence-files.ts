/**
 * Reading the files `evidence add` is given, all before anything is stored:
 * a directory, something that is not a regular file, a missing file or one
 * over the size limit refuses the whole batch (exit 2), naming the file.
 * A file is read as bytes only; nothing here opens or runs it.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UsageError } from '@evidentia/audit';

export interface ReadDocument {
  fileName: string;
  bytes: Buffer;
}

const MEGABYTE = 1024 * 1024;

async function readOne(path: string, maxBytes: number, limitText: string): Promise<ReadDocument> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new UsageError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (info.isDirectory()) throw new UsageError(`${path} is a directory: name the files to add, one by one`);
  if (!info.isFile()) throw new UsageError(`${path} is not a regular file`);
  if (info.size > maxBytes) throw new UsageError(`${path} is ${info.size} bytes, over the limit of ${limitText} (documents.maxFileMegabytes in the config)`);
  const bytes = await readFile(path);
  // The file may have grown since stat: the limit holds for what was read.
  if (bytes.length > maxBytes) throw new UsageError(`${path} grew past the limit of ${limitText} while it was read`);
  return { fileName: basename(resolve(path)), bytes };
}

export async function readDocuments(paths: string[], maxMegabytes: number): Promise<ReadDocument[]> {
  const maxBytes = Math.floor(maxMegabytes * MEGABYTE);
  const documents: ReadDocument[] = [];
  for (const path of paths) documents.push(await readOne(path, maxBytes, `${maxMegabytes} MB = ${maxBytes} bytes`));
  return documents;
}
