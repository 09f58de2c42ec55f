/**
 * All of the connector's I/O: jira.js's Version3Client, sending through the
 * SDK's fetch, so retries (429 with Retry-After, 5xx, network errors,
 * truncated bodies), the request budget and snapshots stay in one place.
 *
 * How requests reach ctx.fetch: jira.js hands its axios instance our
 * `baseRequestConfig`, so axios (1.21 here) uses its fetch adapter with an
 * injected fetch (`adapter: 'fetch'`, `env: { fetch }`). That injected fetch
 * is one module-level function: axios caches its fetch adapter per fetch
 * function for the life of the process, so a function per stream run would
 * keep every run's context alive in a long-running daemon. It routes each
 * request to the calling client's transport (ctx.fetch, or the doctor's
 * unrecorded fetch) through a small AsyncLocalStorage used for nothing else.
 *
 * How the snapshot hash reaches a record: jira.js returns only the response
 * body, never the headers that carry the hash, so in a stream every call runs
 * inside `ctx.sourcesOf`, which names the snapshots recorded during it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Version3Client } from 'jira.js/version3';
import type { StreamContext, WithSources } from '@evidentia/sdk';
import type { z } from 'zod';
import { apiBaseUrl, type JiraConfig } from './config.js';
import { ApproximateCount, ChangelogPage, ErrorBody, Myself, MyPermissions, parseResponse, RemoteLinks, SearchPage, SiteFields } from './schema.js';

const USER_AGENT = 'evidentia-connector-jira';
/** The largest page the enhanced search serves with fields and changelog expanded; Jira may return fewer. */
export const SEARCH_PAGE_SIZE = 100;
export const CHANGELOG_PAGE_SIZE = 100;

/** The transport of the JiraClient call in progress; only for routing, never for sources. */
const transports = new AsyncLocalStorage<typeof fetch>();

const routedFetch: typeof fetch = (input, init) => {
  const transport = transports.getStore();
  if (!transport) return Promise.reject(new Error('jira.js sent a request outside JiraClient (no transport to route it through)'));
  return transport(input, init);
};

/** `ctx.sourcesOf` of a stream run (the doctor passes null: nothing it fetches is recorded). */
type SourcesOf = StreamContext<JiraConfig>['sourcesOf'];

const unrecorded = async <T>(work: () => Promise<T>): Promise<WithSources<T>> => ({ value: await work(), sources: [] });

/** A parsed response body with the snapshot it came from ('' when nothing is recorded, as in doctor). */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** An API answer other than 2xx, with Jira's own messages. */
export class JiraApiError extends Error {
  override name = 'JiraApiError';
  constructor(
    readonly status: number | null,
    readonly request: string,
    detail: string,
  ) {
    super(`${status === null ? '' : `HTTP ${status} on `}${request}: ${detail}`);
  }
}

function apiError(request: string, error: unknown): Error {
  const candidate = error as { status?: unknown; response?: { data?: unknown }; message?: unknown } | null;
  if (typeof candidate?.status !== 'number') return new JiraApiError(null, request, error instanceof Error ? error.message : String(error));
  const body = ErrorBody.safeParse(candidate.response?.data);
  const messages = body.success ? [...(body.data.errorMessages ?? []), ...Object.entries(body.data.errors ?? {}).map(([k, v]) => `${k}: ${v}`), ...(body.data.message ? [body.data.message] : [])] : [];
  return new JiraApiError(candidate.status, request, messages.length > 0 ? messages.join('; ') : String(candidate.message));
}

/** Searching one page of the enhanced JQL search: what is sent in the POST body. */
export interface SearchRequest {
  jql: string;
  fields: string[];
  nextPageToken?: string;
}

/** An authenticated Jira client; clients given `sourcesOf` insist that every answer was kept as a snapshot. */
export class JiraClient {
  // jira.js loads with the first request, not with the connector: reading a config that names Jira costs nothing.
  private readonly jira: Promise<Version3Client>;

