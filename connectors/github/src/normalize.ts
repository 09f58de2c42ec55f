/**
 * Pure functions from parsed GitHub responses to evidence record inputs:
 * org accounts (access.account), default-branch protection (change.config)
 * and merged pull requests (change.request). No I/O and no clock, so each
 * rule here is unit-testable and re-runnable on stored snapshots.
 */
import { serviceRuleMatch, type RecordInput, type ServiceAccountPatterns } from '@evidentia/sdk';
import type { BranchProtection, BranchRule, OrgInvitation, PullRequestNode, Repository, Review, SimpleUser } from './schema.js';
import { ticketLinks } from './ticket-keys.js';

export type OrgRole = 'admin' | 'member' | 'outside_collaborator';

/** Who lacks two-factor authentication, per GitHub's `filter=2fa_disabled` list; null when the list could not be read. */
export interface TwoFactorList {
  disabled: Set<string>;
  sources: string[];
}

/** The SAML identity linked to a GitHub login. */
export interface SsoIdentity {
  nameId: string | null;
  email: string | null;
  displayName: string | null;
  source: string;
}

/** An identity at the SAML provider with the GitHub login it is linked to (null: linked to none). */
export interface ExternalIdentity extends SsoIdentity {
  login: string | null;
}

/** One repository an outside collaborator can reach: the highest base permission GitHub grants, and the role it names when that is a custom one. */
export interface RepositoryGrant {
  repository: string;
  permission: 'admin' | 'maintain' | 'write' | 'triage' | 'read';
  role?: string;
}

/**
 * What else is known about an account: whether the organization's SAML
 * identity provider links an identity to it (`linked` / `unlinked`, or
 * `no-provider` when the organization has no SAML SSO; absent when the
 * identities could not be read), and for an outside collaborator the
 * repositories it can reach and those whose collaborators could not be read.
 */
export interface AccountFacts {
  sso?: 'linked' | 'unlinked' | 'no-provider';
  repositories?: { grants: RepositoryGrant[]; sources: string[]; unread: string[] };
}

/** An app's account: GitHub names it `<app>[bot]`. */
const BOT_LOGIN = /\[bot\]$/i;

/** One org account: the listing it came from, the 2FA list that applies to it and its SAML identity. */
export function accountRecord(
  user: SimpleUser,
  role: OrgRole,
  source: string,
  twoFactor: TwoFactorList | null,
  sso: SsoIdentity | undefined,
  rules?: ServiceAccountPatterns,
  facts: AccountFacts = {},
): RecordInput<'access.account'> {
  const mfa = twoFactor === null ? 'unknown' : twoFactor.disabled.has(user.login.toLowerCase()) ? 'disabled' : 'enabled';
  const serviceBecause = serviceRuleMatch(rules, { names: [user.login, sso?.email] });
  const bot = user.type === 'Bot' || BOT_LOGIN.test(user.login);
  const accountType = bot ? 'bot' : serviceBecause ? 'service' : role === 'outside_collaborator' ? 'outside_collaborator' : 'member';
  const access = facts.repositories;
  const attributes = {
    ...(serviceBecause && !bot ? { serviceBecause } : {}),
    ...(facts.sso ? { sso: facts.sso } : {}),
    ...(access ? { repositories: access.grants.map((grant) => ({ ...grant })), ...(access.unread.length > 0 ? { repositoriesUnread: access.unread } : {}) } : {}),
  };
  return {
    key: `user:${user.login}`,
    data: {
      accountId: user.login,
      // A login can be renamed; the numeric id cannot, so an account is still told after a rename.
      sourceId: String(user.id),
      displayName: sso?.displayName ?? null,
      email: sso?.email ?? null,
      accountType,
      status: 'active',
      privileged: role === 'admin',
      roles: [role],
      mfa,
      createdAt: null,
      lastLoginAt: null,
      credentials: [],
      ssoIdentity: sso?.nameId ?? null,
      ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    },
    sources: [...new Set([source, ...(twoFactor?.sources ?? []), ...(sso ? [sso.source] : []), ...(access?.sources ?? [])])],
  };
}

/**
 * A pending invitation as an account with status `invited`: whoever holds it
 * can join at any time, so it belongs to the access population (a leaver's
 * invitation still open is access not removed). Its 2FA and SAML linkage
 * exist only once it is accepted (mfa `unknown`, no SSO identity). An
 * invitation to an email names no login: the email is its account id.
 */
