/**
 * Acme's five systems, derived from the roster (roster.ts): the starting
 * state of each simulator, and a timeline of dated changes (joiners,
 * leavers, suspensions, PRs, tickets, incidents, CloudTrail events) applied
 * in time order before each collection run, so every run sees the company
 * as it was at that moment. Each change goes through the simulator's own
 * mutation (Google and Jira log their audit events and changelogs).
 */
import type { SimEvent, SimUser as AwsUser, AccountState } from '../../connectors/aws/src/simulator.js';
import { TYPICAL_GROUPS, TYPICAL_POLICIES } from '../../connectors/aws/src/simulator.js';
import type { SimOrg, SimRepo, SimSamlIdentity } from '../../connectors/github/src/simulator-org.js';
import type { AdminSdkSimulator } from '../../connectors/google-workspace/src/simulator.js';
import type { SimSite } from '../../connectors/jira/src/simulator-site.js';
import type { SimMember, SlackWorkspace } from '../../connectors/slack/src/simulator-workspace.js';
import { DOMAIN, emailOf, GUEST_EMAIL, NON_PEOPLE, ORG, PEOPLE, person, RENAMED_AT, RENAMED_EMAIL, type Person } from './roster.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ms = (iso: string) => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const at = (day: string, time: string) => ms(`${day}T${time}:00Z`);

export const FIELD = { approvers: 'customfield_10050', severity: 'customfield_10060', email: 'customfield_10070', effective: 'customfield_10072', postMortem: 'customfield_10080' } as const;

export interface Simulators {
  aws: AccountState;
  github: SimOrg;
  google: AdminSdkSimulator;
  jira: SimSite;
  slack: SlackWorkspace;
}

interface Change {
  at: number;
  what: string;
  apply(sims: Simulators): void;
}

// ---------------------------------------------------------------- starting state

const OLD = '2025-01-10T09:00:00.000Z';
export const IDENTITY_STORE = 'd-9067a1b2c3';
const awsUser = (name: string, facts: Partial<AwsUser>): AwsUser => ({
  name, createdAt: OLD, groups: ['Developers'], managed: [], inline: [], mfa: true,
  password: { changedAt: OLD, lastUsedAt: '2026-05-30T08:00:00.000Z' }, accessKey: null, ...facts,
});

export function awsState(): AccountState {
  const people = PEOPLE.filter((p) => p.aws && p.id !== 'erin.walsh').map((p) => awsUser(p.aws!, p.aws!.includes('@') ? {} : { tags: { Owner: emailOf(p) } }));
  return {
    accountId: '123456789012',
    users: [
      ...people,
      // aws-owner-tag: a console user with no MFA, matched to Erin by its tag.
      awsUser('erin-admin', { groups: ['Admins'], mfa: false, tags: { Owner: emailOf(person('erin.walsh')) } }),
      // aws-service-users: access keys only; deploy-pipeline's key was last rotated in March.
      awsUser('deploy-pipeline', { mfa: false, password: null, accessKey: { active: true, rotatedAt: '2026-03-01T09:00:00.000Z', lastUsedAt: '2026-05-31T22:00:00.000Z' } }),
      awsUser('metrics-exporter', { mfa: false, password: null, accessKey: { active: true, rotatedAt: '2026-05-20T09:00:00.000Z', lastUsedAt: '2026-05-31T22:00:00.000Z' } }),
      // aws-untraceable: no email, no tag, no alias.
      awsUser(NON_PEOPLE.awsUntraceable, {}),
      // aws-identity-center: no email, no tag, no alias, but named like Lena's Identity Center user.
      awsUser('lena.vogel', {}),
    ],
    identityCenter: {
      identityStoreId: IDENTITY_STORE,
      users: [
        { userId: '90676f1a-0001', userName: 'lena.vogel', displayName: 'Lena Vogel', email: emailOf(person('lena.vogel')) },
        { userId: '90676f1a-0002', userName: 'partner-x', displayName: 'Partner X', email: 'x@partner.example' },
      ],
    },
    groups: structuredClone(TYPICAL_GROUPS),
    policies: structuredClone(TYPICAL_POLICIES),
    passwordPolicy: { minimumLength: 14 },
    trails: [{ name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, logging: true, latestDeliveryTime: '2026-05-31T23:55:00.000Z' }],
    events: [],
  };
}

