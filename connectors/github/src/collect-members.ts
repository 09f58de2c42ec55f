/**
 * The `members` stream: every account with access to the organization
 * (admins, members, outside collaborators) with its 2FA state and SAML SSO
 * identity, one access.account record each. Reading the 2FA lists and SAML
 * identities needs an org owner; without that the accounts are still
 * collected, with MFA `unknown` or no SSO identity, and a warning.
 */
import { paginate, type StreamContext } from '@evidentia/sdk';
import { errorMessage, GitHubClient, GraphQLResponseError, isHttpError, isRateLimited, type HttpError, type Sourced } from './client.js';
import type { GitHubConfig } from './config.js';
import { accountRecord, type OrgRole, type SsoIdentity, type TwoFactorList } from './normalize.js';
import { organizationTotals } from './organization-totals.js';
import { SAML_IDENTITIES_QUERY } from './queries.js';
import { SamlIdentitiesData, SimpleUser } from './schema.js';

type SamlNode = NonNullable<NonNullable<SamlIdentitiesData['organization']['samlIdentityProvider']>['externalIdentities']['nodes'][number]>;

interface Listed {
  user: SimpleUser;
  role: OrgRole;
  source: string;
}

const byLogin = (user: SimpleUser) => user.login.toLowerCase();

export async function collectMembers(ctx: StreamContext<GitHubConfig>): Promise<void> {
  const client = await GitHubClient.connect(ctx);
  const org = ctx.config.org;
  const totals = await organizationTotals(client, org);
  const accounts = new Map<string, Listed>();
  // The total is compared when the stream ends, by record key: by then `accounts` knows every outside collaborator.
  const isMember = (key: string) => accounts.get(key.replace(/^user:/, '').toLowerCase())?.role !== 'outside_collaborator';
  ctx.reportTotal(totals.members, { what: 'organization members (membersWithRole.totalCount)', counts: (record) => isMember(record.key) });
  const add = (user: SimpleUser, role: OrgRole, source: string) => {
    // A login listed as admin and member (a role change between requests) counts as admin.
    if (!accounts.has(byLogin(user)) || role === 'admin') accounts.set(byLogin(user), { user, role, source });
  };

  for (const role of ['admin', 'member'] as const) {
    for await (const { value, source } of client.list('GET /orgs/{org}/members', { org, role, per_page: 100 }, SimpleUser, byLogin)) add(value, role, source);
  }
  const memberLogins = new Set(accounts.keys());
  // Outside collaborators have no organization-wide count in GitHub's API: that listing has no total to check against.
  for await (const { value, source } of client.list('GET /orgs/{org}/outside_collaborators', { org, per_page: 100 }, SimpleUser, byLogin)) {
    if (!memberLogins.has(byLogin(value))) add(value, 'outside_collaborator', source);
  }

  const membersWithout2fa = await twoFactorDisabled(ctx, client, 'GET /orgs/{org}/members');
  const collaboratorsWithout2fa = await twoFactorDisabled(ctx, client, 'GET /orgs/{org}/outside_collaborators');
  const sso = await samlIdentities(ctx, client);

  for (const [login, { user, role, source }] of accounts) {
    const twoFactor = role === 'outside_collaborator' ? collaboratorsWithout2fa : membersWithout2fa;
    await ctx.emit(accountRecord(user, role, source, twoFactor, sso.get(login), ctx.config.serviceIdentities));
  }
  client.logThrottling();
}

/** The logins without 2FA, or null (MFA unknown) when the token may not read the list: it needs an org owner. */
async function twoFactorDisabled(ctx: StreamContext<GitHubConfig>, client: GitHubClient, route: string): Promise<TwoFactorList | null> {
  const disabled = new Set<string>();
  try {
    // Every page of the list is a source, an empty one too: it is the evidence that nobody lacks 2FA.
    const { sources } = await ctx.sourcesOf(async () => {
      for await (const { value } of client.list(route, { org: ctx.config.org, filter: '2fa_disabled', per_page: 100 }, SimpleUser, byLogin)) disabled.add(byLogin(value));
    });
    return { disabled, sources };
  } catch (error) {
    if (!isHttpError(error) || isRateLimited(error) || !ownerOnlyAnswer(error)) throw error;
    ctx.log.warn('cannot read the 2FA-disabled list (an organization owner is needed); MFA is recorded as unknown', { route, status: error.status });
    return null;
  }
}

/** GitHub answers a non-owner with 422 "Only owners can use this filter.", and 403 or 404 when the token lacks the permission. */
function ownerOnlyAnswer(error: HttpError): boolean {
  return error.status === 403 || error.status === 404 || (error.status === 422 && /owner/i.test(errorMessage(error)));
}

/** SAML identities by lower-case login; empty when the org has no SAML SSO or the token may not read them. */
async function samlIdentities(ctx: StreamContext<GitHubConfig>, client: GitHubClient): Promise<Map<string, SsoIdentity>> {
  const identities = new Map<string, SsoIdentity>();
  let noProvider = false;
  try {
    const nodes = paginate<{ node: SamlNode; source: string }, string>({
      what: `SAML identities of ${ctx.config.org}`,
      first: null,
      key: ({ node }) => `${node.samlIdentity?.nameId ?? ''}\u0000${node.user?.login ?? ''}`,
      fetchPage: async (after) => {
        const page: Sourced<SamlIdentitiesData> = await client.graphql('SamlIdentities', SAML_IDENTITIES_QUERY, { org: ctx.config.org, after }, SamlIdentitiesData);
        const provider = page.value.organization.samlIdentityProvider;
        if (provider === null) {
          noProvider = true;
          return { items: [], next: null };
        }
        const { nodes: listed, pageInfo } = provider.externalIdentities;
        const items = listed.filter((node): node is SamlNode => node !== null).map((node) => ({ node, source: page.source }));
        return { items, next: pageInfo.hasNextPage ? pageInfo.endCursor : null };
      },
    });
    for await (const { node, source } of nodes) {
      if (!node.user || !node.samlIdentity) continue;
      const { nameId, givenName, familyName, emails } = node.samlIdentity;
      const email = emails?.find((e) => e.primary)?.value ?? emails?.[0]?.value ?? null;
      const displayName = [givenName, familyName].filter(Boolean).join(' ') || null;
      identities.set(node.user.login.toLowerCase(), { nameId, email, displayName, source });
    }
    if (noProvider) ctx.log.info('the organization has no SAML SSO; accounts have no SSO identity', { org: ctx.config.org });
  } catch (error) {
    if (!(error instanceof GraphQLResponseError) || !error.types.some((t) => t === 'FORBIDDEN' || t === 'INSUFFICIENT_SCOPES')) throw error;
    ctx.log.warn('cannot read SAML identities (an organization owner and read:org are needed); accounts have no SSO identity', { error: error.message });
    identities.clear();
  }
  return identities;
}
