/**
 * `evidentia doctor` for GitHub: one cheap request per thing a collection
 * needs, so a missing scope, a token not authorized for the organization's
 * SAML SSO or a non-owner token is named before a run degrades on it. A
 * network failure comes back from the SDK's fetch as a NetworkError and is
 * reported as such by the doctor runner, never as a permission.
 */
import type { DoctorCheck, DoctorContext } from '@evidentia/sdk';
import { installationToken } from './installation-token.js';
import { graphqlUrl, restBaseUrl, type GitHubConfig } from './config.js';
import { MERGED_PULL_REQUESTS_QUERY, SAML_IDENTITIES_QUERY } from './queries.js';

/** Classic token scopes a collection needs, each satisfied by any of the scopes listed with it. */
const CLASSIC_SCOPES: Array<{ need: string; satisfiedBy: string[] }> = [
  { need: 'read:org', satisfiedBy: ['read:org', 'write:org', 'admin:org'] },
  { need: 'repo (or public_repo when every repository is public)', satisfiedBy: ['repo', 'public_repo'] },
];

interface Answer {
  status: number;
  headers: Headers;
  body: { message?: string; [key: string]: unknown } | null;
}

type Get = (path: string, init?: RequestInit) => Promise<Answer>;

function client(ctx: DoctorContext<GitHubConfig>, token: string): Get {
  return async (path, init = {}) => {
    const url = path.startsWith('http') ? path : `${restBaseUrl(ctx.config)}${path}`;
    const headers = { accept: 'application/vnd.github+json', authorization: `Bearer ${token}`, 'user-agent': 'evidentia-doctor', ...(init.headers as Record<string, string> | undefined) };
    const response = await ctx.fetch(url, { ...init, headers, signal: ctx.signal });
    const body = (await response.json().catch(() => null)) as Answer['body'];
    return { status: response.status, headers: response.headers, body };
  };
}

/** GitHub's answer to a token not authorized for the organization's SAML SSO, said with where to authorize it. */
function ssoRefusal(answer: Answer): string | null {
  const sso = answer.headers.get('x-github-sso');
  if (answer.status !== 403 || !sso) return null;
  const url = /url=(\S+)/.exec(sso)?.[1];
  return `the token is not authorized for the organization's SAML SSO${url ? `: authorize it at ${url}` : ' (authorize it in the token settings)'}`;
}

function refusal(answer: Answer, need: string): string {
  return ssoRefusal(answer) ?? `GitHub answered ${answer.status}${answer.body?.message ? ` (${answer.body.message})` : ''}: ${need}`;
}

async function tokenCheck(ctx: DoctorContext<GitHubConfig>, get: Get): Promise<DoctorCheck> {
  const name = 'token';
  const answer = await get('/user');
  if (answer.status === 401) return { name, ok: false, detail: 'GitHub rejected the token (401 Bad credentials): it is expired, revoked or mistyped' };
  if (answer.status !== 200) return { name, ok: false, detail: refusal(answer, 'the token cannot read its own user') };
  const login = typeof answer.body?.login === 'string' ? answer.body.login : '(unknown)';
  const header = answer.headers.get('x-oauth-scopes');
  // Only classic tokens carry their scopes; a fine-grained token's permissions show in the checks below.
  if (header === null) return { name, ok: true, detail: `fine-grained token of ${login}` };
  const scopes = header.split(',').map((scope) => scope.trim()).filter(Boolean);
  const missing = CLASSIC_SCOPES.filter((scope) => !scope.satisfiedBy.some((granted) => scopes.includes(granted))).map((scope) => scope.need);
  if (missing.length > 0) return { name, ok: false, detail: `classic token of ${login} lacks ${missing.join(' and ')} (it has: ${scopes.join(', ') || 'no scopes'})` };
  return { name, ok: true, detail: `classic token of ${login} with ${scopes.join(', ')}` };
}

async function organizationChecks(ctx: DoctorContext<GitHubConfig>, get: Get): Promise<DoctorCheck[]> {
  const { org } = ctx.config;
  const visible = await get(`/orgs/${org}`);
  if (visible.status !== 200) {
    const detail = visible.status === 404 ? `organization ${org} is not found or not visible to this token (a fine-grained token must be created with ${org} as its resource owner)` : refusal(visible, `cannot read organization ${org}`);
    return [{ name: `organization ${org}`, ok: false, detail }];
  }
  const checks: DoctorCheck[] = [{ name: `organization ${org}`, ok: true, detail: 'visible' }];
  const members = await get(`/orgs/${org}/members?role=admin&per_page=1`);
  checks.push(members.status === 200 ? { name: 'members: read', ok: true, detail: 'permitted' } : { name: 'members: read', ok: false, detail: refusal(members, 'organization Members (read) or read:org is needed') });
  const twoFactor = await get(`/orgs/${org}/members?filter=2fa_disabled&per_page=1`);
  checks.push(
    twoFactor.status === 200
      ? { name: 'members: 2FA state (organization owner)', ok: true, detail: 'permitted' }
      : { name: 'members: 2FA state (organization owner)', ok: false, detail: refusal(twoFactor, 'only an organization owner can read who has 2FA off; collections would record MFA as unknown') },
  );
  checks.push(await listCheck(get, `/orgs/${org}/outside_collaborators?per_page=1`, 'members: outside collaborators', 'organization Members (read) or read:org is needed; collections would fail on the outside collaborators'));
  checks.push(await listCheck(get, `/orgs/${org}/invitations?per_page=1`, 'members: pending invitations (organization owner)', 'only an organization owner can list pending invitations; collections would name them as a gap'));
  checks.push(await samlCheck(ctx, get));
  checks.push(await branchProtectionCheck(ctx, get));
  checks.push(await pullRequestCheck(ctx, get));
  return checks;
}

