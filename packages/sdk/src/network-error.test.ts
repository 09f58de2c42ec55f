/**
 * Requests that never get an HTTP answer, provoked for real on 127.0.0.1: a
 * closed port, TLS spoken to a plain HTTP server, a server that never
 * answers. Each is said as a network error naming the host, never as an
 * HTTP status, also when a client wraps it the way Octokit does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEvidenceFetch, HttpExchangeError, NetworkError } from './evidence-fetch.js';
import { describeError } from './describe-error.js';
import { networkFailure } from './network-error.js';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';

let silent: Server;
let silentPort: number;
let closedPort: number;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  silent = createServer(() => {
    // never answers
  });
  silentPort = await listen(silent);
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

function evidenceFetch(requestTimeoutMs = 5_000) {
  return createEvidenceFetch({
    fetch: globalThis.fetch,
    policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 },
    maxRequests: 10,
    requestTimeoutMs,
    signal: new AbortController().signal,
    now: () => new Date(),
    sleep: async () => {},
    random: () => 0.5,
    snapshot: async () => 'a'.repeat(64),
  });
}

async function failureOf(url: string, requestTimeoutMs?: number): Promise<Error> {
  const http = evidenceFetch(requestTimeoutMs);
  return http.fetch(url).then(
    () => {
      throw new Error(`expected ${url} to fail`);
    },
    (error: Error) => error,
  );
}

describe('network failures', () => {
  it('a closed port is a refused connection, after the retries', async () => {
    const error = await failureOf(`http://127.0.0.1:${closedPort}/orgs/acme`);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(`network error: GET http://127.0.0.1:${closedPort}/orgs/acme failed after 2 attempts: connection refused by 127.0.0.1:${closedPort}`);
  });

  it('TLS spoken to a plain HTTP server is a TLS failure with OpenSSL’s reason, not its raw text', async () => {
    const error = await failureOf(`https://127.0.0.1:${silentPort}/`);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toMatch(new RegExp(`TLS with 127\\.0\\.0\\.1:${silentPort} failed: [a-z ]+ \\((ERR_SSL|EPROTO)`));
    expect(error.message).not.toContain('SSL routines');
  });

  it('a server that never answers is a timeout', async () => {
    const error = await failureOf(`http://127.0.0.1:${silentPort}/slow`, 150);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(`no answer from 127.0.0.1:${silentPort} in time (request timeout)`);
  });

  it('a client that wraps the failure as status 500 (as Octokit does) is still described as a network error', async () => {
    const cause = await failureOf(`http://127.0.0.1:${closedPort}/user`);
    const wrapped = Object.assign(new Error(cause.message), { status: 500, request: { method: 'GET', url: `http://127.0.0.1:${closedPort}/user` }, cause });
    expect(describeError(wrapped)).toBe(cause.message);
    expect(describeError(wrapped)).not.toContain('HTTP 500');
  });

  it('an HTTP answer, however bad, is not a network failure', () => {
    expect(networkFailure(new HttpExchangeError('GET /x: HTTP 503 after 2 attempts'), 'http://127.0.0.1/x')).toBeNull();
    expect(networkFailure(Object.assign(new Error('Not Found'), { status: 404 }), 'http://127.0.0.1/x')).toBeNull();
  });

  it('a host name that does not resolve names the host and the DNS code', () => {
    // The shape Node's resolver gives (a test may not query DNS: no test reaches the network).
    const dns = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.github.example'), { code: 'ENOTFOUND', hostname: 'api.github.example' }) });
    expect(networkFailure(dns, 'https://api.github.example/user')).toBe('the host name api.github.example does not resolve (DNS ENOTFOUND)');
  });
});
