/**
 * Leases on files that are kept for a while and then removed, counted per
 * file: a reader takes one before it opens the file and gives it back when
 * it is done with it; whoever removes the file waits until no lease on it is
 * held. Without them a reader handed a file could find it removed before it
 * opened it.
 */

export interface Lease {
  /** Gives the lease back; again does nothing. */
  release(): void;
}

interface Held {
  count: number;
  freed: Array<() => void>;
}

export class FileLeases<K> {
  private readonly held = new Map<K, Held>();

  /** A lease on `file`, held until released. */
  take(file: K): Lease {
    const held = this.held.get(file) ?? { count: 0, freed: [] };
    this.held.set(file, held);
    held.count += 1;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        held.count -= 1;
        if (held.count > 0) return;
        this.held.delete(file);
        for (const resolve of held.freed) resolve();
      },
    };
  }

  /** Resolves once no lease on `file` is held: at once when none is, else when the last one is given back. */
  free(file: K): Promise<void> {
    const held = this.held.get(file);
    return held ? new Promise((resolve) => held.freed.push(resolve)) : Promise.resolve();
  }

  /** How many leases are held, on every file. */
  count(): number {
    let count = 0;
    for (const held of this.held.values()) count += held.count;
    return count;
  }
}
