/**
 * All of the connector's I/O: Slack's official WebClient (@slack/web-api 8)
 * sending through the SDK's fetch, so retries (429 with Retry-After, 5xx,
 * network errors, truncated bodies), the request budget and snapshots stay in
 * one place.
 *
 * How requests reach ctx.fetch: WebClient 8 no longer uses axios; it takes a
 * WHATWG `fetch` option, which gets ctx.fetch. Its own
 * retries are off (`retryConfig: { retries: 0 }`) and `rejectRateLimitedCalls`
 * is on, so a 429 that outlasts the SDK's retries fails at once instead of the
 * client sleeping out Retry-After a second time.
 *
 * How the snapshot hash reaches a record: WebClient returns only the parsed
 * body, never the response headers that carry the hash, so in a stream every
 * call runs inside `ctx.sourcesOf`, which names the snapshots recorded during
 * it. That is exact per call, whatever else is in flight.
 *
 * `{ok:false}` answers (HTTP 200) and HTTP errors become a SlackApiError
 * naming the method and Slack's error, e.g.
 * "Slack API users.list: missing_scope (needed: users:read.email)".
 */
import type * as SlackWebApi from '@slack/web-api';
import { paginate, type Logger, type StreamContext, type WithSources } from '@evidentia/sdk';
import type { z } from 'zod';
import { apiUrl, type SlackConfig } from './config.js';
import { identityOf, workspaceMismatch } from './identity.js';
import { AuthTest } from './schema.js';

/** A parsed answer with the snapshot it came from ('' when nothing is recorded, as in doctor). */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** A Slack method that failed: `code` is Slack's error name (`missing_scope`, `not_in_channel`) or `http_<status>`, `ratelimited`, `request_failed`. */
export class SlackApiError extends Error {
  override name = 'SlackApiError';
  constructor(
    readonly method: string,
    readonly code: string,
    detail: string,
  ) {
    super(`Slack API ${method}: ${detail}`);
  }
}

export interface SlackClientOptions {
  token: string;
  /** API root without a trailing slash. */
  apiUrl: string;
  /** ctx.fetch in a stream, the doctor's unrecorded fetch otherwise. */
  fetch: typeof fetch;
  log: Logger;
  /** Streams: `ctx.sourcesOf`, and every answer must be a stored snapshot (records cite it). Doctor: null, nothing is stored. */
  sourcesOf: StreamContext<SlackConfig>['sourcesOf'] | null;
}

const unrecorded = async <T>(work: () => Promise<T>): Promise<WithSources<T>> => ({ value: await work(), sources: [] });

let slackWebApi: Promise<typeof SlackWebApi> | undefined;

/** Slack's client loads with the first client, not with the connector: reading a config that names Slack does not load it. */
function loadSlackWebApi(): Promise<typeof SlackWebApi> {
  return (slackWebApi ??= import('@slack/web-api'));
}

/** WebClient's logger, forwarding its warnings and errors to the stream log; its debug output would include request bodies. */
function clientLogger(sdk: typeof SlackWebApi, log: Logger): SlackWebApi.Logger {
  const text = (parts: unknown[]) => parts.map(String).join(' ');
  return {
    debug() {},
    info() {},
    warn: (...parts: unknown[]) => log.warn(`slack client: ${text(parts)}`),
    error: (...parts: unknown[]) => log.error(`slack client: ${text(parts)}`),
    setLevel() {},
    getLevel: () => sdk.LogLevel.WARN,
    setName() {},
  };
}

function asSlackApiError(sdk: typeof SlackWebApi, method: string, error: unknown): Error {
  if (error instanceof sdk.WebAPIPlatformError) {
    const { needed } = error.data as { needed?: unknown };
    const scope = typeof needed === 'string' ? ` (needed: ${needed})` : '';
    // A proxy's HTML page arrives as the "error"; keep the message to one readable line.
    const code = String(error.data.error).replace(/\s+/g, ' ').slice(0, 200);
    return new SlackApiError(method, code, `${code}${scope}`);
  }
  if (error instanceof sdk.WebAPIRateLimitedError) {
    return new SlackApiError(method, 'ratelimited', `rate limited: Slack still asks to wait ${error.retryAfter} s after the collector's retries`);
  }
  if (error instanceof sdk.WebAPIHTTPError) return new SlackApiError(method, `http_${error.statusCode}`, `HTTP ${error.statusCode} ${error.statusMessage}`.trim());
  if (error instanceof sdk.WebAPIRequestError) return new SlackApiError(method, 'request_failed', error.original.message);
  return error instanceof Error ? error : new Error(String(error));
}

