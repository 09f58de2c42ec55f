/**
 * Record mode: a proxy on 127.0.0.1 that a connector (or any API client) is
 * pointed at instead of the real API. It forwards each request upstream,
 * answers with the upstream response, and writes the exchange to a cassette
 * that is safe to commit: request headers never stored, response headers
 * kept (a connector's total-count or paging header drives its replay) except
 * cookies and credentials, credentials the API hands out (token-shaped values,
 * token fields of a response, signatures in URLs), credential query
 * parameters and body fields removed, the config's secret values removed
 * wherever they appear, the upstream origin replaced by
 * `{{baseUrl}}`, and personal data replaced by deterministic placeholders.
 *
 * Limits: bodies are recorded as UTF-8 text (binary downloads do not
 * round-trip), and JSON numbers beyond 2^53 lose precision when parsed.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { type Cassette, CASSETTE_FORMAT, type Interaction, type JsonValue } from './cassette.js';
import { isCredentialResponseHeader, scrubRequestBody, scrubResponseBody, secretRemover, withoutCredentialParams, withoutIssuedCredentials } from './credentials.js';
import { bodyValue } from './match.js';
import { BASE_URL_PLACEHOLDER } from './replay-server.js';
import { writeFileAtomic } from '@evidentia/evidence';
import { Redactor, type RedactionOptions } from './redact.js';

export interface RecordingProxyOptions {
  /** The real API's base URL, e.g. `https://api.github.com` (a path prefix such as `/api/v3` is kept). */
  upstream: string;
  redact?: RedactionOptions;
  /**
   * Secret values the client may send (the config's resolved secrets): removed
   * wherever the cassette would keep them (path, query, request body,
   * response headers and body) and matched as any value on replay.
   */
  secrets?: Iterable<string>;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: point the client here instead of the upstream. */
  readonly baseUrl: string;
  /** The exchanges so far as a cassette (requests in arrival order). */
  cassette(description: string): Cassette;
  /** Write the cassette, pretty-printed, creating the folder if needed. */
  save(path: string, description: string): Promise<void>;
  close(): Promise<void>;
}

// Transport headers describe this connection's bytes (the body is stored decoded; replay sets its own length).
const TRANSPORT = new Set(['connection', 'keep-alive', 'content-length', 'content-encoding', 'transfer-encoding', 'trailer', 'upgrade', 'proxy-connection']);
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'accept-encoding', 'upgrade', 'proxy-authorization']);
const NOT_RETURNED = new Set(['connection', 'keep-alive', 'content-length', 'content-encoding', 'transfer-encoding', 'set-cookie']);
const TEXTUAL = /json|text|xml|javascript|x-www-form-urlencoded/i;

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** What a recording removes from one piece of text: the known secrets, then personal data. */
type Hide = (text: string) => string;

/** The path as stored: credential parameters removed, secrets and personal data in segments and query values replaced. */
function recordedPath(path: string, redactor: Redactor, hide: Hide): string {
  const clean = withoutCredentialParams(path);
  const at = clean.indexOf('?');
  const redactPart = (raw: string) => {
    const decoded = decode(raw);
    const redacted = redactor.request(hide(decoded));
    return redacted === decoded ? raw : encodeURIComponent(redacted);
  };
  const pathname = (at < 0 ? clean : clean.slice(0, at)).split('/').map(redactPart).join('/');
  if (at < 0) return pathname;
  const query = clean
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? pair : `${pair.slice(0, equals)}=${redactPart(pair.slice(equals + 1))}`;
    });
  return `${pathname}?${query.join('&')}`;
}

function recordedRequestBody(raw: string, redactor: Redactor, hide: Hide): JsonValue {
  if (raw === '') return null;
  const text = hide(raw);
  const value = bodyValue(text);
  // Raw text (and a bare JSON string or null) is stored as a string, which the replay matcher compares exactly.
  if (value === null || typeof value === 'string') {
    const scrubbed = scrubRequestBody(text);
    return typeof scrubbed === 'string' ? redactor.text(scrubbed) : scrubbed;
  }
  return redactor.requestBody(scrubRequestBody(value));
}

