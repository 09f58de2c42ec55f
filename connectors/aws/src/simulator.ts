/**
 * A simulated AWS account on 127.0.0.1 whose contents change between runs,
 * for the soak test (test/soak/aws.soak.test.ts) and anything else that needs
 * IAM, STS and CloudTrail to answer the official SDK clients for real: IAM
 * and STS in the query protocol (XML), CloudTrail in JSON 1.1, the region
 * read from the request's SigV4 scope. Lists are paged with opaque markers
 * and tokens over the list as it is at each request, so an insertion while
 * paging shifts the next page as it would on a live account. One-shot faults
 * (a page served twice, an insertion while paging, a truncated listing, a
 * user created after the credential report) and a real loop can be injected.
 * It speaks just enough of each API for the connector; it is not a mock.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeTrails, lookupEvent, matchingEvents, trailStatus, type LookupRequest } from './simulator-cloudtrail.js';
import { ServerRateLimit, THROTTLED } from './simulator-rate-limit.js';
import { accessKeysXml, authorizationEntities, authorizationPage, credentialReportContent, iamError, iamXml, passwordPolicyXml, type EntityFilter } from './simulator-iam.js';
import { trailArn, type AccountState, type SimEvent, type SimUser } from './simulator-state.js';

export * from './simulator-state.js';

/** AWS reuses a credential report for up to four hours. */
const REPORT_REUSE_MS = 4 * 3_600_000;

export type PagedList = 'users' | 'events';

export interface SimulatorOptions {
  /** Entities per GetAccountAuthorizationDetails page (IAM may return fewer than MaxItems). */
  iamPageSize: number;
  /** Events per LookupEvents page (fewer than MaxResults). */
  eventPageSize: number;
  /** LookupEvents' limit per region in real time, above which it answers ThrottlingException (AWS: 2); default none. */
  lookupEventsPerSecond?: number;
}

/** Faults for the next collection; each is used once, except `loopUsers`. */
export interface Faults {
  /** The second page of the list names its own marker or token as the next one, so that marker is sent and served twice. */
  repeatPage: Set<PagedList>;
  /** An item is inserted before the cursor right after the first page, so the next page repeats one item. */
  shiftWhilePaging: Set<PagedList>;
  /** The user listing ends after its first page (IsTruncated false) while the credential report has everyone. */
  truncateUsers: boolean;
  /** A user created just after the credential report is read, so the listing has it and the report does not. */
  userAfterReport: SimUser | null;
  /** Every page of users names itself as the next one: a real loop. */
  loopUsers: boolean;
}

interface Report {
  generatedAt: Date;
  users: SimUser[];
}