export function invitationRecord(invitation: OrgInvitation, source: string): RecordInput<'access.account'> {
  const admin = invitation.role === 'admin';
  return {
    key: `invitation:${invitation.id}`,
    data: {
      accountId: invitation.login ?? invitation.email ?? `invitation ${invitation.id}`,
      displayName: null,
      email: invitation.email,
      accountType: 'member',
      status: 'invited',
      privileged: admin,
      roles: [admin ? 'admin' : 'member'],
      mfa: 'unknown',
      createdAt: invitation.created_at,
      lastLoginAt: null,
      credentials: [],
      ssoIdentity: null,
      attributes: { invitationId: invitation.id, invitedRole: invitation.role, ...(invitation.inviter ? { invitedBy: invitation.inviter.login } : {}) },
    },
    sources: [source],
  };
}

/**
 * The organization's SAML SSO as a fact (access.config, setting `saml_sso`):
 * `present: false` when it has no identity provider; otherwise how many
 * identities it holds and each one linked to no organization member (to no
 * GitHub login, or to a login that is not an admin or member).
 */
export function samlSsoRecord(org: string, state: { identities: ExternalIdentity[] | null; sources: string[] }, memberLogins: ReadonlySet<string>): RecordInput<'access.config'> {
  const base = { kind: 'access.config' as const, key: `saml_sso:${org}`, sources: state.sources };
  if (state.identities === null) return { ...base, data: { target: org, setting: 'saml_sso', present: false, settings: { provider: false } } };
  const unlinked = state.identities.filter((identity) => identity.login === null || !memberLogins.has(identity.login.toLowerCase()));
  return {
    ...base,
    data: {
      target: org,
      setting: 'saml_sso',
      present: true,
      settings: {
        provider: true,
        identities: state.identities.length,
        unlinkedIdentities: unlinked.map(({ nameId, email, displayName, login }) => ({ nameId, email, displayName, login })),
      },
    },
  };
}

function statusChecks(classic: BranchProtection | null, rules: BranchRule[]): string[] {
  const contexts = new Set<string>(classic?.required_status_checks?.contexts ?? []);
  for (const check of classic?.required_status_checks?.checks ?? []) contexts.add(check.context);
  for (const rule of rules) for (const check of rule.parameters?.required_status_checks ?? []) contexts.add(check.context);
  return [...contexts].sort();
}

/**
 * The effective protection of a repository's default branch, combining classic
 * branch protection and the rulesets that apply to the branch: a setting
 * counts as required when either mechanism requires it. The rules endpoint
 * does not show ruleset bypass actors, so rulesets count as enforced on admins.
 */
export function branchProtectionRecord(repo: Repository, classic: BranchProtection | null, rules: BranchRule[], sources: string[]): RecordInput<'change.config'> {
  const target = `${repo.full_name}@${repo.default_branch}`;
  const has = (type: string) => rules.some((rule) => rule.type === type);
  const reviewRules = rules.filter((rule) => rule.type === 'pull_request').map((rule) => rule.parameters ?? {});
  const reviews = classic?.required_pull_request_reviews ?? null;
  const source = classic && rules.length > 0 ? 'both' : classic ? 'classic' : rules.length > 0 ? 'ruleset' : 'none';
  const requiresReview = reviews !== null || reviewRules.length > 0;
  return {
    key: target,
    data: {
      target,
      setting: 'branch_protection',
      present: source !== 'none',
      settings: {
        source,
        requiresPullRequest: requiresReview,
        requiredApprovals: Math.max(reviews?.required_approving_review_count ?? 0, ...reviewRules.map((p) => p.required_approving_review_count ?? 0)),
        dismissStaleReviews: Boolean(reviews?.dismiss_stale_reviews) || reviewRules.some((p) => p.dismiss_stale_reviews_on_push === true),
        requireCodeOwnerReviews: Boolean(reviews?.require_code_owner_reviews) || reviewRules.some((p) => p.require_code_owner_review === true),
        requireLastPushApproval: Boolean(reviews?.require_last_push_approval) || reviewRules.some((p) => p.require_last_push_approval === true),
        enforceAdmins: Boolean(classic?.enforce_admins?.enabled) || rules.length > 0,
        allowForcePushes: !has('non_fast_forward') && (classic ? Boolean(classic.allow_force_pushes?.enabled) : true),
        allowDeletions: !has('deletion') && (classic ? Boolean(classic.allow_deletions?.enabled) : true),
        requiredStatusChecks: statusChecks(classic, rules),
        requireLinearHistory: Boolean(classic?.required_linear_history?.enabled) || has('required_linear_history'),
        rulesetIds: [...new Set(rules.flatMap((rule) => (rule.ruleset_id === undefined ? [] : [rule.ruleset_id])))].sort((a, b) => a - b),
      },
    },
    sources,
  };
}

