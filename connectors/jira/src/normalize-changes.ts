/**
 * A change ticket as a change.request record, pure. Each move into an
 * approved status is an approval by whoever made it. People named in the
 * approver field who made no such move themselves approved no earlier than
 * the ticket's first approval and the last change of that field; with no
 * approval move at all they are `pending`. `mergedAt` is the first move into
 * a done status (when the change shipped, even if the ticket was reopened
 * later); `closedAt` the last one, while the ticket is still done. The
 * current status and resolution are kept as Jira names them, so a check can
 * tell a ticket still awaiting approval or closed without a change. With
 * `developmentLinks`, the pull requests its remote links name are kept as
 * `linkedChanges`, the ticket's side of change traceability.
 */
import type { RecordData } from '@evidentia/evidence';
import type { RecordInput } from '@evidentia/sdk';
import { entries, fieldChanges, firstEntry, lastEntry, statusChanges, statusSet, type StatusChange } from './changelog.js';
import type { ChangesMapping } from './config.js';
import { actorOf, isoTime, labelsIn, usersIn } from './field-values.js';
import { caseless, currentStatus, valueOf, type IssueFacts, type Mapped } from './issue-facts.js';
import { parseResponse, Resolution, type BaseFields } from './schema.js';

type Approval = RecordData<'change.request'>['approvals'][number];

export interface ChangeFields {
  approver?: Mapped;
  emergency?: Mapped;
}

function namedApprovals(facts: IssueFacts, approver: Mapped, moves: StatusChange[]): Approval[] {
  const { value, what } = valueOf(facts, approver);
  const movers = new Set(moves.map((move) => move.actor?.login));
  const named = fieldChanges(facts.histories, approver.field.id).at(-1)?.at;
  const first = moves[0]?.at;
  const at = first === undefined ? null : named !== undefined && named > first ? named : first;
  return usersIn(value, what)
    .filter((person) => !movers.has(person.login))
    .map((person) => ({ reviewer: person, state: at === null ? 'pending' : 'approved', at, revision: null }));
}

function linkedKeys(base: BaseFields): string[] {
  const keys = (base.issuelinks ?? []).flatMap((link) => [link.inwardIssue?.key, link.outwardIssue?.key]);
  return [...new Set(keys.filter((key): key is string => key !== undefined))];
}

/** A pull request URL (`https://host/owner/repo/pull/12`) as the code host's change id (`owner/repo#12`). */
const PULL_REQUEST_URL = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/pull\/(\d+)(?:[/?#]|$)/;

/** The changes a ticket's remote links name; links to anything else are not changes. */
export function linkedChanges(urls: string[]): string[] {
  return [...new Set(urls.flatMap((url) => {
    const match = PULL_REQUEST_URL.exec(url);
    return match ? [`${match[1]}/${match[2]}#${match[3]}`] : [];
  }))];
}

/** Emergency: a label from `emergencyLabels`, or the emergency field true or holding one of `emergencyValues`. */
export function isEmergency(facts: IssueFacts, mapping: ChangesMapping, field: Mapped | undefined): boolean {
  const labels = caseless(mapping.emergencyLabels);
  if ((facts.base.labels ?? []).some((label) => labels.has(label.toLowerCase()))) return true;
  if (!field) return false;
  const { value, what } = valueOf(facts, field);
  if (value === true) return true;
  const values = caseless(mapping.emergencyValues);
  return labelsIn(value, what).some((label) => values.has(label.trim().toLowerCase()));
}

export function changeRequestRecord(facts: IssueFacts, mapping: ChangesMapping, mapped: ChangeFields): RecordInput<'change.request'> {
  const { base } = facts;
  const changes = statusChanges(facts.histories);
  const done = statusSet(mapping.doneStatuses);
  const moves = entries(changes, statusSet(mapping.approvedStatuses));
  const approvals: Approval[] = moves.map((move) => ({ reviewer: move.actor ?? { login: null }, state: 'approved', at: move.at, revision: null }));
  if (mapped.approver) approvals.push(...namedApprovals(facts, mapped.approver, moves));
  const shipped = firstEntry(changes, done, currentStatus(base), base.resolutiondate);
  const closed = lastEntry(changes, done, currentStatus(base), base.resolutiondate);
  const resolution = parseResponse(`POST /rest/api/3/search/jql (issue ${facts.key}, field resolution)`, Resolution, facts.fields.resolution);
  return {
    key: facts.key,
    occurredAt: shipped?.at ?? isoTime(base.created),
    data: {
      id: facts.key,
      title: base.summary ?? '',
      url: facts.url,
      author: actorOf(base.reporter ?? base.creator),
      approvals,
      createdAt: isoTime(base.created),
      mergedAt: shipped?.at ?? null,
      mergedBy: shipped?.by ?? null,
      closedAt: closed?.at ?? null,
      target: base.project.key,
      headRevision: null,
      headRevisionAt: null,
      linkedTickets: linkedKeys(base),
      emergency: isEmergency(facts, mapping, mapped.emergency),
      status: base.status.name,
      resolution: resolution?.name ?? null,
      ...(facts.remoteLinks ? { linkedChanges: linkedChanges(facts.remoteLinks) } : {}),
    },
    sources: facts.sources,
  };
}
