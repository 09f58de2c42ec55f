/**
 * What a ticket's changelog says happened, pure: every status change with who
 * made it and when, in time order; when the ticket entered a set of statuses
 * (approved, done), who moved it there, and whether it is still there (a
 * reopened ticket is not). Jira's changelog records statuses, not transition
 * names, so "approved" and "done" are sets of status names or ids from the
 * mapping.
 */
import type { Actor } from '@evidentia/evidence';
import { actorOf, isoTime } from './field-values.js';
import type { History } from './schema.js';

/** A status as the changelog names it: id and display name. */
export interface Status {
  id: string | null;
  name: string | null;
}

export interface StatusChange {
  at: string;
  actor: Actor | null;
  from: Status;
  to: Status;
}

/** A set of statuses named by the mapping, matched by id or by name without case. */
export type StatusSet = (status: Status) => boolean;

export function statusSet(names: string[]): StatusSet {
  const wanted = new Set(names.map((name) => name.trim().toLowerCase()));
  return (status) => (status.id !== null && wanted.has(status.id.toLowerCase())) || (status.name !== null && wanted.has(status.name.trim().toLowerCase()));
}

/** Histories in time order (Jira serves them newest or oldest first depending on the endpoint); ties by id. */
export function inTimeOrder(histories: History[]): History[] {
  return [...histories].sort((a, b) => Date.parse(a.created) - Date.parse(b.created) || Number(a.id) - Number(b.id));
}

/** Every status change, oldest first. */
export function statusChanges(histories: History[]): StatusChange[] {
  return inTimeOrder(histories).flatMap((history) =>
    history.items
      .filter((item) => item.fieldId === 'status' || (item.fieldId === null && item.field === 'status'))
      .map((item) => ({ at: isoTime(history.created), actor: actorOf(history.author), from: { id: item.from, name: item.fromText }, to: { id: item.to, name: item.toText } })),
  );
}

/** Changes of one field (by id), oldest first: who set it to what, and when. */
export function fieldChanges(histories: History[], fieldId: string): Array<{ at: string; actor: Actor | null; from: string | null; to: string | null }> {
  return inTimeOrder(histories).flatMap((history) =>
    history.items.filter((item) => item.fieldId === fieldId).map((item) => ({ at: isoTime(history.created), actor: actorOf(history.author), from: item.fromText, to: item.toText })),
  );
}

/** The changes that moved the ticket into the set from outside it. */
export function entries(changes: StatusChange[], set: StatusSet): StatusChange[] {
  return changes.filter((change) => set(change.to) && !set(change.from));
}

/** A moment and who caused it. */
export interface Moment {
  at: string;
  by: Actor | null;
}

/**
 * When the ticket last entered the set, provided it is still in it (a reopened
 * ticket is not complete). A ticket created straight into the set has no such
 * change: its resolution date stands in, with nobody named.
 */
export function lastEntry(changes: StatusChange[], set: StatusSet, current: Status, resolutionDate: string | null | undefined): Moment | null {
  if (!set(current)) return null;
  const last = entries(changes, set).at(-1);
  if (last) return { at: last.at, by: last.actor };
  return resolutionDate ? { at: isoTime(resolutionDate), by: null } : null;
}

/** When the ticket first entered the set, whatever happened later; the resolution date stands in as above. */
export function firstEntry(changes: StatusChange[], set: StatusSet, current: Status, resolutionDate: string | null | undefined): Moment | null {
  const first = entries(changes, set)[0];
  if (first) return { at: first.at, by: first.actor };
  return set(current) && resolutionDate ? { at: isoTime(resolutionDate), by: null } : null;
}
