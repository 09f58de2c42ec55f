/**
 * A sorted list of record rowids as a few bytes. A record set's members are
 * rows of the append-only `records` table, so a set can name them by rowid
 * instead of by 64-hex hash; sorted, they are written as runs of consecutive
 * rowids (the common case: a day's new events are inserted one after another),
 * each run as varint((gap from the previous run's end) × 2 + (longer than
 * one ? 1 : 0)) followed, for a longer run, by varint(length − 2). A day of
 * 3,000 new events is a handful of bytes; 10,000 scattered members about 1
 * byte each.
 */

function pushVarint(out: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/** Encode rowids sorted ascending, without duplicates (the caller's invariant; checked). */
export function encodeRowids(sorted: readonly number[]): Buffer {
  const out: number[] = [];
  let previous = 0;
  for (let i = 0; i < sorted.length; ) {
    const start = sorted[i]!;
    if (!Number.isSafeInteger(start) || start <= previous) throw new RangeError(`rowids must be positive integers sorted ascending without duplicates; got ${start} after ${previous}`);
    let end = i;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    const length = end - i + 1;
    pushVarint(out, (start - previous) * 2 + (length > 1 ? 1 : 0));
    if (length > 1) pushVarint(out, length - 2);
    previous = sorted[end]!;
    i = end + 1;
  }
  return Buffer.from(out);
}

/**
 * Decode what encodeRowids wrote; throws naming the byte offset when the bytes
 * are not such a list (tampered or truncated) or name a rowid above
 * `maxRowid` (no such record row; also what bounds a tampered run length).
 */
export function decodeRowids(bytes: Uint8Array, maxRowid: number): number[] {
  const rowids: number[] = [];
  let offset = 0;
  const readVarint = (): number => {
    let value = 0;
    let scale = 1;
    const start = offset;
    for (;;) {
      if (offset >= bytes.length) throw new RangeError(`truncated number at byte ${start} of ${bytes.length}`);
      const byte = bytes[offset++]!;
      value += (byte & 0x7f) * scale;
      if (!Number.isSafeInteger(value)) throw new RangeError(`number too large at byte ${start}`);
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  };
  let previous = 0;
  while (offset < bytes.length) {
    const at = offset;
    const head = readVarint();
    const gap = Math.floor(head / 2);
    if (gap < 1) throw new RangeError(`a run at byte ${at} does not advance (gap 0)`);
    const length = head % 2 === 1 ? readVarint() + 2 : 1;
    const start = previous + gap;
    if (start + length - 1 > maxRowid) throw new RangeError(`a run at byte ${at} reaches rowid ${start + length - 1}, beyond the last record row ${maxRowid}`);
    for (let k = 0; k < length; k++) rowids.push(start + k);
    previous = start + length - 1;
  }
  return rowids;
}