function parseResponse<T>(method: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`Slack API ${method}: unexpected response shape: ${issues.join('; ')}`);
}

/** The pagination cursor every paginated answer carries, and the flag some carry that says more follow. */
interface Paged {
  response_metadata?: { next_cursor?: string };
  has_more?: boolean;
}

/** How to read one cursor-paginated method's items. */
export interface ListOptions<P, T> {
  /** The page's items, e.g. `(page) => page.members`. */
  items(page: P): readonly T[];
  /** The item's identity within this list (a user id, a channel id, a message ts). */
  key(item: T): string;
  /** Every page as it arrives, with its snapshot (including pages that bring nothing new). */
  onPage?(page: Sourced<P>): void;
}

export class SlackClient {
  private readonly web: Promise<SlackWebApi.WebClient>;

  constructor(private readonly options: SlackClientOptions) {
    this.web = loadSlackWebApi().then(
      (sdk) =>
        new sdk.WebClient(options.token, {
          slackApiUrl: `${options.apiUrl}/`,
          fetch: options.fetch,
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          logger: clientLogger(sdk, options.log),
        }),
    );
  }

  /** A client for one stream run: checks the token's workspace (auth.test) and records the identity. */
  static async connect(ctx: StreamContext<SlackConfig>): Promise<SlackClient> {
    const client = new SlackClient({ token: ctx.config.token.reveal(), apiUrl: apiUrl(ctx.config), fetch: ctx.fetch, log: ctx.log, sourcesOf: (work) => ctx.sourcesOf(work) });
    const auth = await client.call('auth.test', {}, AuthTest);
    const mismatch = workspaceMismatch(ctx.config.workspace, auth.value);
    if (mismatch) throw new Error(mismatch);
    ctx.setIdentity(identityOf(auth.value));
    return client;
  }

  /** One Web API call, parsed, with the snapshot it came from. */
  async call<T>(method: string, args: Record<string, string | number | boolean>, schema: z.ZodType<T>): Promise<Sourced<T>> {
    const sourced = this.options.sourcesOf ?? unrecorded;
    let result: WithSources<unknown>;
    try {
      const web = await this.web;
      result = await sourced(() => web.apiCall(method, args));
    } catch (error) {
      throw asSlackApiError(await loadSlackWebApi(), method, error);
    }
    const source = result.sources.at(-1) ?? '';
    if (this.options.sourcesOf && source === '') throw new Error(`Slack API ${method}: the answer was not recorded as a snapshot`);
    return { value: parseResponse(method, schema, result.value), source };
  }

  /**
   * Every distinct item of a cursor-paginated method (`response_metadata.next_cursor`),
   * through the SDK paginator: an item served twice (a repeated page or cursor) is
   * yielded once and does not fail the list; only pages that keep bringing nothing
   * new do, naming the cursor. Slack filters after paging, so a page may
   * legitimately be empty while more follow: an empty page that points to a
   * cursor not seen before is progress, one that points to a cursor seen before
   * is not (the paginator's `emptyPagesAdvance`).
   */
  async *list<P extends Paged, T>(method: string, args: Record<string, string | number | boolean>, schema: z.ZodType<P>, options: ListOptions<P, T>): AsyncGenerator<Sourced<T>> {
    yield* paginate<Sourced<T>, string>({
      what: `Slack API ${method}`,
      first: null,
      key: (entry) => options.key(entry.value),
      describeCursor: (cursor) => (cursor === null ? '(first page)' : JSON.stringify(cursor)),
      emptyPagesAdvance: true,
      fetchPage: async (cursor) => {
        const page = await this.call(method, cursor === null ? args : { ...args, cursor }, schema);
        options.onPage?.(page);
        const items = options.items(page.value).map((value) => ({ value, source: page.source }));
        const next = page.value.response_metadata?.next_cursor || null;
        // Without a cursor the list would simply end there: a page that says more follow must not pass as the last one.
        if (next === null && page.value.has_more === true) {
          throw new Error(`Slack API ${method}: unexpected response shape: has_more is true but response_metadata.next_cursor is empty after ${cursor === null ? 'the first page' : `cursor ${JSON.stringify(cursor)}`}; the rest of the list cannot be read`);
        }
        return { items, next };
      },
    });
  }
}
