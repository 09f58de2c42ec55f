import { describe, it, expect, afterEach } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASSETTE_FORMAT, startReplayServer, type CassetteInput, type JsonValue, type ReplayServer } from './index.js';

const servers: ReplayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(interactions: CassetteInput['interactions'], options?: { record?: boolean }): Promise<ReplayServer> {
  const server = await startReplayServer([{ format: CASSETTE_FORMAT, description: 'test cassette', interactions }], options);
  servers.push(server);
  return server;
}

const ok = (body: JsonValue = { ok: true }) => ({ status: 200, headers: { 'content-type': 'application/json' }, body });

describe('startReplayServer', () => {
  it('consumes interactions matching the same request in file order', async () => {
    const server = await serve([
      { request: { method: 'GET', path: '/rate', body: null }, response: { status: 429, headers: { 'retry-after': '2' }, body: { message: 'slow down' } } },
      { request: { method: 'GET', path: '/rate', body: null }, response: ok({ n: 1 }) },
    ]);
    const first = await fetch(`${server.baseUrl}/rate`);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await first.json()).toEqual({ message: 'slow down' });
    const second = await fetch(`${server.baseUrl}/rate`);
    expect([second.status, await second.json()]).toEqual([200, { n: 1 }]);
    const third = await fetch(`${server.baseUrl}/rate`);
    expect(third.status).toBe(501);
    expect(server.requests.map((request) => [request.matched, request.status])).toEqual([
      [true, 429],
      [true, 200],
      [false, 501],
    ]);
  });

  it('matches query parameters in any order and encoding, but not different values', async () => {
    const server = await serve([{ request: { method: 'GET', path: '/orgs/acme/members?per_page=100&role=all&q=a%20b', body: null }, response: ok() }]);
    expect((await fetch(`${server.baseUrl}/orgs/acme/members?role=admin&per_page=100&q=a+b`)).status).toBe(501);
    expect((await fetch(`${server.baseUrl}/orgs/acme/members?q=a+b&role=all&per_page=100`)).status).toBe(200);
    expect(server.unused()).toEqual([]);
    expect(server.unexpected().map((request) => request.path)).toEqual(['/orgs/acme/members?role=admin&per_page=100&q=a+b']);
  });

  it('matches GraphQL bodies as JSON with whitespace runs in the query collapsed', async () => {
    const recorded = { query: 'query($org: String!) {\n  organization(login: $org) {\n    id\n  }\n}', variables: { org: 'acme' } };
    const server = await serve([{ request: { method: 'POST', path: '/graphql', body: recorded }, response: ok({ data: { organization: { id: 'O_1' } } }) }]);
    const post = (body: unknown) => fetch(`${server.baseUrl}/graphql`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    expect((await post({ variables: { org: 'other' }, query: recorded.query })).status).toBe(501);
    const matched = await post({ variables: { org: 'acme' }, query: 'query($org: String!) { organization(login: $org) { id } }' });
    expect(matched.status).toBe(200);
    expect(await matched.json()).toEqual({ data: { organization: { id: 'O_1' } } });
    expect(server.requests[1]?.body).toEqual({ variables: { org: 'acme' }, query: 'query($org: String!) { organization(login: $org) { id } }' });
  });

  it('compares a string request body exactly', async () => {
    const server = await serve([{ request: { method: 'POST', path: '/', body: 'Action=ListUsers&Version=2010-05-08' }, response: ok() }]);
    const post = (body: string) => fetch(`${server.baseUrl}/`, { method: 'POST', body });
    expect((await post('Version=2010-05-08&Action=ListUsers')).status).toBe(501);
    expect((await post('Action=ListUsers&Version=2010-05-08')).status).toBe(200);
  });

  it('replaces {{baseUrl}} in response headers and in strings inside the body', async () => {
    const server = await serve([
      {
        request: { method: 'GET', path: '/members', body: null },
        response: { status: 200, headers: { 'content-type': 'application/json', link: '<{{baseUrl}}/members?page=2>; rel="next"' }, body: [{ url: '{{baseUrl}}/users/1', nested: { html: 'see {{baseUrl}}/x' } }] },
      },
    ]);
    const response = await fetch(`${server.baseUrl}/members`);
    expect(response.headers.get('link')).toBe(`<${server.baseUrl}/members?page=2>; rel="next"`);
    expect(await response.json()).toEqual([{ url: `${server.baseUrl}/users/1`, nested: { html: `see ${server.baseUrl}/x` } }]);
  });

  it('answers an unexpected request 501 and lists it in assertDone', async () => {
    const server = await serve([]);
    const response = await fetch(`${server.baseUrl}/x?b=2`);
    expect(response.status).toBe(501);
    expect(await response.json()).toEqual({ message: 'evidentia replay: unexpected request GET /x?b=2' });
    expect(server.unexpected()).toEqual([{ method: 'GET', path: '/x?b=2', body: null, matched: false, status: 501 }]);
    expect(() => server.assertDone()).toThrow(/unexpected requests[\s\S]*GET \/x\?b=2/);
  });

  it('lists unused interactions in assertDone with method, path and cassette', async () => {
    const server = await serve([
      { request: { method: 'GET', path: '/used', body: null }, response: ok() },
      { request: { method: 'get', path: '/never?page=2', body: null }, response: ok() },
    ]);
    await fetch(`${server.baseUrl}/used`);
    expect(server.unused()).toEqual([{ cassette: 'test cassette', index: 1, method: 'GET', path: '/never?page=2' }]);
    expect(() => server.assertDone()).toThrow(/unused interactions:\n {2}GET \/never\?page=2 \(test cassette #1\)/);
  });

  it('passes assertDone when every interaction was used and nothing else was asked', async () => {
    const server = await serve([{ request: { method: 'GET', path: '/a', body: null }, response: ok() }]);
    await fetch(`${server.baseUrl}/a`);
    expect(() => server.assertDone()).not.toThrow();
  });

  it('serves a string body verbatim, such as a truncated JSON body', async () => {
    const server = await serve([{ request: { method: 'GET', path: '/broken', body: null }, response: { status: 200, headers: { 'content-type': 'application/json' }, body: '[{"login": "octo' } }]);
    const response = await fetch(`${server.baseUrl}/broken`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('[{"login": "octo');
  });

  it('sends no body for a null body and a JSON content type by default for JSON bodies', async () => {
    const server = await serve([
      { request: { method: 'DELETE', path: '/a', body: null }, response: { status: 204, body: null } },
      { request: { method: 'GET', path: '/b' }, response: { status: 200, body: { b: 1 } } },
    ]);
    const empty = await fetch(`${server.baseUrl}/a`, { method: 'DELETE' });
    expect([empty.status, await empty.text()]).toEqual([204, '']);
    const json = await fetch(`${server.baseUrl}/b`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('sends the body whole whatever Content-Length or Transfer-Encoding the cassette recorded', async () => {
    // A body edited or redacted after recording no longer has the recorded length.
    const server = await serve([
      { request: { method: 'GET', path: '/a', body: null }, response: { status: 200, headers: { 'Content-Length': '999', 'content-type': 'application/json' }, body: { ok: true } } },
      { request: { method: 'GET', path: '/b', body: null }, response: { status: 200, headers: { 'Transfer-Encoding': 'chunked' }, body: 'plain' } },
    ]);
    const a = await fetch(`${server.baseUrl}/a`);
    // Checked before the body is read: with the recorded length the client would wait for 999 bytes forever.
    expect(a.headers.get('content-length')).toBe(String('{"ok":true}'.length));
    expect(await a.json()).toEqual({ ok: true });
    const b = await fetch(`${server.baseUrl}/b`);
    expect([b.headers.get('transfer-encoding'), b.headers.get('content-length')]).toEqual([null, '5']);
    expect(await b.text()).toBe('plain');
    server.assertDone();
  });

  it('refuses a response header that cannot be sent, naming the cassette and the entry', async () => {
    const cassette = (headers: Record<string, string>): CassetteInput => ({
      format: CASSETTE_FORMAT,
      description: 'hostile headers',
      interactions: [{ request: { method: 'GET', path: '/a' }, response: { status: 200, headers } }],
    });
    await expect(startReplayServer([cassette({ 'x-injected': 'a\r\nset-cookie: s=1' })])).rejects.toThrow(/hostile headers: invalid cassette: interactions\.0\.response\.headers\.x-injected: /);
    await expect(startReplayServer([cassette({ 'bad name': 'x' })])).rejects.toThrow(/hostile headers: invalid cassette: interactions\.0\.response\.headers\.bad name: /);
  });

  it('keeps token-shaped values of a request out of its log, its draft and the assertDone message', async () => {
    // `connectors try --cassette` prints the requests, and its config may hold the real token.
    const token = `ghp_${'Zq7w'.repeat(9)}`;
    const server = await serve([], { record: true });
    await fetch(`${server.baseUrl}/keys/${token}/scopes?state=${token}`, { method: 'POST', body: JSON.stringify({ variables: { login: 'octo', auth: token } }) });
    expect(server.requests.map(({ path, body }) => [path, body])).toEqual([['/keys/[redacted]/scopes?state=[redacted]', { variables: { login: 'octo', auth: '[redacted]' } }]]);
    expect(JSON.stringify(server.draftCassette())).not.toContain(token);
    expect(() => server.assertDone()).toThrow(/unexpected requests/);
    expect(() => server.assertDone()).not.toThrow(new RegExp(token));
  });

  it('waits delayMs before answering', async () => {
    const server = await serve([{ request: { method: 'GET', path: '/slow', body: null }, response: { ...ok(), delayMs: 120 } }]);
    const started = Date.now();
    await fetch(`${server.baseUrl}/slow`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('ignores credential query parameters when matching and keeps them out of the log', async () => {
    const server = await serve([{ request: { method: 'GET', path: '/files?alt=json', body: null }, response: ok() }]);
    const secretParam = ['access', 'token'].join('_');
    expect((await fetch(`${server.baseUrl}/files?${secretParam}=abc123&alt=json`)).status).toBe(200);
    expect(server.requests[0]?.path).toBe('/files?alt=json');
  });

  it('drafts the unexpected requests as a cassette in record mode', async () => {
    const server = await serve([], { record: true });
    await fetch(`${server.baseUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(server.draftCassette().interactions).toEqual([
      { request: { method: 'POST', path: '/graphql', body: { query: '{ viewer { login } }' } }, response: { status: 501, headers: {}, body: null } },
    ]);
  });

  it('loads cassettes from files, in the order given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evidentia-replay-'));
    const file = join(dir, 'a.json');
    await writeFile(file, JSON.stringify({ format: CASSETTE_FORMAT, description: 'from a file', interactions: [{ request: { method: 'GET', path: '/p', body: null }, response: ok({ from: 'file' }) }] }));
    const server = await startReplayServer([file, { format: CASSETTE_FORMAT, description: 'inline', interactions: [{ request: { method: 'GET', path: '/p', body: null }, response: ok({ from: 'inline' }) }] }]);
    servers.push(server);
    expect(await (await fetch(`${server.baseUrl}/p`)).json()).toEqual({ from: 'file' });
    expect(await (await fetch(`${server.baseUrl}/p`)).json()).toEqual({ from: 'inline' });
  });
});
