/**
 * The data of a simulated GitHub organization: members, outside
 * collaborators, repositories with their default-branch protection, and
 * merged pull requests, generated deterministically from a few counts and
 * changed in place between runs by soak tests and benchmarks. Only data and
 * its JSON shapes live here; serving it is simulator.ts.
 */

export interface SimUser {
  login: string;
  id: number;
  admin: boolean;
  twoFactor: boolean;
}

export type SimProtection = 'classic' | 'ruleset' | 'both' | 'none';

export interface SimRepo {
  name: string;
  id: number;
  archived: boolean;
  protection: SimProtection;
  /** Required approvals of classic protection. */
  approvals: number;
  /** Answer 403 to every protection read (the token lacks admin rights on it). */
  denied: boolean;
  /** Outside collaborators of the repository (logins of the organization's collaborators) and their permission; default none. */
  outsideCollaborators?: Record<string, SimPermission>;
}

export type SimPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';

/** An identity at the organization's SAML provider, linked to a GitHub login or to none. */
export interface SimSamlIdentity {
  nameId: string;
  login: string | null;
}

export interface SimPullRequest {
  repo: string;
  number: number;
  mergedAtMs: number;
  title: string;
  reviewers: string[];
  /** The PR description (ticket keys are read from it); default empty. */
  body?: string;
  labels?: string[];
  /** What GitHub's reviewDecision reports; default APPROVED when someone reviewed, else null (no review required). */
  reviewDecision?: 'APPROVED' | 'CHANGES_REQUESTED' | 'REVIEW_REQUIRED' | null;
  /** The author (default dev-1) and whether GitHub reports it as a bot (dependabot[bot]). */
  author?: { login: string; bot?: boolean };
  /** The head branch; default `feature/<number>`. */
  branch?: string;
  /** The branch it was merged into; default the repository's default branch (main). */
  base?: string;
  /** When the head commit was pushed, in minutes before the merge; default five hours (an hour after the PR opened). */
  headPushedMinutesBeforeMerge?: number;
  /** Reviews with their state and minutes before the merge (negative: after it); replaces `reviewers` (each an approval a minute apart before the merge). */
  reviews?: SimReview[];
}

export interface SimReview {
  login: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  minutesBeforeMerge: number;
  bot?: boolean;
  /** Given on the commit before the head (commits were pushed after it); default the head. */
  onEarlierCommit?: boolean;
}

export interface SimOrgOptions {
  org?: string;
  members?: number;
  collaborators?: number;
  repositories?: number;
  /** How many repositories in ten are archived (listed, but with no protection to read); default 1. */
  archivedPerTen?: number;
}

export interface SimOrg {
  org: string;
  members: SimUser[];
  collaborators: SimUser[];
  repos: SimRepo[];
  pullRequests: SimPullRequest[];
  /** Next id for a new user or repository, so ids stay unique across changes. */
  nextId: number;
  /** What the simulator's token may do (default: a fine-grained token of an owner, no SAML SSO). */
  token?: SimToken;
  /** The organization's SAML identity provider and its identities; absent: the organization has no SAML SSO. */
  saml?: SimSamlIdentity[];
  /** Pending invitations (invited, not yet members); absent: none. */
  invitations?: SimInvitation[];
}

export interface SimInvitation {
  id: number;
  login: string | null;
  email: string | null;
  role: 'direct_member' | 'admin';
  createdAtMs: number;
  inviter: string;
}

/** The token the simulator accepts, as GitHub would see it. */
export interface SimToken {
  /** A classic token's scopes, sent back in X-OAuth-Scopes; absent for a fine-grained token. */
  scopes?: string[];
  /** False: the token's user is not an organization owner (owner-only filters answer 422). */
  owner?: boolean;
  /** The organization enforces SAML SSO and the token is not authorized: org and repository requests answer 403 with this URL. */
  ssoAuthorizeUrl?: string;
  /** False: no repository Administration (read): branch protection answers 403. */
  administration?: boolean;
}

const PROTECTION_CYCLE: SimProtection[] = ['classic', 'none', 'ruleset', 'both', 'none', 'classic'];

