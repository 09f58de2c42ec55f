/**
 * The `members` stream: every account with access to the organization
 * (admins, members, outside collaborators) with its 2FA state, SAML SSO
 * identity and, for outside collaborators, the repositories they can reach
 * with their permission, one access.account record each; and the
 * organization's SAML SSO as one access.config fact (`saml_sso`: no provider,
 * or the identities linked to no member). Reading the 2FA lists and SAML
 * identities needs an org owner; without that the accounts are still
 * collected, with MFA `unknown` or SSO linkage unrecorded, and a warning.
 */
import type { StreamContext } from '@evidentia/sdk';
import type { z } from 'zod';
import { errorMessage, GitHubClient, isHttpError, isRateLimited, type HttpError, type Sourced } from './client.js';
import { collaboratorAccess, type CollaboratorAccess } from './collaborator-repositories.js';
import type { GitHubConfig } from './config.js';
import { accountRecord, invitationRecord, samlSsoRecord, type AccountFacts, type OrgRole, type SsoIdentity, type TwoFactorList } from './normalize.js';
import { organizationTotals } from './organization-totals.js';
import { membersOverview } from './overviews.js';
import { listRepositories } from './repository-batches.js';
import { samlIdentities, type SamlState } from './saml-identities.js';
import { OrgInvitation, SimpleUser } from './schema.js';

interface Listed {
  user: SimpleUser;
  role: OrgRole;
  source: string;
}

const byLogin = (user: SimpleUser) => user.login.toLowerCase();

/** The page size of the lists below. */
const PER_PAGE = 100;

/**
 * Every entry of a list that has no total to check it against. Its pages are
 * numbered, so an entry removed while the list is paged moves the next page's
 * first entry onto a page already read, unseen. A list that filled a page is
 * therefore read once more and the two readings joined (the first's entries
 * first; an entry either reading lists was there while the run read it).
 */
async function listWithoutTotal<T>(client: GitHubClient, route: string, params: Record<string, string | number>, item: z.ZodType<T>, keyOf: (value: T) => string): Promise<Array<Sourced<T>>> {
  const entries = new Map<string, Sourced<T>>();
  const read = async () => {
    for await (const entry of client.list(route, { ...params, per_page: PER_PAGE }, item, keyOf)) if (!entries.has(keyOf(entry.value))) entries.set(keyOf(entry.value), entry);
  };
  await read();
  if (entries.size >= PER_PAGE) await read();
  return [...entries.values()];
}

export async function collectMembers(ctx: StreamContext<GitHubConfig>): Promise<void> {
  const client = await GitHubClient.connect(ctx);
  const org = ctx.config.org;
  // Outside collaborators first: only when there are any are the repositories listed, for the overview to ask about the first batch of them.
  // Outside collaborators have no organization-wide count in GitHub's API: that listing has no total to check against.
  const outside = await listWithoutTotal(client, 'GET /orgs/{org}/outside_collaborators', { org }, SimpleUser, byLogin);
  const repos = outside.length > 0 ? await listRepositories(client, org) : [];
  // One POST: the organization's counts, the first SAML page, the first batch of outside collaborators. Sent before the member listings,
  // so a member added while they page is not yet owed; the repository count, read after its listing, gets a second listing if short.
  const overview = await membersOverview(client, org, repos.map(({ value }) => value));
  const totals = organizationTotals(overview.totals, org);
  const accounts = new Map<string, Listed>();
  // The total is compared when the stream ends, by record key: by then `accounts` knows every outside collaborator.
  const isMember = (key: string) => key.startsWith('user:') && accounts.get(key.replace(/^user:/, '').toLowerCase())?.role !== 'outside_collaborator';
  ctx.reportTotal(totals.members, { what: 'organization members (membersWithRole.totalCount)', counts: (record) => record.kind === 'access.account' && isMember(record.key) });
  const add = (user: SimpleUser, role: OrgRole, source: string) => {
    // A login listed as admin and member (a role change between requests) counts as admin.
    if (!accounts.has(byLogin(user)) || role === 'admin') accounts.set(byLogin(user), { user, role, source });
  };

  for (const role of ['admin', 'member'] as const) {
    for await (const { value, source } of client.list('GET /orgs/{org}/members', { org, role, per_page: 100 }, SimpleUser, byLogin)) add(value, role, source);
  }
  const memberLogins = new Set(accounts.keys());
  for (const { value, source } of outside) if (!memberLogins.has(byLogin(value))) add(value, 'outside_collaborator', source);

  const membersWithout2fa = await twoFactorDisabled(ctx, client, 'GET /orgs/{org}/members');
  const collaboratorsWithout2fa = await twoFactorDisabled(ctx, client, 'GET /orgs/{org}/outside_collaborators');
  const saml = await samlIdentities(ctx, client, overview.saml);
  const sso = linkedIdentities(saml, memberLogins);
  // Outside collaborators' repositories are read only when there are any: an empty listing already says nobody has such access.
  const hasCollaborators = accounts.size > memberLogins.size;
  const access = hasCollaborators ? await collaboratorAccess(ctx, client, repos, totals.repositories, overview.collaborators) : null;

  for (const [login, { user, role, source }] of accounts) {
    const twoFactor = role === 'outside_collaborator' ? collaboratorsWithout2fa : membersWithout2fa;
    await ctx.emit(accountRecord(user, role, source, twoFactor, sso.get(login), ctx.config.serviceIdentities, accountFacts(login, role, saml, sso, access)));
  }
  await pendingInvitations(ctx, client);
  if (saml.provider !== 'unreadable') await ctx.emit(samlSsoRecord(ctx.config.org, { identities: saml.provider === 'present' ? saml.identities : null, sources: saml.sources }, memberLogins));
  client.logThrottling();
}

