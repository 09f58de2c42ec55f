/**
 * Which run each record row belongs to, as verify finds it: a row is stored
 * by the first run that observed it (later runs find it by hash and store
 * nothing), so its `run_id`, which queries join on to say when a record was
 * observed, must name the first run, in chain order, whose record set holds
 * it. verify walks the manifests in chain order, so the rows a set holds that
 * no earlier set held are that run's. A run's rows are inserted together, so
 * they form a few rowid ranges: the record pass (record-scan.ts) compares
 * each row's run_id with its range as it reads the row anyway.
 */
import type { RowidMarks } from './rowid-marks.js';

/** Rowid ranges, ascending and disjoint, each with the run whose record set first holds its rows (plain arrays: sent to the record worker as they are). */
export interface HolderRanges {
  firsts: number[];
  lasts: number[];
  runs: string[];
}

interface Range {
  first: number;
  last: number;
  run: string;
}

export class FirstHolders {
  private readonly held: Range[] = [];

  /** The ranges of `rowids` (ascending) that no set marked so far holds, for `add` once they are marked. */
  unheld(rowids: readonly number[], marks: RowidMarks, runId: string): Range[] {
    const ranges: Range[] = [];
    let open: Range | undefined;
    for (const rowid of rowids) {
      if (marks.has(rowid)) continue;
      if (open && rowid === open.last + 1) open.last = rowid;
      else if (!open || rowid > open.last) ranges.push((open = { first: rowid, last: rowid, run: runId }));
    }
    return ranges;
  }

  add(ranges: readonly Range[]): void {
    for (const range of ranges) this.held.push(range);
  }

  /** Sorted, with touching ranges of one run joined (a run's streams each add a part of its rows). */
  ranges(): HolderRanges {
    const sorted = this.held.sort((a, b) => a.first - b.first);
    const out: HolderRanges = { firsts: [], lasts: [], runs: [] };
    for (const range of sorted) {
      const last = out.lasts.length - 1;
      if (last >= 0 && out.runs[last] === range.run && out.lasts[last]! + 1 === range.first) out.lasts[last] = range.last;
      else {
        out.firsts.push(range.first);
        out.lasts.push(range.last);
        out.runs.push(range.run);
      }
    }
    return out;
  }
}
