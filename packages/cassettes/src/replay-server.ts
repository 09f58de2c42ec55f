/**
 * The fixture replay server: a real HTTP server on 127.0.0.1 that answers
 * from cassettes, so connector tests run the real API clients with no mocks
 * and no network. It is strict the way Renovate's http mock is: each recorded
 * interaction answers once, in file order, and both a request nobody recorded
 * and a recording nobody asked for are failures (see `assertDone`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { CASSETTE_FORMAT, loadCassette, parseCassette, type Cassette, type CassetteInput, type Interaction, type JsonValue } from './cassette.js';
import { scrubRequestBody, withoutCredentialParams, withoutIssuedCredentials } from './credentials.js';
import { bodyValue, requestMatches } from './match.js';

const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** Placeholder in recorded responses for the server's own base URL. */
export const BASE_URL_PLACEHOLDER = '{{baseUrl}}';

/** One request the server received. Credentials (by name or by shape) are left out of `path` and `body`. */
export interface ReplayedRequest {
  method: string;
  /** Path and query string, without credential-bearing query parameters. */
  path: string;
  /** null when empty, the JSON value when the body parses, else the raw text. */
  body: JsonValue;
  /** False when no interaction matched (the request was answered 501). */
  matched: boolean;
  status: number;
}

/** A recorded interaction no request consumed. */
export interface UnusedInteraction {
  /** The cassette's file path, or its description for an inline cassette. */
  cassette: string;
  /** 0-based position in the cassette's `interactions`. */
  index: number;
  method: string;
  path: string;
}

export interface ReplayServerOptions {
  /**
   * Keep a draft interaction for every request that matched nothing (see
   * `draftCassette`), to help write a fixture by hand. Those requests are still
   * answered 501 and still fail `assertDone`.
   */
  record?: boolean;
}

export interface ReplayServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string;
  /** Every request received, in arrival order. */
  readonly requests: readonly ReplayedRequest[];
  /** The requests no interaction matched. */
  unexpected(): ReplayedRequest[];
  /** The interactions no request consumed, in cassette order. */
  unused(): UnusedInteraction[];
  /** Throws an Error listing every unexpected request and every unused interaction; returns when there are none. */
  assertDone(): void;
  /** With `record: true`: the unexpected requests as a cassette whose responses (501 placeholders) are to be filled in. */
  draftCassette(): Cassette;
  /** Stop listening and drop open connections. Safe to call twice. */
  close(): Promise<void>;
}

interface Slot {
  source: string;
  index: number;
  interaction: Interaction;
  used: boolean;
}

async function loadAll(cassettes: ReadonlyArray<CassetteInput | string>): Promise<Slot[]> {
  const loaded = await Promise.all(
    cassettes.map(async (item, position) => {
      if (typeof item === 'string') return { source: item, cassette: await loadCassette(item) };
      const source = typeof item.description === 'string' && item.description !== '' ? item.description : `inline cassette #${position + 1}`;
      return { source, cassette: parseCassette(item, source) };
    }),
  );
  return loaded.flatMap(({ source, cassette }) => cassette.interactions.map((interaction, index) => ({ source, index, interaction, used: false })));
}

/** Every string in a JSON value with `{{baseUrl}}` replaced. */
function substitute(value: JsonValue, baseUrl: string): JsonValue {
  if (typeof value === 'string') return value.replaceAll(BASE_URL_PLACEHOLDER, baseUrl);
  if (Array.isArray(value)) return value.map((item) => substitute(item, baseUrl));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, baseUrl)]));
}

function excerpt(body: JsonValue): string {
  if (body === null) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return ` ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Start a replay server answering from the given cassettes (parsed values or
 * file paths), whose interactions form one queue in the order given.
 */
export async function startReplayServer(cassettes: ReadonlyArray<CassetteInput | string>, options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const slots = await loadAll(cassettes);
  const log: ReplayedRequest[] = [];
  const drafts: Interaction[] = [];
  const closing = new AbortController();
  let baseUrl = '';

  async function answer(slot: Slot, response: ServerResponse): Promise<void> {
    const recorded = slot.interaction.response;
    if (recorded.delayMs) await delay(recorded.delayMs, undefined, { signal: closing.signal });
    // The body's framing is the server's own: a recorded length is stale once a body is edited or redacted.
    const headers = Object.fromEntries(
      Object.entries(recorded.headers)
        .filter(([name]) => !FRAMING.has(name.toLowerCase()))
        .map(([name, value]) => [name, value.replaceAll(BASE_URL_PLACEHOLDER, baseUrl)]),
    );
    let payload: string | undefined;
    if (typeof recorded.body === 'string') payload = recorded.body.replaceAll(BASE_URL_PLACEHOLDER, baseUrl);
    else if (recorded.body !== null) {
      payload = JSON.stringify(substitute(recorded.body, baseUrl));
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
    }
    if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
    response.writeHead(recorded.status, headers);
    response.end(payload);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const path = request.url ?? '/';
    const bodyText = await readBody(request);
    const slot = slots.find((candidate) => !candidate.used && requestMatches(candidate.interaction.request, { method, path, bodyText }));
    // The log is printed (assertDone, `connectors try`), and the client may hold a real token: keep credentials out of it.
    const shownPath = withoutIssuedCredentials(withoutCredentialParams(path));
    const body = scrubRequestBody(bodyValue(withoutIssuedCredentials(bodyText)));
    log.push({ method, path: shownPath, body, matched: slot !== undefined, status: slot ? slot.interaction.response.status : 501 });
    if (!slot) {
      if (options.record) drafts.push({ request: { method, path: shownPath, body }, response: { status: 501, headers: {}, body: null } });
      const message = JSON.stringify({ message: `evidentia replay: unexpected request ${method} ${shownPath}` });
      response.writeHead(501, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(message)) });
      response.end(message);
      return;
    }
    slot.used = true;
    await answer(slot, response);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (closing.signal.aborted || response.headersSent) return response.destroy();
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`evidentia replay: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const unexpected = () => log.filter((entry) => !entry.matched);
  const unused = (): UnusedInteraction[] =>
    slots
      .filter((slot) => !slot.used)
      .map(({ source, index, interaction }) => ({ cassette: source, index, method: interaction.request.method.toUpperCase(), path: interaction.request.path }));

  return {
    baseUrl,
    requests: log,
    unexpected,
    unused,
    assertDone() {
      const extra = unexpected();
      const left = unused();
      if (extra.length === 0 && left.length === 0) return;
      const lines = ['evidentia replay: the requests did not match the cassettes'];
      if (extra.length > 0) lines.push(`unexpected requests (answered 501):`, ...extra.map((entry) => `  ${entry.method} ${entry.path}${excerpt(entry.body)}`));
      if (left.length > 0) lines.push(`unused interactions:`, ...left.map((entry) => `  ${entry.method} ${entry.path} (${entry.cassette} #${entry.index})`));
      throw new Error(lines.join('\n'));
    },
    draftCassette() {
      return { format: CASSETTE_FORMAT, description: 'requests the cassettes did not answer; fill in the responses', interactions: structuredClone(drafts) };
    },
    async close() {
      if (!server.listening) return;
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
