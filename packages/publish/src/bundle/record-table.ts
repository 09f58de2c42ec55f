/**
 * The record hashes of a bundle, for membership checks with bounded memory:
 * 32 bytes per record in one growing buffer (records.jsonl is sorted by
 * hash, so the buffer is sorted and looked up by binary search), plus one
 * byte per record marking that some record set lists it. A million records
 * take 33 MB instead of a set of a million strings.
 */
export class RecordTable {
  private buffer = Buffer.alloc(32 * 4096);
  private count = 0;
  private marks: Uint8Array | null = null;

  get size(): number {
    return this.count;
  }

  /** Append a hash; false (and nothing added) when it does not sort after the previous one. */
  append(hexHash: string): boolean {
    const hash = Buffer.from(hexHash, 'hex');
    if (this.count > 0 && Buffer.compare(this.at(this.count - 1), hash) >= 0) return false;
    if ((this.count + 1) * 32 > this.buffer.length) {
      const grown = Buffer.alloc(this.buffer.length * 2);
      this.buffer.copy(grown);
      this.buffer = grown;
    }
    hash.copy(this.buffer, this.count * 32);
    this.count++;
    return true;
  }

  private at(index: number): Buffer {
    return this.buffer.subarray(index * 32, index * 32 + 32);
  }

  /** Find a hash and mark it as listed by a record set; false when the bundle has no such record. */
  mark(hexHash: string): boolean {
    this.marks ??= new Uint8Array(this.count);
    const hash = Buffer.from(hexHash, 'hex');
    let [low, high] = [0, this.count - 1];
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const order = Buffer.compare(this.at(middle), hash);
      if (order === 0) {
        this.marks[middle] = 1;
        return true;
      }
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** Hashes no record set listed, in order. */
  *unmarked(): Generator<string> {
    for (let index = 0; index < this.count; index++) if (!this.marks?.[index]) yield this.at(index).toString('hex');
  }
}

/** The hashes of a record set object (a canonical JSON array of hex strings), parsed as the bytes stream in. */
export async function* setMembers(chunks: AsyncIterable<Buffer>): AsyncIterable<string> {
  let inString = false;
  let current = '';
  let started = false;
  for await (const chunk of chunks) {
    for (const char of chunk.toString('latin1')) {
      if (inString) {
        if (char === '"') {
          inString = false;
          yield current;
          current = '';
        } else current += char;
      } else if (char === '"') inString = true;
      else if (char === '[') started = true;
      else if (char !== ',' && char !== ']') throw new Error(`unexpected ${JSON.stringify(char)} in a record set`);
    }
  }
  if (!started || inString) throw new Error('a record set must be a JSON array of hashes');
}
