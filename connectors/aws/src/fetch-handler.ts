/**
 * The AWS SDK clients' transport: a request handler that sends each signed
 * smithy HttpRequest through an evidentia fetch (`ctx.fetch`, or
 * `ctx.credentialFetch` for STS AssumeRole), so the SDK's one retry layer,
 * request budget and snapshots apply to AWS as to every other API. It also
 * remembers, per call, an error response (which the SDK turns into an
 * exception without its text), keyed by the call's own abort signal, so
 * concurrent calls never mix them up; the snapshot hashes of a call come from
 * `ctx.sourcesOf` (client.ts). Together with client.ts it is the connector's
 * only I/O.
 */

import type { EvidenceRequestInit, Pace } from '@evidentia/sdk';

/** Which bucket, if any, a signed request waits on (pacer.ts makes them). */
export type PaceOf = (request: SdkHttpRequest) => Pace | undefined;

/** The smithy HttpRequest as the SDK hands it over (structural: @smithy/types is not a direct dependency). */
export interface SdkHttpRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null | undefined>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The smithy HttpResponse the SDK deserializes (structural, like the request). */
export interface SdkHttpResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** An error response, kept so a connector can store it as evidence (e.g. "no password policy"). */
export interface FailedExchange {
  method: string;
  url: string;
  requestBody: string | null;
  status: number;
  headers: Headers;
  text: string;
}

/** What one call's responses left behind: the last one, when it was an error. */
export interface Exchange {
  failure: FailedExchange | null;
}

/** Fetch sets these itself; passing the SDK's values along could only disagree with it. */
const TRANSPORT_HEADERS = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function urlOf(request: SdkHttpRequest): string {
  const query = Object.entries(request.query ?? {})
    .flatMap(([name, value]) => (value === null || value === undefined ? [encode(name)] : (Array.isArray(value) ? value : [value]).map((item) => `${encode(name)}=${encode(item)}`)))
    .join('&');
  const port = request.port ? `:${request.port}` : '';
  return `${request.protocol}//${request.hostname}${port}${request.path}${query ? `?${query}` : ''}`;
}

function bodyOf(body: unknown): string | Uint8Array | undefined {
  if (body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array) return body ?? undefined;
  throw new Error(`the AWS request handler cannot send a ${typeof body} body (streaming uploads are not used by this connector)`);
}

/** A smithy request handler over a fetch function. */
export class FetchRequestHandler {
  readonly #exchanges = new WeakMap<AbortSignal, Exchange>();

  /** `paceOf` names the bucket a request's attempts wait on (LookupEvents), see pacer.ts. */
  constructor(
    private readonly fetchFn: typeof fetch,
    private readonly paceOf?: PaceOf,
  ) {}

  /** A fresh signal (following `parent`) whose call's responses are tracked in the returned exchange. */
  track(parent: AbortSignal): { signal: AbortSignal; exchange: Exchange } {
    const signal = AbortSignal.any([parent]);
    const exchange: Exchange = { failure: null };
    this.#exchanges.set(signal, exchange);
    return { signal, exchange };
  }

  /** The SDK's options also allow its own AbortSignal-like type; only a real AbortSignal is ever passed here. */
  async handle(request: SdkHttpRequest, options: { abortSignal?: unknown } = {}): Promise<{ response: SdkHttpResponse }> {
    const signal = options.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
    const url = urlOf(request);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (!TRANSPORT_HEADERS.has(name.toLowerCase())) headers.set(name, value);
    const body = bodyOf(request.body);
    const init: EvidenceRequestInit = { method: request.method, headers, body, signal, pace: this.paceOf?.(request) };
    const response = await this.fetchFn(url, init);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const exchange = signal ? this.#exchanges.get(signal) : undefined;
    if (exchange) {
      exchange.failure = response.ok
        ? null
        : { method: request.method, url, requestBody: typeof body === 'string' ? body : null, status: response.status, headers: response.headers, text: new TextDecoder().decode(bytes) };
    }
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return { response: { statusCode: response.status, reason: response.statusText, headers: responseHeaders, body: bytes } };
  }

  /** The SDK passes its logger and socket timeout here; fetch (the SDK's evidence fetch) owns timeouts. */
  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}
