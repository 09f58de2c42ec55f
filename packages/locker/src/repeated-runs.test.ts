/**
 * Many runs of one paginated state stream through the real evidence fetch
 * and the real locker: conditional requests (ETag → 304) from the second run
 * on, items added and removed between runs, a page served twice. After every
 * run the stored inventory must equal what the server holds, and an
 * unchanged run must add no record row.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineConnector, nextLink, paginate, runStream, snapshotOf } from '@evidentia/sdk';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drain, createTestLocker, rowCount, toSchema3Snapshots, type TestLocker } from './test-locker.js';

const PER_PAGE = 100;
let members: string[] = [];
let repeatPageTwice = false;
let servedPage2 = 0;
let server: Server;
let base: string;
let requests: Array<{ path: string; status: number }> = [];

function etagOf(text: string): string {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return `"${(hash >>> 0).toString(16)}"`;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', base);
    const send = (body: unknown, headers: Record<string, string> = {}) => {
      const text = JSON.stringify(body);
      const etag = etagOf(text);
      if (request.headers['if-none-match'] === etag) {
        requests.push({ path: `${url.pathname}${url.search}`, status: 304 });
        response.writeHead(304, { etag }).end();
        return;
      }
      requests.push({ path: `${url.pathname}${url.search}`, status: 200 });
      response.writeHead(200, { 'content-type': 'application/json', etag, ...headers }).end(text);
    };
    if (url.pathname === '/orgs/acme') return send({ login: 'acme', members: members.length });
    const page = Number(url.searchParams.get('page') ?? '1');
    const last = Math.max(1, Math.ceil(members.length / PER_PAGE));
    let next = page < last ? page + 1 : null;
    if (page === 2 && repeatPageTwice && servedPage2++ === 0) next = 2;
    const items = members.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((login) => ({ login }));
    send(items, next ? { link: `<${base}/orgs/acme/members?page=${next}>; rel="next", <${base}/orgs/acme/members?page=${last}>; rel="last"` } : {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const connector = defineConnector({
  id: 'paged',
  version: '1.0.0',
  title: 'Paged',
  configSchema: z.object({}),
  credentials: [],
  system: () => 'paged:acme',
  streams: {
    members: {
      type: 'state',
      kind: 'access.account',
      description: 'org members',
      controls: ['CC6.1'],
      async collect(ctx) {
        const org = await ctx.fetch(`${base}/orgs/acme`);
        ctx.reportTotal(((await org.json()) as { members: number }).members, { what: 'organization members' });
        const pages = paginate({
          what: 'members of acme',
          first: `${base}/orgs/acme/members?page=1`,
          key: (item: { login: string; source: string }) => item.login,
          fetchPage: async (url) => {
            const response = await ctx.fetch(url!);
            const source = snapshotOf(response);
            const items = ((await response.json()) as Array<{ login: string }>).map((item) => ({ ...item, source }));
            return { items, next: nextLink(response.headers.get('link')) };
          },
        });
        for await (const member of pages) {
          await ctx.emit({
            key: member.login,
            sources: [member.source],
            data: { accountId: member.login, displayName: null, email: null, accountType: 'member', status: 'active', privileged: false, roles: [], mfa: 'unknown', createdAt: null, lastLoginAt: null, credentials: [], ssoIdentity: null },
          });
        }
      },
    },
  },
});

/** Bytes of one run's stored snapshot list for the stream. */
function listBytes(dir: string, runId: string): number {
  const db = new Database(join(dir, 'locker.db'), { readonly: true });
  try {
    return db.prepare("SELECT length(data) FROM snapshot_lists WHERE run_id = ? AND stream = 'paged/members'").pluck().get(runId) as number;
  } finally {
    db.close();
  }
}

async function collectOnce(test: TestLocker) {
  const run = await test.locker.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} });
  const sink = await run.beginStream({ instance: 'paged', connector: 'paged', connectorVersion: '1.0.0', stream: 'members', type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null });
  const outcome = await runStream({ connector, instance: 'paged', config: {}, stream: 'members', sink, cursor: null, collectorVersion: 'test', now: () => test.clock.time });
  await sink.finish({ status: outcome.status, error: outcome.error, requests: outcome.requests, apiTotal: outcome.apiTotal, cursorAfter: null, itemGaps: outcome.itemGaps });
  const manifest = await run.commit();
  const inventory = await drain(test.locker.records({ stream: 'paged/members' }));
  return { outcome, manifest, inventory };
}

