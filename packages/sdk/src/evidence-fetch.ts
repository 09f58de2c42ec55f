/**
 * The fetch handed to API clients. Every exchange passes through here, so
 * this is where the SDK keeps its promises to connectors: one retry layer
 * (backoff with jitter, Retry-After and rate-limit resets honoured), a request
 * budget, cancellation, a bounded wait per request, and a snapshot of every
 * JSON response with its provenance. A 200 whose body is not the JSON it
 * claims to be (a truncated or reset body) is treated as transient, never as data.
 */
import { networkFailure } from './network-error.js';
import type { PreviousSnapshot, Provenance } from './types.js';
import type { Pace } from './pacer.js';
import { backoffDelay, isThrottling, isTransientStatus, serverRequestedWait, type RetryPolicy } from './retry-policy.js';
import { createSourcesScopes, type WithSources } from './sources-scope.js';

/** Header on responses returned by the evidence fetch that carries the snapshot body hash. */
export const SNAPSHOT_HEADER = 'x-evidentia-snapshot';
/**
 * Set on a response served from a 304: the stored response's headers, Link
 * included, stand for the server's. Where the server's validator covers the
 * body alone (GitHub's ETag), those headers can be stale: a full last page
 * whose body did not change stays a 304 when items arrive on a next page.
 */
export const REVALIDATED_HEADER = 'x-evidentia-revalidated';

// Link and total-count headers drive paging and completeness: a revalidated (304) response must hand them back.
const KEPT_HEADERS = [/^etag$/, /^date$/, /^last-modified$/, /^link$/, /ratelimit/, /^retry-after$/, /request-id$/, /^x-total/, /total-count$/];
const SECRET_QUERY_PARAMS = /^(access_token|token|api[-_]?key|key|client_secret|password|signature|sig|x-amz-security-token|x-amz-signature|x-amz-credential)$/i;

/** What the fetch knows of a response; the stream adds time, connector and identity. */
export type SnapshotFacts = Pick<Provenance, 'method' | 'url' | 'requestBody' | 'status' | 'headers' | 'revalidates'>;

export class RequestBudgetExceededError extends Error {
  override name = 'RequestBudgetExceededError';
}

export class HttpExchangeError extends Error {
  override name = 'HttpExchangeError';
}

/** Every attempt of a request failed before any HTTP answer (refused, DNS, TLS, timeout): see network-error.ts. */
export class NetworkError extends HttpExchangeError {
  override name = 'NetworkError';
}

/** A request may name the pace its attempts keep: every attempt, retries included, waits on it. */
export interface EvidenceRequestInit extends RequestInit {
  pace?: Pace;
}

export interface EvidenceFetchOptions {
  fetch: typeof fetch;
  policy: RetryPolicy;
  /** Requests allowed in all (the budget); exceeding it fails the stream. */
  maxRequests: number;
  requestTimeoutMs: number;
  signal: AbortSignal;
  now: () => Date;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /** Stores a JSON response body and returns its hash. */
  snapshot: (provenance: SnapshotFacts, body: unknown) => Promise<string>;
  onRetry?: (info: { url: string; attempt: number; waitMs: number; reason: string }) => void;
  /** The last stored response with an ETag for a request, to make GETs conditional. */
  previous?: (method: string, url: string) => Promise<PreviousSnapshot | null>;
}

export interface EvidenceFetch {
  fetch: typeof fetch;
  /** As `fetch`, but never snapshots the response (credential exchanges). */
  credentialFetch: typeof fetch;
  /** Requests sent so far, retries included. */
  requests(): number;
  /** Run `work` and collect the snapshot hashes `fetch` recorded during it (see `StreamContext.sourcesOf`). */
  sourcesOf: <T>(work: () => Promise<T>) => Promise<WithSources<T>>;
}

