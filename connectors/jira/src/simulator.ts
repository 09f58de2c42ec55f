/**
 * A simulated Jira Cloud on 127.0.0.1 for soak tests and benchmarks, served
 * to the real jira.js client: `/myself`, `/field`, the approximate count, the
 * enhanced JQL search (`nextPageToken`, opaque offset tokens bound to their
 * query, as few issues a page as configured: Jira may return fewer than
 * `maxResults`) with the newest changelog entries embedded, and an issue's
 * changelog (`startAt`). GETs carry an ETag and answer 304 to a matching
 * `If-None-Match` when `etags` is on (Jira does not document conditional
 * requests; this exercises the SDK's path anyway). Faults a test arms for the
 * next search of a project: a page token served again, a callback run after
 * the first page (an edit that shifts the later pages), a listing cut short
 * while the count still reports everything.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JqlError, matches, parseJql, type ParsedJql } from './simulator-jql.js';
import { byCreatedThenKey, renderIssue, SIM_FIELDS, simUser, SimSite, type SimIssue } from './simulator-site.js';

export interface SimulatorOptions {
  /** Issues a search page holds at most (besides the client's `maxResults`). Default 100. */
  searchPageSize?: number;
  /** Changelog entries the search embeds. Default 40. */
  embeddedHistories?: number;
  /** Entries a changelog page holds at most. Default 100. */
  changelogPageSize?: number;
  etags?: boolean;
}

/** What a test can arm for the next search of one project. */
export type SearchFault = { kind: 'repeat-token' } | { kind: 'after-first-page'; run: () => void } | { kind: 'truncate'; pages: number };

export interface Served {
  route: string;
  status: number;
  /** For a search or count: the project its JQL selects. */
  project?: string;
}

interface Token {
  offset: number;
  query: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest('base64url');

export class JiraSimulator {
  readonly site = new SimSite();
  /** Every answer, in order (tests count pages and 304s from it). */
  readonly served: Served[] = [];
  /** The key of every issue a search page returned, in order. */
  readonly returned: string[] = [];
  private readonly faults = new Map<string, SearchFault[]>();
  private readonly options: Required<SimulatorOptions>;
  private server = createServer((request, response) => void this.handle(request, response));
  baseUrl = '';

