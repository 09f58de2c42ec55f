/**
 * Bounded concurrency: the per-user IAM reads of one ListUsers page run a few
 * at a time (never all at once, to stay within IAM's request rate), and the
 * results come back in input order so records are emitted deterministically.
 */

/** `work` over every item with at most `limit` in flight; results in input order. The first failure rejects. */
export async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
