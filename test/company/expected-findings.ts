/**
 * What an auditor finds at Acme (roster.ts, systems.ts, changes.ts) over
 * June to November 2026, written by hand from the roster and the rules of
 * packages/audit/src/checks/README.md before the checks were run on it.
 *
 * Every finding that is not a pass is listed: the exceptions, the
 * not-assessable ones (listed, not failed: service identities, a reversed
 * suspension, a deadline not yet due) and the not-assessed ones (none: every
 * system was collected throughout). The company test compares the checks'
 * findings with this list exactly in both directions. An item is matched by
 * its leading words (the account, `owner/repo#n`, the ticket key): titles
 * and emails that follow are not repeated here.
 *
 * Check settings are the defaults except the company's own policy choices
 * (COMPANY_SETTINGS).
 */
import { AWS_ACCOUNT, DOMAIN, LEAVER_SLA_HOURS, NON_PEOPLE, ORG, SLACK_WORKSPACE } from './roster.js';

export const SYSTEMS = {
  aws: `aws:${AWS_ACCOUNT}`,
  github: `github:${ORG}`,
  google: `google-workspace:${DOMAIN}`,
  jira: 'jira:acme.atlassian.net',
  slack: `slack:${SLACK_WORKSPACE}`,
} as const;

/** Settings that differ from the defaults, as Acme's config sets them. */
export const COMPANY_SETTINGS: Record<string, Record<string, unknown>> = {
  // Acme's offboarding policy is 48 hours.
  'leavers-deprovisioned': { slaHours: LEAVER_SLA_HOURS },
  // Only CHG tickets are change tickets (INC keys in a title are not).
  'change-ticket-linked': { projects: ['CHG'] },
};

export type Status = 'exception' | 'not-assessable' | 'not-assessed';

export interface Expected {
  check: string;
  system: string | null;
  /** The finding's item, or its leading words. */
  item: string;
  status: Status;
  /** Why, in the test's own words (shown in the diff). */
  why: string;
}

const { aws, github, google, jira, slack } = SYSTEMS;
const e = (check: string, system: string | null, item: string, status: Status, why: string): Expected => ({ check, system, item, status, why });

