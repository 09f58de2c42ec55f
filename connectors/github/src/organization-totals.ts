/**
 * The counts GitHub reports about an organization independently of the REST
 * listings (GraphQL `totalCount`s): how many members it has and how many
 * repositories the credential can see. Streams hand them to the SDK's total
 * cross-check, so a listing that ends early makes the stream partial instead
 * of passing as complete. Read before the listings: an item added while
 * paging can shift a page (tolerated by the paginator) but is not yet owed.
 */
import type { GitHubClient } from './client.js';
import { ORGANIZATION_TOTALS_QUERY } from './queries.js';
import { OrganizationTotalsData } from './schema.js';

export interface OrganizationTotals {
  /** Admins and members (`membersWithRole.totalCount`); outside collaborators are not counted. */
  members: number;
  /** Repositories visible to the credential (`repositories.totalCount`), archived ones included. */
  repositories: number;
}

export async function organizationTotals(client: GitHubClient, org: string): Promise<OrganizationTotals> {
  const { value } = await client.graphql('OrganizationTotals', ORGANIZATION_TOTALS_QUERY, { org }, OrganizationTotalsData);
  if (value.organization === null) throw new Error(`GitHub reports no organization ${org} visible to this credential`);
  return { members: value.organization.membersWithRole.totalCount, repositories: value.organization.repositories.totalCount };
}
