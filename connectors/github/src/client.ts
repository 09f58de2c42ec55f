/**
 * All of the connector's I/O. Builds Octokit on the SDK's evidence fetch (so
 * every response is retried, budgeted and snapshotted in one place: no
 * Octokit retry or throttling plugins), authenticates, records the identity,
 * and exposes GitHub's endpoints as typed, schema-checked values and lists
 * (through the SDK paginator) that carry the snapshot hash they came from.
 */
import type { Octokit } from '@octokit/rest';
import { isThrottling, nextLinkedPage, paginate, redactUrl, selectHeaders, snapshotOf, type EvidenceRequestInit, type StreamContext, type TokenBucket } from '@evidentia/sdk';
import { z } from 'zod';
import { appIdentity } from './auth.js';
import { graphqlUrl, restBaseUrl, type GitHubConfig } from './config.js';
import { partialValue, strictValue, type GraphQLAnswer, type GraphQLError } from './graphql-answer.js';
import { githubPace } from './pace.js';
import { InstallationTokens } from './installation-token.js';
import { AuthenticatedUser, ErrorBody, GraphQLEnvelope, parseResponse } from './schema.js';

const USER_AGENT = 'evidentia-connector-github';

/** The parts of an Octokit response the connector reads. */
interface OctokitResponse<T> {
  data: T;
  headers: Record<string, string | number | undefined>;
  /** The URL the response answers (the request's, after any redirect). */
  url: string;
}

/** A parsed response body with the snapshot it came from. */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** What Octokit throws for an HTTP error status (duck-typed: @octokit/request-error is not a direct dependency). */
export interface HttpError {
  status: number;
  request: { method: string; url: string };
  response?: { data: unknown; headers: Record<string, string | number | undefined> };
}

export function isHttpError(error: unknown): error is HttpError {
  const candidate = error as Partial<HttpError> | null;
  return typeof candidate?.status === 'number' && typeof candidate.request?.url === 'string';
}

/**
 * True when a 403/429 is a rate limit that outlasted the SDK's retries, not a
 * permission answer: by the SDK's own rule (a secondary limit can be a bare
 * 403 whose message alone says so, and must never read as "denied").
 */
export function isRateLimited(error: HttpError): boolean {
  const headers = new Headers();
  for (const [name, value] of Object.entries(error.response?.headers ?? {})) if (value !== undefined) headers.set(name, String(value));
  const data = error.response?.data;
  return isThrottling(error.status, headers, typeof data === 'string' ? data : JSON.stringify(data ?? ''));
}

/** The error message GitHub put in a 4xx body, if any. */
export function errorMessage(error: HttpError): string {
  const body = ErrorBody.safeParse(error.response?.data);
  return body.success ? body.data.message : '';
}

/** An authenticated client for one stream run. */
export class GitHubClient {
  private constructor(
    private readonly ctx: StreamContext<GitHubConfig>,
    private readonly octokit: Octokit,
    private readonly pace: TokenBucket,
  ) {}

  /** Secondary-limit (or other throttling) answers heard in this run; each slowed the pace. */
  get throttled(): number {
    return this.pace.throttled;
  }

  /** At the end of a stream: say whether GitHub throttled it (the run still completed; it was slower). */
  logThrottling(): void {
    if (this.pace.throttled > 0) this.ctx.log.warn('GitHub throttled requests (secondary rate limit); the pace slowed down and the requests were retried', { throttled: this.pace.throttled, requestsPerSecondNow: this.pace.rate });
  }

  /** Authenticate (token, or app installation token renewed as it nears expiry), record the identity, and return the client. */
  static async connect(ctx: StreamContext<GitHubConfig>): Promise<GitHubClient> {
    const { config } = ctx;
    if (!config.app && !config.token) throw new Error('the github connector needs token or app in its config');
    // Every attempt of every request of the run waits on one bucket under GitHub's secondary limits (pace.ts).
    const pace = githubPace(ctx);
    const pacedFetch = ((input: string | URL | Request, init?: RequestInit) => ctx.fetch(input, { ...init, pace } as EvidenceRequestInit)) as typeof fetch;
    // An app's installation token expires within the hour: it is sent per request and renewed (installation-token.ts).
    const tokens = config.app ? new InstallationTokens(ctx, USER_AGENT) : null;
    // The first exchange before any request, so a refused app fails the run with GitHub's answer.
    if (tokens) await tokens.current();
    // Octokit loads with the first client, not with the connector: reading a config that names GitHub does not load it.
    const { Octokit } = await import('@octokit/rest');
    const octokit = new Octokit({
      baseUrl: restBaseUrl(config),
      auth: tokens ? undefined : config.token?.reveal(),
      userAgent: USER_AGENT,
      request: { fetch: pacedFetch, signal: ctx.signal },
      log: { debug: (m: string) => ctx.log.debug(m), info: (m: string) => ctx.log.info(m), warn: (m: string) => ctx.log.warn(m), error: (m: string) => ctx.log.error(m) },
    });
    if (tokens) sendInstallationToken(octokit, tokens);
    if (config.app) {
      ctx.setIdentity(appIdentity(String(config.app.appId), String(config.app.installationId)));
    } else {
      const response = await octokit.request('GET /user');
      ctx.setIdentity(parseResponse('GET /user', AuthenticatedUser, response.data).login);
    }
    return new GitHubClient(ctx, octokit, pace);
  }

