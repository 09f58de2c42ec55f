/**
 * Readers for the three ways most REST APIs page a list: a `Link` header
 * (RFC 8288 `rel="next"`), a cursor in the response body, and an
 * offset with a total. Each one only turns its scheme's page into the
 * `{ items, next }` of `paginate`, the one paginator: de-duplication, a
 * repeated page and the loop bound stay there. A total a page reports goes
 * to `onTotal` once (pass `(n) => ctx.reportTotal(n, { what })`), so the
 * SDK's completeness check compares it with what the stream received and a
 * list that came back short is partial, never complete.
 */
import { redactUrl, wasRevalidated } from './evidence-fetch.js';
import { nextLink, paginate, type PaginateOptions } from './paginate.js';

/** What every scheme takes from `paginate` (everything but the cursor handling), plus where a reported total goes. */
export type SchemeOptions<T> = Omit<PaginateOptions<T, unknown>, 'first' | 'fetchPage' | 'describeCursor'> & {
  /**
   * Called once, with the first total a page reports (the source's own count
   * of the population, asked before the listing moves on). Never called when
   * no page reports one.
   */
  onTotal?(total: number): void;
};

/** A reported total goes to `onTotal` the first time a page carries one. */
function totalReporter(onTotal: ((total: number) => void) | undefined): (total: number | null | undefined) => void {
  let reported = false;
  return (total) => {
    if (reported || total === null || total === undefined || !onTotal) return;
    reported = true;
    onTotal(total);
  };
}

/** Response headers as `fetch` (a `Headers`) or a client such as Octokit (a plain object) hands them over. */
export type HeadersLike = Headers | Readonly<Record<string, string | number | undefined>>;

/** One header's value, whatever form the headers come in (names compared case-insensitively). */
export function headerValue(headers: HeadersLike, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const wanted = name.toLowerCase();
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === wanted)?.[1];
  return found === undefined ? null : String(found);
}