/**
 * An archived or disabled repository: nothing can be pushed or merged to it,
 * so its protection is not read. `present` is false (no protection was
 * observed) and `settings.archived` / `disabled` say why, so the check can
 * exclude it by rule and the population still counts it.
 */
export function readOnlyRepositoryRecord(repo: Repository, source: string): RecordInput<'change.config'> {
  const target = `${repo.full_name}@${repo.default_branch}`;
  return { key: target, data: { target, setting: 'branch_protection', present: false, settings: { archived: repo.archived, disabled: repo.disabled ?? false } }, sources: [source] };
}

const EMERGENCY = /hotfix|emergency/i;

/** An emergency change: "hotfix" or "emergency" in the title, the head branch or a label. */
export function isEmergency(pr: Pick<PullRequestNode, 'title' | 'headRefName' | 'labels'>): boolean {
  return [pr.title, pr.headRefName, ...labelsOf(pr)].some((text) => EMERGENCY.test(text));
}

function labelsOf(pr: Pick<PullRequestNode, 'labels'>): string[] {
  return (pr.labels?.nodes ?? []).flatMap((label) => (label ? [label.name] : []));
}

type GraphQLActor = PullRequestNode['author'];

function actor(value: GraphQLActor): { login: string; bot: boolean } | null {
  return value ? { login: value.login, bot: value.__typename === 'Bot' } : null;
}

const REVIEW_STATE = {
  APPROVED: 'approved',
  CHANGES_REQUESTED: 'changes_requested',
  COMMENTED: 'commented',
  DISMISSED: 'dismissed',
  PENDING: 'pending',
} as const;

const REVIEW_DECISION = { APPROVED: 'approved', CHANGES_REQUESTED: 'changes_requested', REVIEW_REQUIRED: 'review_required' } as const;

/**
 * A merged pull request with every review (reviewer, state, time, commit), its
 * head commit, GitHub's review decision and the ticket keys it names (the
 * `ticketMatchers` of the config, over title, head branch and body).
 */
export function changeRequestRecord(pr: PullRequestNode, reviews: Review[], sources: string[], ticketMatchers: readonly RegExp[]): RecordInput<'change.request'> {
  const id = `${pr.repository.nameWithOwner}#${pr.number}`;
  const lastCommit = pr.commits.nodes.at(-1)?.commit ?? null;
  const tickets = ticketLinks(ticketMatchers, { title: pr.title, branch: pr.headRefName, body: pr.body });
  const defaultBranch = pr.repository.defaultBranchRef === undefined ? {} : { defaultBranch: pr.repository.defaultBranchRef?.name ?? null };
  return {
    key: id,
    occurredAt: pr.mergedAt,
    data: {
      id,
      title: pr.title,
      url: pr.url,
      author: actor(pr.author),
      approvals: reviews.map((review) => ({
        reviewer: actor(review.author) ?? { login: null },
        state: REVIEW_STATE[review.state],
        at: review.submittedAt,
        revision: review.commit?.oid ?? null,
      })),
      createdAt: pr.createdAt,
      mergedAt: pr.mergedAt,
      mergedBy: actor(pr.mergedBy),
      closedAt: pr.closedAt,
      target: `${pr.repository.nameWithOwner}:${pr.baseRefName}`,
      headRevision: lastCommit?.oid ?? pr.headRefOid,
      headRevisionAt: lastCommit?.committedDate ?? null,
      linkedTickets: tickets.keys,
      ticketSources: tickets.sources,
      emergency: isEmergency(pr),
      ...(pr.reviewDecision === undefined ? {} : { reviewDecision: pr.reviewDecision === null ? null : REVIEW_DECISION[pr.reviewDecision] }),
      labels: labelsOf(pr),
      sourceBranch: pr.headRefName,
      ...defaultBranch,
    },
    sources,
  };
}
