import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvidenceFetch, redactUrl, requestBodyOf, snapshotOf, RequestBudgetExceededError, wasRevalidated, type EvidenceFetchOptions } from './evidence-fetch.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const handlers = new Map<string, Handler[]>();
let server: Server;
let base: string;

function reply(path: string, ...sequence: Handler[]) {
  handlers.set(path, sequence);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const queue = handlers.get(new URL(request.url ?? '/', 'http://x').pathname) ?? [];
    const handler = queue.length > 1 ? queue.shift() : queue[0];
    if (!handler) {
      response.writeHead(599).end();
      return;
    }
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
};

function setup(overrides: Partial<EvidenceFetchOptions> = {}) {
  const sleeps: number[] = [];
  const snapshots: Array<{ provenance: unknown; body: unknown }> = [];
  const http = createEvidenceFetch({
    fetch: globalThis.fetch,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 4 },
    maxRequests: 100,
    requestTimeoutMs: 5_000,
    signal: new AbortController().signal,
    now: () => new Date('2026-07-01T00:00:00Z'),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    snapshot: async (provenance, body) => {
      snapshots.push({ provenance, body });
      return 'a'.repeat(64);
    },
    ...overrides,
  });
  return { http, sleeps, snapshots };
}

describe('evidence fetch', () => {
  it('snapshots JSON responses with provenance but never the credentials', async () => {
    reply('/users', json(200, [{ login: 'alice' }], { etag: '"abc"', 'x-ratelimit-remaining': '4999', 'set-cookie': 'session=1' }));
    const { http, snapshots } = setup();
    const response = await http.fetch(`${base}/users?per_page=100&access_token=leak`, { headers: { authorization: 'token very-secret' } });
    expect(await response.json()).toEqual([{ login: 'alice' }]);
    expect(snapshotOf(response)).toBe('a'.repeat(64));
    expect(wasRevalidated(response)).toBe(false);
    expect(snapshots).toHaveLength(1);
    const text = JSON.stringify(snapshots);
    expect(text).not.toContain('very-secret');
    expect(text).not.toContain('leak');
    expect(text).not.toContain('session=1');
    expect(snapshots[0]?.provenance).toMatchObject({ method: 'GET', status: 200, headers: { etag: '"abc"', 'x-ratelimit-remaining': '4999' } });
  });

  it('waits for the rate-limit reset on a 403 with no quota left, then continues', async () => {
    const reset = String(Date.parse('2026-07-01T00:00:30Z') / 1000);
    reply('/limited', json(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), json(200, { ok: true }));
    const { http, sleeps } = setup();
    const response = await http.fetch(`${base}/limited`);
    expect(response.status).toBe(200);
    expect(sleeps).toEqual([31_000]);
    expect(http.requests()).toBe(2);
  });

  it("waits a minute on GitHub's secondary rate limit even when no header says how long", async () => {
    reply('/secondary', json(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }), json(200, { ok: true }));
    const { http, sleeps } = setup();
    expect((await http.fetch(`${base}/secondary`)).status).toBe(200);
    expect(sleeps).toEqual([60_000]);
  });

  it("retries Google's 403 rate-limit answer, which names its reason only in the body", async () => {
    const limited = json(403, { error: { code: 403, message: 'Quota exceeded', errors: [{ reason: 'userRateLimitExceeded', domain: 'usageLimits' }] } });
    reply('/admin/directory/v1/users', limited, json(200, { users: [] }));
    const { http, sleeps } = setup();
    expect((await http.fetch(`${base}/admin/directory/v1/users`)).status).toBe(200);
    expect(sleeps).toHaveLength(1);
  });

  it('never snapshots what the credential fetch receives', async () => {
    reply('/access_tokens', json(201, { token: 'installation-token-value' }));
    const { http, snapshots } = setup();
    const response = await http.credentialFetch(`${base}/access_tokens`, { method: 'POST' });
    expect(await response.json()).toEqual({ token: 'installation-token-value' });
    expect(snapshots).toEqual([]);
    expect(http.requests()).toBe(1);
  });

  it('backs off with jitter on 5xx and returns the last response when attempts run out', async () => {
    reply('/down', json(503, { message: 'unavailable' }));
    const { http, sleeps } = setup();
    const response = await http.fetch(`${base}/down`);
    expect(response.status).toBe(503);
    expect(sleeps).toEqual([375, 750, 1500]);
    expect(http.requests()).toBe(4);
  });

  it('refuses to wait longer than the policy allows', async () => {
    reply('/slow-down', json(429, { message: 'later' }, { 'retry-after': '7200' }));
    const { http } = setup();
    await expect(http.fetch(`${base}/slow-down`)).rejects.toThrow(/asks to wait 7200 s/);
  });

  it('treats a truncated JSON body as transient, never as data', async () => {
    reply(
      '/truncated',
      (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[{"login": "ali'),
      json(200, [{ login: 'alice' }]),
    );
    const { http, snapshots } = setup();
    const response = await http.fetch(`${base}/truncated`);
    expect(await response.json()).toEqual([{ login: 'alice' }]);
    expect(snapshots).toHaveLength(1);
  });

  it('keeps XML and CSV responses as text snapshots', async () => {
    reply('/iam', (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<ListUsersResponse><Users/></ListUsersResponse>'));
    const { http, snapshots } = setup();
    const response = await http.fetch(`${base}/iam`, { method: 'POST', body: 'Action=ListUsers&Version=2010-05-08' });
    expect(await response.text()).toBe('<ListUsersResponse><Users/></ListUsersResponse>');
    expect(snapshots[0]).toMatchObject({ body: '<ListUsersResponse><Users/></ListUsersResponse>', provenance: { requestBody: 'Action=ListUsers&Version=2010-05-08' } });
  });

  it('retries an XML body cut short, never handing it to a parser', async () => {
    reply(
      '/iam-truncated',
      (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0"?>\n<ListUsersResponse><ListUsersResult><Users><member><UserName>al'),
      (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<?xml version="1.0"?>\n<ListUsersResponse><ListUsersResult/></ListUsersResponse>\n'),
    );
    const { http, snapshots, sleeps } = setup();
    const response = await http.fetch(`${base}/iam-truncated`);
    expect(await response.text()).toContain('</ListUsersResponse>');
    expect(sleeps).toHaveLength(1);
    expect(snapshots).toHaveLength(1);
  });

  it("retries AWS throttling, which arrives as HTTP 400 with a code in the body", async () => {
    const throttled = (_req: IncomingMessage, res: ServerResponse) =>
      res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>');
    reply('/sts', throttled, (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<ok/>'));
    const { http, sleeps } = setup();
    expect((await http.fetch(`${base}/sts`)).status).toBe(200);
    expect(sleeps).toHaveLength(1);
  });

  it('revalidates a stored response with its ETag and serves (and records) the stored body on 304', async () => {
    let seen: string | undefined;
    reply('/members', (req, res) => {
      seen = req.headers['if-none-match'] as string | undefined;
      res.writeHead(304, { etag: '"v1"', 'x-ratelimit-remaining': '4999' }).end();
    });
    const { http, snapshots } = setup({ previous: async (method, url) => (method === 'GET' && url.endsWith('/members') ? { etag: '"v1"', entryHash: 'e'.repeat(64), body: [{ login: 'alice' }], headers: { link: '<https://x/members?page=2>; rel="next"' } } : null) });
    const response = await http.fetch(`${base}/members`);
    expect(seen).toBe('"v1"');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual([{ login: 'alice' }]);
    expect(response.headers.get('link')).toBe('<https://x/members?page=2>; rel="next"');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(snapshotOf(response)).toBe('a'.repeat(64));
    // Said so, for APIs whose ETag covers the body alone (the stored Link can be stale).
    expect(wasRevalidated(response)).toBe(true);
    expect(snapshots).toEqual([{ provenance: expect.objectContaining({ status: 304, headers: expect.objectContaining({ etag: '"v1"' }) }), body: [{ login: 'alice' }] }]);
  });

  it('enforces the request budget', async () => {
    reply('/cheap', json(200, {}));
    const { http } = setup({ maxRequests: 2 });
    await http.fetch(`${base}/cheap`);
    await http.fetch(`${base}/cheap`);
    await expect(http.fetch(`${base}/cheap`)).rejects.toBeInstanceOf(RequestBudgetExceededError);
  });

  it('stops when cancelled', async () => {
    reply('/any', json(200, {}));
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const { http } = setup({ signal: controller.signal });
    await expect(http.fetch(`${base}/any`)).rejects.toThrow('stop');
    expect(http.requests()).toBe(0);
  });

  it('sends and keeps the body of a Request object', async () => {
    reply('/search', (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ echoed: JSON.parse(body) as unknown })));
    });
    const { http, snapshots } = setup();
    const response = await http.fetch(new Request(`${base}/search`, { method: 'POST', body: JSON.stringify({ jql: 'project = OPS' }) }));
    expect(await response.json()).toEqual({ echoed: { jql: 'project = OPS' } });
    expect(snapshots[0]?.provenance).toMatchObject({ requestBody: { jql: 'project = OPS' } });
  });

  it("does not retry a request the caller cancelled", async () => {
    reply('/cancelled', json(200, {}));
    const controller = new AbortController();
    controller.abort(new Error('caller gave up'));
    const { http, sleeps } = setup();
    await expect(http.fetch(`${base}/cancelled`, { signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(sleeps).toEqual([]);
  });

  it('keeps POST bodies (GraphQL queries) in the provenance', async () => {
    reply('/graphql', json(200, { data: { viewer: { login: 'alice' } } }));
    const { http, snapshots } = setup();
    await http.fetch(`${base}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(snapshots[0]?.provenance).toMatchObject({ method: 'POST', requestBody: { query: '{ viewer { login } }' } });
  });
});

describe('requestBodyOf', () => {
  it('keeps queries but never the credentials a body may carry', () => {
    expect(requestBodyOf(JSON.stringify({ query: '{ viewer { login } }', auth: { token: 't0k3n', user: 'a' } }), 'application/json')).toEqual({ query: '{ viewer { login } }', auth: { token: '[redacted]', user: 'a' } });
    expect(requestBodyOf('token=xoxb-1&channel=C1&limit=200', 'application/x-www-form-urlencoded')).toBe('token=%5Bredacted%5D&channel=C1&limit=200');
    expect(requestBodyOf('Action=ListUsers&Version=2010-05-08', 'application/x-www-form-urlencoded; charset=utf-8')).toBe('Action=ListUsers&Version=2010-05-08');
    expect(requestBodyOf(null, null)).toBeNull();
  });
});

describe('redactUrl', () => {
  it('removes user-info and credential query parameters', () => {
    expect(redactUrl('https://user:pw@api.example.com/x?page=2&token=abc&api_key=k')).toBe('https://api.example.com/x?page=2&token=%5Bredacted%5D&api_key=%5Bredacted%5D');
  });
});
