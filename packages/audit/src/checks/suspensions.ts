/**
 * A suspension undone within the grace is not a departure. A directory
 * records a suspension as a leaver event (Google's SUSPEND_USER); when the
 * same system records the account's reinstatement (UNSUSPEND_USER) within
 * the grace after it, the person did not leave: the suspension is an event
 * to list, not a leaver. Only a reinstatement in the system that recorded the
 * suspension undoes it, so a leaver HR records (a ticket) always stands.
 * Reinstatements are read from the audit events one at a time and only the
 * few that match are kept, however many audit events the period holds.
 */
import type { RecordData } from '@evidentia/evidence';
import type { StoredRecord } from '@evidentia/locker';
import type { CheckEvidence } from './define.js';
import type { PeopleDirectory } from './people.js';
import { HOUR_MS, timeOf } from './period.js';

type Personnel = RecordData<'personnel.event'>;
type Audit = RecordData<'audit.event'>;

export interface Reinstatement {
  system: string;
  /** Who was reinstated, as the event names them (an email). */
  target: string;
  at: number;
  actor: string | null;
  hash: string;
}

export interface Reversal {
  leaver: StoredRecord;
  reinstatement: Reinstatement;
}

/** The reinstatement events (by action name) from the period's start until the grace after its end, or until `readUntil` when later. */
export async function reinstatements(evidence: CheckEvidence, actions: readonly string[], graceHours: number, readUntil?: Date): Promise<Reinstatement[]> {
  const found: Reinstatement[] = [];
  const graceEnd = evidence.period.until.getTime() + graceHours * HOUR_MS;
  const until = new Date(Math.max(graceEnd, readUntil?.getTime() ?? graceEnd));
  for await (const record of evidence.events('audit.event', { since: evidence.period.since, until })) {
    const data = record.data as Audit;
    const at = timeOf(data.at);
    if (!actions.includes(data.action) || data.target === null || at === null) continue;
    found.push({ system: record.system, target: data.target, at, actor: data.actor?.email ?? data.actor?.login ?? null, hash: record.hash });
  }
  return found;
}

/**
 * Split leaver events into those that stand and those a reinstatement of
 * the same person in the same system undid within `graceHours`.
 */
export function splitReversed(events: StoredRecord[], undone: Reinstatement[], people: PeopleDirectory, graceHours: number): { standing: StoredRecord[]; reversed: Reversal[] } {
  const standing: StoredRecord[] = [];
  const reversed: Reversal[] = [];
  for (const record of events) {
    const data = record.data as Personnel;
    const effective = timeOf(data.effectiveAt) ?? timeOf(record.occurredAt);
    const reinstatement =
      data.type !== 'leaver' || effective === null
        ? undefined
        : undone.find((r) => r.system === record.system && r.at >= effective && r.at - effective <= graceHours * HOUR_MS && people.samePerson([r.target], [data.person.email, data.person.id]));
    if (reinstatement) reversed.push({ leaver: record, reinstatement });
    else standing.push(record);
  }
  return { standing, reversed };
}

const duration = (ms: number) => (ms < HOUR_MS ? `${Math.round(ms / 60_000)} minutes` : `${(ms / HOUR_MS).toFixed(1)} hours`);

/** "suspended at A (SUSPEND_USER) and reinstated 17 minutes later at B by admin@…, within the 24 h grace: not a leaver". */
export function reversalReason({ leaver, reinstatement }: Reversal, graceHours: number): string {
  const data = leaver.data as Personnel;
  const effective = timeOf(data.effectiveAt) ?? timeOf(leaver.occurredAt)!;
  const by = reinstatement.actor ? ` by ${reinstatement.actor}` : '';
  return `${data.source} at ${new Date(effective).toISOString()} was undone ${duration(reinstatement.at - effective)} later at ${new Date(reinstatement.at).toISOString()}${by}, within the ${graceHours} h grace: not a leaver`;
}
