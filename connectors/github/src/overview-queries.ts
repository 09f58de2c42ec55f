/**
 * The folded GraphQL documents: each stream asks its independent reads in one
 * POST, because a POST is never a free 304 and an unchanged re-run pays for
 * every one. Each read sits under its own alias, the very selection its
 * standalone query makes, so its answer can be cut back out and judged as
 * that query's answer was (graphql-answer.ts): `totals` is OrganizationTotals,
 * `saml` the first SamlIdentities page, `collaborators` and `protection` the
 * first OutsideCollaboratorsBatch and BranchProtectionBatch. The batch is
 * skipped (`@include`) when there is no repository to ask about.
 */
import { DEFAULT_BRANCH_PROTECTION_FIELDS, ORGANIZATION_COUNTS_FIELDS, OUTSIDE_COLLABORATORS_FIELDS, SAML_IDENTITY_PAGE_FIELDS } from './queries.js';

/** The members stream's overview: the organization's counts, the first page of SAML identities and the first batch of repositories' outside collaborators. */
export const MEMBERS_OVERVIEW_QUERY = `
query MembersOverview($org: String!, $ids: [ID!]!, $withCollaborators: Boolean!) {
  totals: organization(login: $org) { ...OrganizationCounts }
  saml: organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 100) { ...SamlIdentityPage }
    }
  }
  collaborators: nodes(ids: $ids) @include(if: $withCollaborators) { ...OutsideCollaborators }
}
${ORGANIZATION_COUNTS_FIELDS}
${SAML_IDENTITY_PAGE_FIELDS}
${OUTSIDE_COLLABORATORS_FIELDS}`.trim();

/** The branch_protection stream's overview: the organization's counts and the first batch of default-branch protection. */
export const PROTECTION_OVERVIEW_QUERY = `
query ProtectionOverview($org: String!, $ids: [ID!]!, $withProtection: Boolean!) {
  totals: organization(login: $org) { ...OrganizationCounts }
  protection: nodes(ids: $ids) @include(if: $withProtection) { ...DefaultBranchProtection }
}
${ORGANIZATION_COUNTS_FIELDS}
${DEFAULT_BRANCH_PROTECTION_FIELDS}`.trim();

/** The folded documents, by name, for the schema validation test. */
export const OVERVIEW_QUERIES = { MEMBERS_OVERVIEW_QUERY, PROTECTION_OVERVIEW_QUERY } as const;
