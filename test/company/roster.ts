/**
 * Acme, the second demo company: one roster of 44 people over six months
 * (June to November 2026) from which every system's simulated state is
 * derived (systems.ts). Everything is fixed data or derived from a seed, so
 * the company is the same on every run and its expected findings
 * (expected-findings.ts) could be written by hand from this file.
 *
 * The traps a real company has are named in TRAPS, one comment each; the
 * people and changes that make them are tagged with the trap's name.
 */
import { seededRandom } from '@evidentia/testing';

export const DOMAIN = 'example.com';
export const ORG = 'acme';
export const AWS_ACCOUNT = 'acme-prod';
export const SLACK_WORKSPACE = 'acme';

/** The audit period (UTC, both days inclusive). */
export const PERIOD = '2026-06-01..2026-11-30';

/** Collection runs at 06:00 UTC: a backfill on June 1st, monthly runs, and runs the day after each leaver. */
export const RUN_DAYS = ['2026-06-01', '2026-07-01', '2026-07-16', '2026-08-01', '2026-09-01', '2026-10-01', '2026-10-16', '2026-11-01', '2026-11-21', '2026-11-26', '2026-12-01', '2026-12-02'];
/** The first run collects events from here (the backfill). */
export const BACKFILL_SINCE = '2026-05-15T00:00:00Z';

/** The company's policy: accounts of a leaver removed within 48 hours (the check's slaHours). */
export const LEAVER_SLA_HOURS = 48;