const REPOS: Array<Pick<SimRepo, 'name' | 'archived' | 'protection' | 'approvals'>> = [
  { name: 'api', archived: false, protection: 'classic', approvals: 2 },
  { name: 'web', archived: false, protection: 'classic', approvals: 2 },
  { name: 'billing', archived: false, protection: 'classic', approvals: 2 },
  { name: 'infra', archived: false, protection: 'classic', approvals: 2 },
  // weak-protection: none at all, and one approval with admins exempt (the simulator enforces admins only above one approval).
  { name: 'marketing-site', archived: false, protection: 'none', approvals: 1 },
  { name: 'mobile', archived: false, protection: 'classic', approvals: 1 },
  // ruleset-protection
  { name: 'data-pipeline', archived: false, protection: 'ruleset', approvals: 1 },
  // archived-repository
  { name: 'legacy-billing', archived: true, protection: 'none', approvals: 1 },
];

const samlIdentity = (p: Person): SimSamlIdentity => ({ nameId: emailOf(p), login: p.github! });

export function githubOrg(): SimOrg {
  let id = 100_000;
  const members = PEOPLE.filter((p) => p.github && p.id !== 'kim.lee').map((p) => ({ login: p.github!, id: id++, admin: p.id === 'erin.walsh', twoFactor: p.id !== 'tom.baker' }));
  members.push({ login: NON_PEOPLE.githubUnknown, id: id++, admin: false, twoFactor: true });
  const kim = person('kim.lee').github!;
  const collaborators = [{ login: kim, id: id++, admin: false, twoFactor: true }];
  // outside-collaborator-admin: Kim administers data-pipeline.
  const access: Record<string, SimRepo['outsideCollaborators']> = { 'data-pipeline': { [kim]: 'admin' }, web: { [kim]: 'read' } };
  const repos = REPOS.map((repo, i) => ({ ...repo, id: 300_000 + i, denied: false, ...(access[repo.name] ? { outsideCollaborators: access[repo.name] } : {}) }));
  // SAML SSO: every member who is a person is linked by email; ghost-dev has no identity; saml-unlinked: one identity links to nobody.
  const saml = [...members.flatMap((m) => { const p = PEOPLE.find((q) => q.github === m.login); return p ? [samlIdentity(p)] : []; }), { nameId: NON_PEOPLE.samlUnlinked, login: null }];
  return { org: ORG, members, collaborators, repos, pullRequests: [], nextId: 500_000, saml };
}

const slackMember = (p: Person): SimMember => ({
  id: p.slack, name: p.id, real_name: p.name, deleted: false, is_admin: p.id === 'erin.walsh', is_owner: false, is_primary_owner: false,
  is_restricted: p.id === 'kim.lee', is_ultra_restricted: false, is_bot: false, has_2fa: p.id !== 'ava.jones',
  profile: { real_name: p.name, display_name: p.id.split('.')[0]!, email: p.id === 'kim.lee' ? GUEST_EMAIL : emailOf(p) },
});

export function fillSlack(slack: SlackWorkspace): void {
  for (const p of PEOPLE) slack.addUser(slackMember(p));
  const bot = NON_PEOPLE.slackBot;
  slack.addUser({ id: bot.id, name: bot.name, real_name: 'Deploy Bot', deleted: false, is_admin: false, is_owner: false, is_primary_owner: false, is_restricted: false, is_ultra_restricted: false, is_bot: true, profile: { real_name: 'Deploy Bot', display_name: 'deploybot' } });
}

/** Google users by person id, for the timeline's suspensions and deletions. */
export const googleIds = new Map<string, string>();

export function fillGoogle(google: AdminSdkSimulator): void {
  const created = new Date(OLD);
  for (const p of PEOPLE) {
    if (p.id === 'kim.lee') continue;
    const user = google.directory.addUser(created, { local: p.id, logged: false, twoStep: p.id !== 'leo.grant' });
    google.directory.change(user.id as string, { name: { givenName: p.name.split(' ')[0], familyName: p.name.split(' ').slice(1).join(' '), fullName: p.name } });
    googleIds.set(p.id, user.id as string);
  }
  // two-streams-one-account: Leo (no 2-step verification) holds a custom admin role.
  google.directory.assign(google.directory.roles.length - 1, googleIds.get('leo.grant')!, null);
  // shared-mailbox: no 2-step verification; google-service: matched by the configured pattern ^svc-.
  googleIds.set('support', google.directory.addUser(created, { local: NON_PEOPLE.googleSharedMailbox, logged: false, twoStep: false }).id as string);
  googleIds.set('svc-backup', google.directory.addUser(created, { local: NON_PEOPLE.googleService, logged: false, twoStep: false }).id as string);
}

