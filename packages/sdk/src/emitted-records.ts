/**
 * The records a stream has emitted in this run, kept for the run's
 * de-duplication and completeness count. A stream can emit hundreds of
 * thousands of records, so each is kept compactly: grouped by kind (no
 * kind-and-key string per record), the key as the record's own string, and
 * its content as a 52-bit prefix of the record hash (a number, not a
 * 64-character string). A different version of an already emitted item is
 * taken for the same one only if the two SHA-256 hashes share their first 52
 * bits, a chance of 2⁻⁵² per such pair.
 */
import type { RecordIdentity } from './types.js';

/** What emitting a record means for this run: a new item, the same record again, or another version of an item. */
export type EmitNote = 'new' | 'same' | 'changed';

/** The first 13 hex digits (52 bits) of a hex SHA-256: exactly representable as a number. */
function contentTag(hexHash: string): number {
  const tag = Number.parseInt(hexHash.slice(0, 13), 16);
  if (!Number.isSafeInteger(tag)) throw new TypeError(`not a hex hash: ${JSON.stringify(hexHash.slice(0, 13))}`);
  return tag;
}

export class EmittedRecords {
  private readonly byKind = new Map<string, Map<string, number>>();
  private distinct = 0;

  /** Record that (kind, key) was emitted with this hex hash, and say whether it is new, the same or a change. */
  note(kind: string, key: string, hexHash: string): EmitNote {
    let keys = this.byKind.get(kind);
    if (!keys) this.byKind.set(kind, (keys = new Map()));
    const tag = contentTag(hexHash);
    const previous = keys.get(key);
    if (previous === tag) return 'same';
    keys.set(key, tag);
    if (previous !== undefined) return 'changed';
    this.distinct++;
    return 'new';
  }

  /** Distinct items (kind and key) emitted. */
  get size(): number {
    return this.distinct;
  }

  /** Each distinct item once. */
  *identities(): Iterable<RecordIdentity> {
    for (const [kind, keys] of this.byKind) for (const key of keys.keys()) yield { kind, key };
  }
}
