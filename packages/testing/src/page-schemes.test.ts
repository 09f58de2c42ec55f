/**
 * The SDK's pagination helpers (packages/sdk/src/page-schemes.ts), each run
 * inside a real stream (runStream through the harness) against the replay
 * server: a repeated page, an empty last page, a server that serves fewer
 * items than asked, and a reported total that disagrees with what was
 * received, which must leave the stream partial.
 * They live here because the replay server is this package's.
 */
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { defineConnector, paginateByCursor, paginateByLink, paginateByOffset, snapshotOf, type StreamContext } from '@evidentia/sdk';
import type { CassetteInput, JsonValue } from '@evidentia/cassettes';
import { runConnectorFixture } from './harness.js';

const User = z.object({ id: z.string(), name: z.string().optional() });
type Sourced = { id: string; name?: string; source: string };

/** A one-stream connector whose stream walks `/users` with the scheme under test. */
function connectorWalking(walk: (ctx: StreamContext<{ baseUrl: string }>) => AsyncGenerator<Sourced>) {
  return defineConnector({
    id: 'paging',
    version: '1.0.0',
    title: 'paging test',
    configSchema: z.object({ baseUrl: z.string() }),
    credentials: [],
    system: () => 'paging:test',
    streams: {
      users: {
        type: 'state',
        kind: 'access.account',
        controls: ['CC6.1'],
        description: 'users',
        async collect(ctx) {
          for await (const user of walk(ctx)) {
            const data = { accountId: user.id, displayName: user.name ?? null, email: null, accountType: 'member', status: 'active' as const, privileged: false, roles: [], mfa: 'unknown' as const, createdAt: null, lastLoginAt: null, credentials: [], ssoIdentity: null };
            await ctx.emit({ key: `user:${user.id}`, data, sources: [user.source] });
          }
        },
      },
    },
  });
}

const users = (...ids: string[]) => ids.map((id) => ({ id }));

function cassette(pages: Array<{ path: string; body: JsonValue; headers?: Record<string, string> }>): CassetteInput {
  return { format: 'evidentia.cassette/1', description: 'pages', interactions: pages.map(({ path, body, headers }) => ({ request: { method: 'GET', path }, response: { status: 200, headers: { 'content-type': 'application/json', ...headers }, body } })) };
}

async function run(walk: Parameters<typeof connectorWalking>[0], pages: CassetteInput) {
  const result = await runConnectorFixture({ connector: connectorWalking(walk), stream: 'users', cassettes: [pages], config: (baseUrl) => ({ baseUrl }) });
  return { ...result, keys: result.records.map((record) => record.key) };
}

describe('paginateByLink', () => {
  const walk = (ctx: StreamContext<{ baseUrl: string }>) =>
    paginateByLink<Sourced>({
      what: 'users',
      url: `${ctx.config.baseUrl}/users?page=1`,
      key: (user) => user.id,
      totalHeader: 'x-total-count',
      onTotal: (total) => ctx.reportTotal(total, { what: 'users' }),
      async fetchPage(url) {
        const response = await ctx.fetch(url);
        const source = snapshotOf(response);
        return { items: z.array(User).parse(await response.json()).map((user) => ({ ...user, source })), headers: response.headers };
      },
    });
  const link = (page: number) => ({ link: `<{{baseUrl}}/users?page=${page}>; rel="next", <{{baseUrl}}/users?page=1>; rel="first"` });
  const pages = (total: string) =>
    cassette([
      { path: '/users?page=1', body: users('a', 'b'), headers: { ...link(2), 'x-total-count': total } },
      { path: '/users?page=2', body: users('a', 'b'), headers: { ...link(3), 'x-total-count': total } },
      { path: '/users?page=3', body: users('c', 'd'), headers: { ...link(4), 'x-total-count': total } },
      { path: '/users?page=4', body: [], headers: { 'x-total-count': total } },
    ]);

  it('follows rel="next" through a repeated page to an empty last page, each item once, complete when the header total matches', async () => {
    const { outcome, keys } = await run(walk, pages('4'));
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d']);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 4, requests: 4 });
  });

  it('is partial, with both numbers, when the header total disagrees with what was received', async () => {
    const { outcome, keys } = await run(walk, pages('5'));
    expect(keys).toHaveLength(4);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toContain('received 4 of 5 users');
  });
});

