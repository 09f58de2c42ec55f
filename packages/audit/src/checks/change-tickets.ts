/**
 * Change tickets as the traceability check reads them: every change.request
 * of a ticketing system (not a code host) in a window around the period, by
 * key, and whether one ticket authorized a change merged at a given moment.
 * A ticket authorizes a merge when an independent approval (not its author,
 * not a bot; see approvals.ts) came at or before the merge and it was not
 * closed as rejected. Tickets may also name the changes they cover (Jira's
 * development links), which links a pull request that names no ticket.
 */
import type { StoredRecord } from '@evidentia/locker';
import { describeActor, independentApprovals, isCodeHost, type ChangeData } from './approvals.js';
import type { CheckEvidence, Window } from './define.js';
import type { PeopleDirectory } from './people.js';
import { timeOf } from './period.js';

export interface Ticket {
  record: StoredRecord;
  data: ChangeData;
}

export interface TicketIndex {
  /** Tickets by key (two ticketing systems may reuse a key: each is kept). */
  byKey: Map<string, Ticket[]>;
  /** Ticket keys by the change they name in their development links (`owner/repo#12`). */
  byChange: Map<string, string[]>;
  count: number;
  /** The ticketing systems the tickets came from, for a reason that says where a key was looked for. */
  systems: Set<string>;
}

export async function readTickets(evidence: CheckEvidence, window: Window, codeHosts: readonly string[]): Promise<TicketIndex> {
  const index: TicketIndex = { byKey: new Map(), byChange: new Map(), count: 0, systems: new Set() };
  for await (const record of evidence.events('change.request', window)) {
    if (isCodeHost(record.system, codeHosts)) continue;
    const data = record.data as ChangeData;
    index.byKey.set(data.id, [...(index.byKey.get(data.id) ?? []), { record, data }]);
    for (const change of data.linkedChanges ?? []) {
      const keys = index.byChange.get(change) ?? [];
      if (!keys.includes(data.id)) index.byChange.set(change, [...keys, data.id]);
    }
    index.count++;
    index.systems.add(record.system);
  }
  return index;
}

/** Resolutions that mean a ticket was turned down rather than done (Jira's defaults and common custom ones). */
export const REJECTED_RESOLUTIONS = ["Won't Do", "Won't Fix", 'Rejected', 'Declined', 'Cancelled', 'Canceled', 'Duplicate'];

/** Whether the ticket was closed as turned down (compared without case). */
export function isRejected(ticket: ChangeData, rejectedResolutions: readonly string[]): boolean {
  return rejectedResolutions.some((resolution) => resolution.toLowerCase() === ticket.resolution?.toLowerCase());
}

/** Why a ticket has no approval that counts: who it still awaits (named approvers not yet approved), and its status. */
export function awaitingApproval(ticket: ChangeData): string {
  const pending = ticket.approvals.filter((approval) => approval.state === 'pending').map((approval) => describeActor(approval.reviewer));
  const waiting = pending.length > 0 ? `is still awaiting approval by ${pending.join(', ')}` : 'has no independent approval';
  return `${waiting}${ticket.status ? ` (status ${ticket.status})` : ''}`;
}

export interface TicketRules {
  bots: readonly string[];
  /** Resolutions meaning the ticket was turned down (compared without case). */
  rejectedResolutions: readonly string[];
}

export type TicketVerdict = { authorizes: true; reason: string } | { authorizes: false; late: boolean; reason: string };

/** Whether the ticket authorized a change merged at `mergedAt`, and why in a few words. */
export function judgeTicket(ticket: ChangeData, mergedAt: string | null, people: PeopleDirectory, rules: TicketRules): TicketVerdict {
  if (isRejected(ticket, rules.rejectedResolutions)) return { authorizes: false, late: false, reason: `${ticket.id} was closed as ${ticket.resolution}` };
  const approvals = independentApprovals(ticket, people, rules.bots);
  const merged = timeOf(mergedAt);
  const before = approvals.find((approval) => merged !== null && (timeOf(approval.at) ?? Infinity) <= merged);
  if (before) return { authorizes: true, reason: `${ticket.id} approved by ${describeActor(before.reviewer)} at ${before.at}` };
  if (approvals[0]) return { authorizes: false, late: true, reason: `${ticket.id} was approved only after the merge (${describeActor(approvals[0].reviewer)} at ${approvals[0].at})` };
  return { authorizes: false, late: false, reason: `${ticket.id} ${awaitingApproval(ticket)}` };
}
