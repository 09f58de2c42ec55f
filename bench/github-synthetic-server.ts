/**
 * A fake GitHub for the benchmark: a synthetic organization generated
 * deterministically from a few counts, served on 127.0.0.1 with the REST and
 * GraphQL behaviour the connector's request pattern depends on (Link
 * pagination with absolute URLs, a content ETag on every GET 200, 304 with no
 * body when If-None-Match matches, GitHub's 1,000-result search ceiling).
 * It counts what it served by kind, so rate-limit cost is measured at the
 * server, not inferred from the client. Any request the connector is not
 * known to send is answered 404 and listed in `unexpected`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collaboratorsNodeJson, foldedAnswer, protectionNodeJson } from '../connectors/github/src/simulator-org.js';

export interface SyntheticOrgOptions {
  pullRequests: number;
  /** End of the merge window; no merges fall in the last `quietHours` before it. */
  until: Date;
  org?: string;
  members?: number;
  collaborators?: number;
  repositories?: number;
  windowDays?: number;
  quietHours?: number;
}

export interface SyntheticUser { login: string; id: number; admin: boolean; twoFactor: boolean }
export type ProtectionMode = 'classic' | 'ruleset' | 'both' | 'none';
export interface SyntheticRepo { name: string; id: number; archived: boolean; protection: ProtectionMode }

interface Review { author: { login: string; __typename: string }; state: string; submittedAt: string; commit: { oid: string } }
export interface SyntheticPullRequest { key: string; mergedAtMs: number; reviews: number; node: Record<string, unknown> }

export interface SyntheticOrg {
  org: string;
  members: SyntheticUser[];
  collaborators: SyntheticUser[];
  repos: SyntheticRepo[];
  /** Sorted by merge time. */
  pullRequests: SyntheticPullRequest[];
  windowStart: Date;
  until: Date;
}

/** Requests served, by what they cost: GitHub does not count a 304 against the rate limit. */
export interface RequestCounts { rest200: number; rest304: number; restError: number; graphql: number }