/** Replace every occurrence of `from` (also in the `\/`-escaped form some JSON encoders write). */
function replaceBase(text: string, from: string, to: string): string {
  return text.replaceAll(from, to).replaceAll(from.replaceAll('/', '\\/'), to.replaceAll('/', '\\/'));
}

function replaceInStrings(value: JsonValue, from: string, to: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(from, to);
  if (Array.isArray(value)) return value.map((item) => replaceInStrings(item, from, to));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceInStrings(item, from, to)]));
}

function recordedResponseBody(status: number, contentType: string, raw: string, upstream: string, redactor: Redactor, hide: Hide): JsonValue {
  if (raw === '' || status === 204 || status === 304) return null;
  const text = hide(raw);
  if (/\bjson\b/i.test(contentType)) {
    try {
      const parsed = JSON.parse(text) as JsonValue;
      // A bare JSON string would be served verbatim (without its quotes) and null as no body: keep those as text.
      if (typeof parsed !== 'string' && parsed !== null) return redactor.response(scrubResponseBody(replaceInStrings(parsed, upstream, BASE_URL_PLACEHOLDER)));
    } catch {
      // a truncated or invalid body is recorded verbatim, as the client saw it
    }
  }
  return redactor.text(replaceBase(text, upstream, BASE_URL_PLACEHOLDER));
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Start a recording proxy in front of `upstream`. */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const upstream = options.upstream.replace(/\/+$/, '');
  // fetch refuses such a URL on each request, with an error quoting it (password included) to the client.
  const parsed = URL.canParse(upstream) ? new URL(upstream) : null;
  if (parsed && (parsed.username !== '' || parsed.password !== '')) {
    parsed.username = '';
    parsed.password = '';
    throw new Error(`evidentia record: the upstream URL ${parsed.href.replace(/\/+$/, '')} holds credentials (user info); pass them as the connector's secrets instead`);
  }
  const redactor = new Redactor(options.redact);
  const removeSecrets = secretRemover(options.secrets ?? []);
  const hide: Hide = (text) => withoutIssuedCredentials(removeSecrets(text));
  const slots: Array<Interaction | null> = [];
  let baseUrl = '';

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const path = request.url ?? '/';
    const body = await readBody(request);
    const slot = slots.push(null) - 1;
    const storedPath = recordedPath(path, redactor, hide);
    const storedBody = recordedRequestBody(body.toString('utf8'), redactor, hide);

    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || NOT_FORWARDED.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const upstreamResponse = await fetch(`${upstream}${path}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : body,
      redirect: 'manual',
    });
    const bytes = Buffer.from(await upstreamResponse.arrayBuffer());
    const contentType = upstreamResponse.headers.get('content-type') ?? '';

    const kept: Record<string, string> = {};
    upstreamResponse.headers.forEach((value, name) => {
      if (!TRANSPORT.has(name) && !isCredentialResponseHeader(name)) kept[name] = redactor.text(hide(value.replaceAll(upstream, BASE_URL_PLACEHOLDER)));
    });
    slots[slot] = {
      request: { method, path: storedPath, body: storedBody },
      response: { status: upstreamResponse.status, headers: kept, body: recordedResponseBody(upstreamResponse.status, contentType, bytes.toString('utf8'), upstream, redactor, hide) },
    };

    const returned: Record<string, string> = {};
    upstreamResponse.headers.forEach((value, name) => {
      if (!NOT_RETURNED.has(name)) returned[name] = value.replaceAll(upstream, baseUrl);
    });
    const payload = TEXTUAL.test(contentType) ? Buffer.from(replaceBase(bytes.toString('utf8'), upstream, baseUrl)) : bytes;
    returned['content-length'] = String(payload.length);
    response.writeHead(upstreamResponse.status, returned);
    response.end(payload);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return response.destroy();
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`evidentia record: upstream request failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const cassette = (description: string): Cassette => ({
    format: CASSETTE_FORMAT,
    description,
    interactions: structuredClone(slots.filter((slot): slot is Interaction => slot !== null)),
  });

  return {
    baseUrl,
    cassette,
    async save(path, description) {
      await mkdir(dirname(path), { recursive: true });
      await writeFileAtomic(path, `${JSON.stringify(cassette(description), null, 2)}\n`);
    },
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
