/**
 * A simulated GitHub on 127.0.0.1 for soak tests and benchmarks: serves a
 * SimOrg (simulator-org.ts) that the caller changes between runs, with the
 * behaviour the connector's requests depend on: Link pagination with absolute
 * URLs over the live data (so an item added while paging shifts the next
 * page), an ETag on every REST 200 and a bodiless 304 when If-None-Match
 * matches, GraphQL totals and cursor-paged merged-PR search (the standalone
 * queries and the streams' folded overviews). Faults are injected per list: a page served twice, a change made right after a page
 * (a shifted next page), a listing that stops after page 1 while the totals
 * stay true. Requests it does not know are answered 404 and kept in
 * `unexpected`. With an app installation (`SimApp`) it also issues
 * installation tokens, as GitHub does: for an app JWT its key signed, valid
 * for an hour of the simulator's clock and refused (401) after.
 */
import { createHash, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { classicProtectionJson, collaboratorJson, collaboratorsNodeJson, foldedAnswer, protectionNodeJson, pullRequestNode, repoJson, rulesetRulesJson, samlPageJson, simpleUser, type SimOrg, type SimPermission, type SimRepo, type SimUser } from './simulator-org.js';

export const SIMULATOR_TOKEN = 'sim-token-not-real';
/** The list id of the merged-PR search, for faults. */
export const SEARCH_LIST = 'graphql:search';
const SEARCH_PAGE = 100;

/** Faults on one list, by list id: REST path plus its filtering parameters (`/orgs/o/members?role=member`), or SEARCH_LIST. */
export interface ListFaults {
  /** Serve this page twice: its first answer names itself as the next page. One-shot. */
  repeatPage?: number;
  /** Run this change right after serving the page (an item added or removed while the client pages). One-shot. */
  afterPage?: { page: number; change(): void };
  /** Every page claims to be the last: the listing stops after page 1 (the totals stay true). */
  truncate?: boolean;
}

/** A GitHub App installed on the organization: the simulator exchanges its JWTs for installation tokens. */
export interface SimApp {
  appId: string;
  installationId: string;
  /** The app's public key: a JWT its private key did not sign is refused. */
  publicKey: KeyObject;
  /** The simulator's clock: a token expires `tokenLifetimeMs` after it was issued, a JWT at its `exp`. */
  now(): Date;
  /** How long a token it issues is valid: GitHub's hour unless set (changeable while a run goes on). */
  tokenLifetimeMs?: number;
}

/** An installation token the simulator issued. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60_000;

export interface RequestCounts {
  rest200: number;
  rest304: number;
  restError: number;
  graphql: number;
}

export interface GitHubSimulator {
  baseUrl: string;
  org: SimOrg;
  faults: Map<string, ListFaults>;
  counts(): RequestCounts;
  unexpected: string[];
  /** The installation tokens issued, in order (with a SimApp). */
  issued: IssuedToken[];
  /** Requests refused with an installation token past its expiry. */
  readonly expiredRefused: number;
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; link?: string };

/** The id a list is known by for faults: its path and the parameters that choose its items. */
export function listId(pathname: string, params: URLSearchParams): string {
  const chosen = [...params].filter(([name]) => name !== 'page' && name !== 'per_page').sort(([a], [b]) => a.localeCompare(b));
  return chosen.length === 0 ? pathname : `${pathname}?${new URLSearchParams(chosen).toString()}`;
}

/**
 * The `connectors:` entry (YAML, for the soak harness) collecting the
 * simulated organization, its token read from GITHUB_TOKEN; `only` names the
 * streams to collect (default all three).
 */
export function simulatorConnectorYaml(sim: Pick<GitHubSimulator, 'baseUrl' | 'org'>, only?: readonly string[]): string {
  const disabled = only ? ['members', 'branch_protection', 'pull_requests'].filter((stream) => !only.includes(stream)) : [];
  const streams = disabled.length > 0 ? `    streams:\n${disabled.map((stream) => `      ${stream}: { enabled: false }\n`).join('')}` : '';
  return `  github:\n    config:\n      org: ${sim.org.org}\n      token: \${env:GITHUB_TOKEN}\n      baseUrl: ${sim.baseUrl}\n${streams}`;
}

