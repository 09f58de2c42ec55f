/**
 * The record rows some manifest's record set holds, marked by rowid in a
 * bit per row: a million members take 125 KB and no SQL, where a scratch
 * table of their hashes took a B-tree insert per member. verify's
 * unsealed-data check then walks the rowids and looks only at the unmarked.
 */

/**
 * Past this rowid the bits would cost more than the rows: such a set's hashes go to the scratch table instead.
 * Below 2^31, as `rowid >> 3` is a 32-bit operation: 2^31 itself gave a negative byte index, marked nothing and said it had.
 */
const MAX_MARKED_ROWID = 2 ** 31 - 1;

export class RowidMarks {
  private bits = new Uint8Array(1024);

  /** Mark rowids (record rows that exist); false, with nothing marked, when one is beyond what bits are kept for. */
  mark(rowids: readonly number[]): boolean {
    let highest = 0;
    for (const rowid of rowids) {
      if (!Number.isSafeInteger(rowid) || rowid < 0 || rowid > MAX_MARKED_ROWID) return false;
      if (rowid > highest) highest = rowid;
    }
    if (highest >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (highest >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    for (const rowid of rowids) this.bits[rowid >> 3]! |= 1 << (rowid & 7);
    return true;
  }

  /** Clear one rowid's bit; whether it was set. */
  unmark(rowid: number): boolean {
    if (!this.has(rowid)) return false;
    this.bits[rowid >> 3]! &= ~(1 << (rowid & 7));
    return true;
  }

  /** Mark every rowid `other` marks as well. */
  add(other: RowidMarks): void {
    if (other.bits.length > this.bits.length) {
      const grown = new Uint8Array(other.bits.length);
      grown.set(this.bits);
      this.bits = grown;
    }
    for (let index = 0; index < other.bits.length; index++) this.bits[index]! |= other.bits[index]!;
  }

  has(rowid: number): boolean {
    return rowid >= 0 && rowid <= MAX_MARKED_ROWID && ((this.bits[rowid >> 3] ?? 0) & (1 << (rowid & 7))) !== 0;
  }
}