export interface SyntheticGitHub {
  baseUrl: string;
  population: SyntheticOrg;
  counts(): RequestCounts;
  /** Requests outside the connector's known pattern (a benchmark with any is void). */
  unexpected: string[];
  close(): Promise<void>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SEARCH_RESULT_LIMIT = 1000;
const OWNER_LOGIN = 'bench-owner';

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** mulberry32: a tiny seeded PRNG, so the org is the same on every machine. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const PROTECTION_CYCLE: ProtectionMode[] = ['classic', 'classic', 'classic', 'both', 'ruleset', 'none'];

/** The organization: admins every 25th member, 2FA off for about 1 in 23 members and 1 in 8 collaborators, every 10th repo archived. */
export function generateOrg(options: SyntheticOrgOptions): SyntheticOrg {
  const org = options.org ?? 'bench-corp';
  const random = seeded(20260701);
  const members = Array.from({ length: options.members ?? 300 }, (_, i): SyntheticUser => ({ login: `dev-${i}`, id: 100_000 + i, admin: i % 25 === 0, twoFactor: i % 23 !== 7 }));
  const collaborators = Array.from({ length: options.collaborators ?? 40 }, (_, i): SyntheticUser => ({ login: `contractor-${i}`, id: 200_000 + i, admin: false, twoFactor: i % 8 !== 3 }));
  const repos = Array.from({ length: options.repositories ?? 60 }, (_, i): SyntheticRepo => ({ name: `service-${i}`, id: 300_000 + i, archived: i % 10 === 9, protection: PROTECTION_CYCLE[i % 6] ?? 'none' }));
  const active = repos.filter((repo) => !repo.archived);
  const until = options.until.getTime();
  const windowStart = until - (options.windowDays ?? 90) * DAY;
  const span = until - (options.quietHours ?? 2) * HOUR - windowStart;
  const numbers = new Map<string, number>();
  const pullRequests: SyntheticPullRequest[] = [];
  for (let i = 0; i < options.pullRequests; i++) {
    const repo = active[i % active.length]!;
    const number = (numbers.get(repo.name) ?? 0) + 1;
    numbers.set(repo.name, number);
    const slot = span / options.pullRequests;
    const mergedAtMs = Math.floor((windowStart + 1000 + (i + random()) * slot) / 1000) * 1000;
    const createdAtMs = mergedAtMs - Math.round((1 + random() * 71) * HOUR);
    const committedMs = mergedAtMs - Math.round((0.2 + random() * 0.6) * (mergedAtMs - createdAtMs));
    const nameWithOwner = `${org}/${repo.name}`;
    const head = sha1(`${nameWithOwner}#${number}/head`);
    const author = members[(i * 7) % members.length]!;
    const emergency = i % 40 === 0;
    const reviewCount = 1 + (i % 3);
    const reviews: Review[] = Array.from({ length: reviewCount }, (_, r) => {
      const last = r === reviewCount - 1;
      const reviewer = members[(i * 7 + 1 + r * 13) % members.length]!;
      const state = last ? (i % 37 === 0 ? 'COMMENTED' : 'APPROVED') : r % 2 === 0 ? 'CHANGES_REQUESTED' : 'COMMENTED';
      const at = createdAtMs + Math.round(((r + 1) / (reviewCount + 1)) * (mergedAtMs - createdAtMs));
      return { author: { login: reviewer.login, __typename: 'User' }, state, submittedAt: iso(at), commit: { oid: last ? head : sha1(`${nameWithOwner}#${number}/${r}`) } };
    });
    const title = emergency ? `Hotfix: restore service-${i % 60} health check` : `BENCH-${1000 + i} Change ${i} to ${repo.name}`;
    const node = {
      number,
      title,
      url: `https://github.com/${nameWithOwner}/pull/${number}`,
      createdAt: iso(createdAtMs),
      mergedAt: iso(mergedAtMs),
      closedAt: iso(mergedAtMs),
      author: { login: author.login, __typename: 'User' },
      mergedBy: { login: members[(i % 12) * 25]?.login ?? author.login, __typename: 'User' },
      baseRefName: 'main',
      headRefName: `feature/bench-${1000 + i}`,
      headRefOid: head,
      repository: { nameWithOwner },
      labels: { nodes: emergency ? [{ name: 'hotfix' }] : [] },
      commits: { nodes: [{ commit: { oid: head, committedDate: iso(committedMs) } }] },
      reviews: { totalCount: reviewCount, pageInfo: { hasNextPage: false, endCursor: cursor(reviewCount) }, nodes: reviews },
    };
    pullRequests.push({ key: `${nameWithOwner}#${number}`, mergedAtMs, reviews: reviewCount, node });
  }
  pullRequests.sort((a, b) => a.mergedAtMs - b.mergedAtMs);
  return { org, members, collaborators, repos, pullRequests, windowStart: new Date(windowStart), until: options.until };
}

function cursor(offset: number): string {
  return Buffer.from(`cursor:${offset}`).toString('base64');
}

function offsetOf(after: unknown): number | null {
  if (after === null || after === undefined) return 0;
  const match = typeof after === 'string' ? /^cursor:(\d+)$/.exec(Buffer.from(after, 'base64').toString('utf8')) : null;
  return match ? Number(match[1]) : null;
}

const simpleUser = (user: SyntheticUser) => ({ login: user.login, id: user.id, node_id: `U_${user.id}`, type: 'User', site_admin: false });

function repoJson(org: string, repo: SyntheticRepo) {
  return {
    id: repo.id, node_id: `R_${repo.id}`, name: repo.name, full_name: `${org}/${repo.name}`, private: true,
    owner: { login: org, id: 9_000, type: 'Organization' }, archived: repo.archived, disabled: false, default_branch: 'main', visibility: 'private',
  };
}

function classicProtection(repo: SyntheticRepo) {
  const strict = repo.id % 2 === 0;
  return {
    required_status_checks: { strict: true, contexts: ['ci/build'], checks: [{ context: 'ci/build', app_id: null }] },
    enforce_admins: { enabled: strict },
    required_pull_request_reviews: { dismiss_stale_reviews: strict, require_code_owner_reviews: false, required_approving_review_count: strict ? 2 : 1, require_last_push_approval: false },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
  };
}

function rulesetRules(org: string) {
  const source = { ruleset_source_type: 'Organization', ruleset_source: org, ruleset_id: 901 };
  return [
    { type: 'deletion', ...source },
    { type: 'non_fast_forward', ...source },
    { type: 'pull_request', parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: true, require_code_owner_review: false, require_last_push_approval: true, required_review_thread_resolution: false }, ...source },
  ];
}

type Answer = { status: number; body: unknown; link?: string };