const marker = (list: string, offset: number) => Buffer.from(JSON.stringify({ list, offset })).toString('base64url');
function offsetOf(list: string, token: string | null | undefined): number {
  if (!token) return 0;
  const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { list?: string; offset?: number };
  if (decoded.list !== list || typeof decoded.offset !== 'number') throw new Error(`simulator: marker ${token} is not one of ${list}`);
  return decoded.offset;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class SimulatedAccount {
  /** The account's clock: the credential report's time and the events' 90 days are judged by it. */
  now = new Date(0);
  readonly faults: Faults = { repeatPage: new Set(), shiftWhilePaging: new Set(), truncateUsers: false, userAfterReport: null, loopUsers: false };
  /** Requests answered, by action (`iam:GetAccountAuthorizationDetails`, `cloudtrail:LookupEvents`, …). */
  readonly requests = new Map<string, number>();
  #report: Report | null = null;
  #baseUrl = '';
  #close: () => Promise<void> = async () => undefined;
  #shifted = 0;
  /**
   * The last LookupEvents query's matches, reused while its pages are read: filtering and sorting every event
   * per page made a 100,000-event query quadratic. Keyed on the query, the clock and the event list (its array
   * and length: the soak tests and faults only ever append), so any change to those computes them again.
   */
  #matches: { key: string; events: SimEvent[]; list: SimEvent[]; length: number } | null = null;
  /** Null when no rate limit was asked for. */
  readonly lookupLimit: ServerRateLimit | null;

  private constructor(
    readonly state: AccountState,
    private readonly options: SimulatorOptions,
  ) {
    this.lookupLimit = options.lookupEventsPerSecond ? new ServerRateLimit(options.lookupEventsPerSecond) : null;
  }

  static async start(state: AccountState, options: SimulatorOptions): Promise<SimulatedAccount> {
    const sim = new SimulatedAccount(state, options);
    const server = createServer((request, response) => {
      sim.handle(request, response).catch((error: unknown) => response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sim.#baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sim.#close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    return sim;
  }

  get baseUrl(): string {
    return this.#baseUrl;
  }

  /** The users as the current credential report has them (what IAM said at the moment the run read it). */
  get reportedUsers(): SimUser[] {
    return this.#report?.users ?? [];
  }

  close(): Promise<void> {
    return this.#close();
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith('AWSIdentityStore.')) {
      this.count(`identitystore:${target.slice(target.indexOf('.') + 1)}`);
      const answer = this.identityStore(target.slice(target.indexOf('.') + 1), JSON.parse(body || '{}') as Record<string, unknown>);
      response.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(answer.body));
      return;
    }
    if (typeof target === 'string') {
      const operation = target.slice(target.indexOf('.') + 1);
      this.count(`cloudtrail:${operation}`);
      const region = /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ''))?.[1] ?? 'us-east-1';
      if (operation === 'LookupEvents' && this.lookupLimit && !this.lookupLimit.admit(region)) {
        response.writeHead(THROTTLED.status, { 'content-type': 'application/x-amz-json-1.1' }).end(THROTTLED.body);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(this.cloudTrail(operation, region, JSON.parse(body || '{}') as Record<string, unknown>)));
      return;
    }
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    this.count(`${params.get('Version') === '2011-06-15' ? 'sts' : 'iam'}:${action}`);
    const answer = this.iam(action, params);
    response.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.xml);
  }

  /** IdentityStore ListUsers over the simulated identity store, paged by MaxResults with an opaque NextToken. */
  private identityStore(operation: string, input: Record<string, unknown>): { status: number; body: unknown } {
    const center = this.state.identityCenter;
    if (operation !== 'ListUsers') return { status: 400, body: { __type: 'UnknownOperationException', message: operation } };
    if (!center || input.IdentityStoreId !== center.identityStoreId) return { status: 400, body: { __type: 'ResourceNotFoundException', message: `identity store ${String(input.IdentityStoreId)} not found` } };
    const size = typeof input.MaxResults === 'number' ? input.MaxResults : 100;
    const offset = typeof input.NextToken === 'string' ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
    const page = center.users.slice(offset, offset + size);
    const next = offset + size < center.users.length ? Buffer.from(String(offset + size)).toString('base64') : undefined;
    const Users = page.map((user) => ({ IdentityStoreId: center.identityStoreId, UserId: user.userId, UserName: user.userName, ...(user.displayName ? { DisplayName: user.displayName } : {}), ...(user.email ? { Emails: [{ Value: user.email, Type: 'work', Primary: true }] } : {}) }));
    return { status: 200, body: { Users, ...(next ? { NextToken: next } : {}) } };
  }

  private count(action: string): void {
    this.requests.set(action, (this.requests.get(action) ?? 0) + 1);
  }

  private iam(action: string, params: URLSearchParams): { status: number; xml: string } {
    const ok = (inner: string) => ({ status: 200, xml: iamXml(action, inner) });
    switch (action) {
      case 'GetCallerIdentity':
        return ok(`<Arn>arn:aws:iam::${this.state.accountId}:user/evidentia-collector</Arn><UserId>AIDAEVIDENTIACOLLECTOR</UserId><Account>${this.state.accountId}</Account>`);
      case 'GenerateCredentialReport': {
        if (this.#report && this.now.getTime() - this.#report.generatedAt.getTime() < REPORT_REUSE_MS) return ok('<State>COMPLETE</State>');
        this.#report = { generatedAt: this.now, users: structuredClone(this.state.users) };
        return ok('<State>STARTED</State><Description>No report exists. Starting a new report generation task</Description>');
      }
      case 'GetCredentialReport': {
        if (!this.#report) return { status: 410, xml: iamError('ReportNotPresent', 'Credential report not present.') };
        const content = credentialReportContent(this.state, this.#report.users);
        const late = this.faults.userAfterReport;
        if (late) {
          this.state.users.push({ ...late, createdAt: new Date(this.now.getTime() + 1000).toISOString() });
          this.faults.userAfterReport = null;
        }
        return ok(`<Content>${content}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>${this.#report.generatedAt.toISOString()}</GeneratedTime>`);
      }
      case 'GetAccountAuthorizationDetails':
        return ok(this.authorizationDetails(params));
      case 'ListAccessKeys': {
        const keys = accessKeysXml(this.state, params.get('UserName') ?? '');
        return keys === null ? { status: 404, xml: iamError('NoSuchEntity', `The user with name ${params.get('UserName')} cannot be found.`) } : ok(keys);
      }
      case 'GetAccountPasswordPolicy':
        if (!this.state.passwordPolicy) return { status: 404, xml: iamError('NoSuchEntity', `The Password Policy with domain name ${this.state.accountId} cannot be found.`) };
        return ok(passwordPolicyXml(this.state.passwordPolicy));
      default:
        throw new Error(`simulator: no answer for ${action}`);
    }
  }

  private authorizationDetails(params: URLSearchParams): string {
    const filters = [...params].filter(([key]) => key.startsWith('Filter.member.')).map(([, value]) => value);
    if (filters.length !== 1) throw new Error(`simulator: GetAccountAuthorizationDetails wants exactly one Filter, got ${filters.join(',') || 'none'}`);
    const filter = filters[0] as EntityFilter;
    const entities = authorizationEntities(this.state, filter);
    const start = offsetOf(filter, params.get('Marker'));
    const end = Math.min(entities.length, start + Math.min(this.options.iamPageSize, Number(params.get('MaxItems') ?? 100)));
    let next: string | null = end < entities.length ? marker(filter, end) : null;
    if (filter === 'User' && next !== null) next = this.userFaults(start, next);
    return authorizationPage(filter, entities.slice(start, end), next);
  }

  private userFaults(start: number, next: string): string | null {
    const f = this.faults;
    if (f.loopUsers) return marker('User', start);
    if (f.truncateUsers) {
      f.truncateUsers = false;
      return null;
    }
    if (start > 0 && f.repeatPage.delete('users')) return marker('User', start);
    if (start === 0 && f.shiftWhilePaging.delete('users')) {
      const newcomer = `a-newcomer-${++this.#shifted}`;
      this.state.users.push({ name: newcomer, createdAt: this.now.toISOString(), groups: [], managed: [], inline: [], mfa: false, password: null, accessKey: null });
    }
    return next;
  }

  private cloudTrail(operation: string, region: string, input: Record<string, unknown>): unknown {
    if (operation === 'DescribeTrails') return describeTrails(this.state, region);
    if (operation === 'GetTrailStatus') {
      const trail = this.state.trails.find((t) => trailArn(this.state.accountId, t) === input.Name);
      if (!trail) throw new Error(`simulator: no trail ${String(input.Name)}`);
      return trailStatus(trail);
    }
    if (operation !== 'LookupEvents') throw new Error(`simulator: no answer for ${operation}`);
    const request = input as LookupRequest;
    const events = this.matchesOf(region, request);
    const start = offsetOf('events', request.NextToken);
    const end = Math.min(events.length, start + Math.min(this.options.eventPageSize, request.MaxResults ?? 50));
    let next: string | undefined = end < events.length ? marker('events', end) : undefined;
    if (start > 0 && next !== undefined && this.faults.repeatPage.delete('events')) next = marker('events', start);
    else if (start === 0 && next !== undefined && this.faults.shiftWhilePaging.delete('events')) this.state.events.push(this.arrivingNow(region, events[0]!));
    return { Events: events.slice(start, end).map((e) => lookupEvent(this.state, e)), ...(next ? { NextToken: next } : {}) };
  }

  private matchesOf(region: string, request: LookupRequest): SimEvent[] {
    const key = JSON.stringify([region, request.LookupAttributes ?? null, request.StartTime ?? null, request.EndTime ?? null, this.now.getTime()]);
    const cached = this.#matches;
    if (cached && cached.key === key && cached.list === this.state.events && cached.length === this.state.events.length) return cached.events;
    const events = matchingEvents(this.state, region, request, this.now);
    this.#matches = { key, events, list: this.state.events, length: this.state.events.length };
    return events;
  }

  /** An event like `like` that happens now: the newest, so every later page of the query shifts by one. */
  private arrivingNow(region: string, like: SimEvent): SimEvent {
    return { ...like, id: `shift-${++this.#shifted}-0000-4000-8000-000000000000`, at: this.now.toISOString(), region };
  }
}