  constructor(
    config: JiraConfig,
    private readonly transport: typeof fetch,
    private readonly sourcesOf: SourcesOf | null,
  ) {
    const common = {
      host: apiBaseUrl(config),
      baseRequestConfig: { adapter: 'fetch', env: { fetch: routedFetch }, headers: { 'user-agent': USER_AGENT } },
    };
    // A bearer token goes as OAuth 2.0 without refresh: jira.js then sends it to `host` as it is.
    this.jira = import('jira.js/version3').then(({ Version3Client }) =>
      config.bearerToken
        ? new Version3Client({ ...common, authentication: { oauth2: { accessToken: config.bearerToken.reveal() } } })
        : new Version3Client({ ...common, authentication: { basic: { email: config.email ?? '', apiToken: config.apiToken?.reveal() ?? '' } } }),
    );
  }

  /** A client for a stream run: it records who it acts as (kept in every later snapshot's provenance). */
  static async connect(ctx: StreamContext<JiraConfig>): Promise<{ client: JiraClient; myself: Myself }> {
    const client = new JiraClient(ctx.config, ctx.fetch, (work) => ctx.sourcesOf(work));
    const { value: myself } = await client.myself();
    ctx.setIdentity(myself.emailAddress ? `${myself.emailAddress} (${myself.accountId})` : myself.accountId);
    return { client, myself };
  }

  private async call<S extends z.ZodType>(request: string, schema: S, send: (jira: Version3Client) => Promise<unknown>): Promise<Sourced<z.output<S>>> {
    const sourced = this.sourcesOf ?? unrecorded;
    let answer: WithSources<unknown>;
    try {
      const jira = await this.jira;
      answer = await transports.run(this.transport, () => sourced(() => send(jira)));
    } catch (error) {
      throw apiError(request, error);
    }
    const value = parseResponse(request, schema, answer.value);
    const source = answer.sources.at(-1) ?? '';
    if (this.sourcesOf && source === '') throw new Error(`the answer to ${request} was not recorded as a snapshot`);
    return { value, source };
  }

  myself() {
    return this.call('GET /rest/api/3/myself', Myself, (jira) => jira.myself.getCurrentUser<unknown>());
  }

  fields() {
    return this.call('GET /rest/api/3/field', SiteFields, (jira) => jira.issueFields.getFields<unknown>());
  }

  permissions(names: string[]) {
    return this.call('GET /rest/api/3/mypermissions', MyPermissions, (jira) => jira.permissions.getMyPermissions<unknown>({ permissions: names.join(',') }));
  }

  /** Jira's estimate of how many issues match: the enhanced search reports no total of its own. */
  count(jql: string) {
    return this.call('POST /rest/api/3/search/approximate-count', ApproximateCount, (jira) => jira.issueSearch.countIssues<unknown>({ jql }));
  }

  /** One page of the enhanced JQL search, with each issue's changelog; the JQL travels in the body (and so into provenance). */
  search(request: SearchRequest) {
    return this.call('POST /rest/api/3/search/jql', SearchPage, (jira) =>
      jira.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost<unknown>({ ...request, expand: 'changelog', maxResults: SEARCH_PAGE_SIZE }),
    );
  }

  /** The issue's remote links (one request per issue: read only when the mapping asks for development links). */
  remoteLinks(key: string) {
    return this.call(`GET /rest/api/3/issue/${key}/remotelink`, RemoteLinks, (jira) => jira.issueRemoteLinks.getRemoteIssueLinks<unknown>({ issueIdOrKey: key }));
  }

  /** One page of an issue's full changelog, oldest first. */
  changelog(key: string, startAt: number) {
    return this.call(`GET /rest/api/3/issue/${key}/changelog`, ChangelogPage, (jira) => jira.issues.getChangeLogs<unknown>({ issueIdOrKey: key, startAt, maxResults: CHANGELOG_PAGE_SIZE }));
  }
}
