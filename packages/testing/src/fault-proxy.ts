/**
 * A fault-injecting HTTP proxy on 127.0.0.1, put between a connector's real
 * API client and a simulator or replay server (the connector's base URL
 * points at the proxy). It forwards every request, rewriting the server's
 * own address in answers (GitHub's absolute Link URLs) to its own so every
 * page comes back through it, and breaks the requests its seeded schedule
 * (fault-schedule.ts) picks: 429 with Retry-After, bursts of 5xx, a reset
 * connection, a body cut short (Content-Length larger than what is sent,
 * then close), the previous page served again for the next one, 401.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { FaultSchedule, type FaultPlan, type FaultType } from './fault-schedule.js';
import { pageOf } from './page-chain.js';

export type FaultProxyOptions = FaultPlan;

export interface FaultProxy {
  url: string;
  /** Faults served so far, by type. */
  injected: Record<FaultType, number>;
  /** Requests received so far (retries included). */
  requests(): number;
  /** Resolves when the proxy has received `count` requests (as the last of them arrives, before it is answered). */
  reached(count: number): Promise<void>;
  /** When the latest request arrived (performance.now()). */
  lastRequestAt(): number;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

const HOP_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length']);
const SERVER_ERRORS = [500, 502, 503];

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(body)) };
}

/** Start a proxy in front of `target` (an http://127.0.0.1:port origin) that injects faults by `plan`. */
export async function startFaultProxy(target: string, plan: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(target);
  const schedule = new FaultSchedule(plan);
  /** The last answer the server gave for each list, to serve again as a repeated page. */
  const lastPage = new Map<string, { page: string | null; answer: Answer }>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let origin = '';
  let lastRequestAt = 0;

  function forward(req: IncomingMessage, body: Buffer): Promise<Answer> {
    const headers: IncomingHttpHeaders = { ...req.headers, host: upstream.host };
    delete headers['accept-encoding'];
    return new Promise((resolve, reject) => {
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (res) => {
        readBody(res).then((raw) => {
          const kept: Record<string, string | string[]> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined && !HOP_HEADERS.has(name)) kept[name] = typeof value === 'string' ? value.replaceAll(upstream.origin, origin) : value;
          }
          resolve({ status: res.statusCode ?? 502, headers: kept, body: Buffer.from(raw.toString('utf8').replaceAll(upstream.origin, origin)) });
        }, reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }

  function send(res: ServerResponse, answer: Answer, cut = false): void {
    res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
    if (!cut) return void res.end(answer.body);
    // Half the body, then the connection drops: the client sees fewer bytes than Content-Length promised.
    res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => res.socket?.destroy());
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    lastRequestAt = performance.now();
    for (const waiter of waiters.filter((w) => schedule.seen() + 1 >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const url = new URL(req.url ?? '/', origin);
    const { chain, page } = pageOf(req.method ?? 'GET', url, req.headers, body.toString('utf8'));
    const key = `${req.method} ${req.url} ${body.toString('utf8')}`;
    const previous = lastPage.get(chain);
    const fault = schedule.next({ key, nextPage: page !== null && previous !== undefined && previous.page !== page });
    const injected = (answer: Answer) => {
      schedule.applied(key, fault!);
      send(res, answer);
    };
    if (fault === 'reset') {
      schedule.applied(key, fault);
      return void req.socket.destroy();
    }
    if (fault === 'rate-limit') return injected(json(429, { message: 'rate limit exceeded (injected)' }, { 'retry-after': String(plan.retryAfterSeconds ?? 1) }));
    if (fault === 'server-error') return injected(json(SERVER_ERRORS[Math.floor(schedule.random() * 3)]!, { message: 'server error (injected)' }));
    if (fault === 'unauthorized') return injected(json(401, { message: 'Bad credentials (injected)' }));
    if (fault === 'repeat-page') return injected(previous!.answer);
    const answer = await forward(req, body);
    if (answer.status === 200) lastPage.set(chain, { page, answer });
    if (fault === 'truncate' && answer.status === 200 && answer.body.length >= 2) {
      schedule.applied(key, fault);
      return send(res, answer, true);
    }
    schedule.passed(key);
    send(res, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, json(502, { message: `fault proxy: ${error instanceof Error ? error.message : String(error)}` }));
      else res.socket?.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    injected: schedule.injected,
    requests: () => schedule.seen(),
    lastRequestAt: () => lastRequestAt,
    reached: (count) => new Promise((resolve) => (schedule.seen() >= count ? resolve() : waiters.push({ count, resolve }))),
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