  constructor(options: SimulatorOptions = {}) {
    this.options = { searchPageSize: 100, embeddedHistories: 40, changelogPageSize: 100, etags: false, ...options };
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Arm a fault for the next search whose JQL selects `project`; each fault fires once. */
  inject(project: string, fault: SearchFault): void {
    this.faults.set(project, [...(this.faults.get(project) ?? []), fault]);
  }

  /** Faults armed and not yet fired, as `<project> <kind>`: a test asserts its injections happened. */
  pendingFaults(): string[] {
    return [...this.faults].flatMap(([project, faults]) => faults.map((fault) => `${project} ${fault.kind}`));
  }

  /** The issues a query matches, in the search's order. */
  matching(query: ParsedJql): SimIssue[] {
    return [...this.site.issues.values()].filter((issue) => matches(query, issue)).sort(byCreatedThenKey);
  }

  private projectOf(query: ParsedJql): string | undefined {
    return query.clauses.find((c) => c.field === 'project')?.values[0]?.toUpperCase();
  }

  /** The first armed fault of a kind for the query's project, left armed. */
  private armed<K extends SearchFault['kind']>(query: ParsedJql, kind: K): Extract<SearchFault, { kind: K }> | undefined {
    const project = this.projectOf(query);
    return (project === undefined ? undefined : this.faults.get(project)?.find((fault) => fault.kind === kind)) as Extract<SearchFault, { kind: K }> | undefined;
  }

  private disarm(query: ParsedJql, fault: SearchFault): void {
    const armed = this.faults.get(this.projectOf(query) ?? '') ?? [];
    armed.splice(armed.indexOf(fault), 1);
  }

  private send(request: IncomingMessage, response: ServerResponse, route: string, status: number, body: unknown, project?: string): void {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json;charset=UTF-8' };
    if (this.options.etags && request.method === 'GET' && status === 200) {
      headers.etag = `"${digest(text)}"`;
      if (request.headers['if-none-match'] === headers.etag) {
        this.served.push({ route, status: 304, ...(project ? { project } : {}) });
        response.writeHead(304, { etag: headers.etag }).end();
        return;
      }
    }
    this.served.push({ route, status, ...(project ? { project } : {}) });
    response.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) }).end(text);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = `${request.method} ${url.pathname}`;
    try {
      const changelog = /^GET \/rest\/api\/3\/issue\/([A-Z]+-\d+)\/changelog$/.exec(route);
      if (route === 'GET /rest/api/3/myself') return this.send(request, response, route, 200, { ...simUser(0), timeZone: 'UTC' });
      if (route === 'GET /rest/api/3/field') return this.send(request, response, route, 200, SIM_FIELDS);
      if (route === 'POST /rest/api/3/search/approximate-count') {
        const query = parseJql(String((await body(request)).jql));
        return this.send(request, response, route, 200, { count: this.matching(query).length }, this.projectOf(query));
      }
      if (route === 'POST /rest/api/3/search/jql') {
        const search = await body(request);
        return this.send(request, response, route, 200, this.search(search), this.projectOf(parseJql(String(search.jql))));
      }
      if (changelog) return this.send(request, response, route, ...this.changelog(changelog[1]!, url.searchParams));
      const remoteLinks = /^GET \/rest\/api\/3\/issue\/([A-Z]+-\d+)\/remotelink$/.exec(route);
      if (remoteLinks) return this.send(request, response, route, ...this.remoteLinks(remoteLinks[1]!));
      return this.send(request, response, route, 404, { errorMessages: [`the simulated Jira has no route ${route}`] });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.send(request, response, route, error instanceof JqlError ? 400 : 500, { errorMessages: [message], errors: {} });
    }
  }

  private remoteLinks(key: string): [number, unknown] {
    const issue = this.site.issues.get(key);
    if (!issue) return [404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }];
    return [200, (issue.remoteLinks ?? []).map((url, i) => ({ id: 20_000 + i, self: `${this.baseUrl}/rest/api/3/issue/${key}/remotelink/${20_000 + i}`, object: { url, title: url } }))];
  }

  private search(request: Record<string, unknown>): unknown {
    const jql = String(request.jql);
    const query = parseJql(jql);
    const token = typeof request.nextPageToken === 'string' ? (JSON.parse(Buffer.from(request.nextPageToken, 'base64url').toString('utf8')) as Token) : { offset: 0, query: digest(jql) };
    if (token.query !== digest(jql)) throw new JqlError('the nextPageToken belongs to another query');
    const size = Math.min(this.options.searchPageSize, Number(request.maxResults ?? 50));
    const all = this.matching(query);
    const fields = Array.isArray(request.fields) ? request.fields.map(String) : [];
    const page = all.slice(token.offset, token.offset + size);
    this.returned.push(...page.map((issue) => issue.key));
    const issues = page.map((issue) => renderIssue(issue, fields, this.options.embeddedHistories));
    let next: Token | null = token.offset + size < all.length ? { offset: token.offset + size, query: token.query } : null;
    const pageNumber = token.offset / size + 1;
    const truncate = this.armed(query, 'truncate');
    if (truncate && next !== null && pageNumber >= truncate.pages) {
      this.disarm(query, truncate);
      next = null;
    }
    const repeat = this.armed(query, 'repeat-token');
    if (repeat && next !== null && pageNumber >= 2) {
      this.disarm(query, repeat);
      next = token;
    }
    const shift = token.offset === 0 ? this.armed(query, 'after-first-page') : undefined;
    if (shift) {
      this.disarm(query, shift);
      shift.run();
    }
    return next === null ? { issues, isLast: true } : { issues, nextPageToken: Buffer.from(JSON.stringify(next)).toString('base64url'), isLast: false };
  }

  private changelog(key: string, params: URLSearchParams): [number, unknown] {
    const issue = this.site.issues.get(key);
    if (!issue) return [404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} }];
    const startAt = Number(params.get('startAt') ?? 0);
    const size = Math.min(this.options.changelogPageSize, Number(params.get('maxResults') ?? 100));
    const values = issue.histories.slice(startAt, startAt + size);
    const total = issue.histories.length;
    return [200, { startAt, maxResults: size, total, isLast: startAt + values.length >= total, values }];
  }
}

async function body(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? {} : (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
}