export const EXPECTED: Expected[] = [
  // mfa-enabled
  e('mfa-enabled', github, 'tbaker', 'exception', 'mfa-off: Tom has no 2FA on GitHub'),
  e('mfa-enabled', aws, 'erin-admin', 'exception', 'aws-owner-tag: console password, no MFA'),
  e('mfa-enabled', google, `support@${DOMAIN}`, 'exception', 'shared-mailbox: a mailbox anyone with the password can open, no 2-step verification'),
  e('mfa-enabled', google, `leo.grant@${DOMAIN}`, 'exception', 'mfa-off: Leo has no 2-step verification; two-streams-one-account: once, though users and admin roles both report him'),
  e('mfa-enabled', slack, 'U000000210', 'exception', 'mfa-off: Ava has no 2FA in Slack'),
  e('mfa-enabled', aws, 'deploy-pipeline', 'not-assessable', 'aws-service-users: access keys only'),
  e('mfa-enabled', aws, `lena.vogel <lena.vogel@${DOMAIN}>`, 'not-assessable', 'aws-identity-center: the Identity Center user (ListUsers reports no MFA); the IAM user of that name has MFA and passes'),
  e('mfa-enabled', aws, `partner-x <x@partner.example>`, 'not-assessable', 'aws-identity-center: ListUsers reports no MFA'),
  e('mfa-enabled', aws, 'metrics-exporter', 'not-assessable', 'aws-service-users: access keys only'),
  e('mfa-enabled', google, `svc-backup@${DOMAIN}`, 'not-assessable', 'google-service: configured pattern ^svc-'),
  e('mfa-enabled', slack, 'B000000301', 'not-assessable', 'slack-bot'),
  e('mfa-enabled', github, `nora.blake@${DOMAIN}`, 'not-assessable', 'pending-invitation: an invitation never accepted has no 2FA to judge yet'),
  e('mfa-enabled', github, `ava.jones@${DOMAIN}`, 'not-assessable', 'pending-invitation: invited November 23rd, not yet accepted at the November 26th inventory'),

  // accounts-have-owner
  e('accounts-have-owner', aws, 'jdoe', 'exception', 'aws-untraceable'),
  e('accounts-have-owner', aws, 'partner-x', 'exception', 'aws-identity-center: an Identity Center user whose email matches nobody'),
  // aws-identity-center: the IAM user lena.vogel (no tag, no email-like name) is traced to Lena through the Identity Center user of that name: a pass.
  e('accounts-have-owner', github, 'ghost-dev', 'exception', 'unknown-github-member'),
  e('accounts-have-owner', aws, 'deploy-pipeline', 'not-assessable', 'aws-service-users'),
  e('accounts-have-owner', aws, 'metrics-exporter', 'not-assessable', 'aws-service-users'),
  e('accounts-have-owner', aws, 'root', 'not-assessable', 'the root account'),
  e('accounts-have-owner', google, `svc-backup@${DOMAIN}`, 'not-assessable', 'google-service'),
  e('accounts-have-owner', slack, 'B000000301', 'not-assessable', 'slack-bot'),
  // name-change: sofia.martin@ (the IAM user) is an alias the directory holds for Sofia Keller, renamed before the period: a pass, not listed.

  // access-keys
  e('access-keys', aws, 'deploy-pipeline', 'exception', 'aws-service-users: key rotated in March, older than 90 days all period'),
  e('access-keys', aws, 'metrics-exporter', 'exception', 'aws-service-users: key rotated August 15th, 97 days old by the November 21st inventory'),

  // branch-protection
  e('branch-protection', github, `${ORG}/marketing-site@main`, 'exception', 'weak-protection: no protection'),
  e('branch-protection', github, `${ORG}/mobile@main`, 'exception', 'weak-protection: not enforced for administrators'),
  // archived-repository: legacy-billing passes by rule. ruleset-protection: data-pipeline passes.

  // pull-request-approved (PR numbers in declaration order, changes.ts)
  e('pull-request-approved', github, `${ORG}/api#16`, 'exception', 'emergency-change: hotfix never reviewed'),
  e('pull-request-approved', github, `${ORG}/web#17`, 'exception', "standing-changes-requested: Tom's request for changes stood at the merge"),
  e('pull-request-approved', github, `${ORG}/infra#21`, 'exception', 'self-and-bot-approval: only its author and a bot approved'),
  e('pull-request-approved', github, `${ORG}/api#23`, 'exception', 'dependency-bot: auto-merged without a human review'),
  e('pull-request-approved', github, `${ORG}/api#25`, 'not-assessable', 'emergency-window-open: unreviewed when collected, 8 hours into its 72-hour window'),
  e('pull-request-approved', github, `${ORG}/web#27`, 'exception', "stale-approval: Erin's approval was on the commit before the head, pushed after it; GitHub's APPROVED does not cover the merged code"),
  e('pull-request-approved', github, `${ORG}/api#29`, 'exception', "dismissed-approval: Ruth's only approval was dismissed before the merge"),
  // stale-approval: web#28, approved again on its head after the push, passes. non-default-branch: infra#30 (into release/2026.11) was approved: a pass.

  // change-ticket-linked
  e('change-ticket-linked', github, `${ORG}/api#13`, 'exception', 'deployed-awaiting-approval: CHG-5 was never approved'),
  e('change-ticket-linked', github, `${ORG}/billing#14`, 'exception', 'self-approved-ticket: CHG-6 approved only by its reporter'),
  e('change-ticket-linked', github, `${ORG}/api#16`, 'exception', 'emergency-change: CHG-18 never approved'),
  e('change-ticket-linked', github, `${ORG}/api#20`, 'exception', 'pr-without-ticket'),
  e('change-ticket-linked', github, `${ORG}/web#24`, 'exception', "ticket-wont-do: CHG-16 was closed as Won't Do"),
  e('change-ticket-linked', github, `${ORG}/web#22`, 'not-assessable', 'dependency-bot: exempt from the ticket rule by exemptAuthors, listed as exempt (neither a pass nor against the check)'),
  e('change-ticket-linked', github, `${ORG}/api#23`, 'not-assessable', 'dependency-bot: exempt from the ticket rule by exemptAuthors, listed as exempt (neither a pass nor against the check)'),
  // ticket-links-pr: api#26 names no ticket; CHG-19's development link names it: a pass.
  // web#27, web#28 and api#29 name October's ordinary ticket, approved before them: passes (their review is another check's matter).
  // non-default-branch: infra#30 names no ticket, but it was merged into release/2026.11, not the default branch: not judged by this rule
  // (no finding at all), while the change population holds it with its target (company.e2e).

  // change-ticket-approved (Jira numbers tickets in creation order; see changes.ts). CHG-16, turned down, made no change: a pass.
  e('change-ticket-approved', jira, 'CHG-5', 'exception', 'deployed-awaiting-approval'),
  e('change-ticket-approved', jira, 'CHG-6', 'exception', 'self-approved-ticket'),
  e('change-ticket-approved', jira, 'CHG-18', 'exception', 'emergency-change: never approved'),

  // emergency-change-reviewed
  e('emergency-change-reviewed', github, `${ORG}/api#16`, 'exception', 'emergency-change: never reviewed'),
  e('emergency-change-reviewed', jira, 'CHG-18', 'exception', 'emergency-change: never approved'),
  e('emergency-change-reviewed', github, `${ORG}/api#25`, 'not-assessable', 'emergency-window-open'),

  // incident-handled
  e('incident-handled', jira, 'INC-2', 'exception', 'incident-without-post-mortem: resolved October 11th, nothing by December'),
  e('incident-handled', jira, 'INC-4', 'not-assessable', 'incident-post-mortem-pending: resolved November 29th, due in December'),
  e('incident-handled', slack, 'C0INCQUEUE', 'exception', 'slack-incident-overdue: resolved November 10th, no post-mortem by the 24th; Slack re-reads a channel whenever it has new messages, so its absence from the later runs says it did not change'),
  // incident-in-two-tools: INC-1 + #inc-db-outage and INC-3 + #inc-cache-storm pass, each judged once.
  // slack-only-incident: #inc-sev2-login-errors passes (severity from its name, a bare <url> post-mortem).

  // cloudtrail-never-stopped / cloudtrail-logging
  e('cloudtrail-never-stopped', aws, aws, 'exception', 'trail-stopped: 40 minutes on August 12th'),

  // outside-collaborator-access: Kim's read on web alone would pass.
  e('outside-collaborator-access', github, 'kimlee-partner', 'exception', 'outside-collaborator-admin: admin on data-pipeline'),

  // sso-identity-linked: every other member is linked by email; Omar, forgotten in GitHub, stays linked (his leaver exception is elsewhere).
  e('sso-identity-linked', github, `SAML identity ${NON_PEOPLE.samlUnlinked}`, 'exception', 'saml-unlinked: an identity linked to no GitHub account'),
  e('sso-identity-linked', github, 'ghost-dev', 'exception', 'unknown-github-member: a member with no SAML identity'),
  e('sso-identity-linked', github, 'kimlee-partner', 'not-assessable', 'slack-guest: an outside collaborator, to whom SAML SSO does not apply'),
  e('sso-identity-linked', github, `nora.blake@${DOMAIN}`, 'not-assessable', 'pending-invitation: SAML linkage comes with acceptance'),
  e('sso-identity-linked', github, `ava.jones@${DOMAIN}`, 'not-assessable', 'pending-invitation: SAML linkage comes with acceptance'),

  // leavers-deprovisioned
  e('leavers-deprovisioned', aws, `maya.chen@${DOMAIN}`, 'exception', 'leaver-forgotten-in-aws'),
  e('leavers-deprovisioned', github, `omar.haddad@${DOMAIN}`, 'exception', 'leaver-forgotten-in-github'),
  e('leavers-deprovisioned', aws, `omar.haddad@${DOMAIN}`, 'exception', 'leaver-forgotten-in-github: and ops-omar, matched by its Owner tag'),
  e('leavers-deprovisioned', slack, `noah.kim@${DOMAIN}`, 'exception', 'directory-only-leaver: still active in Slack'),
  e('leavers-deprovisioned', google, `dana.reyes@${DOMAIN}`, 'not-assessable', 'reversed-suspension: listed, no leaver'),
  e('leavers-deprovisioned', google, `marco.conti@${DOMAIN}`, 'not-assessable', 'restored-deletion: deleted by mistake, restored (UNDELETE_USER) 12 minutes later: listed, no leaver'),
  e('leavers-deprovisioned', google, `paul.weber@${DOMAIN}`, 'exception', 'late-directory-suspension: left August 20th, suspended on the 24th by the audit log, after the 48-hour deadline'),
  e('leavers-deprovisioned', slack, `paul.weber@${DOMAIN}`, 'not-assessable', 'late-directory-suspension: removed between the August 1st and September 1st inventories'),
  e('leavers-deprovisioned', google, `nora.blake@${DOMAIN}`, 'exception', 'leaver-forgotten-in-directory'),
  e('leavers-deprovisioned', github, `nora.blake@${DOMAIN}`, 'exception', 'pending-invitation: her GitHub invitation of November 10th was still open at the November 26th inventory, six days after she left'),
  // pending-invitation: Ava's invitation and Nora's have an owner (their email names them): accounts-have-owner passes both.
  // rehire: Priya left in July with everything removed in time; her return in October is no leaver's account left active.
  // clean-leaver: Liam passes everywhere.
];

/** Listed, not failed: the leaver passes in a system name its untraceable accounts. */
export const UNTRACEABLE_NAMED: Record<string, string> = { [aws]: 'jdoe', [github]: 'ghost-dev' };
