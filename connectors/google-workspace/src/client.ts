/**
 * All of the connector's I/O. Obtains an access token (a service account's
 * signed JWT exchanged through the SDK's credential fetch, so the token is
 * never stored; or a configured token), builds Google's official Admin SDK
 * clients on the SDK's evidence fetch with their own retries off (the SDK is
 * the one retry layer and honours Retry-After, which gaxios ignores), and
 * exposes the Directory and Reports endpoints as schema-checked lists read
 * through the SDK paginator: each item once, with the snapshot hash of the
 * page it came from. A page or token served again (Google re-serves one when
 * the directory changes while it is listed) is tolerated; only a real loop
 * fails, naming the page token.
 */
import type { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import { paginate, redactUrl, snapshotOf, type CollectionRange } from '@evidentia/sdk';
import type { z } from 'zod';
import { JWT_BEARER_GRANT, parseServiceAccountKey, serviceAccountAssertion, serviceAccountIdentity } from './auth.js';
import { rootUrl, scopeName, tokenUrl, type GoogleWorkspaceConfig } from './config.js';
import { ActivitiesPage, GoogleErrorBody, OAuthError, parseResponse, RoleAssignmentsPage, RolesPage, TokenResponse, UsersPage } from './schema.js';
import type { Activity, ListPage, Role, RoleAssignment, User } from './schema.js';

const USER_AGENT = { product: 'evidentia-connector-google-workspace', version: '0.1.0' };

/** Re-exchange a service account's token this long before it lapses, so a run longer than its hour goes on. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** What Google grants when the token response does not say: one hour. */
const DEFAULT_TOKEN_LIFETIME_S = 3600;

/** An access token and when it lapses (null: a configured token, whose lifetime is not known). */
interface AccessToken {
  value: string;
  expiresAt: number | null;
}

/** What the client needs from a stream context (or doctor's). */
export interface ClientContext {
  readonly config: GoogleWorkspaceConfig;
  /** Requests whose JSON answers become snapshots. */
  readonly fetch: typeof fetch;
  /** Requests whose answers are credentials and must never be stored. */
  readonly credentialFetch: typeof fetch;
  now(): Date;
  /** False for doctor, whose fetch stores nothing: pages then carry no source. */
  readonly recorded?: boolean;
}

/** A listed item after schema parsing, with the snapshot of the page it came from ('' when the context records nothing). */
export interface Sourced<T> {
  item: T;
  source: string;
}

/** An HTTP error answer from a Google API, with Google's message and reasons. */
export class GoogleApiError extends Error {
  override name = 'GoogleApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly request: { method: string; url: string },
    readonly reasons: string[],
  ) {
    super(message);
  }

  /** True when Google says the token lacks a scope the call needs (rather than the admin lacking a privilege). */
  get scopeMissing(): boolean {
    return this.status === 403 && this.reasons.some((reason) => reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || reason === 'insufficientPermissions');
  }
}

/** The token endpoint refused the service account's assertion. */
export class TokenExchangeError extends Error {
  override name = 'TokenExchangeError';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** What gaxios throws: the response (when there was one) and the request config. */
interface GaxiosLike {
  response?: { status?: unknown; data?: unknown };
  config?: { url?: unknown; method?: unknown };
  cause?: unknown;
}

type Params = Record<string, string | number>;
type Send = (pageToken: string | undefined) => Promise<{ data: unknown; headers: unknown }>;

/** What the paginator needs to know about one list: its name in messages, its schema, how to send a page, an item's identity. */
interface ListSpec<T> {
  what: string;
  schema: z.ZodType<ListPage<T>>;
  send: Send;
  key(item: T): string;
}

const describeParams = (params: Params) => new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();

let googleAdmin: typeof import('@googleapis/admin') | undefined;

/** Google's client loads with the first client, not with the connector: reading a config that names Google Workspace costs nothing. */
async function loadGoogleAdmin(): Promise<typeof import('@googleapis/admin')> {
  return (googleAdmin ??= await import('@googleapis/admin'));
}

/** An authenticated client for one stream run (or one doctor check). */
export class WorkspaceClient {
  private directory!: admin_directory_v1.Admin;
  private reports!: admin_reports_v1.Admin;

