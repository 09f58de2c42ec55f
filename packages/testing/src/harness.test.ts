import { describe, it, expect } from '@jest/globals';
import { z } from 'zod';
import { defineConnector, snapshotOf } from '@evidentia/sdk';
import { CASSETTE_FORMAT, runConnectorFixture, type CassetteInput } from './index.js';

const configSchema = z.object({ baseUrl: z.string() });
type DemoConfig = z.infer<typeof configSchema>;
const membersSchema = z.array(z.object({ id: z.number(), login: z.string(), email: z.string().nullable(), role: z.enum(['admin', 'member']) }));
const eventsSchema = z.array(z.object({ action: z.string(), actor: z.string(), at: z.string() }));

function nextLink(header: string | null): string | null {
  return /<([^>]+)>;\s*rel="next"/.exec(header ?? '')?.[1] ?? null;
}

/** A tiny connector: org members, paged by Link header, and an audit log collected by time range. */
const demo = defineConnector<DemoConfig>({
  id: 'demo',
  version: '1.0.0',
  title: 'Demo',
  configSchema,
  credentials: [],
  system: () => 'demo:acme',
  streams: {
    members: {
      type: 'state',
      kind: 'access.account',
      description: 'organization members',
      controls: ['CC6.1'],
      async collect(ctx) {
        let url: string | null = `${ctx.config.baseUrl}/orgs/acme/members?per_page=2`;
        while (url !== null) {
          const response = await ctx.fetch(url);
          if (!response.ok) throw new Error(`GET members answered HTTP ${response.status}`);
          for (const member of membersSchema.parse(await response.json())) {
            await ctx.emit({
              key: String(member.id),
              sources: [snapshotOf(response)],
              data: {
                accountId: String(member.id),
                displayName: member.login,
                email: member.email,
                accountType: 'member',
                status: 'active',
                privileged: member.role === 'admin',
                roles: [member.role],
                mfa: 'unknown',
                createdAt: null,
                lastLoginAt: null,
                credentials: [],
                ssoIdentity: null,
              },
            });
          }
          url = nextLink(response.headers.get('link'));
        }
      },
    },
    audit: {
      type: 'event',
      kind: 'audit.event',
      description: 'audit log',
      controls: ['CC7.2'],
      overlapMs: 30 * 60_000,
      async collect(ctx) {
        const since = ctx.range?.since?.toISOString() ?? '';
        const until = ctx.range?.until.toISOString() ?? '';
        const response = await ctx.fetch(`${ctx.config.baseUrl}/audit?since=${encodeURIComponent(since)}&until=${encodeURIComponent(until)}`);
        if (!response.ok) throw new Error(`GET audit answered HTTP ${response.status}`);
        for (const event of eventsSchema.parse(await response.json())) {
          await ctx.emit({
            key: `${event.at}/${event.action}`,
            occurredAt: event.at,
            sources: [snapshotOf(response)],
            data: { actor: { login: event.actor }, action: event.action, target: null, at: event.at, sourceAddress: null, outcome: null },
          });
        }
      },
    },
  },
});

type Interactions = CassetteInput['interactions'];
const json = { 'content-type': 'application/json; charset=utf-8' };
const page1 = {
  request: { method: 'GET', path: '/orgs/acme/members?per_page=2', body: null },
  response: {
    status: 200,
    headers: { ...json, link: '<{{baseUrl}}/orgs/acme/members?per_page=2&page=2>; rel="next"', 'x-ratelimit-remaining': '4990' },
    body: [
      { id: 1, login: 'octocat', email: 'user1@example.com', role: 'admin' },
      { id: 2, login: 'hubot', email: null, role: 'member' },
    ],
  },
};
// Requested with the query in the order the Link header gives; recorded in another order on purpose.
const page2Request = { method: 'GET', path: '/orgs/acme/members?page=2&per_page=2', body: null };
const page2 = { request: page2Request, response: { status: 200, headers: json, body: [{ id: 3, login: 'monalisa', email: 'user2@example.com', role: 'member' }] } };
const status = (code: number, headers: Record<string, string> = json) => ({ request: page2Request, response: { status: code, headers, body: { message: `status ${code}` } } });

function membersRun(interactions: Interactions, options: { strict?: boolean } = {}) {
  return runConnectorFixture({
    connector: demo,
    stream: 'members',
    cassettes: [{ format: CASSETTE_FORMAT, description: 'members', interactions }],
    config: (baseUrl) => ({ baseUrl }),
    ...options,
  });
}

