/**
 * Reading the files `evidence add` is given, all before anything is stored:
 * a directory, a symbolic link, something that is not a regular file, a
 * missing file or one over the size limit refuses the whole batch (exit 2),
 * naming the file. A link is refused rather than followed: its bytes would be
 * stored under the link's name (a link `access-policy.pdf` to some other
 * file recorded as the access policy), or its target may be nothing at all.
 * A file is read as bytes only; nothing here opens or runs it.
 */
import { constants } from 'node:fs';
import { lstat, open, readlink, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { UsageError } from '@evidentia/audit';

export interface ReadDocument {
  fileName: string;
  bytes: Buffer;
}

const MEGABYTE = 1024 * 1024;

/** A link names a file other than itself: say where it points, and whether anything is there. */
async function refuseLink(path: string): Promise<never> {
  const target = await readlink(path);
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  throw new UsageError(`${path} is a symbolic link to ${target}${exists ? '' : ', which does not exist'}: evidence add stores a file under its own name, never a link's; add the file itself`);
}

/** The file's bytes, opened without following a link (one swapped in after the check is refused too). */
async function readNoFollow(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return refuseLink(path);
    throw error;
  }
  try {
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function readOne(path: string, maxBytes: number, limitText: string): Promise<ReadDocument> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    throw new UsageError(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (info.isSymbolicLink()) return refuseLink(path);
  if (info.isDirectory()) throw new UsageError(`${path} is a directory: name the files to add, one by one`);
  if (!info.isFile()) throw new UsageError(`${path} is not a regular file`);
  if (info.size > maxBytes) throw new UsageError(`${path} is ${info.size} bytes, over the limit of ${limitText} (documents.maxFileMegabytes in the config)`);
  const bytes = await readNoFollow(path);
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
