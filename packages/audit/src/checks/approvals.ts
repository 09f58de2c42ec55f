/**
 * What counts as an approval of a change, shared by the change-management
 * checks. An approval counts when its state is `approved` (a dismissed
 * approval does not), it was given by a person other than the author (the
 * same login, or two identifiers of one person in `people.aliases`, is the
 * author) and not by a bot. Bots are accounts the source marks as bots,
 * logins ending in `[bot]`, and the logins listed in the check's `bots`
 * setting: an automated approval is not a review.
 */
import type { Actor, RecordData } from '@evidentia/evidence';
import { actorIdentifiers, type PeopleDirectory } from './people.js';
import { timeOf } from './period.js';

export type ChangeData = RecordData<'change.request'>;
export type Approval = ChangeData['approvals'][number];

export function isBot(actor: Actor | null | undefined, bots: readonly string[]): boolean {
  if (!actor) return false;
  const login = actor.login?.toLowerCase() ?? '';
  return actor.bot === true || login.endsWith('[bot]') || bots.some((bot) => bot.toLowerCase() === login);
}

/** A login as is; a person with a name as "Name (login)" (Jira's logins are opaque account ids). */
export function describeActor(actor: Actor | null | undefined): string {
  const id = actor?.login ?? actor?.email ?? null;
  if (actor?.name && id) return `${actor.name} (${id})`;
  return id ?? actor?.name ?? 'an unknown person';
}

/** Approvals by someone other than the author and not a bot, oldest first. */
export function independentApprovals(change: ChangeData, people: PeopleDirectory, bots: readonly string[]): Approval[] {
  const author = actorIdentifiers(change.author);
  return change.approvals
    .filter((approval) => approval.state === 'approved' && approval.at !== null)
    .filter((approval) => !isBot(approval.reviewer, bots))
    .filter((approval) => author.length === 0 || !people.samePerson(author, actorIdentifiers(approval.reviewer)))
    .sort((a, b) => (timeOf(a.at) ?? 0) - (timeOf(b.at) ?? 0));
}

/** Why approvals that do not count were set aside, for the reason of an exception. */
export function setAside(change: ChangeData, people: PeopleDirectory, bots: readonly string[]): string[] {
  const author = actorIdentifiers(change.author);
  return change.approvals.flatMap((approval) => {
    const who = describeActor(approval.reviewer);
    if (approval.state === 'dismissed') return [`${who}'s approval was dismissed`];
    if (approval.state !== 'approved') return [];
    if (isBot(approval.reviewer, bots)) return [`${who} is a bot`];
    if (author.length > 0 && people.samePerson(author, actorIdentifiers(approval.reviewer))) return [`${who} is the author`];
    return [];
  });
}

/**
 * Whether an approval covers the change as merged: given on the head
 * revision, or, when the source does not say which revision was approved,
 * given after the head revision was committed. A known older revision is
 * stale whatever the times say (a commit's date can predate its push).
 */
export function coversHead(approval: Approval, change: ChangeData): boolean {
  if (approval.revision !== null && change.headRevision !== null) return approval.revision === change.headRevision;
  const approvedAt = timeOf(approval.at);
  const headAt = timeOf(change.headRevisionAt);
  return approvedAt !== null && headAt !== null && approvedAt >= headAt;
}

/** Approvals given no later than the change was merged / done. */
export function beforeDone(approvals: Approval[], change: ChangeData): Approval[] {
  const done = timeOf(change.mergedAt);
  return approvals.filter((approval) => done !== null && (timeOf(approval.at) ?? Infinity) <= done);
}

/** The opinions a review can hold: a comment or a pending review changes no reviewer's standing opinion. */
const OPINIONS: ReadonlySet<Approval['state']> = new Set(['approved', 'changes_requested', 'dismissed']);

/**
 * Changes requested that still stood when the change was merged: for each
 * reviewer (one person under any of their aliases), the latest opinion given
 * at or before the merge. A later approval by the same reviewer withdraws
 * their request; a dismissed request (the source marks it dismissed) no
 * longer stands. GitHub's own review decision follows the same rule, so an
 * approval by one reviewer never outweighs another's standing objection.
 */
export function standingObjections(change: ChangeData, people: PeopleDirectory): Approval[] {
  const opinions = beforeDone(change.approvals.filter((review) => OPINIONS.has(review.state) && review.at !== null), change)
    .map((review, order) => ({ review, order }))
    .sort((a, b) => (timeOf(a.review.at) ?? 0) - (timeOf(b.review.at) ?? 0) || a.order - b.order);
  const latest: Array<{ who: string[]; review: Approval }> = [];
  for (const { review } of opinions) {
    const who = actorIdentifiers(review.reviewer);
    const same = latest.find((entry) => entry.who.length > 0 && people.samePerson(entry.who, who));
    if (same) same.review = review;
    else latest.push({ who, review });
  }
  return latest.map((entry) => entry.review).filter((review) => review.state === 'changes_requested');
}

const CODE_HOST_DEFAULTS = ['github', 'gitlab', 'bitbucket'];
export { CODE_HOST_DEFAULTS };

/** Whether a stream's evidence comes from one of the given systems (by connector, or by the prefix of the systems its records name). */
export function sourceFrom(source: { connector: string | null; systems: string[] }, prefixes: readonly string[]): boolean {
  if (source.systems.length > 0) return source.systems.some((system) => isCodeHost(system, prefixes));
  return source.connector !== null && prefixes.some((prefix) => prefix.toLowerCase() === source.connector!.toLowerCase());
}

/** Whether a system id (`github:acme`) belongs to a code host rather than a ticketing system. */
export function isCodeHost(system: string, codeHosts: readonly string[]): boolean {
  const prefix = system.split(':')[0]?.toLowerCase() ?? '';
  return codeHosts.some((host) => host.toLowerCase() === prefix);
}