describe('runConnectorFixture', () => {
  it('runs a stream through two pages and returns its records and snapshots', async () => {
    const { outcome, records, snapshots, sleeps, requests } = await membersRun([page1, page2]);
    expect(outcome).toMatchObject({ status: 'complete', error: null, requests: 2, records: 3, snapshots: 2, cursorAfter: null });
    expect(records.map((record) => [record.key, record.data.displayName, record.stream, record.system])).toEqual([
      ['1', 'octocat', 'demo/members', 'demo:acme'],
      ['2', 'hubot', 'demo/members', 'demo:acme'],
      ['3', 'monalisa', 'demo/members', 'demo:acme'],
    ]);
    expect(records[0]?.controls).toEqual(['CC6.1']);
    expect(records[0]?.sources).toEqual([snapshots[0]?.hash]);
    expect(records[2]?.sources).toEqual([snapshots[1]?.hash]);
    expect(snapshots[0]?.provenance).toMatchObject({
      method: 'GET',
      status: 200,
      collectedAt: '2026-07-01T00:00:00.000Z',
      connector: 'demo',
      headers: { 'x-ratelimit-remaining': '4990' },
    });
    expect(snapshots[0]?.provenance.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/orgs\/acme\/members\?per_page=2$/);
    expect(snapshots[1]?.body).toEqual(page2.response.body);
    expect(sleeps).toEqual([]);
    expect(requests.map((request) => request.path)).toEqual(['/orgs/acme/members?per_page=2', '/orgs/acme/members?per_page=2&page=2']);
  });

  it('honours Retry-After on a 429 without sleeping and completes', async () => {
    const { outcome, records, sleeps, requests } = await membersRun([page1, status(429, { ...json, 'retry-after': '2' }), page2]);
    expect(outcome.status).toBe('complete');
    expect(sleeps).toEqual([2000]);
    expect(records).toHaveLength(3);
    expect(requests.map((request) => request.status)).toEqual([200, 429, 200]);
  });

  it('rides out a burst of 502s with backoff and stores no duplicate records', async () => {
    const { outcome, records, sleeps } = await membersRun([page1, status(502), status(502), status(502), page2]);
    expect(outcome).toMatchObject({ status: 'complete', requests: 5 });
    expect(sleeps).toEqual([375, 750, 1500]);
    expect(records.map((record) => record.key)).toEqual(['1', '2', '3']);
  });

  it('reports a 401 as a failed stream with no cursor', async () => {
    const unauthorized = { request: page1.request, response: { status: 401, headers: json, body: { message: 'Bad credentials' } } };
    const { outcome, records, sleeps } = await membersRun([unauthorized]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('401');
    expect(outcome.cursorAfter).toBeNull();
    expect(records).toEqual([]);
    expect(sleeps).toEqual([]);
  });

  it('retries a 200 whose body is truncated and keeps only the real body', async () => {
    const truncated = { request: page2Request, response: { status: 200, headers: json, body: '[{"id": 3, "login": "mona' } };
    const { outcome, records, snapshots, sleeps } = await membersRun([page1, truncated, page2]);
    expect(outcome.status).toBe('complete');
    expect(sleeps).toHaveLength(1);
    expect(records).toHaveLength(3);
    expect(snapshots.map((snapshot) => snapshot.body)).toEqual([page1.response.body, page2.response.body]);
  });

  it('collects an event stream from the cursor minus the overlap up to now', async () => {
    const events = [{ action: 'org.add_member', actor: 'octocat', at: '2026-06-30T12:30:00Z' }];
    const { outcome, records } = await runConnectorFixture({
      connector: demo,
      stream: 'audit',
      cursor: '2026-06-30T12:00:00.000Z',
      config: (baseUrl) => ({ baseUrl }),
      cassettes: [
        {
          format: CASSETTE_FORMAT,
          description: 'audit log since the cursor minus 30 minutes',
          interactions: [{ request: { method: 'GET', path: '/audit?since=2026-06-30T11:30:00.000Z&until=2026-07-01T00:00:00.000Z', body: null }, response: { status: 200, headers: json, body: events } }],
        },
      ],
    });
    expect(outcome.range).toEqual({ since: new Date('2026-06-30T11:30:00Z'), until: new Date('2026-07-01T00:00:00Z') });
    expect(outcome).toMatchObject({ status: 'complete', cursorBefore: '2026-06-30T12:00:00.000Z', cursorAfter: '2026-07-01T00:00:00.000Z' });
    expect(records.map((record) => [record.kind, record.occurredAt])).toEqual([['audit.event', '2026-06-30T12:30:00Z']]);
  });

  it('throws in strict mode when a request was not recorded, saying why the stream failed', async () => {
    const run = membersRun([page1]);
    await expect(run).rejects.toThrow(/unexpected requests \(answered 501\):\n {2}GET \/orgs\/acme\/members\?per_page=2&page=2[\s\S]*the stream failed: GET members answered HTTP 501/);
  });

  it('throws in strict mode when an interaction was not used, and not when strict is off', async () => {
    await expect(membersRun([page1, page2, page2])).rejects.toThrow(/unused interactions:\n {2}GET \/orgs\/acme\/members\?page=2&per_page=2 \(members #2\)/);
    const { outcome } = await membersRun([page1, page2, page2], { strict: false });
    expect(outcome.status).toBe('complete');
  });

  it('fails the stream when the request budget runs out', async () => {
    const { outcome } = await runConnectorFixture({
      connector: demo,
      stream: 'members',
      cassettes: [{ format: CASSETTE_FORMAT, description: 'members', interactions: [page1] }],
      config: (baseUrl) => ({ baseUrl }),
      maxRequests: 1,
    });
    expect(outcome).toMatchObject({ status: 'failed', records: 2 });
    expect(outcome.error).toMatch(/request budget of 1/);
  });
});
