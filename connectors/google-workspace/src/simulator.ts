/**
 * A simulated Admin SDK on 127.0.0.1 for the soak test (and the bench): the
 * Directory API's users, roles and role assignments and the Reports API's
 * admin activities, served from a SimulatedDirectory whose contents the test
 * changes between runs. It answers as Google does where it matters to a
 * collector: opaque page tokens that remember where a listing stopped (so a
 * change elsewhere does not shift later pages), pages smaller than
 * `maxResults` when it chooses, no item array on an empty page, newest
 * activities first, audit events that show up late, and ETags answered with
 * 304. Faults are injected one at a time: a page served again with its own
 * token, a users page that starts one user early while users are added and
 * deleted behind the listing, a list cut short.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimulatedDirectory, type AuditEntry, type Json } from './simulator-directory.js';

export { SimulatedDirectory, DELETED_KEPT_MS, DOMAIN, random, type AuditEntry, type Json } from './simulator-directory.js';

/** The lists the simulator serves, as faults name them. */
export type ListName = 'users' | 'deleted-users' | 'holder-users' | 'roles' | 'roleassignments' | 'activities';

export type Fault =
  /** The list's second page comes back once with its own page token as the next one. */
  | { kind: 'repeat-page'; list: ListName }
  /** While users are listed, a user is added and one deleted further along, and the second page starts one user early. */
  | { kind: 'shift-users' }
  /** The list's first page says it is the last. */
  | { kind: 'truncate'; list: ListName };

export interface SimulatorOptions {
  /** Most items on one page, whatever `maxResults` asks (Google may return fewer). */
  pageSize: number;
  /** The same for admin activities (default: pageSize). */
  activityPageSize?: number;
}

/** The fields the admin_roles stream's field-masked user listing asks for. */
const HOLDER_KEYS = ['id', 'primaryEmail', 'isEnrolledIn2Sv', 'suspended', 'archived', 'creationTime', 'lastLoginTime'];
const DAY_MS = 86_400_000;

interface Listing {
  list: ListName;
  items: Json[];
  /** Ascending order of the listing; a page token holds the last one served. */
  sortKey(item: Json): string;
  key: string;
}

const encodeToken = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');
function decodeToken(token: string): string {
  const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
  if (typeof parsed.after !== 'string') throw new Error(`bad page token ${token}`);
  return parsed.after;
}

export class AdminSdkSimulator {
  readonly directory: SimulatedDirectory;
  /** The simulated present: audit events become visible by it. */
  now = new Date(0);
  /** Every request: path with query, and the status answered. */
  readonly requests: Array<{ path: string; status: number }> = [];
  /** Faults waiting to be injected, and the ones that were. */
  readonly pending: Fault[] = [];
  readonly injected: Fault[] = [];
  private server: Server | null = null;
  baseUrl = '';

  constructor(
    readonly options: SimulatorOptions,
    directory = new SimulatedDirectory(25),
  ) {
    this.directory = directory;
  }

  inject(fault: Fault): void {
    this.pending.push(fault);
  }

  /** The audit entries the Reports API shows now for one event name in [since, until]. */
  visibleAudit(name: string | null, since: Date | null, until: Date | null): AuditEntry[] {
    return this.directory.audit.filter(
      (e) => (name === null || e.name === name) && e.visibleAt <= this.now.getTime() && (!since || Date.parse(e.time) >= since.getTime()) && (!until || Date.parse(e.time) <= until.getTime()),
    );
  }

  private take(test: (fault: Fault) => boolean): Fault | undefined {
    const index = this.pending.findIndex(test);
    if (index < 0) return undefined;
    const [fault] = this.pending.splice(index, 1);
    this.injected.push(fault!);
    return fault;
  }