  private constructor(
    private readonly ctx: ClientContext,
    private token: AccessToken,
    /** Who the collector acts as, for provenance. */
    readonly identity: string,
    /** How to get a new token when this one is about to lapse (service accounts only). */
    private readonly renew: (() => Promise<AccessToken>) | null,
  ) {
    this.build();
  }

  private build(): void {
    const options = {
      rootUrl: rootUrl(this.ctx.config),
      fetchImplementation: this.ctx.fetch,
      retry: false,
      headers: { authorization: `Bearer ${this.token.value}` },
      userAgentDirectives: [USER_AGENT],
    };
    // connect() loaded the module before constructing any client.
    const admin = googleAdmin!;
    this.directory = new admin.admin_directory_v1.Admin(options);
    this.reports = new admin.admin_reports_v1.Admin(options);
  }

  /** Before each request: a service account's token that lapses within the margin is exchanged anew. */
  private async fresh(): Promise<void> {
    if (!this.renew || this.token.expiresAt === null || this.ctx.now().getTime() < this.token.expiresAt - REFRESH_MARGIN_MS) return;
    this.token = await this.renew();
    this.build();
  }

  /** Authenticate for the given scopes and return the client. */
  static async connect(ctx: ClientContext, scopes: readonly string[]): Promise<WorkspaceClient> {
    await loadGoogleAdmin();
    const { config } = ctx;
    if (config.serviceAccount) {
      const { serviceAccount } = config;
      const key = parseServiceAccountKey(serviceAccount.key.reveal());
      const renew = () =>
        exchangeAssertion(ctx, serviceAccountAssertion(key, { scopes, subject: serviceAccount.subject, audience: tokenUrl(config), now: ctx.now() }), {
          clientEmail: key.clientEmail,
          clientId: key.clientId,
          scopes,
        });
      return new WorkspaceClient(ctx, await renew(), serviceAccountIdentity(key.clientEmail, serviceAccount.subject), renew);
    }
    if (!config.accessToken) throw new Error('the google-workspace connector needs serviceAccount or accessToken in its config');
    return new WorkspaceClient(ctx, { value: config.accessToken.reveal(), expiresAt: null }, config.tokenOwner ?? 'oauth access token (owner not configured)', null);
  }

  /** Directory users: active and suspended ones, or with `showDeleted` only the deleted ones Google still keeps. */
  users(options: { showDeleted?: boolean; fields?: string; maxResults?: number } = {}): AsyncGenerator<Sourced<User>> {
    const params: Params = { customer: this.ctx.config.customer, maxResults: options.maxResults ?? 500, orderBy: 'email', projection: options.fields ? 'basic' : 'full' };
    if (options.showDeleted) params.showDeleted = 'true';
    if (options.fields) params.fields = options.fields;
    return this.list({
      what: `GET /admin/directory/v1/users ${describeParams(params)}`,
      schema: UsersPage,
      send: (pageToken) => this.directory.users.list({ ...params, ...(pageToken ? { pageToken } : {}) }),
      key: (user) => user.id,
    });
  }

  /** The customer's admin roles (system and custom). */
  roles(maxResults = 100): AsyncGenerator<Sourced<Role>> {
    const customer = this.ctx.config.customer;
    return this.list({
      what: `GET /admin/directory/v1/customer/${customer}/roles`,
      schema: RolesPage,
      send: (pageToken) => this.directory.roles.list({ customer, maxResults, ...(pageToken ? { pageToken } : {}) }),
      key: (role) => role.roleId,
    });
  }

  /** Every admin role assignment: which user or group holds which role, in which scope. */
  roleAssignments(maxResults = 200): AsyncGenerator<Sourced<RoleAssignment>> {
    const customer = this.ctx.config.customer;
    return this.list({
      what: `GET /admin/directory/v1/customer/${customer}/roleassignments`,
      schema: RoleAssignmentsPage,
      send: (pageToken) => this.directory.roleAssignments.list({ customer, maxResults, ...(pageToken ? { pageToken } : {}) }),
      key: (assignment) => assignment.roleAssignmentId,
    });
  }

