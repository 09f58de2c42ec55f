/**
 * The counts GitHub reports about an organization independently of the REST
 * listings (GraphQL `totalCount`s): how many members it has and how many
 * repositories the credential can see. Streams hand them to the SDK's total
 * cross-check, so a listing that ends early makes the stream partial instead
 * of passing as complete. They come in each stream's overview (overviews.ts),
 * judged here as the standalone OrganizationTotals query's answer was.
 */
import { strictValue, type GraphQLAnswer } from './graphql-answer.js';
import { OrganizationTotalsData } from './schema.js';

export interface OrganizationTotals {
  /** Admins and members (`membersWithRole.totalCount`); outside collaborators are not counted. */
  members: number;
  /** Repositories visible to the credential (`repositories.totalCount`), archived ones included. */
  repositories: number;
}

/** The totals part of an overview; any error in it fails the stream. */
export function organizationTotals(answer: GraphQLAnswer, org: string): OrganizationTotals {
  const { value } = strictValue(answer, OrganizationTotalsData);
  if (value.organization === null) throw new Error(`GitHub reports no organization ${org} visible to this credential`);
  return { members: value.organization.membersWithRole.totalCount, repositories: value.organization.repositories.totalCount };
}