/** Admins every 25th member, 2FA off for about 1 in 23 members and 1 in 8 collaborators, `archivedPerTen` repositories in ten archived. */
export function generateSimOrg(options: SimOrgOptions = {}): SimOrg {
  const members = Array.from({ length: options.members ?? 330 }, (_, i): SimUser => ({ login: `dev-${i}`, id: 100_000 + i, admin: i % 25 === 0, twoFactor: i % 23 !== 7 }));
  const collaborators = Array.from({ length: options.collaborators ?? 12 }, (_, i): SimUser => ({ login: `contractor-${i}`, id: 200_000 + i, admin: false, twoFactor: i % 8 !== 3 }));
  const repos = Array.from({ length: options.repositories ?? 210 }, (_, i): SimRepo => ({
    name: `service-${i}`,
    id: 300_000 + i,
    archived: i % 10 >= 10 - (options.archivedPerTen ?? 1),
    protection: PROTECTION_CYCLE[i % PROTECTION_CYCLE.length]!,
    approvals: 1 + (i % 2),
    denied: false,
  }));
  return { org: options.org ?? 'sim-corp', members, collaborators, repos, pullRequests: [], nextId: 500_000 };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const oid = (text: string) => Buffer.from(text).toString('hex').padEnd(40, '0').slice(0, 40);

export const simpleUser = (user: SimUser) => ({ login: user.login, id: user.id, node_id: `U_${user.id}`, type: 'User', site_admin: false });

const PERMISSION_RANK: Record<SimPermission, number> = { read: 0, triage: 1, write: 2, maintain: 3, admin: 4 };

/** A repository collaborator as GitHub lists one: the user, its permission flags and role name. */
export function collaboratorJson(user: SimUser, permission: SimPermission) {
  const rank = PERMISSION_RANK[permission];
  return { ...simpleUser(user), permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true }, role_name: permission };
}

// What a permission is in GraphQL's permissionSources (DefaultRepositoryPermissionField has no triage or maintain).
const SOURCE_PERMISSION: Record<SimPermission, string> = { read: 'READ', triage: 'READ', write: 'WRITE', maintain: 'WRITE', admin: 'ADMIN' };

/** A repository as the OutsideCollaboratorsBatch query returns it, from the collaborators its REST listing gives (the first 100; GitHub counts them all). */
export function collaboratorsNodeJson(org: string, repoName: string, listed: Array<{ login: string; permission: SimPermission }>) {
  const edges = listed.slice(0, 100).map(({ login, permission }) => ({
    permission: permission.toUpperCase(),
    permissionSources: [{ permission: SOURCE_PERMISSION[permission], roleName: permission, source: { __typename: 'Repository' } }],
    node: { login },
  }));
  return { nameWithOwner: `${org}/${repoName}`, collaborators: { totalCount: listed.length, edges } };
}

/** One page of the organization's SAML identities (GraphQL externalIdentities), 100 a page from `offset`. */
export function samlPageJson(identities: SimSamlIdentity[], offset: number, cursorOf: (offset: number) => string) {
  const nodes = identities.slice(offset, offset + 100).map((identity) => ({
    samlIdentity: { nameId: identity.nameId, givenName: null, familyName: null, emails: [{ value: identity.nameId, primary: true }] },
    user: identity.login === null ? null : { login: identity.login },
  }));
  const end = offset + nodes.length;
  return { totalCount: identities.length, pageInfo: { hasNextPage: end < identities.length, endCursor: cursorOf(end) }, nodes };
}

export function repoJson(org: string, repo: SimRepo) {
  return { id: repo.id, node_id: `R_${repo.id}`, name: repo.name, full_name: `${org}/${repo.name}`, private: true, owner: { login: org, id: 9_000, type: 'Organization' }, archived: repo.archived, disabled: false, default_branch: 'main' };
}

export function classicProtectionJson(repo: SimRepo) {
  return {
    required_status_checks: { strict: true, contexts: ['ci/build'], checks: [{ context: 'ci/build', app_id: null }] },
    enforce_admins: { enabled: repo.approvals > 1 },
    required_pull_request_reviews: { dismiss_stale_reviews: true, require_code_owner_reviews: false, required_approving_review_count: repo.approvals, require_last_push_approval: false },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
  };
}

export function rulesetRulesJson(org: string) {
  const source = { ruleset_source_type: 'Organization', ruleset_source: org, ruleset_id: 901 };
  return [
    { type: 'deletion', ...source },
    { type: 'non_fast_forward', ...source },
    { type: 'pull_request', parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: true, require_code_owner_review: false, require_last_push_approval: true, required_review_thread_resolution: false }, ...source },
  ];
}

type RestClassic = ReturnType<typeof classicProtectionJson>;
type RestRule = { type: string; parameters?: Record<string, unknown>; ruleset_source_type: string; ruleset_source: string; ruleset_id: number };

/**
 * A repository as the BranchProtectionBatch query returns it, built from the
 * very REST answers a simulator serves for it, so both ways of reading agree:
 * GitHub's classic rule for the default branch and the rules that apply to it.
 */
