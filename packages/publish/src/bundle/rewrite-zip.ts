/**
 * Rewrite a (small) zip with some entries changed, removed or added: how the
 * tamper tests play an attacker who edits a bundle. Entries are read whole,
 * so this is for test-sized bundles only.
 */
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import yazl from 'yazl';
import { BundleZip } from './zip-reader.js';

export async function readZipEntries(file: string): Promise<Map<string, Buffer>> {
  const zip = await BundleZip.open(file);
  try {
    const entries = new Map<string, Buffer>();
    for (const name of zip.entries.keys()) entries.set(name, await zip.read(name));
    return entries;
  } finally {
    zip.close();
  }
}

export async function writeZipEntries(file: string, entries: Map<string, Buffer>): Promise<void> {
  const zip = new yazl.ZipFile();
  const output = createWriteStream(file);
  zip.outputStream.pipe(output);
  for (const [name, bytes] of entries) zip.addBuffer(bytes, name);
  const closed = once(output, 'close');
  zip.end();
  await closed;
}

/** Copy `input` to `output` with `edit` applied to its entries. */
export async function rewriteZip(input: string, output: string, edit: (entries: Map<string, Buffer>) => void | Promise<void>): Promise<void> {
  const entries = await readZipEntries(input);
  await edit(entries);
  await writeZipEntries(output, entries);
}

/**
 * A zip of one entry named `name`, which a careful writer (yazl) refuses to
 * write (`../…`, control characters): written under a placeholder of the same
 * length, whose bytes are then overwritten in the local header and the
 * central directory.
 */
export async function writeZipEntryNamed(file: string, name: string): Promise<void> {
  const raw = Buffer.from(name, 'utf8');
  const placeholder = Buffer.alloc(raw.length, 'p');
  await writeZipEntries(file, new Map([[placeholder.toString(), Buffer.from('hostile\n')]]));
  const bytes = await readFile(file);
  for (let at = bytes.indexOf(placeholder); at >= 0; at = bytes.indexOf(placeholder, at + raw.length)) raw.copy(bytes, at);
  await writeFile(file, bytes);
}