/** The SAML identity of each member, by lower-case login (identities linked to no member are on the saml_sso record). */
function linkedIdentities(saml: SamlState, memberLogins: ReadonlySet<string>): Map<string, SsoIdentity> {
  const linked = new Map<string, SsoIdentity>();
  if (saml.provider !== 'present') return linked;
  for (const { login, ...identity } of saml.identities) if (login !== null && memberLogins.has(login.toLowerCase())) linked.set(login.toLowerCase(), identity);
  return linked;
}

/** SSO linkage for members (SAML SSO does not apply to outside collaborators), repository access for outside collaborators. */
function accountFacts(login: string, role: OrgRole, saml: SamlState, sso: Map<string, SsoIdentity>, access: CollaboratorAccess | null): AccountFacts {
  if (role === 'outside_collaborator') {
    const found = access?.grants.get(login);
    return access ? { repositories: { grants: found?.grants ?? [], sources: found?.sources ?? [], unread: access.unread } } : {};
  }
  if (saml.provider === 'unreadable') return {};
  if (saml.provider === 'none') return { sso: 'no-provider' };
  return { sso: sso.has(login) ? 'linked' : 'unlinked' };
}

/** The logins without 2FA, or null (MFA unknown) when the token may not read the list: it needs an org owner. */
async function twoFactorDisabled(ctx: StreamContext<GitHubConfig>, client: GitHubClient, route: string): Promise<TwoFactorList | null> {
  try {
    // Every page of the list, of either reading (see listWithoutTotal), is a source, an empty one too: it is the evidence
    // that nobody lacks 2FA. A login either reading lists lacks 2FA.
    const { value: listed, sources } = await ctx.sourcesOf(() => listWithoutTotal(client, route, { org: ctx.config.org, filter: '2fa_disabled' }, SimpleUser, byLogin));
    return { disabled: new Set(listed.map(({ value }) => byLogin(value))), sources };
  } catch (error) {
    if (!isHttpError(error) || isRateLimited(error) || !ownerOnlyAnswer(error)) throw error;
    ctx.log.warn('cannot read the 2FA-disabled list (an organization owner is needed); MFA is recorded as unknown', { route, status: error.status });
    return null;
  }
}

/**
 * Pending invitations, one `invited` account each. Only an owner may list
 * them. Without that they are a named gap in the stream's result and
 * coverage, never silently left out; the gap is not in scope (the stream
 * stays complete) because every account that can sign in is still listed, as
 * with MFA recorded unknown for a non-owner.
 */
async function pendingInvitations(ctx: StreamContext<GitHubConfig>, client: GitHubClient): Promise<void> {
  try {
    for (const { value, source } of await listWithoutTotal(client, 'GET /orgs/{org}/invitations', { org: ctx.config.org }, OrgInvitation, (invitation) => String(invitation.id))) {
      await ctx.emit(invitationRecord(value, source));
    }
  } catch (error) {
    if (!isHttpError(error) || isRateLimited(error) || !ownerOnlyAnswer(error)) throw error;
    ctx.log.warn('cannot list pending invitations (an organization owner is needed); they are named as a gap', { status: error.status });
    ctx.itemGap({ item: `pending invitations of ${ctx.config.org}`, reason: `HTTP ${error.status} listing them: an organization owner (the organization's Members read permission) is needed`, inScope: false });
  }
}

/** GitHub answers a non-owner with 422 "Only owners can use this filter.", and 403 or 404 when the token lacks the permission. */
function ownerOnlyAnswer(error: HttpError): boolean {
  return error.status === 403 || error.status === 404 || (error.status === 422 && /owner/i.test(errorMessage(error)));
}
