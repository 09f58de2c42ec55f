/**
 * The GraphQL documents the connector sends, as exported constants so the
 * test suite can validate each one against GitHub's published schema and the
 * fixtures can carry the exact text. Page sizes are GitHub's maximum (100).
 */

const REVIEW_FIELDS = `
fragment ReviewFields on PullRequestReview {
  id
  author { login __typename }
  state
  submittedAt
  commit { oid }
}`;

/** One page of SAML SSO identities, each with the member it is linked to (if any). */
export const SAML_IDENTITY_PAGE_FIELDS = `
fragment SamlIdentityPage on ExternalIdentityConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  nodes {
    samlIdentity { nameId givenName familyName emails { value primary } }
    user { login }
  }
}`;

/** SAML SSO identities after the first page (null provider: the org has no SAML SSO); the first page comes with MembersOverview. */
export const SAML_IDENTITIES_QUERY = `
query SamlIdentities($org: String!, $after: String) {
  organization(login: $org) {
    samlIdentityProvider {
      externalIdentities(first: 100, after: $after) { ...SamlIdentityPage }
    }
  }
}
${SAML_IDENTITY_PAGE_FIELDS}`.trim();

/**
 * What the organization reports about itself, independently of any listing:
 * its member count (admins and members, the two role listings) and the count
 * of repositories the credential can see (the repository listing). A stream
 * compares its records with these, so a listing that stops early is caught.
 * Asked in each stream's overview (overview-queries.ts).
 */
export const ORGANIZATION_COUNTS_FIELDS = `
fragment OrganizationCounts on Organization {
  membersWithRole { totalCount }
  repositories { totalCount }
}`;

/**
 * One page of merged pull requests with everything a change-management check
 * needs: who merged, the head commit and its time, up to 100 reviews with
 * the commit each was given on, GitHub's own review decision, the body (read
 * for ticket keys, never stored in the record) and the repository's default
 * branch. One query replaces 1 + 2N REST calls.
 */
export const MERGED_PULL_REQUESTS_QUERY = `
query MergedPullRequests($searchQuery: String!, $after: String) {
  search(query: $searchQuery, type: ISSUE, first: 100, after: $after) {
    issueCount
    pageInfo { hasNextPage endCursor }
    nodes {
      ... on PullRequest {
        number
        title
        url
        createdAt
        mergedAt
        closedAt
        author { login __typename }
        mergedBy { login __typename }
        baseRefName
        headRefName
        headRefOid
        body
        reviewDecision
        repository { nameWithOwner isArchived defaultBranchRef { name } }
        labels(first: 20) { nodes { name } }
        commits(last: 1) { nodes { commit { oid committedDate } } }
        reviews(first: 100) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes { ...ReviewFields }
        }
      }
    }
  }
}
${REVIEW_FIELDS}`.trim();

/** The reviews of one pull request after the first 100 (rare: long-lived, heavily reviewed PRs). */
export const PULL_REQUEST_REVIEWS_QUERY = `
query PullRequestReviews($owner: String!, $name: String!, $number: Int!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { ...ReviewFields }
      }
    }
  }
}
${REVIEW_FIELDS}`.trim();

/**
 * The outside collaborators of a repository (asked by node id), with the
 * permission and the roles that grant it (a custom role's name is only in
 * permissionSources). A repository with more than 100 is read over REST.
 */
export const OUTSIDE_COLLABORATORS_FIELDS = `
fragment OutsideCollaborators on Repository {
  nameWithOwner
  collaborators(affiliation: OUTSIDE, first: 100) {
    totalCount
    edges {
      permission
      permissionSources { permission roleName source { __typename } }
      node { login }
    }
  }
}`;

/** The outside collaborators of the repositories after the first batch (which comes with MembersOverview). */
export const OUTSIDE_COLLABORATORS_BATCH_QUERY = `
query OutsideCollaboratorsBatch($ids: [ID!]!) {
  nodes(ids: $ids) { ...OutsideCollaborators }
}
${OUTSIDE_COLLABORATORS_FIELDS}`.trim();

/**
 * The default-branch protection of many repositories in one query, by the
 * node ids the REST listing gave: the classic branch protection rule GitHub
 * itself matched to the default branch (`Ref.branchProtectionRule`, so no
 * pattern matching of ours can disagree with GitHub's precedence) and the
 * rules of every active repository and organization ruleset that apply to
 * it (`Ref.rules`), each with its ruleset. `viewerCanAdminister` says whether
 * the answer can be trusted: GitHub hides classic rules from non-admins, so a
 * repository the viewer does not administer is read over REST instead.
 * Cost: one connection of up to 100 rules per repository, so a batch of 100
 * repositories is 101 requested nodes per 100 rules, about one rate-limit point.
 */
export const DEFAULT_BRANCH_PROTECTION_FIELDS = `
fragment DefaultBranchProtection on Repository {
  id
  nameWithOwner
  isArchived
  viewerCanAdminister
  defaultBranchRef {
    name
    branchProtectionRule {
      pattern
      requiresApprovingReviews
      requiredApprovingReviewCount
      dismissesStaleReviews
      requiresCodeOwnerReviews
      requireLastPushApproval
      isAdminEnforced
      allowsForcePushes
      allowsDeletions
      requiresStatusChecks
      requiredStatusCheckContexts
      requiredStatusChecks { context }
      requiresLinearHistory
    }
    rules(first: 100) {
      pageInfo { hasNextPage }
      nodes {
        type
        repositoryRuleset { databaseId enforcement source { __typename ... on Organization { login } ... on Repository { nameWithOwner } } }
        parameters {
          __typename
          ... on PullRequestParameters { requiredApprovingReviewCount dismissStaleReviewsOnPush requireCodeOwnerReview requireLastPushApproval }
          ... on RequiredStatusChecksParameters { requiredStatusChecks { context } }
        }
      }
    }
  }
}`;

/** The protection of the repositories after the first batch (which comes with ProtectionOverview). */
export const BRANCH_PROTECTION_BATCH_QUERY = `
query BranchProtectionBatch($ids: [ID!]!) {
  nodes(ids: $ids) { ...DefaultBranchProtection }
}
${DEFAULT_BRANCH_PROTECTION_FIELDS}`.trim();

/** Every document, by name, for the schema validation test. */
export const QUERIES = {
  BRANCH_PROTECTION_BATCH_QUERY,
  OUTSIDE_COLLABORATORS_BATCH_QUERY,
  SAML_IDENTITIES_QUERY,
  MERGED_PULL_REQUESTS_QUERY,
  PULL_REQUEST_REVIEWS_QUERY,
} as const;
