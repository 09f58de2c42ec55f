/**
 * The request ledger, pure: for each request its occurrences over the period
 * (windows, the once due day, or one per personnel event), each matched with
 * the current documents that answer it. A superseded document answers
 * nothing: its correction does. A document answers a window only when it
 * was added on or after the window's first day (evidence made before a
 * quarter cannot show the quarter's work), and a personnel event only when
 * it was added after the person's previous event of that type (a background
 * check usually precedes the start day, but an earlier hire's check does not
 * answer a re-hire) and before their next one (a check added once the person
 * was hired again is the re-hire's, not a late one for the first hire). A
 * subject that is a name two people of the period have (told apart by their
 * emails or ids) answers neither: one check cannot stand for two hires. A
 * document whose file is missing from the locker or altered there answers
 * nothing: its entry alone shows nothing. Without a document an occurrence is open until its deadline (due day
 * plus grace), then overdue; a document added after the deadline fulfils it
 * late, and says so.
 */
import { addDays, periodicWindows } from './windows.js';
import type { EvidenceRequest, Occurrence, RequestLedger, RequestLine } from './types.js';

/** What the ledger needs of a document entry. */
export interface RequestDocument {
  sequence: number;
  request: string;
  effective: string;
  /** The day it was added, in the audit zone. */
  addedDay: string;
  subject: string | null;
  supersededBy: number | null;
  /** Why its file cannot be counted (missing from the locker or altered there); absent or null when it is intact. */
  unusable?: string | null;
}

/** A personnel event in the period, with every identifier of its person (email, id, name), lower-cased. */
export interface RequestEventItem {
  type: string;
  day: string;
  person: string[];
  /** Its person's emails and ids (with their aliases), lower-cased: a name alone may be two people's. Absent: not known. */
  ids?: string[];
  /** Told only before the period: no occurrence of its own, but the person's previous event, which a document for a later one must follow. */
  earlier?: boolean;
}

export interface RequestLedgerInput {
  requests: readonly EvidenceRequest[];
  documents: readonly RequestDocument[];
  events: readonly RequestEventItem[];
  first: string;
  last: string;
  today: string;
  /** The configured streams collecting personnel events; none makes every per-event request unwatched. Absent: not known, not judged. */
  personnelStreams?: readonly string[];
}

interface Slot {
  label: string;
  from: string;
  to: string;
  due: string;
  /** Whether the document speaks for this occurrence (its effective day, its subject), whenever it was added. */
  concerns: (document: RequestDocument) => boolean;
  /** Whether its subject is a name this occurrence's person shares with another person of the period: it speaks for neither. */
  ambiguous?: (document: RequestDocument) => boolean;
  /** The first day a document concerning it may have been added to answer it; null when any day will do. */
  answersFrom: string | null;
  /** The person's next event of the type: a document added on or after it answers that one instead; null when none. */
  answersBefore: string | null;
}

function slotsOf(request: EvidenceRequest, input: RequestLedgerInput): Slot[] {
  if (request.frequency === 'per-event') {
    const events = input.events.filter((event) => event.type === request.event);
    // Two events are one person's when they share an email or id; by a shared name only when either has none to compare.
    const known = (item: RequestEventItem) => (item.ids?.length ?? 0) > 0;
    const samePersonAs = (event: RequestEventItem, other: RequestEventItem) =>
      known(event) && known(other) ? other.ids!.some((id) => event.ids!.includes(id)) : other.person.some((name) => event.person.includes(name));
    const subjectOf = (document: RequestDocument) => (document.subject === null ? null : document.subject.trim().toLowerCase());
    return events.filter((event) => !event.earlier).map((event) => {
      const samePerson = (other: RequestEventItem) => samePersonAs(event, other);
      const namesake = (subject: string) => !event.ids?.includes(subject) && events.some((other) => other !== event && other.person.includes(subject) && !samePerson(other));
      const previous = events.filter((other) => other.day < event.day && samePerson(other)).reduce<string | null>((latest, other) => (latest === null || other.day > latest ? other.day : latest), null);
      const next = events.filter((other) => other.day > event.day && samePerson(other)).reduce<string | null>((earliest, other) => (earliest === null || other.day < earliest ? other.day : earliest), null);
      return {
        label: `${event.type} ${event.person[0] ?? 'unknown person'} on ${event.day}`,
        from: event.day,
        to: event.day,
        due: addDays(event.day, request.dueDays),
        // A subject given with the spaces of a pasted address is still the person.
        concerns: (document: RequestDocument) => {
          const subject = subjectOf(document);
          return subject !== null && event.person.includes(subject) && !namesake(subject);
        },
        ambiguous: (document: RequestDocument) => {
          const subject = subjectOf(document);
          return subject !== null && event.person.includes(subject) && namesake(subject);
        },
        answersFrom: previous === null ? null : addDays(previous, 1),
        answersBefore: next,
      };
    });
  }
  return periodicWindows(request.frequency, input.first, input.last).map(({ from, to }) => ({
    label: `${from}..${to}`,
    from,
    to,
    due: request.frequency === 'once' ? (request.due ?? to) : to,
    concerns: (document) => document.effective >= from && document.effective <= to,
    answersFrom: from,
    answersBefore: null,
  }));
}