/** A count from a header such as `X-Total-Count`; null when absent or not a whole number. */
function headerCount(headers: HeadersLike, name: string): number | null {
  const text = headerValue(headers, name)?.trim() ?? '';
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** One page of a list paged by `Link` header: its items and its response headers. */
export interface LinkPage<T> {
  items: readonly T[];
  headers: HeadersLike;
  /** A total the body reports, if the API puts it there rather than in a header. */
  total?: number | null;
}

export interface LinkPagesOptions<T> extends SchemeOptions<T> {
  /** URL of the first page. */
  url: string;
  /** Fetch the page at `url` (the first page's, then each `rel="next"` URL as the server wrote it). */
  fetchPage(url: string): Promise<LinkPage<T>>;
  /** A header carrying the population's size, e.g. `x-total-count`. */
  totalHeader?: string;
  /** The page size the URLs ask for, where the API's ETag covers the body alone (see `nextLinkedPage`). */
  pageSize?: number;
  /** The query parameter numbering pages, with `pageSize` (default `page`). */
  pageParam?: string;
}

/** The URL of the page after the one `url` asks for, by its page-number parameter (absent: page 1). */
export function pageAfter(url: string, pageParam = 'page'): string {
  const next = new URL(url);
  const page = Number(next.searchParams.get(pageParam) ?? '1');
  next.searchParams.set(pageParam, String((Number.isSafeInteger(page) && page > 0 ? page : 1) + 1));
  return next.toString();
}

/**
 * The next page of a list paged by `Link` headers: the `rel="next"` URL; and
 * where the API's ETag covers the body alone (GitHub), the page after a full
 * page (`items` of `paging.size`) that was served from a 304 without one. Its
 * headers are the stored response's, so its Link cannot name a page added
 * since its items last changed.
 */
export function nextLinkedPage(url: string, headers: HeadersLike, items: number, paging?: { size?: number; pageParam?: string }): string | null {
  const next = nextLink(headerValue(headers, 'link'));
  if (next !== null || paging?.size === undefined || items === 0 || items < paging.size) return next;
  return wasRevalidated(headers) ? pageAfter(url, paging.pageParam) : null;
}

/**
 * Every distinct item of a list paged by RFC 8288 `Link` headers (GitHub,
 * GitLab and many REST APIs): follows `rel="next"` until a page has none.
 *
 * @example
 * for await (const user of paginateByLink({
 *   what: 'users', url: `${base}/users?per_page=100`, key: (u) => u.id, totalHeader: 'x-total-count',
 *   onTotal: (n) => ctx.reportTotal(n, { what: 'users' }),
 *   fetchPage: async (url) => { const r = await ctx.fetch(url); return { items: Users.parse(await r.json()), headers: r.headers }; },
 * })) { … }
 */
export function paginateByLink<T>(options: LinkPagesOptions<T>): AsyncGenerator<T> {
  const { url, fetchPage, totalHeader, onTotal, pageSize, pageParam, ...rest } = options;
  const report = totalReporter(onTotal);
  return paginate<T, string>({
    ...rest,
    first: url,
    describeCursor: (cursor) => redactUrl(cursor ?? url),
    async fetchPage(cursor) {
      const page = await fetchPage(cursor ?? url);
      report(page.total ?? (totalHeader ? headerCount(page.headers, totalHeader) : null));
      return { items: page.items, next: nextLinkedPage(cursor ?? url, page.headers, page.items.length, { size: pageSize, pageParam }) };
    },
  });
}

/** One page of a list paged by a cursor in the body. */
export interface CursorPage<T> {
  items: readonly T[];
  /** The cursor of the next page; null, undefined or '' on the last page. */
  next: string | null | undefined;
  /**
   * When the API says so explicitly (`has_more: false`), the list ends here whatever `next` holds;
   * `true` with no `next` fails the stream (more items follow that no cursor reaches).
   */
  hasMore?: boolean;
  /** A total the page reports, if any. */
  total?: number | null;
}

export interface CursorPagesOptions<T> extends SchemeOptions<T> {
  /** Fetch the page at `cursor` (null for the first page). */
  fetchPage(cursor: string | null): Promise<CursorPage<T>>;
}

/**
 * Every distinct item of a list paged by a cursor in the response body
 * (Slack's `response_metadata.next_cursor`, Jira's `nextPageToken`, Stripe's
 * `has_more`): follows `next` until a page has none or says `hasMore: false`.
 *
 * @example
 * for await (const user of paginateByCursor({
 *   what: 'users', key: (u) => u.id,
 *   fetchPage: async (cursor) => { const body = Users.parse(await (await ctx.fetch(urlWith(cursor))).json());
 *     return { items: body.users, next: body.next_cursor }; },
 * })) { … }
 */
export async function* paginateByCursor<T>(options: CursorPagesOptions<T>): AsyncGenerator<T> {
  const { fetchPage, onTotal, ...rest } = options;
  const report = totalReporter(onTotal);
  let stranded: string | null = null;
  yield* paginate<T, string>({
    ...rest,
    first: null,
    async fetchPage(cursor) {
      const page = await fetchPage(cursor);
      report(page.total);
      const stranding = page.hasMore === true && (page.next === null || page.next === undefined || page.next === '');
      if (stranding) stranded = JSON.stringify(cursor);
      return { items: page.items, next: page.hasMore === false || stranding ? null : page.next };
    },
  });
  // A page that says more follow but names no cursor cannot be read on: its items are yielded, then the
  // stream fails, since ending the list there would keep what came as all there is.
  if (stranded !== null) throw new Error(`${rest.what}: the page at cursor ${stranded} says more items follow (hasMore) but names no cursor for them; the list cannot be read to its end`);
}

/** One page of a list paged by offset: its items and the total the API reports (null when it reports none). */
export interface OffsetPage<T> {
  items: readonly T[];
  total: number | null;
}

export interface OffsetPagesOptions<T> extends SchemeOptions<T> {
  /** Items asked for per page (the API's `limit`, `per_page`, `maxResults`). */
  pageSize: number;
  /** Offset of the first page (default 0; 1 for APIs that count from one). */
  start?: number;
  /** Fetch `limit` items from `offset`. */
  fetchPage(offset: number, limit: number): Promise<OffsetPage<T>>;
}

/**
 * Every distinct item of a list paged by offset and limit with a total
 * (`startAt`/`maxResults`/`total`, `offset`/`limit`/`count`). Each page
 * starts where the items received so far end, since many APIs serve fewer
 * than asked (a cap on `limit`). Stops at the first empty page or once the
 * items received reach the total; a short page alone never ends the list, so
 * without a total the last page is followed by one empty one. The total is
 * only a stopping hint here; whether it matches what was received is the
 * completeness check's call (`onTotal`).
 *
 * @example
 * for await (const issue of paginateByOffset({
 *   what: 'issues', key: (i) => i.id, pageSize: 50, onTotal: (n) => ctx.reportTotal(n, { what: 'issues' }),
 *   fetchPage: async (offset, limit) => { const body = Issues.parse(await (await ctx.fetch(`${base}/issues?startAt=${offset}&maxResults=${limit}`)).json());
 *     return { items: body.issues, total: body.total }; },
 * })) { … }
 */
export function paginateByOffset<T>(options: OffsetPagesOptions<T>): AsyncGenerator<T> {
  const { fetchPage, onTotal, pageSize, start = 0, ...rest } = options;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError(`paginateByOffset: pageSize must be a positive whole number, got ${String(pageSize)}`);
  const report = totalReporter(onTotal);
  return paginate<T, number>({
    ...rest,
    first: start,
    describeCursor: (offset) => `offset ${String(offset)}`,
    async fetchPage(cursor) {
      const offset = cursor ?? start;
      const page = await fetchPage(offset, pageSize);
      report(page.total);
      // APIs cap the page size silently (ask 100, get 50): the next page starts after what came, and a short page is not the end.
      const next = offset + page.items.length;
      const last = page.items.length === 0 || (page.total !== null && next - start >= page.total);
      return { items: page.items, next: last ? null : next };
    },
  });
}
