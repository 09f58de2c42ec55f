/**
 * Zod schemas for every raw GitHub response the connector reads, REST and
 * GraphQL. Responses are parsed here, at the edge, before anything else looks
 * at them: a changed response shape fails with the endpoint and field named,
 * rather than as a crash three calls later. Only the fields we use are
 * declared; the full body is kept as the snapshot anyway.
 */
import { z } from 'zod';

const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'an ISO 8601 timestamp');

export const AuthenticatedUser = z.object({ login: z.string() });

export const SimpleUser = z.object({
  login: z.string(),
  id: z.number(),
  type: z.string(),
});
export type SimpleUser = z.infer<typeof SimpleUser>;

/** A pending organization invitation (GET /orgs/{org}/invitations): to a login, or to an email with no account yet. */
export const OrgInvitation = z.object({
  id: z.number(),
  login: z.string().nullable(),
  email: z.string().nullable(),
  role: z.string(),
  created_at: z.string(),
  inviter: z.object({ login: z.string() }).nullable().optional(),
});
export type OrgInvitation = z.infer<typeof OrgInvitation>;

export const Repository = z.object({
  name: z.string(),
  full_name: z.string(),
  owner: z.object({ login: z.string() }),
  archived: z.boolean(),
  disabled: z.boolean().optional(),
  default_branch: z.string(),
  /** The GraphQL node id: the key the batched protection query reads the repository by. */
  node_id: z.string().optional(),
});
export type Repository = z.infer<typeof Repository>;

/** A repository collaborator (GET /repos/{owner}/{repo}/collaborators): what it may do there, and the role GitHub names (a custom role too). */
export const Collaborator = SimpleUser.extend({
  permissions: z.object({ admin: z.boolean(), maintain: z.boolean().optional(), push: z.boolean(), triage: z.boolean().optional(), pull: z.boolean() }),
  role_name: z.string().optional(),
});
export type Collaborator = z.infer<typeof Collaborator>;

/** A branch as GET /repos/{owner}/{repo}/branches/{branch} describes it; `protected` says whether classic protection is worth reading. */
export const Branch = z.object({
  name: z.string(),
  protected: z.boolean(),
});
export type Branch = z.infer<typeof Branch>;

const Enabled = z.object({ enabled: z.boolean() }).optional();

export const BranchProtection = z.object({
  required_status_checks: z
    .object({
      contexts: z.array(z.string()),
      checks: z.array(z.object({ context: z.string() })).optional(),
    })
    .nullish(),
  enforce_admins: Enabled,
  required_pull_request_reviews: z
    .object({
      dismiss_stale_reviews: z.boolean(),
      require_code_owner_reviews: z.boolean(),
      required_approving_review_count: z.number().int().optional(),
      require_last_push_approval: z.boolean().optional(),
    })
    .nullish(),
  required_linear_history: Enabled,
  allow_force_pushes: Enabled,
  allow_deletions: Enabled,
});
export type BranchProtection = z.infer<typeof BranchProtection>;

/** One rule from GET /repos/{owner}/{repo}/rules/branches/{branch}; parameters vary by rule type. */
export const BranchRule = z.object({
  type: z.string(),
  parameters: z
    .object({
      required_approving_review_count: z.number().int().optional(),
      dismiss_stale_reviews_on_push: z.boolean().optional(),
      require_code_owner_review: z.boolean().optional(),
      require_last_push_approval: z.boolean().optional(),
      required_status_checks: z.array(z.object({ context: z.string() })).optional(),
    })
    .optional(),
  ruleset_source_type: z.string().optional(),
  ruleset_source: z.string().optional(),
  ruleset_id: z.number().int().optional(),
});
export type BranchRule = z.infer<typeof BranchRule>;

/** The classic branch protection rule GitHub matched to a default branch (GraphQL `Ref.branchProtectionRule`). */
export const ProtectionRuleNode = z.object({
  pattern: z.string(),
  requiresApprovingReviews: z.boolean(),
  requiredApprovingReviewCount: z.number().int().nullable(),
  dismissesStaleReviews: z.boolean(),
  requiresCodeOwnerReviews: z.boolean(),
  requireLastPushApproval: z.boolean(),
  isAdminEnforced: z.boolean(),
  allowsForcePushes: z.boolean(),
  allowsDeletions: z.boolean(),
  requiresStatusChecks: z.boolean(),
  requiredStatusCheckContexts: z.array(z.string().nullable()).nullable(),
  requiredStatusChecks: z.array(z.object({ context: z.string() })).nullable(),
  requiresLinearHistory: z.boolean(),
});
export type ProtectionRuleNode = z.infer<typeof ProtectionRuleNode>;

/** One rule of an active ruleset that applies to a ref (GraphQL `Ref.rules`); `repositoryRuleset` is null when GitHub does not show it. */
export const RuleNode = z.object({
  type: z.string(),
  repositoryRuleset: z
    .object({
      databaseId: z.number().int().nullable(),
      enforcement: z.string(),
      source: z.object({ __typename: z.string(), login: z.string().optional(), nameWithOwner: z.string().optional() }),
    })
    .nullable(),
  parameters: z
    .object({
      __typename: z.string(),
      requiredApprovingReviewCount: z.number().int().optional(),
      dismissStaleReviewsOnPush: z.boolean().optional(),
      requireCodeOwnerReview: z.boolean().optional(),
      requireLastPushApproval: z.boolean().optional(),
      requiredStatusChecks: z.array(z.object({ context: z.string() })).optional(),
    })
    .nullable(),
});
export type RuleNode = z.infer<typeof RuleNode>;