/** One REST GET against the synthetic org, or null when the connector is not known to send it. */
function restAnswer(org: SyntheticOrg, url: URL, baseUrl: string): Answer | null {
  const params = url.searchParams;
  const page = <T>(items: T[]): Answer => {
    const size = Number(params.get('per_page') ?? 30);
    const number = Number(params.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / size));
    const at = (p: number) => {
      const next = new URLSearchParams(params);
      next.set('page', String(p));
      return `<${baseUrl}${url.pathname}?${next.toString()}>`;
    };
    const rels = number < last ? [`${at(number + 1)}; rel="next"`, `${at(last)}; rel="last"`] : [];
    if (number > 1) rels.push(`${at(number - 1)}; rel="prev"`, `${at(1)}; rel="first"`);
    return { status: 200, body: items.slice((number - 1) * size, number * size), link: rels.length > 0 ? rels.join(', ') : undefined };
  };
  const path = url.pathname.split('/').slice(1);
  if (url.pathname === '/user') return { status: 200, body: { login: OWNER_LOGIN, id: 99_999, node_id: 'U_99999', type: 'User', site_admin: false } };
  if (path[0] === 'orgs' && path[1] === org.org && path.length === 3) {
    const filter = params.get('filter');
    if (path[2] === 'members') {
      if (filter === '2fa_disabled') return page(org.members.filter((u) => !u.twoFactor).map(simpleUser));
      const role = params.get('role');
      if (role === 'admin' || role === 'member') return page(org.members.filter((u) => u.admin === (role === 'admin')).map(simpleUser));
    }
    if (path[2] === 'outside_collaborators') return page(org.collaborators.filter((u) => filter !== '2fa_disabled' || !u.twoFactor).map(simpleUser));
    // Pending invitations: none (the listing is one request; the population stays the members and collaborators).
    if (path[2] === 'invitations') return page([]);
    if (path[2] === 'repos' && params.get('type') === 'all') return page(org.repos.map((repo) => repoJson(org.org, repo)));
    return null;
  }
  const repo = path[0] === 'repos' && path[1] === org.org ? org.repos.find((r) => r.name === path[2]) : undefined;
  if (!repo) return null;
  // GitHub reports a branch as protected when classic protection or a ruleset applies to it.
  if (path.length === 5 && path[3] === 'branches' && path[4] === 'main') {
    return { status: 200, body: { name: 'main', commit: { sha: 'f'.repeat(40) }, protected: repo.protection !== 'none', protection_url: `https://api.github.com/repos/${org.org}/${repo.name}/branches/main/protection` } };
  }
  if (path.length === 4 && path[3] === 'collaborators' && params.get('affiliation') === 'outside') {
    return page(collaboratorsOf(org, repo).map((user) => ({ ...simpleUser(user), permissions: { admin: false, maintain: false, push: true, triage: true, pull: true }, role_name: 'write' })));
  }
  if (path.length !== 6) return null;
  if (path[3] === 'branches' && path[4] === 'main' && path[5] === 'protection') {
    if (repo.protection === 'classic' || repo.protection === 'both') return { status: 200, body: classicProtection(repo) };
    return { status: 404, body: { message: 'Branch not protected', documentation_url: 'https://docs.github.com/rest/branches/branch-protection#get-branch-protection', status: '404' } };
  }
  if (path[3] === 'rules' && path[4] === 'branches' && path[5] === 'main') return page(repo.protection === 'ruleset' || repo.protection === 'both' ? rulesetRules(org.org) : []);
  return null;
}

/** Each outside collaborator may write to one repository (contractor-i to repo i mod the repo count). */
function collaboratorsOf(org: SyntheticOrg, repo: SyntheticRepo): SyntheticUser[] {
  const index = org.repos.indexOf(repo);
  return org.collaborators.filter((_, i) => i % org.repos.length === index);
}

/** The standalone answer of a batch by node id: each node from `nodeOf`, null for an id it does not know. */
function batchAnswer(org: SyntheticOrg, ids: unknown[], nodeOf: (repo: SyntheticRepo) => unknown) {
  return { data: { nodes: ids.map((id) => { const repo = org.repos.find((r) => `R_${r.id}` === id); return repo ? nodeOf(repo) : null; }) } };
}

const protectionNode = (org: SyntheticOrg) => (repo: SyntheticRepo) => protectionNodeJson(org.org, repo, repo.protection === 'classic' || repo.protection === 'both' ? classicProtection(repo) : null, repo.protection === 'ruleset' || repo.protection === 'both' ? rulesetRules(org.org) : []);
const collaboratorsNode = (org: SyntheticOrg) => (repo: SyntheticRepo) => collaboratorsNodeJson(org.org, repo.name, collaboratorsOf(org, repo).map((user) => ({ login: user.login, permission: 'write' as const })));

/**
 * GraphQL: the streams' overviews (organization totals folded with the first SAML page and outside-collaborator batch, or with the
 * first protection batch), the later SAML pages (no SAML here), the protection and collaborator batches and the merged-PR search, or null for anything else.
 */
