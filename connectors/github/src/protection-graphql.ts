/**
 * Default-branch protection of many repositories per GraphQL query
 * (by node id: the first batch in ProtectionOverview, the others
 * BRANCH_PROTECTION_BATCH_QUERY), translated into the very
 * shapes the REST endpoints return (classic protection, branch rules), so one
 * normalizer makes the same record whichever way the protection was read.
 * What GraphQL does not show, or shows in a way that cannot be trusted, is
 * named per repository as a fallback reason; the stream reads those
 * repositories over REST, as it always did.
 */
import type { GitHubClient } from './client.js';
import { BRANCH_PROTECTION_BATCH_QUERY } from './queries.js';
import { repositoryBatches, type BatchKind, type Fallback, type FoldedBatch } from './repository-batches.js';
import { ProtectionBatch, type BranchProtection, type BranchRule, type ProtectionBatchNode, type ProtectionRuleNode, type Repository, type RuleNode } from './schema.js';

/** How a repository's protection was read by the batch: the REST-shaped protection and its source, or why REST must read it. */
export type BatchAnswer = { classic: BranchProtection | null; rules: BranchRule[]; source: string } | Fallback;

/** GitHub's maximum for `nodes(ids:)`; each repository adds one connection of up to 100 rules (about one point per 100). */
export const MAX_BATCH_SIZE = 100;

const PROTECTION_BATCH: BatchKind<NonNullable<ProtectionBatchNode>, BatchAnswer> = { what: 'BranchProtectionBatch', query: BRANCH_PROTECTION_BATCH_QUERY, schema: ProtectionBatch, answer: answerFor };

/**
 * The protection of `repos`, `batchSize` repositories per query, batch by
 * batch (so records are emitted as each answer arrives); `folded` is the
 * first batch, answered in the stream's overview.
 */
export function protectionBatches(client: GitHubClient, repos: Repository[], batchSize: number, folded: FoldedBatch | null): AsyncGenerator<Array<{ repo: Repository; answer: BatchAnswer }>> {
  return repositoryBatches(client, PROTECTION_BATCH, repos, batchSize, folded);
}

function answerFor(repo: Repository, node: NonNullable<ProtectionBatchNode>, source: string): BatchAnswer {
  if (!node.viewerCanAdminister) return { fallback: 'the credential does not administer the repository, and GraphQL shows classic protection rules to administrators only' };
  const ref = node.defaultBranchRef;
  if (ref === null) return { fallback: 'GraphQL shows no default branch' };
  if (ref.name !== repo.default_branch) return { fallback: `GraphQL names the default branch ${ref.name}, the listing ${repo.default_branch}` };
  if (ref.rules === null || ref.rules.nodes === null) return { fallback: 'GraphQL does not show the rules that apply to the default branch' };
  if (ref.rules.pageInfo.hasNextPage) return { fallback: 'more than 100 ruleset rules apply to the default branch' };
  const rules: BranchRule[] = [];
  for (const rule of ref.rules.nodes) {
    if (rule === null || rule.repositoryRuleset === null || rule.repositoryRuleset.databaseId === null) return { fallback: 'GraphQL does not name the ruleset of a rule that applies to the default branch' };
    // Ref.rules holds the rules of active rulesets; an evaluate-mode ruleset, if ever listed, is not enforced (REST leaves it out too).
    if (rule.repositoryRuleset.enforcement === 'ACTIVE') rules.push(restRule(rule, rule.repositoryRuleset.databaseId));
  }
  return { classic: ref.branchProtectionRule === null ? null : restProtection(ref.branchProtectionRule), rules, source };
}

/** A classic branch protection rule in the shape of GET …/branches/{branch}/protection. */
export function restProtection(rule: ProtectionRuleNode): BranchProtection {
  const contexts = (rule.requiredStatusCheckContexts ?? []).filter((context): context is string => context !== null);
  return {
    required_status_checks: rule.requiresStatusChecks ? { contexts, checks: (rule.requiredStatusChecks ?? []).map(({ context }) => ({ context })) } : null,
    enforce_admins: { enabled: rule.isAdminEnforced },
    // "Require a pull request before merging" is requiresApprovingReviews in GraphQL (with a count that may be 0).
    required_pull_request_reviews: rule.requiresApprovingReviews
      ? {
          dismiss_stale_reviews: rule.dismissesStaleReviews,
          require_code_owner_reviews: rule.requiresCodeOwnerReviews,
          required_approving_review_count: rule.requiredApprovingReviewCount ?? 0,
          require_last_push_approval: rule.requireLastPushApproval,
        }
      : null,
    required_linear_history: { enabled: rule.requiresLinearHistory },
    allow_force_pushes: { enabled: rule.allowsForcePushes },
    allow_deletions: { enabled: rule.allowsDeletions },
  };
}

/** A ruleset rule in the shape of GET …/rules/branches/{branch}: GraphQL's enum types are REST's in upper case. */
export function restRule(rule: RuleNode, rulesetId: number): BranchRule {
  const parameters = rule.parameters;
  const source = rule.repositoryRuleset?.source;
  const restParameters =
    parameters?.__typename === 'PullRequestParameters'
      ? {
          required_approving_review_count: parameters.requiredApprovingReviewCount,
          dismiss_stale_reviews_on_push: parameters.dismissStaleReviewsOnPush,
          require_code_owner_review: parameters.requireCodeOwnerReview,
          require_last_push_approval: parameters.requireLastPushApproval,
        }
      : parameters?.__typename === 'RequiredStatusChecksParameters'
        ? { required_status_checks: (parameters.requiredStatusChecks ?? []).map(({ context }) => ({ context })) }
        : undefined;
  return {
    type: rule.type.toLowerCase(),
    ...(restParameters ? { parameters: restParameters } : {}),
    ...(source ? { ruleset_source_type: source.__typename, ruleset_source: source.login ?? source.nameWithOwner ?? '' } : {}),
    ruleset_id: rulesetId,
  };
}
