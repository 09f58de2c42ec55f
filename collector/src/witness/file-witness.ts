/**
 * The file witness: one JSON line per checkpoint appended to a file that
 * should live on another volume or host (an NFS mount, a WORM share, a
 * `chattr +a` file). Each append is whole and fsynced before the run reports
 * success; one that fails leaves the file as it was and is the run's warning.
 */
import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkpointLine, parseCheckpointLog, type SignedCheckpoint } from '@evidentia/locker';
import type { Witness, WitnessLog } from './witness.js';

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/**
 * Append `line` whole or not at all: one write() may take only part of it (a full disk, a file-size limit), so
 * every byte is written and a failure cuts the file back to where it was. A line cut short all the same (a kill in
 * the middle of the write) is ended before this one, so it never swallows the next checkpoint.
 */
async function appendWhole(file: FileHandle, line: string): Promise<void> {
  const { size } = await file.stat();
  let text = line;
  if (size > 0) {
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    if (last[0] !== 0x0a) text = `\n${line}`;
  }
  try {
    await file.writeFile(text);
    await file.sync();
  } catch (error) {
    await file.truncate(size).catch(() => undefined);
    throw error;
  }
}

export function fileWitness(path: string): Witness {
  return {
    name: `file ${path}`,
    async publish(signed: SignedCheckpoint): Promise<void> {
      try {
        await mkdir(dirname(path), { recursive: true });
        const file = await open(path, 'a+', 0o644);
        try {
          await appendWhole(file, checkpointLine(signed));
        } finally {
          await file.close();
        }
      } catch (error) {
        throw new Error(`could not append to ${path}: ${reason(error)}`);
      }
    },
    async read(): Promise<WitnessLog> {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        throw new Error(code === 'ENOENT' ? `${path} does not exist (no checkpoint was ever written there, or it was removed)` : `cannot read ${path}: ${reason(error)}`);
      }
      return parseCheckpointLog(text);
    },
  };
}