describe('an item a later page repeats with other content', () => {
  const walk = (ctx: StreamContext<{ baseUrl: string }>) =>
    paginateByLink<Sourced>({
      what: 'users',
      url: `${ctx.config.baseUrl}/users?page=1`,
      key: (user) => user.id,
      totalHeader: 'x-total-count',
      onTotal: (total) => ctx.reportTotal(total, { what: 'users' }),
      async fetchPage(url) {
        const response = await ctx.fetch(url);
        const source = snapshotOf(response);
        return { items: z.array(User).parse(await response.json()).map((user) => ({ ...user, source })), headers: response.headers };
      },
    });
  const link = (page: number) => ({ link: `<{{baseUrl}}/users?page=${page}>; rel="next"`, 'x-total-count': '3' });

  it('leaves the inventory partial, naming the item that changed while the list was read, while a page served again unchanged does not', async () => {
    const { outcome, records } = await run(
      walk,
      cassette([
        { path: '/users?page=1', body: [{ id: 'a', name: 'Ann' }, { id: 'b', name: 'Bob' }], headers: link(2) },
        // Page one served again (its items the same, from another response), then b renamed while the list was read, shifted onto page three.
        { path: '/users?page=2', body: [{ id: 'a', name: 'Ann' }, { id: 'b', name: 'Bob' }], headers: link(3) },
        { path: '/users?page=3', body: [{ id: 'b', name: 'Robert' }, { id: 'c', name: 'Cy' }], headers: link(4) },
        { path: '/users?page=4', body: [], headers: { 'x-total-count': '3' } },
      ]),
    );
    // Each item once, so the count against the total stays a count.
    expect(records.map((record) => [record.key, (record.data as { displayName: string }).displayName])).toEqual([
      ['user:a', 'Ann'],
      ['user:b', 'Bob'],
      ['user:c', 'Cy'],
    ]);
    expect(outcome).toMatchObject({ status: 'partial', apiTotal: 3, records: 3 });
    expect(outcome.itemGaps).toEqual([{ item: 'users: item "b"', reason: expect.stringContaining('it changed while the list was read'), inScope: true }]);
  });
});

describe('paginateByCursor', () => {
  const Body = z.object({ users: z.array(User), next_cursor: z.string().nullable(), has_more: z.boolean().optional(), total: z.number().optional() });
  const walk = (ctx: StreamContext<{ baseUrl: string }>) =>
    paginateByCursor<Sourced>({
      what: 'users',
      key: (user) => user.id,
      onTotal: (total) => ctx.reportTotal(total, { what: 'users' }),
      async fetchPage(cursor) {
        const response = await ctx.fetch(`${ctx.config.baseUrl}/users${cursor ? `?cursor=${cursor}` : ''}`);
        const body = Body.parse(await response.json());
        const source = snapshotOf(response);
        return { items: body.users.map((user) => ({ ...user, source })), next: body.next_cursor, hasMore: body.has_more, total: body.total };
      },
    });

  it('follows the body cursor through a repeated page to an empty last page, each item once', async () => {
    const { outcome, keys } = await run(
      walk,
      cassette([
        { path: '/users', body: { users: users('a', 'b'), next_cursor: 'c2', total: 4 } },
        { path: '/users?cursor=c2', body: { users: users('a', 'b'), next_cursor: 'c3', total: 4 } },
        { path: '/users?cursor=c3', body: { users: users('c', 'd'), next_cursor: 'c4', total: 4 } },
        { path: '/users?cursor=c4', body: { users: [], next_cursor: null, total: 4 } },
      ]),
    );
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d']);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 4 });
  });

  it('stops where the page says has_more: false even if it names a cursor, and is partial when the total disagrees', async () => {
    const { outcome, keys } = await run(
      walk,
      cassette([
        { path: '/users', body: { users: users('a', 'b'), next_cursor: 'c2', has_more: true, total: 3 } },
        { path: '/users?cursor=c2', body: { users: users('c', 'd'), next_cursor: 'stale', has_more: false } },
      ]),
    );
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d']);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toContain('received 4 of 3 users');
  });

  it('fails, naming the list and the cursor, when a page says has_more: true but gives no cursor, rather than passing it as the last page', async () => {
    const { outcome, keys } = await run(
      walk,
      cassette([
        { path: '/users', body: { users: users('a', 'b'), next_cursor: 'c2', has_more: true } },
        { path: '/users?cursor=c2', body: { users: users('c', 'd'), next_cursor: null, has_more: true } },
      ]),
    );
    // What was read before stays; the list (which reports no total here) is not passed as whole.
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d']);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe('users: the page at cursor "c2" says more items follow (hasMore) but gives no cursor to them; the rest of the list cannot be read');
  });

  it("fails, naming the list, when the connector's key gives an item no identity, instead of keeping one item of the list", async () => {
    // A connector in plain JavaScript that names a field its items do not have (user.login for user.id).
    const byMissingField = (ctx: StreamContext<{ baseUrl: string }>) =>
      paginateByCursor<Sourced>({
        what: 'users',
        key: (user) => (user as unknown as { login: string }).login,
        async fetchPage(cursor) {
          const response = await ctx.fetch(`${ctx.config.baseUrl}/users${cursor ? `?cursor=${cursor}` : ''}`);
          const body = Body.parse(await response.json());
          const source = snapshotOf(response);
          return { items: body.users.map((user) => ({ ...user, source })), next: body.next_cursor };
        },
      });
    const { outcome, keys } = await run(
      byMissingField,
      cassette([
        { path: '/users', body: { users: users('a', 'b', 'c'), next_cursor: null } },
      ]),
    );
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('users: key(item) gave undefined for item 1 of the page at cursor null; it must give each item its identity as a non-empty string');
    expect(keys).toEqual([]);
  });
});

