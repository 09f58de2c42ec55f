import { describe, expect, it } from '@jest/globals';
import { REVALIDATED_HEADER } from './evidence-fetch.js';
import { nextLinkedPage, pageAfter } from './page-schemes.js';
import { collectPages, nextLink, PaginationLoopError, type Page } from './paginate.js';

/** Pages keyed by cursor; `null` is the first page. */
function pagesOf(pages: Record<string, Page<{ id: string }, string>>) {
  const requested: Array<string | null> = [];
  return {
    requested,
    fetchPage: async (cursor: string | null) => {
      requested.push(cursor);
      const page = pages[cursor ?? 'first'];
      if (!page) throw new Error(`no page ${cursor}`);
      return page;
    },
  };
}

const ids = (...values: string[]) => values.map((id) => ({ id }));

describe('paginate', () => {
  it('walks every page to the end and yields each item once, in the order first seen', async () => {
    const source = pagesOf({ first: { items: ids('a', 'b'), next: 'p2' }, p2: { items: ids('c', 'd'), next: 'p3' }, p3: { items: ids('e'), next: null } });
    const items = await collectPages<{ id: string }, string>({ what: 'users', first: null, key: (item) => item.id, fetchPage: source.fetchPage });
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(source.requested).toEqual([null, 'p2', 'p3']);
  });

  it('tolerates a page served twice (the same cursor coming back) without duplicating an item', async () => {
    let servedP2 = 0;
    const pages: Record<string, Page<{ id: string }, string>> = {
      first: { items: ids('a', 'b'), next: 'p2' },
      p3: { items: ids('e', 'f'), next: null },
    };
    const items = await collectPages<{ id: string }, string>({
      what: 'users',
      first: null,
      key: (item) => item.id,
      fetchPage: async (cursor) => {
        if (cursor === 'p2') return ++servedP2 === 1 ? { items: ids('c', 'd'), next: 'p2' } : { items: ids('c', 'd'), next: 'p3' };
        return pages[cursor ?? 'first']!;
      },
    });
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(servedP2).toBe(2);
  });

  it('tolerates a shifted offset that repeats the last item of the previous page', async () => {
    const source = pagesOf({ first: { items: ids('a', 'b', 'c'), next: '3' }, 3: { items: ids('c', 'd', 'e'), next: '6' }, 6: { items: ids('f'), next: undefined } });
    const items = await collectPages<{ id: string }, string>({ what: 'users', first: null, key: (item) => item.id, fetchPage: source.fetchPage });
    expect(items.map((item) => item.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('fails only on a real loop: pages that keep bringing nothing new, naming the cursor', async () => {
    const source = pagesOf({ first: { items: ids('a'), next: 'x' }, x: { items: ids('a'), next: 'y' }, y: { items: ids('a'), next: 'x' } });
    const listing = collectPages<{ id: string }, string>({ what: 'members of org acme', first: null, key: (item) => item.id, fetchPage: source.fetchPage, maxStalePages: 3 });
    await expect(listing).rejects.toThrow(PaginationLoopError);
    await expect(collectPages<{ id: string }, string>({ what: 'members of org acme', first: null, key: (item) => item.id, fetchPage: source.fetchPage, maxStalePages: 3 })).rejects.toThrow(
      'members of org acme: 3 pages in a row brought no new item; stopped at cursor "x"',
    );
  });

  it('keeps going through empty pages that still carry a cursor, within the bound', async () => {
    const source = pagesOf({ first: { items: ids('a'), next: 'e1' }, e1: { items: [], next: 'e2' }, e2: { items: [], next: 'p' }, p: { items: ids('b'), next: '' } });
    const items = await collectPages<{ id: string }, string>({ what: 'channels', first: null, key: (item) => item.id, fetchPage: source.fetchPage });
    expect(items.map((item) => item.id)).toEqual(['a', 'b']);
  });

  it('stops at the hard page bound', async () => {
    let n = 0;
    const listing = collectPages<{ id: string }, string>({ what: 'events', first: null, key: (item: { id: string }) => item.id, maxPages: 10, fetchPage: async () => ({ items: ids(String(n++)), next: `c${n}` }) });
    await expect(listing).rejects.toThrow('events: more than 10 pages; stopped at cursor "c9"');
  });
});

describe('nextLink', () => {
  it('finds rel="next" among other relations, with or without quotes', () => {
    const link = '<https://api.example.test/orgs/acme/members?page=2>; rel="next", <https://api.example.test/orgs/acme/members?page=5>; rel="last"';
    expect(nextLink(link)).toBe('https://api.example.test/orgs/acme/members?page=2');
    expect(nextLink('<https://x.test/a?page=1>; rel="prev first", <https://x.test/a?page=3>; rel=next')).toBe('https://x.test/a?page=3');
  });

  it('keeps a URL whole when it holds a comma (the header is split on link values, not on every comma)', () => {
    expect(nextLink('<https://x.test/search?q=a,b&page=1>; rel="prev", <https://x.test/search?q=a,b&page=3>; rel="next"')).toBe('https://x.test/search?q=a,b&page=3');
    expect(nextLink('<https://x.test/a?fields=id,name&page=2>; rel="next"')).toBe('https://x.test/a?fields=id,name&page=2');
  });

  it('returns null without a next relation', () => {
    expect(nextLink('<https://x.test/a?page=1>; rel="prev"')).toBeNull();
    expect(nextLink(undefined)).toBeNull();
    expect(nextLink('')).toBeNull();
  });
});

describe('paginate through empty pages (emptyPagesAdvance)', () => {
  it('follows a long run of empty pages that each point to a new cursor', async () => {
    const pages: Record<string, Page<{ id: string }, string>> = { first: { items: ids('a'), next: 'e1' } };
    for (let i = 1; i <= 8; i++) pages[`e${i}`] = { items: [], next: i < 8 ? `e${i + 1}` : 'last' };
    pages.last = { items: ids('b'), next: null };
    const source = pagesOf(pages);
    const items = await collectPages<{ id: string }, string>({ what: 'channels', first: null, key: (item) => item.id, fetchPage: source.fetchPage, emptyPagesAdvance: true });
    expect(items.map((item) => item.id)).toEqual(['a', 'b']);
    // Without the option the same list is a loop after five pages without a new item.
    await expect(collectPages<{ id: string }, string>({ what: 'channels', first: null, key: (item) => item.id, fetchPage: pagesOf(pages).fetchPage })).rejects.toThrow(PaginationLoopError);
  });

  it('still fails when empty pages point back to cursors already followed', async () => {
    const source = pagesOf({ first: { items: ids('a'), next: 'x' }, x: { items: [], next: 'y' }, y: { items: [], next: 'x' } });
    await expect(collectPages<{ id: string }, string>({ what: 'channels', first: null, key: (item) => item.id, fetchPage: source.fetchPage, emptyPagesAdvance: true })).rejects.toThrow(
      'channels: 5 pages in a row brought no new item',
    );
  });
});

describe('nextLinkedPage: a Link that a 304 may have left stale', () => {
  const url = 'https://api.example.test/orgs/acme/outside_collaborators?per_page=100';
  const revalidated = { [REVALIDATED_HEADER]: '1' };
  const next = '<https://api.example.test/orgs/acme/outside_collaborators?per_page=100&page=2>; rel="next"';

  it('asks for the page after a full page served from a 304 without a next link (an ETag over the body alone)', () => {
    expect(nextLinkedPage(url, revalidated, 100, { size: 100 })).toBe(`${url}&page=2`);
    expect(nextLinkedPage(`${url}&page=3`, new Headers(revalidated), 100, { size: 100 })).toBe(`${url}&page=4`);
    expect(nextLinkedPage('https://x.test/items?p=7&size=50', revalidated, 50, { size: 50, pageParam: 'p' })).toBe('https://x.test/items?p=8&size=50');
  });

  it('trusts the Link of a fresh response, of a short or empty page, and a next link whenever there is one', () => {
    expect(nextLinkedPage(url, {}, 100, { size: 100 })).toBeNull();
    expect(nextLinkedPage(url, revalidated, 99, { size: 100 })).toBeNull();
    expect(nextLinkedPage(url, revalidated, 0, { size: 100 })).toBeNull();
    expect(nextLinkedPage(url, revalidated, 100)).toBeNull();
    expect(nextLinkedPage(url, { ...revalidated, link: next }, 100, { size: 100 })).toBe(`${url}&page=2`);
  });

  it('numbers from page 1 when the URL names no page or a nonsensical one', () => {
    expect(pageAfter('https://x.test/a?page=abc')).toBe('https://x.test/a?page=2');
    expect(pageAfter('https://x.test/a')).toBe('https://x.test/a?page=2');
  });
});
