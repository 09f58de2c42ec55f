/**
 * An incident ticket as an incident.record, pure: opened at creation,
 * resolved when it last entered a resolved status (null while open or after a
 * reopening), the severity from the mapped field, the post-mortem from the
 * mapped field or a linked issue of a post-mortem type. The timeline lists the
 * opening, every status change (resolutions and reopenings named as such),
 * severity and resolution changes, so time to resolve and time in each state
 * follow.
 */
import type { RecordInput } from '@evidentia/sdk';
import { fieldChanges, lastEntry, statusChanges, statusSet, type StatusChange, type StatusSet } from './changelog.js';
import type { IncidentsMapping } from './config.js';
import { actorOf, isoTime, labelsIn, referenceIn } from './field-values.js';
import { caseless, currentStatus, valueOf, type IssueFacts, type Mapped } from './issue-facts.js';

export interface IncidentFields {
  severity: Mapped;
  postMortem?: Mapped;
}

function event(change: StatusChange, resolved: StatusSet): string {
  const from = change.from.name ?? change.from.id ?? '?';
  const to = change.to.name ?? change.to.id ?? '?';
  if (resolved(change.to) && !resolved(change.from)) return `resolved (${to})`;
  if (resolved(change.from) && !resolved(change.to)) return `reopened (${from} → ${to})`;
  return `status ${from} → ${to}`;
}

function linkedPostMortem(facts: IssueFacts, mapping: IncidentsMapping): string | null {
  const types = caseless(mapping.postMortemIssueTypes);
  for (const link of facts.base.issuelinks ?? []) {
    for (const issue of [link.outwardIssue, link.inwardIssue]) {
      const type = issue?.fields?.issuetype?.name;
      if (issue && type && types.has(type.toLowerCase())) return facts.link(issue.key);
    }
  }
  return null;
}

export function incidentRecord(facts: IssueFacts, mapping: IncidentsMapping, mapped: IncidentFields): RecordInput<'incident.record'> {
  const { base } = facts;
  const changes = statusChanges(facts.histories);
  const resolved = statusSet(mapping.resolvedStatuses);
  const severity = valueOf(facts, mapped.severity);
  const severityChanges = fieldChanges(facts.histories, mapped.severity.field.id).map((change) => ({
    at: change.at,
    actor: change.actor,
    event: `severity ${change.from ?? 'none'} → ${change.to ?? 'none'}`,
  }));
  const resolutions = fieldChanges(facts.histories, 'resolution').map((change) => ({ at: change.at, actor: change.actor, event: `resolution ${change.to ?? 'cleared'}` }));
  const timeline = [
    { at: isoTime(base.created), actor: actorOf(base.reporter ?? base.creator), event: 'opened' },
    ...changes.map((change) => ({ at: change.at, actor: change.actor, event: event(change, resolved) })),
    ...severityChanges,
    ...resolutions,
  ].sort((a, b) => a.at.localeCompare(b.at));
  const pmField = mapped.postMortem ? valueOf(facts, mapped.postMortem) : null;
  return {
    key: facts.key,
    occurredAt: isoTime(base.created),
    data: {
      id: facts.key,
      title: base.summary ?? '',
      severity: labelsIn(severity.value, severity.what).join(', ') || null,
      status: base.status.name,
      openedAt: isoTime(base.created),
      resolvedAt: lastEntry(changes, resolved, currentStatus(base), base.resolutiondate)?.at ?? null,
      postMortem: (pmField ? referenceIn(pmField.value, pmField.what) : null) ?? linkedPostMortem(facts, mapping),
      timeline,
    },
    sources: facts.sources,
  };
}