  /** Admin console audit events of one name, all users (Reports API): in the range, or the latest without one. */
  activities(eventName: string, range: CollectionRange | null, maxResults = 1000): AsyncGenerator<Sourced<Activity>> {
    const params: Params = { userKey: 'all', applicationName: 'admin', eventName, maxResults };
    if (range?.since) params.startTime = range.since.toISOString();
    if (range) params.endTime = range.until.toISOString();
    if (this.ctx.config.customer !== 'my_customer') params.customerId = this.ctx.config.customer;
    return this.list({
      what: `GET /admin/reports/v1/activity/users/all/applications/admin ${describeParams(params)}`,
      schema: ActivitiesPage,
      send: (pageToken) => this.reports.activities.list({ ...params, ...(pageToken ? { pageToken } : {}) }),
      // An activity is identified by its time and unique qualifier together (the qualifier only separates activities of the same time).
      key: (activity) => `${activity.id.time} ${activity.id.uniqueQualifier}`,
    });
  }

  /** Every distinct item of a list, following nextPageToken through the SDK paginator. */
  private list<T>(spec: ListSpec<T>): AsyncGenerator<Sourced<T>> {
    return paginate<Sourced<T>, string>({
      what: spec.what,
      first: null,
      key: (sourced) => spec.key(sourced.item),
      describeCursor: (pageToken) => (pageToken === null ? 'first page' : `page token ${pageToken}`),
      fetchPage: async (pageToken) => {
        await this.fresh();
        let response: { data: unknown; headers: unknown };
        try {
          response = await spec.send(pageToken ?? undefined);
        } catch (error) {
          throw asGoogleApiError(error);
        }
        const page = parseResponse(spec.what, spec.schema, response.data);
        const source = this.ctx.recorded === false ? '' : snapshotOf(response.headers as Record<string, string>);
        return { items: page.items.map((item) => ({ item, source })), next: page.nextPageToken };
      },
    });
  }
}

/** Turn what gaxios throws into a GoogleApiError naming status, request and Google's reasons; other failures pass through. */
function asGoogleApiError(error: unknown): unknown {
  const candidate = (error ?? {}) as GaxiosLike;
  const status = candidate.response?.status;
  // No response: the SDK's own failure (retries exhausted, budget, cancellation) wrapped by gaxios.
  if (typeof status !== 'number') return candidate.cause instanceof Error ? candidate.cause : error;
  const body = GoogleErrorBody.safeParse(candidate.response?.data);
  const reasons = body.success ? [...(body.data.error.errors ?? []), ...(body.data.error.details ?? [])].flatMap((item) => (item.reason ? [item.reason] : [])) : [];
  const message = body.success ? `${body.data.error.message}${reasons.length > 0 ? ` [${[...new Set(reasons)].join(', ')}]` : ''}` : `HTTP ${status}`;
  let url = String(candidate.config?.url ?? '');
  try {
    url = redactUrl(url);
  } catch {
    // not an absolute URL; keep it as gaxios gave it
  }
  return new GoogleApiError(message, status, { method: String(candidate.config?.method ?? 'GET'), url }, reasons);
}

/**
 * Exchange a signed assertion for an access token through the credential
 * fetch: retried and budgeted like every request, never stored. A refusal
 * names the service account, the scopes and what to fix.
 */
async function exchangeAssertion(ctx: ClientContext, assertion: string, who: { clientEmail: string; clientId: string | null; scopes: readonly string[] }): Promise<AccessToken> {
  const url = tokenUrl(ctx.config);
  const requestedAt = ctx.now().getTime();
  const response = await ctx.credentialFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
  });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const refusal = OAuthError.safeParse(body);
    const code = refusal.success ? refusal.data.error : null;
    const reason = refusal.success ? `${refusal.data.error}${refusal.data.error_description ? `: ${refusal.data.error_description}` : ''}` : `HTTP ${response.status}`;
    const hint =
      code === 'unauthorized_client'
        ? ` — in the Admin console (Security > API controls > Domain-wide delegation) allow client id ${who.clientId ?? '(see the key file)'} the scopes ${who.scopes.map(scopeName).join(', ')}`
        : '';
    throw new TokenExchangeError(`token exchange for ${who.clientEmail} refused (HTTP ${response.status} on POST ${redactUrl(url)}): ${reason}${hint}`, code);
  }
  const granted = parseResponse(`POST ${redactUrl(url)}`, TokenResponse, body);
  return { value: granted.access_token, expiresAt: requestedAt + (granted.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000 };
}