async function listCheck(get: Get, path: string, name: string, need: string): Promise<DoctorCheck> {
  const answer = await get(path);
  return answer.status === 200 ? { name, ok: true, detail: 'permitted' } : { name, ok: false, detail: refusal(answer, need) };
}

/** The SAML identities the members stream links accounts with: no provider is an answer (recorded as such), a refusal is not. */
async function samlCheck(ctx: DoctorContext<GitHubConfig>, get: Get): Promise<DoctorCheck> {
  const name = 'members: SAML identities (organization owner)';
  const answer = await get(graphqlUrl(ctx.config), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SAML_IDENTITIES_QUERY, variables: { org: ctx.config.org, after: null } }) });
  if (answer.status !== 200) return { name, ok: false, detail: refusal(answer, 'the GraphQL API refused the SAML identities') };
  const errors = Array.isArray(answer.body?.errors) ? (answer.body.errors as Array<{ message?: string }>) : [];
  if (errors.length > 0) return { name, ok: false, detail: `GraphQL answered: ${errors.map((error) => error.message ?? '?').join('; ')}; collections would leave SAML linkage unrecorded (only an organization owner can read it)` };
  const data = answer.body?.data as { organization?: { samlIdentityProvider?: unknown } | null } | undefined;
  if (data?.organization?.samlIdentityProvider === null) return { name, ok: true, detail: 'the organization has no SAML SSO (recorded as such)' };
  return { name, ok: true, detail: 'permitted' };
}

async function branchProtectionCheck(ctx: DoctorContext<GitHubConfig>, get: Get): Promise<DoctorCheck> {
  const name = 'branch protection: Administration (read)';
  const repos = await get(`/orgs/${ctx.config.org}/repos?type=all&per_page=100`);
  if (repos.status !== 200 || !Array.isArray(repos.body)) return { name, ok: false, detail: refusal(repos, 'cannot list the repositories (Metadata read)') };
  const repo = (repos.body as Array<{ name: string; default_branch: string; archived: boolean }>).find((candidate) => !candidate.archived);
  if (!repo) return { name, ok: true, detail: 'no active repository to try' };
  const protection = await get(`/repos/${ctx.config.org}/${repo.name}/branches/${encodeURIComponent(repo.default_branch)}/protection`);
  // "Branch not protected" is an answer about the branch: the token may read protection.
  if (protection.status === 200 || (protection.status === 404 && /not protected/i.test(protection.body?.message ?? ''))) return { name, ok: true, detail: `permitted (tried on ${repo.name})` };
  return { name, ok: false, detail: refusal(protection, `cannot read the protection of ${repo.name}: Administration (read), or admin rights on the repository, is needed`) };
}

async function pullRequestCheck(ctx: DoctorContext<GitHubConfig>, get: Get): Promise<DoctorCheck> {
  const name = 'pull requests: search (GraphQL)';
  const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const searchQuery = `org:${ctx.config.org} is:pr is:merged merged:${day}..${new Date().toISOString().slice(0, 10)}`;
  const answer = await get(graphqlUrl(ctx.config), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: MERGED_PULL_REQUESTS_QUERY, variables: { searchQuery, after: null } }) });
  const errors = Array.isArray(answer.body?.errors) ? (answer.body.errors as Array<{ message?: string }>) : [];
  if (answer.status !== 200) return { name, ok: false, detail: refusal(answer, 'the GraphQL API refused the search') };
  if (errors.length > 0) return { name, ok: false, detail: `GraphQL answered: ${errors.map((error) => error.message ?? '?').join('; ')}` };
  return { name, ok: true, detail: 'permitted' };
}

/** The doctor checks of one GitHub organization. */
export async function doctor(ctx: DoctorContext<GitHubConfig>): Promise<DoctorCheck[]> {
  if (ctx.config.app) {
    const name = `GitHub App ${String(ctx.config.app.appId)}, installation ${String(ctx.config.app.installationId)}`;
    let token: string;
    try {
      token = (await installationToken({ config: ctx.config, credentialFetch: ctx.fetch }, 'evidentia-doctor')).token;
    } catch (error) {
      return [{ name, ok: false, detail: (error as Error).message }];
    }
    return [{ name, ok: true, detail: 'installation token obtained' }, ...(await organizationChecks(ctx, client(ctx, token)))];
  }
  const get = client(ctx, ctx.config.token?.reveal() ?? '');
  const token = await tokenCheck(ctx, get);
  return token.ok || !/401/.test(token.detail) ? [token, ...(await organizationChecks(ctx, get))] : [token];
}
