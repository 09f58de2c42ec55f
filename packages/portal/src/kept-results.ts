/**
 * Results kept by key, at most `cap` of them (the least recently asked for
 * goes first), each computed once however many ask for it at the same time
 * (single flight). A failed computation is not kept: the next ask tries
 * again. `dispose` is told of each value that leaves (a file to delete),
 * with the computation it came from (what its readers hold leases on).
 */
export interface Making<T> {
  value: Promise<T>;
  /** When the computation started. */
  since: Date;
}

export class KeptResults<T> {
  private readonly entries = new Map<string, Making<T>>();

  constructor(
    private readonly cap: number,
    private readonly dispose: (value: T, making: Making<T>) => void = () => undefined,
  ) {}

  get(key: string, compute: () => Promise<T>, now: Date): Making<T> {
    const kept = this.entries.get(key);
    if (kept) {
      // Asked for again: the most recent now.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const making: Making<T> = { value: compute(), since: now };
    making.value.catch(() => this.entries.get(key) === making && this.entries.delete(key));
    this.entries.set(key, making);
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.cap) break;
      this.drop(oldest, entry);
    }
    return making;
  }

  /** Lets go of everything (the locker changed, or the portal closes). */
  clear(): void {
    for (const [key, entry] of this.entries) this.drop(key, entry);
  }

  private drop(key: string, entry: Making<T>): void {
    this.entries.delete(key);
    entry.value.then((value) => this.dispose(value, entry), () => undefined);
  }
}