// ---------------------------------------------------------------- the timeline

const changes: Change[] = [];
const on = (when: number, what: string, apply: (sims: Simulators) => void) => changes.push({ at: when, what, apply });

const removeGithub = (sims: Simulators, login: string) => {
  sims.github.members = sims.github.members.filter((m) => m.login !== login);
  // GitHub revokes a removed member's SAML identity link along with the membership.
  sims.github.saml = sims.github.saml?.filter((identity) => identity.login !== login);
};
const deactivateSlack = (sims: Simulators, id: string) => sims.slack.updateUser(id, (m) => (m.deleted = true));
const removeAws = (sims: Simulators, name: string) => (sims.aws.users = sims.aws.users.filter((u) => u.name !== name));

// reversed-suspension
on(at('2026-11-27', '09:00'), 'Dana suspended by mistake', (s) => s.google.directory.suspend(googleIds.get('dana.reyes')!, new Date(at('2026-11-27', '09:00'))));
on(at('2026-11-27', '09:17'), 'Dana restored', (s) => s.google.directory.unsuspend(googleIds.get('dana.reyes')!, new Date(at('2026-11-27', '09:17'))));

// restored-deletion
on(at('2026-09-15', '10:00'), 'Marco deleted by mistake', (s) => s.google.directory.remove(googleIds.get('marco.conti')!, new Date(at('2026-09-15', '10:00'))));
on(at('2026-09-15', '10:12'), 'Marco restored', (s) => s.google.directory.restore(googleIds.get('marco.conti')!, new Date(at('2026-09-15', '10:12'))));

// rehire: leaves July 15th (everything removed that afternoon), back on October 1st.
on(at('2026-07-15', '16:00'), 'Priya offboarded', (s) => {
  s.google.directory.remove(googleIds.get('priya.nair')!, new Date(at('2026-07-15', '16:00')));
  removeGithub(s, 'pnair');
  deactivateSlack(s, person('priya.nair').slack);
});
on(at('2026-09-30', '10:00'), 'Priya rehired', (s) => {
  const user = s.google.directory.addUser(new Date(at('2026-09-30', '10:00')), { local: 'priya.nair' });
  googleIds.set('priya.nair', user.id as string);
  s.github.members.push({ login: 'pnair', id: s.github.nextId++, admin: false, twoFactor: true });
  s.github.saml?.push(samlIdentity(person('priya.nair')));
  s.slack.updateUser(person('priya.nair').slack, (m) => (m.deleted = false));
});

// name-change: the directory's primary address changes, the old one stays an alias; Slack follows; the IAM user keeps the old name.
on(ms(RENAMED_AT), 'Sofia renamed', (s) => {
  s.google.directory.change(googleIds.get('sofia.martin')!, { primaryEmail: RENAMED_EMAIL, aliases: [`sofia.martin@${DOMAIN}`], name: { givenName: 'Sofia', familyName: 'Keller', fullName: 'Sofia Keller' } });
  s.slack.updateUser(person('sofia.martin').slack, (m) => (m.profile.email = RENAMED_EMAIL));
});

// directory-only-leaver: suspended in Google, nothing else.
on(at('2026-10-15', '10:00'), 'Noah suspended', (s) => s.google.directory.suspend(googleIds.get('noah.kim')!, new Date(at('2026-10-15', '10:00'))));

// leaver-forgotten-in-github
on(at('2026-11-20', '16:00'), 'Omar offboarded (GitHub forgotten)', (s) => {
  s.google.directory.suspend(googleIds.get('omar.haddad')!, new Date(at('2026-11-20', '16:00')));
  deactivateSlack(s, person('omar.haddad').slack);
});
// clean-leaver and leaver-forgotten-in-aws
on(at('2026-11-25', '15:00'), 'Liam and Maya offboarded (Maya\'s IAM user forgotten)', (s) => {
  for (const id of ['liam.ortiz', 'maya.chen']) {
    s.google.directory.suspend(googleIds.get(id)!, new Date(at('2026-11-25', '15:00')));
    removeGithub(s, person(id).github!);
    deactivateSlack(s, person(id).slack);
  }
  removeAws(s, `liam.ortiz@${DOMAIN}`);
});