  /**
   * Every distinct item of a paginated REST list, each with the snapshot of
   * the page it came from, following Link headers through the SDK paginator:
   * a page served twice or shifted by an item added while paging yields no
   * item twice and does not fail the list; only pages that keep bringing
   * nothing new (a real loop) fail it, naming the page URL.
   */
  list<T>(route: string, params: Record<string, string | number>, item: z.ZodType<T>, keyOf: (value: T) => string): AsyncGenerator<Sourced<T>> {
    const what = `${route} ${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`;
    return paginate<Sourced<T>, string>({
      what,
      first: null,
      key: (entry) => keyOf(entry.value),
      describeCursor: (url) => (url === null ? 'the first page' : redactUrl(url)),
      fetchPage: async (url) => {
        const response = url === null ? await this.firstListPage(() => this.octokit.request(route, params)) : await this.octokit.request({ method: 'GET', url });
        if (response === null) return { items: [], next: null };
        const source = snapshotOf(response.headers);
        const items = parseResponse(what, z.array(item), response.data).map((value) => ({ value, source }));
        // GitHub's ETag covers the body alone: a full last page answered 304 keeps the stored Link, which cannot
        // name a page added since, so the page after it is asked for (empty, or the items added since).
        return { items, next: nextLinkedPage(response.url, response.headers, items.length, { size: Number(params.per_page ?? GITHUB_DEFAULT_PER_PAGE) }) };
      },
    });
  }

  /**
   * A list's first page; null for GitHub's 409 on an empty repository's lists
   * (there is nothing to list). A 409 on a later page is no such answer: it
   * fails the list rather than ending it on the pages read so far.
   */
  private async firstListPage(request: () => Promise<OctokitResponse<unknown>>): Promise<OctokitResponse<unknown> | null> {
    try {
      return await request();
    } catch (error) {
      if (isHttpError(error) && error.status === 409) return null;
      throw error;
    }
  }

  /** One REST GET, parsed. */
  async get<T>(route: string, params: Record<string, string | number>, schema: z.ZodType<T>): Promise<Sourced<T>> {
    const response = await this.octokit.request(route, params);
    return { value: parseResponse(route, schema, response.data), source: snapshotOf(response.headers) };
  }

  /**
   * Keep an error response as a snapshot (the SDK records only successful
   * JSON responses) when the error itself is the evidence, e.g. GitHub's
   * "Branch not protected". Returns the snapshot hash.
   */
  async keepErrorResponse(error: HttpError): Promise<string> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(error.response?.headers ?? {})) if (value !== undefined) headers.set(name, String(value));
    return this.ctx.snapshot(
      { method: error.request.method, url: redactUrl(error.request.url), requestBody: null, status: error.status, headers: selectHeaders(headers) },
      error.response?.data ?? null,
    );
  }

  /** A GraphQL query sent as a plain POST so the response headers (and snapshot hash) stay visible; any error fails it. */
  async graphql<T>(what: string, query: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<Sourced<T>> {
    return strictValue(await this.graphqlAnswer(what, query, variables), schema);
  }

  /**
   * A GraphQL query whose answer may hold data beside errors (GitHub answers
   * `nodes(ids:)` with null and a NOT_FOUND error for a node it cannot
   * resolve): the caller judges the errors. No data at all is an error.
   */
  async graphqlPartial<T>(what: string, query: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<Sourced<T> & { errors: GraphQLError[] }> {
    return partialValue(await this.graphqlAnswer(what, query, variables), schema);
  }

  /** The answer unjudged, for a folded document whose parts are judged apart (graphql-answer.ts). */
  async graphqlAnswer(what: string, query: string, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
    const response = await this.octokit.request(`POST ${graphqlUrl(this.ctx.config)}`, { query, variables });
    const envelope = parseResponse(`GraphQL ${what}`, GraphQLEnvelope, response.data);
    return { what, data: envelope.data, errors: envelope.errors ?? [], source: snapshotOf(response.headers) };
  }
}

/**
 * Send the run's current installation token with every request and, when
 * GitHub answers 401, renew it once and send the request again (a second 401
 * is GitHub's answer, not a stale token's). A hook rather than the fetch, so
 * a failed renewal reaches the stream as the exchange's own error.
 */
function sendInstallationToken(octokit: Octokit, tokens: InstallationTokens): void {
  octokit.hook.wrap('request', async (request, options) => {
    // Set on the options themselves: the hooks Octokit wrapped before this one were bound to them, not to a copy.
    const send = (token: string) => {
      options.headers.authorization = `token ${token}`;
      return request(options);
    };
    const token = await tokens.current();
    try {
      return await send(token);
    } catch (error) {
      if (!isHttpError(error) || error.status !== 401) throw error;
      return send(await tokens.renew(token));
    }
  });
}

/** GitHub's page size when a list request names none. */
const GITHUB_DEFAULT_PER_PAGE = 30;