export const TRAPS = {
  /** Dana's Google account suspended by mistake and restored 17 minutes later: listed, never a leaver anywhere. */
  reversedSuspension: 'reversed-suspension',
  /** Marco's Google account deleted by mistake on September 15th and restored (UNDELETE_USER) 12 minutes later: listed, never a leaver anywhere. */
  restoredDeletion: 'restored-deletion',
  /** Priya left in July (HR, Google deleted, GitHub and Slack removed in time) and was rehired on October 1st with the same email and login: her return is not a leaver's account left active. */
  rehire: 'rehire',
  /** Sofia Martin became Sofia Keller in May, before the period: Google keeps the old address as an alias, her IAM user still has the old email as its name. */
  nameChange: 'name-change',
  /** support@ is a shared mailbox: a directory account without 2-step verification (a true exception), no leaver. */
  sharedMailbox: 'shared-mailbox',
  /** svc-backup@ is a service identity in Google (configured pattern ^svc-): not judged for MFA or owner. */
  googleService: 'google-service',
  /** deploy-pipeline and metrics-exporter are IAM users with access keys only: service users, not MFA or owner exceptions; deploy-pipeline's key is older than 90 days (a true exception). */
  awsServiceUsers: 'aws-service-users',
  /** erin-admin is matched to Erin by its Owner tag; it has a console password and no MFA (a true exception). */
  awsOwnerTag: 'aws-owner-tag',
  /** IAM Identity Center lists lena.vogel (Lena's email) and partner-x (an email nobody knows): the IAM user lena.vogel, with no tag and no email-like name, is traced to Lena by it; partner-x matches nobody (an exception); ListUsers reports no MFA (both listed). */
  awsIdentityCenter: 'aws-identity-center',
  /** jdoe is an IAM user nobody can be traced to: an owner exception, and named beside the leaver passes in AWS. */
  awsUntraceable: 'aws-untraceable',
  /** CloudTrail stopped for 40 minutes in August and restarted: an exception for never-stopped, while today's status is logging. */
  trailStopped: 'trail-stopped',
  /** Liam left on November 25th and every account was removed the same day: passes everywhere. */
  cleanLeaver: 'clean-leaver',
  /** Maya left on November 25th; her IAM user (named by her email) was forgotten. */
  leaverForgottenInAws: 'leaver-forgotten-in-aws',
  /** Omar left on November 20th; his GitHub membership (login ohaddad, a configured alias) and his IAM user ops-omar (known only by its Owner tag) were forgotten. */
  leaverForgottenInGithub: 'leaver-forgotten-in-github',
  /** Noah's Google account was suspended on October 15th with no HR ticket (HR forgot): a directory leaver; Slack still has him. */
  directoryOnlyLeaver: 'directory-only-leaver',
  /** Paul left on August 20th; the directory suspended him only on the 24th (its audit log dates it), Slack the same day: late in Google by the log; in Slack the monthly inventories cannot tell. */
  lateDirectorySuspension: 'late-directory-suspension',
  /** Nora left on November 20th per HR; Slack removed her, the directory never did. */
  leaverForgottenInDirectory: 'leaver-forgotten-in-directory',
  /** GitHub invitations pending (by email, never accepted): Nora's, sent November 10th, still open after she left on the 20th (a leaver's access not removed: an exception); Ava's, sent November 23rd (listed: MFA and SAML SSO apply once accepted). */
  pendingInvitation: 'pending-invitation',
  /** A GitHub member nobody knows (no alias, no email). */
  unknownGithubMember: 'unknown-github-member',
  /** Kim, the partner contractor, is an outside collaborator in GitHub with admin on data-pipeline (and read on web): an exception. */
  outsideCollaboratorAdmin: 'outside-collaborator-admin',
  /** GitHub's SAML provider holds an identity for a contractor whose engagement was cancelled before they ever joined: linked to no GitHub account, an exception. ghost-dev, the unknown member, has no identity: an exception too. */
  samlUnlinked: 'saml-unlinked',
  /** A Slack guest from a partner, known through a configured alias. */
  slackGuest: 'slack-guest',
  /** A Slack-only incident (#inc-sev3-queue-backlog) resolved November 10th without a post-mortem: not yet due when first collected, overdue by the later runs that did not bring it again (it had no new messages: unchanged). */
  slackIncidentOverdue: 'slack-incident-overdue',
  /** An incident only in Slack (#inc-sev2-login-errors), its post-mortem a bare <url>. */
  slackOnlyIncident: 'slack-only-incident',
  /** A PR naming no ticket, linked by the ticket's development link (Jira remote link to the PR). */
  ticketLinksPr: 'ticket-links-pr',
  /** data-pipeline is protected by a ruleset, not classic protection: a pass. */
  rulesetProtection: 'ruleset-protection',
  /** A Slack bot user: not judged for MFA or owner. */
  slackBot: 'slack-bot',
  /** legacy-billing is archived (read-only, no protection): excluded by rule, a pass. */
  archivedRepository: 'archived-repository',
  /** marketing-site has no protection; mobile requires one approval without enforcing it for admins. */
  weakProtection: 'weak-protection',
  /** A PR merged with an approval while another reviewer's "changes requested" still stood. */
  standingChangesRequested: 'standing-changes-requested',
  /** A PR whose reviewer first requested changes and then approved: a pass. */
  changesRequestedThenApproved: 'changes-requested-then-approved',
  /** A PR that names no ticket anywhere. */
  prWithoutTicket: 'pr-without-ticket',
  /** Dependabot PRs: exempt from the ticket rule (listed as exempt); one approved by a human (pull-request-approved passes), one auto-merged with no human review (an exception). */
  dependencyBot: 'dependency-bot',
  /** Hotfixes: one reviewed ten hours after the merge with its emergency ticket approved afterwards (passes), one never reviewed with a ticket never approved. */
  emergencyChange: 'emergency-change',
  /** A PR approved, then changed by a later push, merged on the stale approval while GitHub still read APPROVED: an exception; a second PR approved again on its head after the push passes. */
  staleApproval: 'stale-approval',
  /** A PR whose only approval was dismissed before the merge: an exception. */
  dismissedApproval: 'dismissed-approval',
  /** A PR merged into a release branch with no ticket: in the change population, not judged by the default-branch ticket rule. */
  nonDefaultBranch: 'non-default-branch',
  /** A PR approved only by its author and a CI bot. */
  selfAndBotApproval: 'self-and-bot-approval',
  /** A PR whose ticket key is only in its branch name: linked. */
  ticketInBranch: 'ticket-in-branch',
  /** CHG deployed while still awaiting approval, and the PR that names it. */
  deployedAwaitingApproval: 'deployed-awaiting-approval',
  /** CHG closed as Won't Do without approval (no change made: a pass), yet a PR naming it was merged. */
  ticketWontDo: 'ticket-wont-do',
  /** A hotfix merged on the period's last evening, not yet reviewed when last collected: its review window was still open. */
  emergencyWindowOpen: 'emergency-window-open',
  /** CHG approved by its own reporter, and the PR that names it. */
  selfApprovedTicket: 'self-approved-ticket',
  /** One incident in two tools: INC-1 with its post-mortem in Jira, the Slack channel naming it without one; INC-3 with its post-mortem only in Slack (<url|label>). */
  incidentInTwoTools: 'incident-in-two-tools',
  /** INC-2 resolved in October with no post-mortem anywhere. */
  incidentWithoutPostMortem: 'incident-without-post-mortem',
  /** INC-4 resolved on November 29th: its post-mortem is not due yet. */
  incidentPostMortemPending: 'incident-post-mortem-pending',
  /** Leo holds a Google admin role, so two streams (users, admin roles) report his account: one finding per check, not two. */
  twoStreamsOneAccount: 'two-streams-one-account',
  /** A GitHub member, a Google user and a Slack member with MFA off (true exceptions). */
  mfaOff: 'mfa-off',
} as const;

