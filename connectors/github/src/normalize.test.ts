/**
 * The pure normalization rules, one by one: how an org listing becomes an
 * account, how classic protection and rulesets combine, and how a PR's
 * reviews, tickets and emergency flag are read.
 */
import { describe, expect, it } from '@jest/globals';
import { accountRecord, branchProtectionRecord, changeRequestRecord, isEmergency } from './normalize.js';
import { DEFAULT_TICKET_PATTERNS, ticketLinks, ticketMatchers } from './ticket-keys.js';
import type { BranchProtection, PullRequestNode, Repository } from './schema.js';

const SOURCE = 'a'.repeat(64);
const repo: Repository = { name: 'api', full_name: 'acme-corp/api', owner: { login: 'acme-corp' }, archived: false, default_branch: 'main' };

describe('accountRecord', () => {
  const twoFactor = { disabled: new Set(['alice-dev']), sources: ['b'.repeat(64)] };

  it('marks admins privileged and reads MFA from the 2FA-disabled list', () => {
    const admin = accountRecord({ login: 'Carol-Lead', id: 3, type: 'User' }, 'admin', SOURCE, twoFactor, undefined);
    expect(admin).toMatchObject({ key: 'user:Carol-Lead', data: { accountId: 'Carol-Lead', privileged: true, roles: ['admin'], mfa: 'enabled', accountType: 'member' } });
    expect(admin.sources).toEqual([SOURCE, 'b'.repeat(64)]);
    expect(accountRecord({ login: 'Alice-Dev', id: 1, type: 'User' }, 'member', SOURCE, twoFactor, undefined).data.mfa).toBe('disabled');
  });

  it('records MFA unknown without a 2FA list, and bots and outside collaborators by type', () => {
    expect(accountRecord({ login: 'x', id: 1, type: 'User' }, 'member', SOURCE, null, undefined).data.mfa).toBe('unknown');
    expect(accountRecord({ login: 'ci[bot]', id: 2, type: 'Bot' }, 'member', SOURCE, null, undefined).data.accountType).toBe('bot');
    expect(accountRecord({ login: 'olivia', id: 3, type: 'User' }, 'outside_collaborator', SOURCE, null, undefined).data).toMatchObject({ accountType: 'outside_collaborator', privileged: false });
  });

  it('makes an app login (`[bot]`) a bot and a machine user the configured patterns name a service, saying why', () => {
    expect(accountRecord({ login: 'renovate[bot]', id: 4, type: 'User' }, 'member', SOURCE, null, undefined).data.accountType).toBe('bot');
    const rules = { patterns: ['^acme-ci-', '@robots\\.example\\.com$'] };
    expect(accountRecord({ login: 'acme-ci-deploy', id: 5, type: 'User' }, 'member', SOURCE, null, undefined, rules).data).toMatchObject({
      accountType: 'service',
      attributes: { serviceBecause: 'acme-ci-deploy matches the configured pattern ^acme-ci-' },
    });
    const sso = { nameId: 'n', email: 'build@robots.example.com', displayName: null, source: 'c'.repeat(64) };
    expect(accountRecord({ login: 'builder', id: 6, type: 'User' }, 'member', SOURCE, null, sso, rules).data.accountType).toBe('service');
    expect(accountRecord({ login: 'alice', id: 7, type: 'User' }, 'member', SOURCE, null, undefined, rules).data).not.toHaveProperty('attributes');
  });

  it('takes SSO identity, email and name from the SAML identity', () => {
    const sso = { nameId: 'alice@example.com', email: 'alice@example.com', displayName: 'Alice Nguyen', source: 'c'.repeat(64) };
    const record = accountRecord({ login: 'alice-dev', id: 1, type: 'User' }, 'member', SOURCE, null, sso);
    expect(record.data).toMatchObject({ ssoIdentity: 'alice@example.com', email: 'alice@example.com', displayName: 'Alice Nguyen' });
    expect(record.sources).toContain('c'.repeat(64));
  });
});

describe('branchProtectionRecord', () => {
  it('reports no protection at all as present: false with force pushes and deletions allowed', () => {
    const record = branchProtectionRecord(repo, null, [], [SOURCE]);
    expect(record.key).toBe('acme-corp/api@main');
    expect(record.data).toMatchObject({ present: false, settings: { source: 'none', requiredApprovals: 0, enforceAdmins: false, allowForcePushes: true, allowDeletions: true, requiredStatusChecks: [] } });
  });

  it('takes the stricter of classic protection and rulesets', () => {
    const classic: BranchProtection = {
      required_pull_request_reviews: { dismiss_stale_reviews: false, require_code_owner_reviews: false, required_approving_review_count: 1 },
      enforce_admins: { enabled: false },
      allow_force_pushes: { enabled: true },
      allow_deletions: { enabled: true },
      required_status_checks: { contexts: ['ci'], checks: [{ context: 'ci' }] },
    };
    const rules = [
      { type: 'pull_request', parameters: { required_approving_review_count: 3, dismiss_stale_reviews_on_push: true }, ruleset_id: 9 },
      { type: 'non_fast_forward', ruleset_id: 9 },
      { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'lint' }] }, ruleset_id: 4 },
    ];
    expect(branchProtectionRecord(repo, classic, rules, [SOURCE]).data.settings).toMatchObject({
      source: 'both',
      requiredApprovals: 3,
      dismissStaleReviews: true,
      enforceAdmins: true,
      allowForcePushes: false,
      allowDeletions: true,
      requiredStatusChecks: ['ci', 'lint'],
      rulesetIds: [4, 9],
    });
  });
});