describe('a paginated state stream over many runs', () => {
  let test: TestLocker;
  afterEach(() => test.cleanup());

  it('stores exactly what the source holds on every run, conditional requests and changes included', async () => {
    test = await createTestLocker();
    members = Array.from({ length: 329 }, (_, i) => `user${String(i).padStart(3, '0')}`);
    const recordRows: number[] = [];
    for (let day = 1; day <= 8; day++) {
      if (day === 5) members = [...members.filter((login) => login !== 'user150'), 'newcomer1', 'newcomer2'];
      requests = [];
      const { outcome, inventory } = await collectOnce(test);
      expect({ day, status: outcome.status, error: outcome.error }).toEqual({ day, status: 'complete', error: null });
      expect(inventory.map((record) => record.key).sort()).toEqual([...members].sort());
      // From the second run on, unchanged pages are revalidated (304) and paging still reaches the last page.
      if (day > 1 && day !== 5) expect(requests.filter((r) => r.status === 304).length).toBe(5);
      expect(requests.filter((r) => r.path.includes('page=4')).length).toBe(1);
      recordRows.push(rowCount(test.dir, 'records'));
      test.clock.advance(86_400_000);
    }
    // Unchanged days add no record row; day 5 adds the two newcomers only (the leaver's record stays, it is history).
    expect(recordRows).toEqual([329, 329, 329, 329, 331, 331, 331, 331]);
  });

  it("keeps an unchanged run's snapshot entries small: one list patched against an earlier one, no new pointer", async () => {
    test = await createTestLocker();
    members = Array.from({ length: 329 }, (_, i) => `user${String(i).padStart(3, '0')}`);
    const sizes: number[] = [];
    for (let day = 1; day <= 6; day++) {
      const { manifest } = await collectOnce(test);
      sizes.push(listBytes(test.dir, manifest.runId));
      test.clock.advance(86_400_000);
    }
    // Day 1 answered 200s, day 2 the first 304s: each stored whole. Days 3–6 asked and heard the same as day 2,
    // so each stores only its times and dates, as a patch to day 2's list.
    const [, whole, ...patched] = sizes;
    for (const size of patched) expect(size).toBeLessThan(whole! / 2);
    expect(rowCount(test.dir, 'snapshot_lists WHERE base IS NOT NULL')).toBe(4);
    // Only the first run's full 200s with an ETag are pointers: every later answer was a 304.
    expect(rowCount(test.dir, 'conditional_bases')).toBe(5);
    expect((await test.locker.verify()).problems).toEqual([]);
  });

  it('revalidates against the responses of a locker written before snapshot lists', async () => {
    test = await createTestLocker();
    members = Array.from({ length: 250 }, (_, i) => `member${i}`);
    await collectOnce(test);
    await test.locker.close();
    toSchema3Snapshots(test.dir);
    await test.reopen();
    expect(rowCount(test.dir, 'conditional_bases')).toBe(4);
    test.clock.advance(86_400_000);
    requests = [];
    const { outcome, inventory } = await collectOnce(test);
    expect(outcome.status).toBe('complete');
    expect(inventory).toHaveLength(250);
    expect(requests.filter((r) => r.status === 304)).toHaveLength(4);
    const report = await test.locker.verify();
    expect(report.problems).toEqual([]);
    expect(report.counts.snapshots).toBe(8);
  });

  it('converges when a page is served twice instead of failing the stream', async () => {
    test = await createTestLocker();
    members = Array.from({ length: 250 }, (_, i) => `member${i}`);
    repeatPageTwice = true;
    servedPage2 = 0;
    try {
      const { outcome, inventory } = await collectOnce(test);
      expect(outcome).toMatchObject({ status: 'complete', records: 250 });
      expect(inventory).toHaveLength(250);
    } finally {
      repeatPageTwice = false;
    }
  });

  it('ends partial, with the numbers, when the listing holds fewer members than the organization reports', async () => {
    test = await createTestLocker();
    members = Array.from({ length: 120 }, (_, i) => `member${i}`);
    // The source reports 329 while its listing returns 120 (a silently truncated listing).
    const truncated = connector.streams.members!;
    const shortConnector = defineConnector({
      ...connector,
      streams: {
        members: {
          ...truncated,
          async collect(ctx) {
            ctx.reportTotal(329, { what: 'organization members' });
            await truncated.collect({ ...ctx, reportTotal: () => undefined });
          },
        },
      },
    });
    const run = await test.locker.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} });
    const sink = await run.beginStream({ instance: 'paged', connector: 'paged', connectorVersion: '1.0.0', stream: 'members', type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null });
    const short = await runStream({ connector: shortConnector, instance: 'paged', config: {}, stream: 'members', sink, cursor: null, collectorVersion: 'test' });
    await sink.finish({ status: short.status, error: short.error, requests: short.requests, apiTotal: short.apiTotal, cursorAfter: null });
    const manifest = await run.commit();
    expect(short).toMatchObject({ status: 'partial', error: 'received 120 of 329 organization members the source reports' });
    expect(manifest.status).toBe('partial');
    expect(manifest.streams[0]).toMatchObject({ status: 'partial', apiTotal: 329, recordCount: 120 });
  });
});