export interface Person {
  /** Local part of the (first) email: first.last. */
  id: string;
  name: string;
  department: 'Engineering' | 'Product' | 'Sales' | 'Support' | 'Finance' | 'People';
  /** GitHub login (engineers and product), configured as the person's alias. */
  github?: string;
  /** IAM user name in the AWS account (email-like by default, else an owner tag). */
  aws?: string;
  /** Slack member id. */
  slack: string;
  /** Jira account number (712020:sim-N). */
  jira: number;
  startedAt: string;
  /** Last day, as HR records it (Offboarding ticket), or as the directory's suspension says. */
  leftAt?: string;
  trap?: string;
}

const FIRST = ['alice', 'ben', 'carla', 'dev', 'elena', 'felix', 'gina', 'hugo', 'iris', 'jonas', 'kai', 'lena', 'marco', 'nina', 'oscar', 'paula', 'quinn', 'rosa', 'sam', 'tara', 'uma', 'victor', 'wes', 'xena', 'yusuf', 'zoe', 'adam', 'bea', 'cyrus'];
const LAST = ['wong', 'fischer', 'silva', 'patel', 'rossi', 'braun', 'lopez', 'meyer', 'novak', 'berg', 'tanaka', 'vogel', 'conti', 'haas', 'lind', 'moreau', 'doyle', 'ruiz', 'okafor', 'iyer', 'stone', 'hale', 'frost', 'kane', 'aziz', 'park', 'cole', 'lowe', 'reid'];
const DEPARTMENTS: Person['department'][] = ['Engineering', 'Engineering', 'Engineering', 'Product', 'Sales', 'Support', 'Finance', 'People'];

/** 29 ordinary people, derived from a seed: department, GitHub login for engineers and product, an IAM user for some engineers. */
function ordinaryPeople(): Person[] {
  const random = seededRandom(4_242);
  return FIRST.map((first, i) => {
    const id = `${first}.${LAST[i]}`;
    const department = DEPARTMENTS[Math.floor(random() * DEPARTMENTS.length)]!;
    const codes = department === 'Engineering' || department === 'Product';
    return {
      id,
      name: `${first[0]!.toUpperCase()}${first.slice(1)} ${LAST[i]![0]!.toUpperCase()}${LAST[i]!.slice(1)}`,
      department,
      ...(codes ? { github: `${first}-${LAST[i]}` } : {}),
      ...(department === 'Engineering' && i % 3 === 0 ? { aws: `${id}@${DOMAIN}` } : {}),
      slack: `U0${String(100 + i).padStart(8, '0')}`,
      jira: 100 + i,
      startedAt: '2024-03-01',
    };
  });
}