/** Start the simulator on 127.0.0.1 over `org` (kept by reference: change it between runs). */
export async function startGitHubSimulator(org: SimOrg, options: { app?: SimApp } = {}): Promise<GitHubSimulator> {
  const { app } = options;
  const faults = new Map<string, ListFaults>();
  const issued: IssuedToken[] = [];
  let expiredRefused = 0;
  const counts: RequestCounts = { rest200: 0, rest304: 0, restError: 0, graphql: 0 };
  const unexpected: string[] = [];
  let baseUrl = '';

  /** One page of a live list; the fault hooks see the page number. */
  function page<T>(url: URL, items: T[], id: string, size: number): Answer {
    const fault = faults.get(id) ?? {};
    const number = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / size));
    const at = (p: number) => {
      const next = new URLSearchParams(url.searchParams);
      next.set('page', String(p));
      return `<${baseUrl}${url.pathname}?${next.toString()}>`;
    };
    let next = number < last && !fault.truncate ? number + 1 : null;
    if (fault.repeatPage === number && next !== null) {
      next = number;
      delete fault.repeatPage;
    }
    const body = items.slice((number - 1) * size, number * size);
    if (fault.afterPage?.page === number) {
      fault.afterPage.change();
      delete fault.afterPage;
    }
    const rels = next === null ? [] : [`${at(next)}; rel="next"`, `${at(last)}; rel="last"`];
    return { status: 200, body, link: rels.length > 0 ? rels.join(', ') : undefined };
  }

  function restAnswer(url: URL): Answer | null {
    const params = url.searchParams;
    const size = Number(params.get('per_page') ?? 30);
    const id = listId(url.pathname, params);
    const path = url.pathname.split('/').slice(1);
    if (url.pathname === '/user') return { status: 200, body: { login: 'sim-owner', id: 99_999, node_id: 'U_99999', type: 'User', site_admin: false } };
    if (path[0] === 'orgs' && path[1] === org.org && path.length === 2) return { status: 200, body: { login: org.org, id: 9_000, type: 'Organization' } };
    if (path[0] === 'orgs' && path[1] === org.org && path.length === 3) {
      const filter = params.get('filter');
      if (filter === '2fa_disabled' && org.token?.owner === false) return { status: 422, body: { message: 'Only owners can use this filter.', status: '422' } };
      const role = params.get('role');
      if (path[2] === 'members' && filter === '2fa_disabled') return page(url, org.members.filter((u) => !u.twoFactor).map(simpleUser), id, size);
      if (path[2] === 'members' && (role === 'admin' || role === 'member')) return page(url, org.members.filter((u) => u.admin === (role === 'admin')).map(simpleUser), id, size);
      if (path[2] === 'outside_collaborators') return page(url, org.collaborators.filter((u) => filter !== '2fa_disabled' || !u.twoFactor).map(simpleUser), id, size);
      // Only owners may list invitations: GitHub answers others 403.
      if (path[2] === 'invitations') return org.token?.owner === false ? { status: 403, body: { message: 'Must be an organization owner.', status: '403' } } : page(url, (org.invitations ?? []).map((inv) => ({ id: inv.id, login: inv.login, email: inv.email, role: inv.role, created_at: new Date(inv.createdAtMs).toISOString().replace('.000Z', 'Z'), inviter: { login: inv.inviter } })), id, size);
      if (path[2] === 'repos' && params.get('type') === 'all') return page(url, org.repos.map((repo) => repoJson(org.org, repo)), id, size);
      return null;
    }
    const repo = path[0] === 'repos' && path[1] === org.org ? org.repos.find((r) => r.name === path[2]) : undefined;
    if (!repo || path[3] === undefined) return null;
    if (repo.denied) return { status: 403, body: { message: 'Resource not accessible by personal access token', status: '403' } };
    const rest = path.slice(3).join('/');
    // GitHub reports a branch as protected when classic protection or a ruleset applies to it.
    if (rest === 'branches/main') return { status: 200, body: { name: 'main', commit: { sha: 'f'.repeat(40) }, protected: repo.protection !== 'none' } };
    if (rest === 'branches/main/protection' && org.token?.administration === false) return { status: 403, body: { message: 'Resource not accessible by personal access token', status: '403' } };
    if (rest === 'branches/main/protection') {
      if (repo.protection === 'classic' || repo.protection === 'both') return { status: 200, body: classicProtectionJson(repo) };
      return { status: 404, body: { message: 'Branch not protected', status: '404' } };
    }
    if (rest === 'collaborators' && params.get('affiliation') === 'outside') {
      const listed = outsideCollaborators(repo).map(({ user, permission }) => collaboratorJson(user, permission));
      return page(url, listed, id, size);
    }
    if (rest === 'rules/branches/main') return page(url, repo.protection === 'ruleset' || repo.protection === 'both' ? rulesetRulesJson(org.org) : [], id, size);
    return null;
  }

  function search(searchQuery: string, after: unknown): unknown {
    const match = /^org:(\S+) is:pr is:merged merged:(\S+)\.\.(\S+)$/.exec(searchQuery);
    const offset = after === null || after === undefined ? 0 : Number(/^cursor:(\d+)$/.exec(Buffer.from(String(after), 'base64').toString('utf8'))?.[1] ?? NaN);
    if (!match || match[1] !== org.org || !Number.isInteger(offset)) return null;
    const from = Date.parse(match[2]!);
    const to = Date.parse(match[3]!);
    // Newest first, over the live data: a PR merged while the client pages shifts the later pages.
    const found = org.pullRequests.filter((pr) => pr.mergedAtMs >= from && pr.mergedAtMs <= to).sort((a, b) => b.mergedAtMs - a.mergedAtMs || a.number - b.number);
    const fault = faults.get(SEARCH_LIST) ?? {};
    const number = offset / SEARCH_PAGE + 1;
    let end = Math.min(offset + SEARCH_PAGE, found.length);
    const nodes = found.slice(offset, end).map((pr) => pullRequestNode(org.org, pr));
    if (fault.truncate) end = found.length;
    if (fault.repeatPage === number && end < found.length) {
      end = offset;
      delete fault.repeatPage;
    }
    if (fault.afterPage?.page === number) {
      fault.afterPage.change();
      delete fault.afterPage;
    }
    const cursor = Buffer.from(`cursor:${end}`).toString('base64');
    return { data: { search: { issueCount: found.length, pageInfo: { hasNextPage: end < found.length, endCursor: cursor }, nodes } } };
  }

  /** One repository of the protection batch: a repository the token may not administer shows viewerCanAdminister false. */
  function outsideCollaborators(repo: SimRepo): Array<{ user: SimUser; permission: SimPermission }> {
    return Object.entries(repo.outsideCollaborators ?? {}).flatMap(([login, permission]) => {
      const user = org.collaborators.find((u) => u.login === login);
      return user ? [{ user, permission }] : [];
    });
  }

  /** The OutsideCollaboratorsBatch answer: a repository the token may not read is refused by name, as GitHub does. */
  function collaboratorsBatch(ids: unknown[]) {
    const errors: Array<{ type: string; path: Array<string | number>; message: string }> = [];
    const nodes = ids.map((id, index) => {
      const repo = org.repos.find((r) => `R_${r.id}` === id);
      if (!repo) return null;
      if (repo.denied) {
        errors.push({ type: 'FORBIDDEN', path: ['nodes', index, 'collaborators'], message: 'Must have push access to view repository collaborators.' });
        return { nameWithOwner: `${org.org}/${repo.name}`, collaborators: null };
      }
      return collaboratorsNodeJson(org.org, repo.name, outsideCollaborators(repo).map(({ user, permission }) => ({ login: user.login, permission })));
    });
    return errors.length > 0 ? { data: { nodes }, errors } : { data: { nodes } };
  }

  function protectionNode(id: unknown): unknown {
    const repo = org.repos.find((r) => `R_${r.id}` === id);
    if (!repo) return null;
    const classic = repo.protection === 'classic' || repo.protection === 'both' ? classicProtectionJson(repo) : null;
    const rules = repo.protection === 'ruleset' || repo.protection === 'both' ? rulesetRulesJson(org.org) : [];
    return protectionNodeJson(org.org, repo, classic, rules, !repo.denied && org.token?.administration !== false);
  }

  function totals() {
    return { data: { organization: { membersWithRole: { totalCount: org.members.length }, repositories: { totalCount: org.repos.length } } } };
  }

  /** A page of SAML identities from the cursor `after` (none: the first). */
  function samlPage(after: unknown) {
    if (!org.saml) return { data: { organization: { samlIdentityProvider: null } } };
    // GitHub shows a non-owner the provider but not its identities.
    if (org.token?.owner === false) return { data: { organization: { samlIdentityProvider: { externalIdentities: null } } }, errors: [{ type: 'FORBIDDEN', path: ['organization', 'samlIdentityProvider', 'externalIdentities'], message: `Only owners can read the SAML identities of ${org.org}.` }] };
    const offset = typeof after === 'string' ? Number(/^saml:(\d+)$/.exec(Buffer.from(after, 'base64').toString('utf8'))?.[1] ?? 0) : 0;
    const cursorOf = (at: number) => Buffer.from(`saml:${at}`).toString('base64');
    return { data: { organization: { samlIdentityProvider: { externalIdentities: samlPageJson(org.saml, offset, cursorOf) } } } };
  }

  function graphqlAnswer(request: { query?: unknown; variables?: Record<string, unknown> }): unknown {
    const operation = typeof request.query === 'string' ? /^\s*query\s+(\w+)/.exec(request.query)?.[1] : undefined;
    const variables = request.variables ?? {};
    if (operation === 'MembersOverview' && variables.org === org.org && Array.isArray(variables.ids)) {
      return foldedAnswer({
        totals: { field: 'organization', answer: totals() },
        saml: { field: 'organization', answer: samlPage(undefined) },
        ...(variables.withCollaborators === true ? { collaborators: { field: 'nodes', answer: collaboratorsBatch(variables.ids) } } : {}),
      });
    }
    if (operation === 'ProtectionOverview' && variables.org === org.org && Array.isArray(variables.ids)) {
      return foldedAnswer({ totals: { field: 'organization', answer: totals() }, ...(variables.withProtection === true ? { protection: { field: 'nodes', answer: { data: { nodes: variables.ids.map(protectionNode) } } } } : {}) });
    }
    if (operation === 'SamlIdentities' && variables.org === org.org) return samlPage(variables.after);
    if (operation === 'BranchProtectionBatch' && Array.isArray(variables.ids)) return { data: { nodes: variables.ids.map(protectionNode) } };
    if (operation === 'OutsideCollaboratorsBatch' && Array.isArray(variables.ids)) return collaboratorsBatch(variables.ids);
    if (operation === 'MergedPullRequests' && typeof variables.searchQuery === 'string') return search(variables.searchQuery, variables.after);
    return null;
  }

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) => {
    const scopes = org.token?.scopes ? { 'x-oauth-scopes': org.token.scopes.join(', ') } : {};
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999', ...scopes, ...headers });
    res.end(JSON.stringify(body));
  };

  /** The app's JWT, checked as GitHub does (signature, issuer, expiry), answered with a token valid for an hour. */
  function exchange(jwt: string, simApp: SimApp): Answer {
    const [header, payload, signature] = jwt.split('.');
    const signed = header !== undefined && payload !== undefined && signature !== undefined && verify('sha256', Buffer.from(`${header}.${payload}`), simApp.publicKey, Buffer.from(signature, 'base64url'));
    if (!signed) return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { iss?: string; exp?: number };
    if (claims.iss !== simApp.appId) return { status: 401, body: { message: 'Integration not found' } };
    if ((claims.exp ?? 0) * 1000 <= simApp.now().getTime()) return { status: 401, body: { message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" } };
    const token = { token: `ghs_sim${String(issued.length + 1).padStart(4, '0')}`, expiresAt: new Date(simApp.now().getTime() + (simApp.tokenLifetimeMs ?? INSTALLATION_TOKEN_LIFETIME_MS)) };
    issued.push(token);
    return { status: 201, body: { token: token.token, expires_at: token.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: { members: 'read', pull_requests: 'read' }, repository_selection: 'all' } };
  }

  /** The token sent, if the simulator accepts it: the personal token, or an installation token not yet expired. */
  function accepted(credential: string): boolean {
    if (credential === SIMULATOR_TOKEN) return true;
    const token = issued.find((t) => t.token === credential);
    if (token && app && token.expiresAt.getTime() <= app.now().getTime()) expiredRefused++;
    return token !== undefined && app !== undefined && token.expiresAt.getTime() > app.now().getTime();
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', baseUrl);
    const credential = req.headers.authorization?.replace(/^(token|bearer) /i, '') ?? '';
    if (app && req.method === 'POST' && url.pathname === `/app/installations/${app.installationId}/access_tokens`) {
      const answer = exchange(credential, app);
      return send(res, answer.status, answer.body, {});
    }
if (!accepted(credential)) return send(res, 401, { message: 'Bad credentials' }, {});
    if (req.method === 'POST' && url.pathname === '/graphql') {
      counts.graphql++;
      const text = Buffer.concat(chunks).toString('utf8');
      const answer = graphqlAnswer(JSON.parse(text || '{}') as { query?: unknown; variables?: Record<string, unknown> });
      if (answer === null) unexpected.push(`POST /graphql ${text.slice(0, 120)}`);
      return send(res, 200, answer ?? { errors: [{ message: 'not served by the simulator', type: 'UNEXPECTED' }] }, {});
    }
    const sso = org.token?.ssoAuthorizeUrl;
    if (sso && /^\/(orgs|repos)\//.test(url.pathname)) {
      counts.restError++;
      return send(res, 403, { message: 'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.' }, { 'x-github-sso': `required; url=${sso}` });
    }
    const answer = req.method === 'GET' ? restAnswer(url) : null;
    if (answer === null) {
      unexpected.push(`${req.method} ${url.pathname}${url.search}`);
      counts.restError++;
      return send(res, 404, { message: 'Not Found' }, {});
    }
    // As GitHub's, the ETag covers the body alone: a page whose paging changed but whose items did not is a 304,
    // and the Link a client kept from before is stale (a full last page gains a next page without a new ETag).
    const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex')}"`;
    if (answer.status === 200 && (req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === etag)) {
      counts.rest304++;
      res.writeHead(304, { etag });
      return res.end();
    }
    if (answer.status === 200) counts.rest200++;
    else counts.restError++;
    return send(res, answer.status, answer.body, { etag, ...(answer.link ? { link: answer.link } : {}) });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push(`${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { message: 'simulator error' }, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    org,
    faults,
    counts: () => ({ ...counts }),
    unexpected,
    issued,
    get expiredRefused() {
      return expiredRefused;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
