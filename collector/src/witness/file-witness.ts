/**
 * The file witness: one JSON line per checkpoint appended to a file that
 * should live on another volume or host (an NFS mount, a WORM share, a
 * `chattr +a` file). Each append is fsynced before the run reports success.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkpointLine, parseCheckpointLog, type SignedCheckpoint } from '@evidentia/locker';
import type { Witness, WitnessLog } from './witness.js';

const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

export function fileWitness(path: string): Witness {
  return {
    name: `file ${path}`,
    async publish(signed: SignedCheckpoint): Promise<void> {
      try {
        await mkdir(dirname(path), { recursive: true });
        const file = await open(path, 'a', 0o644);
        try {
          await file.write(checkpointLine(signed));
          await file.sync();
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
