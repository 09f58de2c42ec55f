/**
 * A set of half-open time intervals [start, end) in epoch milliseconds, kept
 * merged and sorted. Event coverage adds each complete run's range; adding
 * returns the parts that were not covered before, which is how a backfill is
 * seen closing a hole. Runs arrive roughly in time order, so most additions
 * extend the last interval in O(1); memory is one pair per hole, not per run.
 */
export interface Interval {
  start: number;
  end: number;
}

export class IntervalSet {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  get size(): number {
    return this.starts.length;
  }

  /** The end of the last interval, or -Infinity when empty. */
  get last(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : -Infinity;
  }

  /** Add [start, end); returns the parts of it that were not covered yet. */
  add(start: number, end: number): Interval[] {
    if (!(end > start)) return [];
    const count = this.starts.length;
    if (count === 0 || start > this.ends[count - 1]!) {
      this.starts.push(start);
      this.ends.push(end);
      return [{ start, end }];
    }
    // First interval that ends at or after `start` (it may touch or overlap the new one).
    let low = 0;
    let high = count;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.ends[middle]! < start) low = middle + 1;
      else high = middle;
    }
    const added: Interval[] = [];
    let cursor = start;
    let index = low;
    let mergedStart = start;
    let mergedEnd = end;
    while (index < count && this.starts[index]! <= end) {
      const [from, to] = [this.starts[index]!, this.ends[index]!];
      if (from > cursor) added.push({ start: cursor, end: from });
      cursor = Math.max(cursor, to);
      mergedStart = Math.min(mergedStart, from);
      mergedEnd = Math.max(mergedEnd, to);
      index++;
    }
    if (cursor < end) added.push({ start: cursor, end });
    this.starts.splice(low, index - low, mergedStart);
    this.ends.splice(low, index - low, mergedEnd);
    return added;
  }

  /** The uncovered parts of [from, to). */
  holes(from: number, to: number): Interval[] {
    const holes: Interval[] = [];
    let cursor = from;
    for (let index = 0; index < this.starts.length && cursor < to; index++) {
      const [start, end] = [this.starts[index]!, this.ends[index]!];
      if (end <= cursor) continue;
      if (start > cursor) holes.push({ start: cursor, end: Math.min(start, to) });
      cursor = Math.max(cursor, end);
    }
    if (cursor < to) holes.push({ start: cursor, end: to });
    return holes;
  }

}
