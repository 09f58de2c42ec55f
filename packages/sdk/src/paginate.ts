/**
 * The one paginator every list goes through. Real APIs re-serve a page or
 * shift an offset when items are added or removed while a list is read; that
 * must neither duplicate an item nor fail the stream. So items are
 * de-duplicated by identity across pages, a repeated page or cursor is
 * tolerated, and only a real loop (several pages in a row that bring no new
 * item) fails the stream, naming the cursor where it stopped. Items missed by
 * a shift are caught by the stream's total cross-check (`reportTotal`), never
 * by silence. Nor is an item a later page serves again with other content
 * (renamed between two pages): the version first read is the one yielded, and
 * the running stream is told (`pagingScope`), which names the item: a state
 * stream is partial, since its inventory holds a version the source no
 * longer does. Each item is still yielded once, so counts stay counts. Once
 * the stream's signal aborts (cancelled, or past its time limit) no further
 * page is asked for, wherever the pages come from.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/** One page of a list: its items and the cursor of the next page (null, undefined or '' when it was the last). */
export interface Page<T, C> {
  items: readonly T[];
  next: C | null | undefined;
}

export interface PaginateOptions<T, C> {
  /** What is listed, for messages, e.g. `members of org acme`. */
  what: string;
  /** Cursor of the first page; null when the first request takes none. */
  first: C | null;
  /** Fetch the page at `cursor` (null for the first page when `first` is null). */
  fetchPage(cursor: C | null): Promise<Page<T, C>>;
  /** Stable identity of an item (an id, a login, an ARN). */
  key(item: T): string;
  /**
   * What of an item is the source's content, compared when a later page
   * serves its key again. Default: the item without its top-level `source`
   * and `sources` (the snapshot a connector attaches to each item of a page
   * differs from page to page while the item does not). Give it when items
   * carry other such fields.
   */
  content?(item: T): unknown;
  /** How a cursor is named in an error (default: its JSON text). Never include credentials. */
  describeCursor?(cursor: C | null): string;
  /** Consecutive pages without a new item after which the list is declared a loop (default 5). */
  maxStalePages?: number;
  /** Hard bound on pages for one list (default 100,000). */
  maxPages?: number;
  /**
   * Whether an empty page that points to a cursor not followed before is
   * progress (APIs that filter after paging, such as Slack's, serve empty
   * pages while more follow). An empty page pointing back to a cursor already
   * followed still counts toward the loop bound. Default false.
   */
  emptyPagesAdvance?: boolean;
}

/** A list whose pages kept coming back without new items: the stream fails with this message. */
export class PaginationLoopError extends Error {
  override name = 'PaginationLoopError';
}

const DEFAULT_STALE_PAGES = 5;
const DEFAULT_MAX_PAGES = 100_000;

function isEnd<C>(next: C | null | undefined): next is null | undefined {
  return next === null || next === undefined || (next as unknown) === '';
}

/**
 * The item's identity from the connector's `key`. One that gives none (a field
 * the items lack, in a connector without types) would make every later item a
 * duplicate of the first: the list would end as one item, and complete.
 */
function identityOf<T>(options: Pick<PaginateOptions<T, unknown>, 'what' | 'key'>, item: T, where: () => string): string {
  const key: unknown = options.key(item);
  if ((typeof key === 'string' && key !== '') || (typeof key === 'number' && Number.isFinite(key))) return key as string;
  const shown = typeof key === 'string' || typeof key === 'number' ? JSON.stringify(key) : typeof key === 'object' && key !== null ? 'an object' : String(key);
  throw new TypeError(`${options.what}: key(item) gave ${shown} for ${where()}; it must give each item its identity as a non-empty string`);
}

/** An item a later page of a list served again with other content. */
export interface ListChange {
  /** The list, as `PaginateOptions.what` names it. */
  what: string;
  /** The item's identity. */
  key: string;
}

/** What the lists a stream pages answer to: its signal, and who hears of an item that changed while read. */
export interface PagingScope {
  signal: AbortSignal;
  onChange(change: ListChange): void;
}

