/**
 * The organization's SAML SSO identities (GraphQL
 * `organization.samlIdentityProvider.externalIdentities`, 100 a page, through
 * the SDK paginator). Three answers are facts, not failures: the identities
 * (each linked to a GitHub login, or to none), no identity provider at all
 * (the organization has no SAML SSO), or an answer that the token may not
 * read them (an organization owner is needed), which leaves linkage unknown.
 * A listing that stops short of GitHub's `totalCount` is a gap that makes the
 * stream partial: an identity it never returned could be one linked to nobody.
 * The first page comes in the members overview (overviews.ts), judged here
 * as the first SamlIdentities answer was; the others are asked page by page.
 */
import { paginate, type StreamContext } from '@evidentia/sdk';
import type { GitHubClient, Sourced } from './client.js';
import type { GitHubConfig } from './config.js';
import { GraphQLResponseError, strictValue, type GraphQLAnswer } from './graphql-answer.js';
import type { ExternalIdentity } from './normalize.js';
import { SAML_IDENTITIES_QUERY } from './queries.js';
import { SamlIdentitiesData } from './schema.js';

type SamlNode = NonNullable<NonNullable<SamlIdentitiesData['organization']['samlIdentityProvider']>['externalIdentities']['nodes'][number]>;

export type SamlState =
  | { provider: 'present'; identities: ExternalIdentity[]; sources: string[] }
  | { provider: 'none'; sources: string[] }
  /** The token may not read the identities: linkage is unknown, and nothing about it is recorded. */
  | { provider: 'unreadable' };

function identityOf(node: SamlNode, source: string): ExternalIdentity | null {
  if (!node.samlIdentity) return null;
  const { nameId, givenName, familyName, emails } = node.samlIdentity;
  const email = emails?.find((e) => e.primary)?.value ?? emails?.[0]?.value ?? null;
  const displayName = [givenName, familyName].filter(Boolean).join(' ') || null;
  return { nameId, email, displayName, source, login: node.user?.login ?? null };
}

/** The identities, from `firstPage` (the overview's part) and the pages after it. */
export async function samlIdentities(ctx: StreamContext<GitHubConfig>, client: GitHubClient, firstPage: GraphQLAnswer): Promise<SamlState> {
  const { org } = ctx.config;
  const identities: ExternalIdentity[] = [];
  const sources: string[] = [];
  // Set by the page callback: whether a provider exists, and GitHub's count of its identities.
  const answer: { noProvider: boolean; total: number | null } = { noProvider: false, total: null };
  try {
    const nodes = paginate<{ node: SamlNode; source: string }, string>({
      what: `SAML identities of ${org}`,
      first: null,
      key: ({ node }) => `${node.samlIdentity?.nameId ?? ''}\u0000${node.user?.login ?? ''}`,
      fetchPage: async (after) => {
        const page: Sourced<SamlIdentitiesData> = after === null ? strictValue(firstPage, SamlIdentitiesData) : await client.graphql('SamlIdentities', SAML_IDENTITIES_QUERY, { org, after }, SamlIdentitiesData);
        if (!sources.includes(page.source)) sources.push(page.source);
        const provider = page.value.organization.samlIdentityProvider;
        if (provider === null) {
          answer.noProvider = true;
          return { items: [], next: null };
        }
        const { nodes: listed, pageInfo, totalCount } = provider.externalIdentities;
        answer.total ??= totalCount;
        const items = listed.filter((node): node is SamlNode => node !== null).map((node) => ({ node, source: page.source }));
        return { items, next: pageInfo.hasNextPage ? pageInfo.endCursor : null };
      },
    });
    let received = 0;
    for await (const { node, source } of nodes) {
      received++;
      const identity = identityOf(node, source);
      if (identity) identities.push(identity);
    }
    if (answer.noProvider) {
      ctx.log.info('the organization has no SAML SSO: recorded as a fact, accounts have no SSO identity', { org });
      return { provider: 'none', sources };
    }
    if (answer.total !== null && received < answer.total) {
      ctx.itemGap({ item: `SAML identities of ${org}`, reason: `the listing returned ${received} of the ${answer.total} identities GitHub counts (externalIdentities.totalCount)`, inScope: true });
    }
    return { provider: 'present', identities, sources };
  } catch (error) {
    if (!(error instanceof GraphQLResponseError) || !error.types.some((t) => t === 'FORBIDDEN' || t === 'INSUFFICIENT_SCOPES')) throw error;
    ctx.log.warn('cannot read SAML identities (an organization owner and read:org are needed); SSO linkage is unknown', { error: error.message });
    return { provider: 'unreadable' };
  }
}