/** The 15 people the traps are about. */
const NAMED: Person[] = [
  { id: 'dana.reyes', name: 'Dana Reyes', department: 'Engineering', github: 'dreyes', slack: 'U000000201', jira: 201, startedAt: '2023-05-02', trap: TRAPS.reversedSuspension },
  { id: 'priya.nair', name: 'Priya Nair', department: 'Engineering', github: 'pnair', slack: 'U000000202', jira: 202, startedAt: '2022-09-01', leftAt: '2026-07-15', trap: TRAPS.rehire },
  { id: 'sofia.martin', name: 'Sofia Keller (née Martin)', department: 'Engineering', github: 'skeller', aws: `sofia.martin@${DOMAIN}`, slack: 'U000000203', jira: 203, startedAt: '2021-01-04', trap: TRAPS.nameChange },
  { id: 'erin.walsh', name: 'Erin Walsh', department: 'Engineering', github: 'ewalsh', aws: 'erin-admin', slack: 'U000000204', jira: 204, startedAt: '2020-02-03', trap: TRAPS.awsOwnerTag },
  { id: 'liam.ortiz', name: 'Liam Ortiz', department: 'Engineering', github: 'lortiz', aws: `liam.ortiz@${DOMAIN}`, slack: 'U000000205', jira: 205, startedAt: '2023-02-01', leftAt: '2026-11-25', trap: TRAPS.cleanLeaver },
  { id: 'maya.chen', name: 'Maya Chen', department: 'Engineering', github: 'mchen', aws: `maya.chen@${DOMAIN}`, slack: 'U000000206', jira: 206, startedAt: '2022-04-01', leftAt: '2026-11-25', trap: TRAPS.leaverForgottenInAws },
  { id: 'omar.haddad', name: 'Omar Haddad', department: 'Engineering', github: 'ohaddad', aws: 'ops-omar', slack: 'U000000207', jira: 207, startedAt: '2021-06-01', leftAt: '2026-11-20', trap: TRAPS.leaverForgottenInGithub },
  { id: 'noah.kim', name: 'Noah Kim', department: 'Sales', slack: 'U000000208', jira: 208, startedAt: '2024-01-08', leftAt: '2026-10-15', trap: TRAPS.directoryOnlyLeaver },
  { id: 'tom.baker', name: 'Tom Baker', department: 'Engineering', github: 'tbaker', slack: 'U000000209', jira: 209, startedAt: '2023-08-01', trap: TRAPS.mfaOff },
  { id: 'ava.jones', name: 'Ava Jones', department: 'Support', slack: 'U000000210', jira: 210, startedAt: '2024-05-06', trap: TRAPS.mfaOff },
  { id: 'leo.grant', name: 'Leo Grant', department: 'Finance', slack: 'U000000211', jira: 211, startedAt: '2023-11-13', trap: TRAPS.mfaOff },
  { id: 'ruth.adler', name: 'Ruth Adler', department: 'Engineering', github: 'radler', slack: 'U000000212', jira: 212, startedAt: '2019-10-01' },
  { id: 'paul.weber', name: 'Paul Weber', department: 'Support', slack: 'U000000214', jira: 214, startedAt: '2022-03-01', leftAt: '2026-08-20', trap: TRAPS.lateDirectorySuspension },
  { id: 'nora.blake', name: 'Nora Blake', department: 'Finance', slack: 'U000000215', jira: 215, startedAt: '2023-04-03', leftAt: '2026-11-20', trap: TRAPS.leaverForgottenInDirectory },
  { id: 'kim.lee', name: 'Kim Lee (partner contractor)', department: 'Engineering', github: 'kimlee-partner', slack: 'U000000213', jira: 213, startedAt: '2026-02-01', trap: TRAPS.slackGuest },
];

export const PEOPLE: Person[] = [...ordinaryPeople(), ...NAMED];

export const person = (id: string): Person => {
  const found = PEOPLE.find((p) => p.id === id);
  if (!found) throw new Error(`no person ${id} in the roster`);
  return found;
};
export const emailOf = (p: Person) => `${p.id}@${DOMAIN}`;

/** Kim is a contractor with a partner address: not in the Google directory, known through the alias below. */
export const GUEST_EMAIL = 'kim.lee@partner.example.net';
/** Sofia's address after her name change (May 20th, before the period: only the directory's alias remembers the old one). */
export const RENAMED_EMAIL = `sofia.keller@${DOMAIN}`;
export const RENAMED_AT = '2026-05-20T09:00:00Z';

/**
 * The company's `people.aliases`: each person's GitHub login (GitHub shows no
 * email) and Kim's partner address. The unknown GitHub member has none.
 */
export function configuredAliases(): Record<string, string[]> {
  const aliases: Record<string, string[]> = {};
  for (const p of PEOPLE) {
    const primary = p.id === 'sofia.martin' ? RENAMED_EMAIL : p.id === 'kim.lee' ? GUEST_EMAIL : emailOf(p);
    if (p.github) aliases[primary] = [p.github];
  }
  return aliases;
}

/** Accounts that belong to no person. */
export const NON_PEOPLE = {
  googleSharedMailbox: 'support',
  googleService: 'svc-backup',
  awsServices: ['deploy-pipeline', 'metrics-exporter'],
  awsUntraceable: 'jdoe',
  githubUnknown: 'ghost-dev',
  samlUnlinked: 'r.vance@contractors.example.net',
  slackBot: { id: 'B000000301', name: 'deploybot' },
} as const;