/** The URL as kept in provenance: no user-info, no credential-bearing query parameters. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_QUERY_PARAMS.test(name)) parsed.searchParams.set(name, '[redacted]');
  }
  return parsed.toString();
}

/** An absolute URL inside text; punctuation ending a sentence or a parenthesis after it is not part of it. */
export const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`.,:;!?)\]}]/gi;

/**
 * Text with every absolute URL in it passed through `redactUrl`, for error
 * messages and log lines: a client that refuses a URL (undici will not send
 * one with user info) quotes it whole. A URL too malformed to parse (a
 * password with a `/` in it) loses everything up to its last `@`.
 */
export function redactUrlsIn(text: string): string {
  return text.replace(URL_IN_TEXT, (found) => {
    if (!URL.canParse(found)) return found.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^\s]*@/i, '$1');
    const parsed = new URL(found);
    const exposed = parsed.username !== '' || parsed.password !== '' || [...parsed.searchParams].some(([name, value]) => SECRET_QUERY_PARAMS.test(name) && value !== '[redacted]');
    // A URL with nothing to hide keeps its exact spelling (no normalised trailing slash or escapes).
    return exposed ? redactUrl(found) : found;
  });
}

/** The response headers worth keeping as provenance. */
export function selectHeaders(headers: Headers): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (KEPT_HEADERS.some((pattern) => pattern.test(name))) kept[name] = value;
  });
  return kept;
}

/** Body fields that carry credentials (some APIs accept a token in a form or JSON body). */
const SECRET_BODY_FIELDS = /^(token|access_token|refresh_token|id_token|client_secret|password|assertion|api_?key|secret|code)$/i;

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SECRET_BODY_FIELDS.test(key) ? '[redacted]' : redactJson(item)]));
}

/** The request body as kept in provenance: JSON parsed, form fields decoded, credential fields redacted in both. */
export function requestBodyOf(body: string | null, contentType: string | null): unknown {
  if (body === null || body === '') return null;
  try {
    return redactJson(JSON.parse(body) as unknown);
  } catch {
    if (!/x-www-form-urlencoded/i.test(contentType ?? '')) return body;
    const form = new URLSearchParams(body);
    const secrets = [...form.keys()].filter((key) => SECRET_BODY_FIELDS.test(key));
    if (secrets.length === 0) return body;
    for (const key of secrets) form.set(key, '[redacted]');
    return form.toString();
  }
}

function isJsonResponse(headers: Headers): boolean {
  return /\bjson\b/i.test(headers.get('content-type') ?? '');
}

/**
 * Whether an XML document arrived whole: its root element is closed (or
 * self-closing). A body cut short by a reset connection fails this, and is
 * retried rather than handed to a parser that would fail the stream.
 */
export function isCompleteXml(text: string): boolean {
  const body = text.replace(/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*/, '');
  const root = /^<([A-Za-z_][\w:.-]*)/.exec(body)?.[1];
  if (!root) return false;
  const trimmed = body.trimEnd();
  return trimmed.endsWith(`</${root}>`) || (/^<[^>]*\/>$/.test(trimmed));
}

/** XML (AWS query APIs), CSV and plain text are kept as snapshots too, as the text itself. */
function isTextResponse(headers: Headers): boolean {
  return /\b(xml|csv|text\/)/i.test(headers.get('content-type') ?? '');
}

/** undici refuses a URL with user info by quoting it whole; say so without the credentials. */
function refuseUserInfo(input: string | URL | Request, init: RequestInit): void {
  if (input instanceof Request || !URL.canParse(String(input))) return;
  const { username, password } = new URL(input);
  if (username === '' && password === '') return;
  throw new HttpExchangeError(`${(init.method ?? 'GET').toUpperCase()} ${redactUrl(String(input))}: the URL carries a user name or password; pass credentials as secret settings, never in a URL`);
}

/** Build the evidence fetch for one stream run. */
export function createEvidenceFetch(options: EvidenceFetchOptions): EvidenceFetch {
  let sent = 0;
  const scopes = createSourcesScopes();

  async function exchange(record: boolean, input: string | URL | Request, init: EvidenceRequestInit = {}): Promise<Response> {
    refuseUserInfo(input, init);
    const request = new Request(input, init);
    const method = request.method;
    const url = request.url;
    const bodyText = request.body ? await request.text() : null;
    // The caller's own cancellation (Octokit passes one) ends the exchange; it is never retried.
    const callerSignal = init.signal ?? (input instanceof Request ? input.signal : undefined);
    const requestBody = requestBodyOf(bodyText, request.headers.get('content-type'));
    const { policy } = options;
    // A GET we have an ETag for is sent conditionally; on 304 the stored body is served (and recorded) again.
    const cached = record && method === 'GET' && !request.headers.has('if-none-match') && options.previous ? await options.previous(method, redactUrl(url)) : null;
    const headers = new Headers(request.headers);
    if (cached) headers.set('if-none-match', cached.etag);

    for (let attempt = 1; ; attempt++) {
      options.signal.throwIfAborted();
      callerSignal?.throwIfAborted();
      if (sent >= options.maxRequests) {
        throw new RequestBudgetExceededError(`request budget of ${options.maxRequests} requests exhausted before ${method} ${redactUrl(url)}`);
      }
      await init.pace?.acquire(options.signal);
      sent++;
      const signals = [options.signal, AbortSignal.timeout(options.requestTimeoutMs)];
      if (callerSignal) signals.push(callerSignal);
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(url, { method, headers, body: bodyText, redirect: init.redirect, signal: AbortSignal.any(signals) });
        text = await response.text();
      } catch (error) {
        options.signal.throwIfAborted();
        callerSignal?.throwIfAborted();
        const network = networkFailure(error, url);
        const reason = network ?? (error instanceof Error ? error.message : String(error));
        if (attempt >= policy.maxAttempts) {
          const failed = `${method} ${redactUrl(url)} failed after ${attempt} attempts: ${reason}`;
          throw network ? new NetworkError(`network error: ${failed}`) : new HttpExchangeError(failed);
        }
        await wait(backoffDelay(policy, attempt, options.random), url, attempt, `network error: ${reason}`);
        continue;
      }

      init.pace?.settle(isThrottling(response.status, response.headers, text));
      const transient = isTransientStatus(response.status, response.headers, text);
      let parsed: unknown = undefined;
      let unparsable = false;
      if (!transient && response.ok && isJsonResponse(response.headers) && text !== '') {
        try {
          parsed = JSON.parse(text) as unknown;
        } catch {
          unparsable = true;
        }
      } else if (!transient && response.ok && isTextResponse(response.headers)) {
        if (/xml/i.test(response.headers.get('content-type') ?? '') && text !== '' && !isCompleteXml(text)) unparsable = true;
        else parsed = text;
      }
      if (transient || unparsable) {
        const reason = unparsable ? 'response body is incomplete (truncated?)' : `HTTP ${response.status}`;
        if (attempt >= policy.maxAttempts) {
          if (unparsable) throw new HttpExchangeError(`${method} ${redactUrl(url)}: ${reason} after ${attempt} attempts`);
          return rebuild(response, text, url, null);
        }
        const requested = transient ? serverRequestedWait(response.headers, options.now(), text) : null;
        if (requested !== null && requested > policy.maxWaitMs) {
          throw new HttpExchangeError(`${method} ${redactUrl(url)}: the server asks to wait ${Math.round(requested / 1000)} s (${reason}), beyond the ${Math.round(policy.maxWaitMs / 1000)} s limit`);
        }
        await wait(requested ?? backoffDelay(policy, attempt, options.random), url, attempt, reason);
        continue;
      }

      if (response.status === 304 && cached) {
        // The 304 keeps its own headers as provenance and names the full response it revalidated; what the
        // client sees is that full response: its Link and total headers drive paging, not the 304's.
        const snapshotHash = await options.snapshot(
          { method, url: redactUrl(url), requestBody, status: 304, headers: selectHeaders(response.headers), revalidates: cached.entryHash },
          cached.body,
        );
        scopes.record(snapshotHash);
        const revalidated = new Headers(cached.headers);
        for (const name of ['date', 'etag']) {
          const value = response.headers.get(name);
          if (value !== null) revalidated.set(name, value);
        }
        response.headers.forEach((value, name) => {
          if (/ratelimit|^retry-after$|request-id$/.test(name)) revalidated.set(name, value);
        });
        revalidated.set('content-type', typeof cached.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
        revalidated.set('etag', cached.etag);
        revalidated.set(REVALIDATED_HEADER, '1');
        const text = typeof cached.body === 'string' ? cached.body : JSON.stringify(cached.body);
        return rebuild(new Response(null, { status: 200, headers: revalidated }), text, url, snapshotHash);
      }

      let snapshotHash: string | null = null;
      if (parsed !== undefined && record) {
        snapshotHash = await options.snapshot(
          { method, url: redactUrl(url), requestBody, status: response.status, headers: selectHeaders(response.headers) },
          parsed,
        );
        scopes.record(snapshotHash);
      }
      return rebuild(response, text, url, snapshotHash);
    }
  }

  async function wait(ms: number, url: string, attempt: number, reason: string): Promise<void> {
    options.onRetry?.({ url: redactUrl(url), attempt, waitMs: ms, reason });
    await options.sleep(ms, options.signal);
  }

  return {
    fetch: ((input: string | URL | Request, init?: RequestInit) => exchange(true, input, init)) as typeof fetch,
    credentialFetch: ((input: string | URL | Request, init?: RequestInit) => exchange(false, input, init)) as typeof fetch,
    requests: () => sent,
    sourcesOf: scopes.sourcesOf,
  };
}

function rebuild(response: Response, text: string, url: string, snapshotHash: string | null): Response {
  const headers = new Headers(response.headers);
  headers.delete('content-encoding');
  headers.delete('content-length');
  if (snapshotHash) headers.set(SNAPSHOT_HEADER, snapshotHash);
  const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
  const rebuilt = new Response(nullBody ? null : text, { status: response.status, statusText: response.statusText, headers });
  Object.defineProperty(rebuilt, 'url', { value: url });
  return rebuilt;
}

/** Whether a response of the evidence fetch was served from a 304 (its stored headers stand for the server's). */
export function wasRevalidated(source: Response | Headers | Record<string, string | number | undefined>): boolean {
  const headers = source instanceof Response ? source.headers : source;
  return (headers instanceof Headers ? headers.get(REVALIDATED_HEADER) : headers[REVALIDATED_HEADER]) === '1';
}

/**
 * The snapshot hash of a response returned by the evidence fetch, from a
 * `Response`, a `Headers` object or a plain header map (as Octokit returns).
 * Throws when the response was not recorded, so a record can never claim a
 * source that does not exist.
 */
export function snapshotOf(source: Response | Headers | Record<string, string | number | undefined>): string {
  const headers = source instanceof Response ? source.headers : source;
  const value = headers instanceof Headers ? headers.get(SNAPSHOT_HEADER) : headers[SNAPSHOT_HEADER];
  if (typeof value !== 'string' || value === '') throw new Error('response was not recorded as a snapshot (was it fetched through ctx.fetch?)');
  return value;
}