export function protectionNodeJson(org: string, repo: { id: number; name: string; archived: boolean }, classic: RestClassic | null, rules: RestRule[], viewerCanAdminister = true) {
  const reviews = classic?.required_pull_request_reviews;
  return {
    id: `R_${repo.id}`,
    nameWithOwner: `${org}/${repo.name}`,
    isArchived: repo.archived,
    viewerCanAdminister,
    defaultBranchRef: {
      name: 'main',
      branchProtectionRule: classic && {
        pattern: 'main',
        requiresApprovingReviews: reviews !== undefined,
        requiredApprovingReviewCount: reviews?.required_approving_review_count ?? null,
        dismissesStaleReviews: reviews?.dismiss_stale_reviews ?? false,
        requiresCodeOwnerReviews: reviews?.require_code_owner_reviews ?? false,
        requireLastPushApproval: reviews?.require_last_push_approval ?? false,
        isAdminEnforced: classic.enforce_admins.enabled,
        allowsForcePushes: classic.allow_force_pushes.enabled,
        allowsDeletions: classic.allow_deletions.enabled,
        requiresStatusChecks: true,
        requiredStatusCheckContexts: classic.required_status_checks.contexts,
        requiredStatusChecks: classic.required_status_checks.checks.map(({ context }) => ({ context })),
        requiresLinearHistory: classic.required_linear_history.enabled,
      },
      rules: {
        pageInfo: { hasNextPage: false },
        nodes: rules.map((rule) => ({
          type: rule.type.toUpperCase(),
          repositoryRuleset: { databaseId: rule.ruleset_id, enforcement: 'ACTIVE', source: { __typename: rule.ruleset_source_type, login: rule.ruleset_source } },
          parameters: rule.type === 'pull_request' && rule.parameters
            ? {
                __typename: 'PullRequestParameters',
                requiredApprovingReviewCount: rule.parameters.required_approving_review_count,
                dismissStaleReviewsOnPush: rule.parameters.dismiss_stale_reviews_on_push,
                requireCodeOwnerReview: rule.parameters.require_code_owner_review,
                requireLastPushApproval: rule.parameters.require_last_push_approval,
              }
            : null,
        })),
      },
    },
  };
}

/** A merged pull request as the MergedPullRequests search returns it. */
export function pullRequestNode(org: string, pr: SimPullRequest) {
  const nameWithOwner = `${org}/${pr.repo}`;
  const reviews: SimReview[] = pr.reviews ?? pr.reviewers.map((login, i) => ({ login, state: 'APPROVED', minutesBeforeMerge: i + 1 }));
  const actor = (login: string, bot?: boolean) => ({ login, __typename: bot ? 'Bot' : 'User' });
  const head = oid(`${nameWithOwner}#${pr.number}`);
  const created = pr.mergedAtMs - 6 * 3_600_000;
  const pushed = pr.headPushedMinutesBeforeMerge === undefined ? created + 3_600_000 : pr.mergedAtMs - 60_000 * pr.headPushedMinutesBeforeMerge;
  // The commit before the head: a different object id of the same length.
  const earlier = `e${head.slice(1)}`;
  return {
    number: pr.number,
    title: pr.title,
    url: `https://github.com/${nameWithOwner}/pull/${pr.number}`,
    createdAt: iso(created),
    mergedAt: iso(pr.mergedAtMs),
    closedAt: iso(pr.mergedAtMs),
    author: actor(pr.author?.login ?? 'dev-1', pr.author?.bot),
    mergedBy: { login: 'dev-0', __typename: 'User' },
    baseRefName: pr.base ?? 'main',
    headRefName: pr.branch ?? `feature/${pr.number}`,
    headRefOid: head,
    body: pr.body ?? '',
    reviewDecision: pr.reviewDecision === undefined ? (reviews.length > 0 ? 'APPROVED' : null) : pr.reviewDecision,
    repository: { nameWithOwner, isArchived: false, defaultBranchRef: { name: 'main' } },
    labels: { nodes: (pr.labels ?? []).map((name) => ({ name })) },
    commits: { nodes: [{ commit: { oid: head, committedDate: iso(pushed) } }] },
    reviews: {
      totalCount: reviews.length,
      pageInfo: { hasNextPage: false, endCursor: null },
      nodes: reviews.map((review, i) => ({ id: `PRR_${pr.repo}_${pr.number}_${i}`, author: actor(review.login, review.bot), state: review.state, submittedAt: iso(pr.mergedAtMs - 60_000 * review.minutesBeforeMerge), commit: { oid: review.onEarlierCommit ? earlier : head } })),
    },
  };
}

type StandaloneAnswer = { data?: Record<string, unknown> | null; errors?: Array<{ path?: Array<string | number> } & Record<string, unknown>> };

/**
 * A folded document's answer (MembersOverview, ProtectionOverview) made of
 * the answers its standalone queries get, as GitHub would give it: each
 * part's field under its alias, each error's path starting at the alias.
 */
export function foldedAnswer(parts: Record<string, { field: string; answer: StandaloneAnswer }>): StandaloneAnswer {
  const data: Record<string, unknown> = {};
  const errors: NonNullable<StandaloneAnswer['errors']> = [];
  for (const [alias, { field, answer }] of Object.entries(parts)) {
    data[alias] = answer.data?.[field] ?? null;
    for (const error of answer.errors ?? []) errors.push(error.path?.[0] === field ? { ...error, path: [alias, ...error.path.slice(1)] } : error);
  }
  return errors.length > 0 ? { data, errors } : { data };
}