/** One repository of the batched protection query; a node GitHub could not resolve is null. */
export const ProtectionBatchNode = z
  .object({
    id: z.string(),
    nameWithOwner: z.string(),
    isArchived: z.boolean(),
    viewerCanAdminister: z.boolean(),
    defaultBranchRef: z
      .object({
        name: z.string(),
        branchProtectionRule: ProtectionRuleNode.nullable(),
        rules: z.object({ pageInfo: z.object({ hasNextPage: z.boolean() }), nodes: z.array(RuleNode.nullable()).nullable() }).nullable(),
      })
      .nullable(),
  })
  .nullable();
export type ProtectionBatchNode = z.infer<typeof ProtectionBatchNode>;

export const ProtectionBatch = z.object({ nodes: z.array(ProtectionBatchNode) });

/** One repository of the OutsideCollaboratorsBatch answer (null: GitHub did not resolve the id, or refused it). */
export const CollaboratorBatchNode = z
  .object({
    nameWithOwner: z.string(),
    collaborators: z
      .object({
        totalCount: z.number().int(),
        edges: z
          .array(
            z
              .object({
                permission: z.enum(['ADMIN', 'MAINTAIN', 'WRITE', 'TRIAGE', 'READ']),
                permissionSources: z.array(z.object({ permission: z.string(), roleName: z.string().nullable().optional(), source: z.object({ __typename: z.string() }) })).nullable(),
                node: z.object({ login: z.string() }),
              })
              .nullable(),
          )
          .nullable(),
      })
      .nullable(),
  })
  .nullable();
export type CollaboratorBatchNode = z.infer<typeof CollaboratorBatchNode>;
export const CollaboratorBatch = z.object({ nodes: z.array(CollaboratorBatchNode) });

/** The error body GitHub sends with 4xx responses. */
export const ErrorBody = z.object({ message: z.string() });

export const InstallationToken = z.object({ token: z.string().min(1), expires_at: isoTime });

const GraphQLActor = z.object({ login: z.string(), __typename: z.string() }).nullable();

export const SamlIdentitiesData = z.object({
  organization: z.object({
    samlIdentityProvider: z
      .object({
        externalIdentities: z.object({
          totalCount: z.number().int().nonnegative(),
          pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
          nodes: z.array(
            z
              .object({
                samlIdentity: z
                  .object({
                    nameId: z.string().nullable(),
                    givenName: z.string().nullable(),
                    familyName: z.string().nullable(),
                    emails: z.array(z.object({ value: z.string(), primary: z.boolean().nullable() })).nullable(),
                  })
                  .nullable(),
                user: z.object({ login: z.string() }).nullable(),
              })
              .nullable(),
          ),
        }),
      })
      .nullable(),
  }),
});
export type SamlIdentitiesData = z.infer<typeof SamlIdentitiesData>;

const Count = z.object({ totalCount: z.number().int().nonnegative() });

/** null organization: the login is not an organization the credential can see. */
export const OrganizationTotalsData = z.object({
  organization: z.object({ membersWithRole: Count, repositories: Count }).nullable(),
});
export type OrganizationTotalsData = z.infer<typeof OrganizationTotalsData>;

const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const Review = z.object({
  /** GitHub's node id; optional so a response without it still parses (the review is then identified by its content). */
  id: z.string().optional(),
  author: GraphQLActor,
  state: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']),
  submittedAt: isoTime.nullable(),
  commit: z.object({ oid: z.string() }).nullable(),
});
export type Review = z.infer<typeof Review>;

const ReviewConnection = z.object({ totalCount: z.number().int(), pageInfo: PageInfo, nodes: z.array(Review.nullable()) });

export const PullRequestNode = z.object({
  number: z.number().int(),
  title: z.string(),
  url: z.string(),
  createdAt: isoTime,
  mergedAt: isoTime,
  closedAt: isoTime.nullable(),
  author: GraphQLActor,
  mergedBy: GraphQLActor,
  baseRefName: z.string(),
  headRefName: z.string(),
  headRefOid: z.string(),
  /** Optional so a response recorded before the query asked for them still parses: absent means unknown. */
  body: z.string().nullable().optional(),
  reviewDecision: z.enum(['APPROVED', 'CHANGES_REQUESTED', 'REVIEW_REQUIRED']).nullable().optional(),
  repository: z.object({ nameWithOwner: z.string(), isArchived: z.boolean().optional(), defaultBranchRef: z.object({ name: z.string() }).nullable().optional() }),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() }).nullable()) }).nullable(),
  commits: z.object({ nodes: z.array(z.object({ commit: z.object({ oid: z.string(), committedDate: isoTime }) }).nullable()) }),
  reviews: ReviewConnection.nullable(),
});
export type PullRequestNode = z.infer<typeof PullRequestNode>;

export const MergedPullRequestsData = z.object({
  search: z.object({ issueCount: z.number().int(), pageInfo: PageInfo, nodes: z.array(PullRequestNode.nullable()) }),
});
export type MergedPullRequestsData = z.infer<typeof MergedPullRequestsData>;

export const PullRequestReviewsData = z.object({
  repository: z.object({ pullRequest: z.object({ reviews: ReviewConnection.nullable() }).nullable() }).nullable(),
});

/** The GraphQL response envelope: data and/or errors. */
export const GraphQLEnvelope = z.object({
  data: z.unknown().optional(),
  errors: z.array(z.object({ message: z.string(), type: z.string().optional(), path: z.array(z.union([z.string(), z.number()])).optional() })).optional(),
});

/** Parse a response body, or throw an error that names the request and the offending field. */
export function parseResponse<S extends z.ZodType>(what: string, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  throw new Error(`unexpected response shape from ${what}: ${issues.join('; ')}`);
}