/** One for the process, as in sources-scope.ts: the scope of the stream whose `collect()` is running. */
const pagingScopes = new AsyncLocalStorage<PagingScope>();

/**
 * Run `work` (a stream's `collect()`) so that every list it pages stops at
 * `scope.signal` and reports an item that changed while it was read to
 * `scope.onChange`. runStream does this for every stream; a connector never
 * needs to.
 */
export function pagingScope<T>(scope: PagingScope, work: () => Promise<T>): Promise<T> {
  return pagingScopes.run(scope, work);
}

/** The default content of an item: without the snapshot a connector attached to it. */
function withoutSources(item: unknown): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const { source: _source, sources: _sources, ...content } = item as Record<string, unknown>;
  return content;
}

/**
 * A compact tag of an item's content: the first 52 bits of the SHA-256 of its
 * JSON with keys sorted (a number, so a long list costs a number per item).
 */
function contentTag(content: unknown): number {
  const text = JSON.stringify(content, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
  return Number.parseInt(createHash('sha256').update(text ?? 'undefined').digest('hex').slice(0, 13), 16);
}

/**
 * Every distinct item of a paginated list, in the order first seen, each
 * once; one a later page serves again with other content is reported to the
 * running stream (see `listChanges`).
 *
 * @example
 * for await (const user of paginate({ what: 'users', first: null, key: (u) => u.id,
 *   fetchPage: async (cursor) => { const r = await api.list({ cursor }); return { items: r.users, next: r.nextCursor }; } })) { … }
 */
export async function* paginate<T, C>(options: PaginateOptions<T, C>): AsyncGenerator<T> {
  // Each key yielded, with the tag of the content first read.
  const seen = new Map<string, number>();
  const changed = new Set<string>();
  const scope = pagingScopes.getStore();
  const contentOf = options.content ?? withoutSources;
  const maxStale = options.maxStalePages ?? DEFAULT_STALE_PAGES;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const describe = options.describeCursor ?? ((cursor: C | null) => JSON.stringify(cursor));
  let cursor: C | null = options.first;
  let stale = 0;
  const followed = new Set<string>();
  for (let pages = 1; ; pages++) {
    scope?.signal.throwIfAborted();
    const page = await options.fetchPage(cursor);
    let fresh = 0;
    for (const [index, item] of page.items.entries()) {
      const key = identityOf(options, item, () => `item ${index + 1} of the page at cursor ${describe(cursor)}`);
      const tag = contentTag(contentOf(item));
      const first = seen.get(key);
      if (first !== undefined) {
        if (first !== tag && !changed.has(key)) {
          changed.add(key);
          scope?.onChange({ what: options.what, key });
        }
        continue;
      }
      seen.set(key, tag);
      fresh++;
      yield item;
    }
    if (isEnd(page.next)) return;
    const nextKey = JSON.stringify(page.next);
    const advanced = fresh > 0 || (options.emptyPagesAdvance === true && page.items.length === 0 && !followed.has(nextKey));
    followed.add(nextKey);
    stale = advanced ? 0 : stale + 1;
    if (stale >= maxStale) {
      throw new PaginationLoopError(`${options.what}: ${stale} pages in a row brought no new item; stopped at cursor ${describe(cursor)}`);
    }
    if (pages >= maxPages) throw new PaginationLoopError(`${options.what}: more than ${maxPages} pages; stopped at cursor ${describe(cursor)}`);
    cursor = page.next;
  }
}

/** Collect a paginated list into an array (for lists that are small enough to hold). */
export async function collectPages<T, C>(options: PaginateOptions<T, C>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of paginate(options)) items.push(item);
  return items;
}

/** The `rel="next"` URL of an RFC 8288 `Link` header (GitHub, many REST APIs), or null. */
export function nextLink(link: string | null | undefined): string | null {
  if (!link) return null;
  // One link value is `<URL>` and its parameters up to the next `<`: a URL may hold commas, so the header is not split on them.
  for (const match of link.matchAll(/<([^>]*)>\s*;([^<]*)/g)) {
    if (/\brel="?([^";]*\s)?next(\s[^";]*)?"?/.test(match[2]!)) return match[1]!;
  }
  return null;
}
