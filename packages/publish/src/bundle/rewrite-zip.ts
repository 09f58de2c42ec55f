/**
 * Rewrite a (small) zip with some entries changed, removed or added: how the
 * tamper tests play an attacker who edits a bundle. Entries are read whole,
 * so this is for test-sized bundles only.
 */
import { createWriteStream } from 'node:fs';
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