function graphqlAnswer(org: SyntheticOrg, request: { query?: unknown; variables?: Record<string, unknown> }): unknown {
  const operation = typeof request.query === 'string' ? /^\s*query\s+(\w+)/.exec(request.query)?.[1] : undefined;
  const variables = request.variables ?? {};
  const totals = { field: 'organization', answer: { data: { organization: { membersWithRole: { totalCount: org.members.length }, repositories: { totalCount: org.repos.length } } } } };
  const noSaml = { data: { organization: { samlIdentityProvider: null } } };
  const ids = Array.isArray(variables.ids) && variables.ids.length <= 100 ? variables.ids : null;
  if (operation === 'MembersOverview' && variables.org === org.org && ids) {
    return foldedAnswer({ totals, saml: { field: 'organization', answer: noSaml }, ...(variables.withCollaborators === true ? { collaborators: { field: 'nodes', answer: batchAnswer(org, ids, collaboratorsNode(org)) } } : {}) });
  }
  if (operation === 'ProtectionOverview' && variables.org === org.org && ids) {
    return foldedAnswer({ totals, ...(variables.withProtection === true ? { protection: { field: 'nodes', answer: batchAnswer(org, ids, protectionNode(org)) } } : {}) });
  }
  if (operation === 'SamlIdentities' && variables.org === org.org) return noSaml;
  if (operation === 'BranchProtectionBatch' && ids) return batchAnswer(org, ids, protectionNode(org));
  if (operation === 'OutsideCollaboratorsBatch' && ids) return batchAnswer(org, ids, collaboratorsNode(org));
  if (operation !== 'MergedPullRequests' || typeof variables.searchQuery !== 'string') return null;
  const match = /^org:(\S+) is:pr is:merged merged:(\S+)\.\.(\S+)$/.exec(variables.searchQuery);
  const offset = offsetOf(variables.after);
  if (!match || match[1] !== org.org || offset === null) return null;
  const from = Date.parse(match[2]!);
  const to = Date.parse(match[3]!);
  const found = org.pullRequests.filter((pr) => pr.mergedAtMs >= from && pr.mergedAtMs <= to);
  const reachable = Math.min(found.length, SEARCH_RESULT_LIMIT);
  const end = Math.min(offset + 100, reachable);
  const nodes = found.slice(offset, end).map((pr) => pr.node);
  return { data: { search: { issueCount: found.length, pageInfo: { hasNextPage: end < reachable, endCursor: nodes.length > 0 ? cursor(end) : null }, nodes } } };
}

/** Start the fake GitHub on 127.0.0.1 with a freshly generated organization. */
export async function startSyntheticGitHub(options: SyntheticOrgOptions): Promise<SyntheticGitHub> {
  const population = generateOrg(options);
  const counts: RequestCounts = { rest200: 0, rest304: 0, restError: 0, graphql: 0 };
  const unexpected: string[] = [];
  let baseUrl = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    const used = counts.rest200 + counts.restError + counts.graphql;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': String(Math.max(1, 5000 - used)), 'x-ratelimit-used': String(used), ...headers });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', baseUrl);
    if (!/^(token|bearer) bench$/i.test(req.headers.authorization ?? '')) return send(res, 401, { message: 'Bad credentials' }, {});
    if (req.method === 'POST' && url.pathname === '/graphql') {
      counts.graphql++;
      const answer = graphqlAnswer(population, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { query?: unknown; variables?: Record<string, unknown> });
      if (answer === null) unexpected.push(`POST /graphql ${Buffer.concat(chunks).toString('utf8').slice(0, 120)}`);
      return send(res, 200, answer ?? { errors: [{ message: 'not served by the synthetic GitHub', type: 'UNEXPECTED' }] }, { 'x-ratelimit-resource': 'graphql' });
    }
    const answer = req.method === 'GET' ? restAnswer(population, url, baseUrl) : null;
    if (answer === null) {
      unexpected.push(`${req.method} ${url.pathname}${url.search}`);
      counts.restError++;
      return send(res, 404, { message: 'Not Found' }, {});
    }
    const etag = `W/"${createHash('sha256').update(JSON.stringify(answer.body)).digest('hex')}"`;
    // A 304 answers only what would have been a 200: preconditions do not apply to error responses (RFC 9110 §13.2.1).
    const matches = (req.headers['if-none-match'] ?? '').split(',').some((tag) => tag.trim() === etag);
    if (answer.status === 200 && matches) {
      counts.rest304++;
      res.writeHead(304, { etag });
      return res.end();
    }
    if (answer.status === 200) counts.rest200++;
    else counts.restError++;
    return send(res, answer.status, answer.body, { etag, 'x-ratelimit-resource': 'core', ...(answer.link ? { link: answer.link } : {}) });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push(`${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) send(res, 500, { message: 'synthetic server error' }, {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    population,
    counts: () => ({ ...counts }),
    unexpected,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
}
