/**
 * The on-disk form of an object stored as a delta against another object:
 *   "EVD" 0x01 | the base's SHA-256 (32 bytes) | chain depth (1 byte) | gzip(binary delta)
 * A whole object is a gzip file (it starts 1f 8b), so the first bytes tell
 * the two apart. The depth is the number of deltas between this object and a
 * whole one (1 = its base is whole); each step of a chain must decrease it,
 * so even an edited file cannot make reading loop.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

const MAGIC = Buffer.from([0x45, 0x56, 0x44, 0x01]);
const HEADER_LENGTH = MAGIC.length + 32 + 1;

/** Chains longer than this are not extended: the next version is stored whole and starts a new chain. */
export const MAX_DELTA_DEPTH = 16;

export interface DeltaObject {
  baseHash: string;
  depth: number;
  /** The binary delta (byte-delta.ts), decompressed. */
  delta: Buffer;
}

export function isDeltaObject(file: Buffer): boolean {
  return file.length >= MAGIC.length && file.subarray(0, MAGIC.length).equals(MAGIC);
}

export function deltaObjectFile(baseHash: string, depth: number, delta: Buffer): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(baseHash, 'hex'), Buffer.from([depth]), gzipSync(delta)]);
}

/** Parse a file that starts with the delta magic; a string says why it cannot be read. */
export function parseDeltaObject(file: Buffer): DeltaObject | string {
  if (file.length < HEADER_LENGTH) return `is a delta object cut short (${file.length} bytes, its header alone has ${HEADER_LENGTH})`;
  const baseHash = file.subarray(MAGIC.length, MAGIC.length + 32).toString('hex');
  const depth = file[MAGIC.length + 32]!;
  if (depth < 1) return `is a delta object against ${baseHash} claiming chain depth 0`;
  try {
    return { baseHash, depth, delta: gunzipSync(file.subarray(HEADER_LENGTH)) };
  } catch (error) {
    return `is a delta object against ${baseHash} whose delta cannot be decompressed (${(error as Error).message})`;
  }
}