// pending-invitation: GitHub invitations by email, never accepted; Nora's outlives her departure.
const invite = (id: string, when: string) => on(at(when, '10:00'), `${id} invited to GitHub`, (s) => {
  s.github.invitations = [...(s.github.invitations ?? []), { id: s.github.nextId++, login: null, email: emailOf(person(id)), role: 'direct_member', createdAtMs: at(when, '10:00'), inviter: person('erin.walsh').github! }];
});
invite('nora.blake', '2026-11-10');
invite('ava.jones', '2026-11-23');

// The service users' keys are used every month; metrics-exporter's is rotated in August (deploy-pipeline's never is).
const MONTHS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
for (const month of MONTHS) {
  const when = at(`${month}-10`, '03:00');
  on(when, `service keys used ${month}`, (s) => {
    for (const user of s.aws.users) if (user.accessKey) user.accessKey.lastUsedAt = new Date(when).toISOString();
  });
}
on(at('2026-08-15', '09:00'), 'metrics-exporter key rotated', (s) => {
  const key = s.aws.users.find((u) => u.name === 'metrics-exporter')!.accessKey!;
  key.rotatedAt = new Date(at('2026-08-15', '09:00')).toISOString();
});

// trail-stopped, among ordinary CloudTrail events.
const event = (id: number, when: number, source: string, name: string, actor: string, target: string | null): SimEvent => ({
  id: `${String(id).padStart(8, '0')}-1111-4222-8333-000000000000`, at: new Date(when).toISOString(), region: 'us-east-1', source, name, actor, target, failed: false,
});
MONTHS.forEach((month, i) => {
  const when = at(`${month}-10`, '08:30');
  on(when, `console sign-in ${month}`, (s) => s.aws.events.push(event(100 + i, when, 'signin.amazonaws.com', 'ConsoleLogin', 'erin-admin', null)));
});
on(at('2026-08-12', '02:00'), 'CloudTrail stopped', (s) => {
  s.aws.events.push(event(900, at('2026-08-12', '02:00'), 'cloudtrail.amazonaws.com', 'StopLogging', 'erin-admin', 'org-trail'));
  s.aws.trails[0]!.logging = false;
});
on(at('2026-08-12', '02:40'), 'CloudTrail restarted', (s) => {
  s.aws.events.push(event(901, at('2026-08-12', '02:40'), 'cloudtrail.amazonaws.com', 'StartLogging', 'erin-admin', 'org-trail'));
  s.aws.trails[0]!.logging = true;
});

// late-directory-suspension: HR says August 20th, the directory and Slack act on the 24th.
on(at('2026-08-24', '10:00'), 'Paul offboarded late', (s) => {
  s.google.directory.suspend(googleIds.get('paul.weber')!, new Date(at('2026-08-24', '10:00')));
  deactivateSlack(s, person('paul.weber').slack);
});
// leaver-forgotten-in-directory: Slack only.
on(at('2026-11-20', '16:00'), 'Nora offboarded (directory forgotten)', (s) => deactivateSlack(s, person('nora.blake').slack));

// HR tickets (Jira project HR): offboardings with the person's email and last day, and Priya's onboarding.
function hrTicket(sims: Simulators, type: 'Onboarding' | 'Offboarding', who: Person, effective: string, when: number): void {
  const issue = sims.jira.create({ project: 'HR', type, summary: `${type}: ${who.name}`, status: 'Open', at: when, reporter: 250, custom: { [FIELD.email]: emailOf(who), [FIELD.effective]: effective } });
  sims.jira.transition(issue.key, 'Done', when + 2 * HOUR, 250);
}
for (const id of ['priya.nair', 'paul.weber', 'omar.haddad', 'nora.blake', 'liam.ortiz', 'maya.chen']) {
  const who = person(id);
  const when = ms(who.leftAt!) - 5 * 86_400_000;
  on(when, `HR offboarding of ${id}`, (s) => hrTicket(s, 'Offboarding', who, who.leftAt!, when));
}
on(at('2026-09-20', '09:00'), 'HR onboarding of Priya (rehire)', (s) => hrTicket(s, 'Onboarding', person('priya.nair'), '2026-10-01', at('2026-09-20', '09:00')));

export { changes as timelineChanges, on, at, ms, HOUR, MINUTE };
export type { Change };