  private listing(url: URL): Listing | null {
    const q = url.searchParams;
    const dir = this.directory;
    const byEmail = (user: Json) => user.primaryEmail as string;
    if (url.pathname === '/admin/directory/v1/users') {
      if (q.get('showDeleted') === 'true') return { list: 'deleted-users', items: [...dir.deleted.values()], sortKey: byEmail, key: 'users' };
      if (q.get('fields')) {
        const masked = [...dir.users.values()].map((u) => ({ ...Object.fromEntries(HOLDER_KEYS.map((k) => [k, u[k]])), name: { fullName: (u.name as Json).fullName } }));
        return { list: 'holder-users', items: masked, sortKey: byEmail, key: 'users' };
      }
      return { list: 'users', items: [...dir.users.values()], sortKey: byEmail, key: 'users' };
    }
    if (url.pathname === '/admin/directory/v1/customer/my_customer/roles') return { list: 'roles', items: dir.roles, sortKey: (r) => r.roleId as string, key: 'items' };
    if (url.pathname === '/admin/directory/v1/customer/my_customer/roleassignments') {
      return { list: 'roleassignments', items: [...dir.assignments.values()], sortKey: (a) => a.roleAssignmentId as string, key: 'items' };
    }
    if (url.pathname === '/admin/reports/v1/activity/users/all/applications/admin') {
      const since = q.get('startTime'), until = q.get('endTime');
      const entries = this.visibleAudit(q.get('eventName'), since ? new Date(since) : null, until ? new Date(until) : null);
      // Newest first, as the Reports API lists them.
      const newestFirst = (a: Json) => {
        const id = a.id as { time: string; uniqueQualifier: string };
        return `${String(9e15 - Date.parse(id.time)).padStart(16, '0')} ${id.uniqueQualifier}`;
      };
      return { list: 'activities', items: entries.map((e) => e.activity), sortKey: newestFirst, key: 'items' };
    }
    return null;
  }

  /** A page that starts after the token's position (or at it, for a shifted page). */
  private page(listing: Listing, url: URL): Json {
    const token = url.searchParams.get('pageToken');
    const after = token ? decodeToken(token) : null;
    let overlap = false;
    if (token && listing.list === 'users' && this.take((f) => f.kind === 'shift-users')) {
      this.shiftBehind(after!);
      listing = this.listing(url)!;
      overlap = true;
    }
    const cap = listing.list === 'activities' ? (this.options.activityPageSize ?? this.options.pageSize) : this.options.pageSize;
    const size = Math.min(Number(url.searchParams.get('maxResults') ?? '100'), cap);
    const sorted = [...listing.items].sort((a, b) => (listing.sortKey(a) < listing.sortKey(b) ? -1 : 1));
    let start = after === null ? 0 : sorted.findIndex((item) => listing.sortKey(item) > after);
    if (start < 0) start = sorted.length;
    if (overlap && start > 0) start--;
    const slice = sorted.slice(start, start + size);
    let next = start + size < sorted.length ? encodeToken(listing.sortKey(slice.at(-1)!)) : undefined;
    if (next && token === null && this.take((f) => f.kind === 'truncate' && f.list === listing.list)) next = undefined;
    if (token && this.take((f) => f.kind === 'repeat-page' && f.list === listing.list)) next = token;
    return { ...(slice.length > 0 ? { [listing.key]: slice } : {}), ...(next ? { nextPageToken: next } : {}) };
  }

  /** Users change while they are listed: one joins and one is deleted, both beyond the point the listing reached. */
  private shiftBehind(cursorEmail: string): void {
    const dir = this.directory;
    const at = new Date(this.now.getTime() - 60_000);
    // Their audit events reach the Reports API a little later, inside the next run's overlap.
    const visibleAt = this.now.getTime() + DAY_MS / 2;
    dir.addUser(at, { local: `zz-joined-while-listing-${dir.users.size}`, visibleAt });
    const holders = new Set([...dir.assignments.values()].map((a) => a.assignedTo));
    const leaver = [...dir.users.values()].find((u) => (u.primaryEmail as string) > cursorEmail && !holders.has(u.id) && !(u.primaryEmail as string).startsWith('zz-'));
    if (leaver) dir.remove(leaver.id as string, at, visibleAt);
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const listing = this.listing(url);
    const path = `${url.pathname}${url.search}`;
    if (!listing) {
      this.requests.push({ path, status: 404 });
      response.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify({ error: { code: 404, message: `simulator: no ${url.pathname}` } }));
      return;
    }
    const text = JSON.stringify(this.page(listing, url));
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
    if (request.headers['if-none-match'] === etag) {
      this.requests.push({ path, status: 304 });
      response.writeHead(304, { etag }).end();
      return;
    }
    this.requests.push({ path, status: 200 });
    response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', etag }).end(text);
  }

  async start(): Promise<string> {
    const server = createServer((request, response) => {
      try {
        this.answer(request, response);
      } catch (error) {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 500, message: String(error) } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}
