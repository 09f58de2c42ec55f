/**
 * An onboarding or offboarding ticket as a personnel.event, pure: joiner,
 * mover or leaver from the mapped type field's value, the person from a text
 * field holding an email address or from a user field, the effective date,
 * and `completedAt` when the ticket last entered a done status (null while
 * open or after a reopening), so a check can compare it with the effective
 * date (a leaver's access removed on time).
 */
import type { RecordData } from '@evidentia/evidence';
import type { RecordInput } from '@evidentia/sdk';
import { lastEntry, statusChanges, statusSet } from './changelog.js';
import type { PersonnelMapping } from './config.js';
import { dateIn, isoTime, labelsIn, referenceIn, usersIn } from './field-values.js';
import { caseless, currentStatus, valueOf, type IssueFacts, type Mapped } from './issue-facts.js';

export interface PersonnelFields {
  person: Mapped;
  personName?: Mapped;
  effectiveDate: Mapped;
  type: Mapped;
}

type Person = RecordData<'personnel.event'>['person'];
type EventType = RecordData<'personnel.event'>['type'];

function personOf(facts: IssueFacts, mapped: PersonnelFields): Person {
  const person = valueOf(facts, mapped.person);
  const nameField = mapped.personName ? valueOf(facts, mapped.personName) : null;
  const name = nameField ? referenceIn(nameField.value, nameField.what) : null;
  if (person.value === null || person.value === undefined || typeof person.value === 'string') {
    const text = typeof person.value === 'string' ? person.value.trim() : '';
    const email = text.includes('@') ? text : null;
    return { email, name: name ?? (email === null && text !== '' ? text : null), id: null };
  }
  const user = usersIn(person.value, person.what)[0];
  return { email: user?.email ?? null, name: name ?? user?.name ?? null, id: user?.login ?? null };
}

/** Leaver wins over joiner and mover when a value list overlaps: a missed leaver is the costlier mistake. */
export function eventType(labels: string[], mapping: PersonnelMapping): EventType | null {
  const present = caseless(labels);
  const matches = (values: string[]) => values.some((value) => present.has(value.trim().toLowerCase()));
  if (matches(mapping.leaverValues)) return 'leaver';
  if (matches(mapping.joinerValues)) return 'joiner';
  return matches(mapping.moverValues) ? 'mover' : null;
}

/** The record, or null when the type field holds none of the mapped values. */
export function personnelRecord(facts: IssueFacts, mapping: PersonnelMapping, mapped: PersonnelFields): RecordInput<'personnel.event'> | null {
  const { base } = facts;
  const typeField = valueOf(facts, mapped.type);
  const type = eventType(labelsIn(typeField.value, typeField.what), mapping);
  if (type === null) return null;
  const effective = valueOf(facts, mapped.effectiveDate);
  const effectiveAt = dateIn(effective.value, effective.what);
  const completed = lastEntry(statusChanges(facts.histories), statusSet(mapping.doneStatuses), currentStatus(base), base.resolutiondate);
  return {
    key: facts.key,
    occurredAt: effectiveAt ?? isoTime(base.created),
    data: { person: personOf(facts, mapped), type, effectiveAt, source: `Jira ${base.issuetype.name} ticket`, ticket: facts.key, completedAt: completed?.at ?? null },
    sources: facts.sources,
  };
}