describe('paginateByOffset', () => {
  const Body = z.object({ values: z.array(User), total: z.number().nullable() });
  const walkAsking = (pageSize: number) => (ctx: StreamContext<{ baseUrl: string }>) =>
    paginateByOffset<Sourced>({
      what: 'users',
      key: (user) => user.id,
      pageSize,
      onTotal: (total) => ctx.reportTotal(total, { what: 'users' }),
      async fetchPage(offset, limit) {
        const response = await ctx.fetch(`${ctx.config.baseUrl}/users?offset=${offset}&limit=${limit}`);
        const body = Body.parse(await response.json());
        const source = snapshotOf(response);
        return { items: body.values.map((user) => ({ ...user, source })), total: body.total };
      },
    });
  const walk = walkAsking(2);
  const page = (offset: number, ids: string[], total: number | null, limit = 2) => ({ path: `/users?limit=${limit}&offset=${offset}`, body: { values: users(...ids), total } });
  // A server that caps the page size: asked for 4, it serves 2.
  const capped = (offset: number, ids: string[], total: number | null) => page(offset, ids, total, 4);

  it('walks offsets until the total is reached, complete when everything came', async () => {
    const { outcome, keys } = await run(walk, cassette([page(0, ['a', 'b'], 5), page(2, ['c', 'd'], 5), page(4, ['e'], 5)]));
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d', 'user:e']);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 5, requests: 3 });
  });

  it('a repeated page (the list shifted while paging) yields no duplicate and leaves the stream partial, not complete', async () => {
    const { outcome, keys } = await run(walk, cassette([page(0, ['a', 'b'], 4), page(2, ['a', 'b'], 4)]));
    expect(keys).toEqual(['user:a', 'user:b']);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toContain('received 2 of 4 users');
  });

  it('stops at an empty last page; a total it never reached makes the stream partial', async () => {
    const { outcome, keys } = await run(walk, cassette([page(0, ['a', 'b'], 6), page(2, ['c', 'd'], 6), page(4, [], 6)]));
    expect(keys).toHaveLength(4);
    expect(outcome.status).toBe('partial');
    expect(outcome.error).toContain('received 4 of 6 users');
  });

  it('without a total, stops at the empty page and reports no total', async () => {
    const { outcome, keys } = await run(walk, cassette([page(0, ['a', 'b'], null), page(2, ['c', 'd'], null), page(4, [], null)]));
    expect(keys).toHaveLength(4);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: null });
  });

  it('from a server that serves fewer than asked, starts each page after the items received, up to the total', async () => {
    const { outcome, keys } = await run(walkAsking(4), cassette([capped(0, ['a', 'b'], 5), capped(2, ['c', 'd'], 5), capped(4, ['e'], 5)]));
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d', 'user:e']);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 5, requests: 3 });
  });

  it('from a server that serves fewer than asked and reports no total, reads on past short pages to an empty one', async () => {
    const { outcome, keys } = await run(walkAsking(4), cassette([capped(0, ['a', 'b'], null), capped(2, ['c', 'd'], null), capped(4, ['e'], null), capped(5, [], null)]));
    expect(keys).toEqual(['user:a', 'user:b', 'user:c', 'user:d', 'user:e']);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: null, requests: 4 });
  });
});