function occurrenceOf(slot: Slot, request: EvidenceRequest, documents: RequestDocument[], today: string): Occurrence {
  const deadline = addDays(slot.due, request.graceDays);
  const broken = documents.filter((document) => document.unusable && slot.concerns(document));
  const ambiguous = documents.filter((document) => slot.ambiguous?.(document) ?? false);
  const concerning = documents.filter((document) => !document.unusable && slot.concerns(document));
  const answering = concerning.filter((document) => (slot.answersFrom === null || document.addedDay >= slot.answersFrom) && (slot.answersBefore === null || document.addedDay < slot.answersBefore));
  const early = concerning.filter((document) => slot.answersFrom !== null && document.addedDay < slot.answersFrom);
  const later = concerning.filter((document) => slot.answersBefore !== null && document.addedDay >= slot.answersBefore);
  const base = { label: slot.label, from: slot.from, to: slot.to, due: slot.due, deadline, documents: answering.map((document) => document.sequence) };
  const what = request.frequency === 'per-event' ? `for ${slot.label}` : `effective ${slot.label}`;
  if (answering.length > 0) {
    const first = answering.reduce((earliest, document) => (document.addedDay < earliest.addedDay ? document : earliest));
    if (first.addedDay <= deadline) return { ...base, status: 'fulfilled', cause: null };
    return { ...base, status: 'late', cause: `document ${first.sequence} was added ${first.addedDay}, after the deadline ${deadline}` };
  }
  const bound = () => (slot.answersFrom === slot.from ? slot.from : `the person's previous ${request.event ?? 'event'} (${addDays(slot.answersFrom!, -1)})`);
  const listed = (documents: RequestDocument[]) => documents.map((document) => `document ${document.sequence} (${document.addedDay})`).join(', ');
  const before =
    (early.length === 0 ? '' : `; added before ${bound()}, so not counted: ${listed(early)}`) +
    (later.length === 0 ? '' : `; added on or after the person's next ${request.event ?? 'event'} (${slot.answersBefore}), so counted for that one: ${listed(later)}`) +
    (ambiguous.length === 0 ? '' : `; its subject is a name that more than one person of the period has, so not counted: ${ambiguous.map((document) => `document ${document.sequence} (${document.subject?.trim().toLowerCase()})`).join(', ')}; give their email or id`) +
    (broken.length === 0 ? '' : `; not counted, its file in the locker is missing or altered (run \`evidentia verify\`): ${broken.map((document) => `document ${document.sequence} (${document.unusable})`).join(', ')}`);
  const uncounted = before === '' ? {} : { uncounted: before.slice(2) };
  if (today <= deadline) return { ...base, status: 'open', cause: `no document ${what} yet; due ${slot.due}, deadline ${deadline} (owner: ${request.owner})${before}`, ...uncounted };
  return { ...base, status: 'overdue', cause: `no document ${what}; due ${slot.due}, overdue since ${addDays(deadline, 1)} (owner: ${request.owner})${before}`, ...uncounted };
}

export function computeRequestLedger(input: RequestLedgerInput): RequestLedger {
  const current = input.documents.filter((document) => document.supersededBy === null);
  const requests: RequestLine[] = input.requests.map((request) => {
    const documents = current.filter((document) => document.request === request.id);
    const occurrences = slotsOf(request, input).map((slot) => occurrenceOf(slot, request, documents, input.today));
    const count = (status: Occurrence['status']) => occurrences.filter((occurrence) => occurrence.status === status).length;
    const { id, title, criteria, owner, frequency } = request;
    const line: RequestLine = { id, title, criteria, owner, frequency, expected: occurrences.length, fulfilled: count('fulfilled'), late: count('late'), open: count('open'), overdue: count('overdue'), occurrences };
    // Without a stream telling joiners or leavers, none is expected: "fulfilled on time" would be said of a ledger that could see nothing.
    if (request.frequency === 'per-event' && input.personnelStreams?.length === 0) {
      const event = request.event ?? 'event';
      const held = occurrences.length === 0 ? `no ${event} of the period can be told, so none is expected` : `only the ${occurrences.length} ${event}(s) the locker already holds are expected, and others of the period cannot be told`;
      line.unwatched = `no configured stream collects personnel.event records: ${held} (configure an HR or directory connector, or switch the request off: requests.items.${request.id}.enabled: false)`;
    }
    return line;
  });
  return { first: input.first, last: input.last, today: input.today, requests, overdue: requests.reduce((sum, line) => sum + line.overdue, 0) };
}