describe('ticketLinks and isEmergency', () => {
  const jira = ticketMatchers(DEFAULT_TICKET_PATTERNS);
  it('finds Jira-style keys in title, branch and body, once each, saying where each was found', () => {
    expect(ticketLinks(jira, { title: 'ACME-231 Add rate limiting', branch: 'feature/ACME-231-login', body: null })).toEqual({ keys: ['ACME-231'], sources: { 'ACME-231': ['title', 'branch'] } });
    expect(ticketLinks(jira, { title: 'Fix OPS-7 and SEC-12', branch: 'fix/ops-7', body: 'Closes CHG-40.' }).keys).toEqual(['OPS-7', 'SEC-12', 'CHG-40']);
    expect(ticketLinks(jira, { title: 'Update copy', branch: 'docs/on-call', body: '' })).toEqual({ keys: [], sources: {} });
  });

  it('uses the configured patterns instead, and never yields an empty key', () => {
    const custom = ticketMatchers(['#CHG\\d+', 'x*']);
    expect(ticketLinks(custom, { title: 'Bump deps', branch: 'chg-1', body: 'Change request #CHG7 and ACME-1' })).toEqual({ keys: ['#CHG7'], sources: { '#CHG7': ['body'] } });
  });

  it('flags hotfix and emergency changes by title, branch or label', () => {
    expect(isEmergency({ title: 'Restore webhook', headRefName: 'hotfix/webhook', labels: null })).toBe(true);
    expect(isEmergency({ title: 'EMERGENCY: rotate key', headRefName: 'rotate', labels: { nodes: [] } })).toBe(true);
    expect(isEmergency({ title: 'Rotate key', headRefName: 'rotate', labels: { nodes: [{ name: 'emergency-change' }] } })).toBe(true);
    expect(isEmergency({ title: 'Rotate key', headRefName: 'rotate', labels: { nodes: [{ name: 'security' }] } })).toBe(false);
  });
});

describe('changeRequestRecord', () => {
  const pr: PullRequestNode = {
    number: 5,
    title: 'OPS-1 Tune alerts',
    url: 'https://github.com/acme-corp/api/pull/5',
    createdAt: '2026-05-01T09:00:00Z',
    mergedAt: '2026-05-02T09:00:00Z',
    closedAt: '2026-05-02T09:00:00Z',
    author: null,
    mergedBy: { login: 'renovate', __typename: 'Bot' },
    baseRefName: 'release',
    headRefName: 'tune-alerts',
    headRefOid: 'f'.repeat(40),
    repository: { nameWithOwner: 'acme-corp/api' },
    labels: null,
    commits: { nodes: [] },
    reviews: null,
  };

  it('keeps a deleted author as null, a bot merger as a bot, and falls back to headRefOid', () => {
    const record = changeRequestRecord(pr, [{ author: null, state: 'CHANGES_REQUESTED', submittedAt: null, commit: null }], [SOURCE], ticketMatchers(DEFAULT_TICKET_PATTERNS));
    expect(record).toMatchObject({ key: 'acme-corp/api#5', occurredAt: '2026-05-02T09:00:00Z' });
    expect(record.data).toMatchObject({
      id: 'acme-corp/api#5',
      author: null,
      mergedBy: { login: 'renovate', bot: true },
      target: 'acme-corp/api:release',
      headRevision: 'f'.repeat(40),
      headRevisionAt: null,
      linkedTickets: ['OPS-1'],
      emergency: false,
      approvals: [{ reviewer: { login: null }, state: 'changes_requested', at: null, revision: null }],
    });
  });

  it('keeps GitHub\'s review decision, the labels, both branches and the ticket keys of the body, but not the body', () => {
    const full: PullRequestNode = { ...pr, body: 'Implements OPS-2. token=hunter2', reviewDecision: 'CHANGES_REQUESTED', labels: { nodes: [{ name: 'dependencies' }, null] }, repository: { nameWithOwner: 'acme-corp/api', isArchived: false, defaultBranchRef: { name: 'main' } } };
    const record = changeRequestRecord(full, [], [SOURCE], ticketMatchers(DEFAULT_TICKET_PATTERNS));
    expect(record.data).toMatchObject({ reviewDecision: 'changes_requested', labels: ['dependencies'], sourceBranch: 'tune-alerts', defaultBranch: 'main', linkedTickets: ['OPS-1', 'OPS-2'], ticketSources: { 'OPS-1': ['title'], 'OPS-2': ['body'] } });
    expect(JSON.stringify(record.data)).not.toContain('hunter2');
  });

  it('leaves the review decision and default branch out when the response did not carry them (unknown, not null)', () => {
    const record = changeRequestRecord(pr, [], [SOURCE], ticketMatchers(DEFAULT_TICKET_PATTERNS));
    expect(record.data).not.toHaveProperty('reviewDecision');
    expect(record.data).not.toHaveProperty('defaultBranch');
  });
});
