/**
 * One incident told by several sources: a Jira ticket and the Slack incident
 * channel that names it are one incident, judged once. Two incident records
 * are the same incident when one names the other's id among the tickets it
 * refers to (transitively, so a channel naming a ticket that names another
 * joins all three). The merged incident takes what any source knows: the
 * earliest opening, a severity, a resolution, a post-mortem link, and rests
 * on every record.
 */
import type { RecordData } from '@evidentia/evidence';
import { timeOf } from './period.js';

type Incident = RecordData<'incident.record'>;

export interface IncidentEvidence {
  hash: string;
  system: string;
  observedAt: string;
  data: Incident;
}

export interface MergedIncident {
  /** The ids of every source, the referred-to (the ticket) first. */
  ids: string[];
  title: string;
  /** The system of every source; null when the incident spans systems. */
  system: string | null;
  /** Every source's system. */
  systems: string[];
  severity: string | null;
  openedAt: string | null;
  resolvedAt: string | null;
  postMortem: string | null;
  /** When the sources were last collected: the latest of them (deadlines are judged then). */
  observedAt: string;
  records: string[];
}

const norm = (id: string) => id.trim().toUpperCase();

function earliest(times: Array<string | null>): string | null {
  return times.filter((time): time is string => time !== null).sort((a, b) => (timeOf(a) ?? 0) - (timeOf(b) ?? 0))[0] ?? null;
}

/** Group incident records into incidents; records that name no other stay on their own. */
export function mergeIncidents(records: IncidentEvidence[]): MergedIncident[] {
  const parent = records.map((_, index) => index);
  const root = (index: number): number => (parent[index] === index ? index : (parent[index] = root(parent[index]!)));
  const byId = new Map<string, number[]>();
  records.forEach((record, index) => byId.set(norm(record.data.id), [...(byId.get(norm(record.data.id)) ?? []), index]));
  const referred = new Set<number>();
  records.forEach((record, index) => {
    for (const ticket of record.data.linkedTickets ?? []) {
      for (const other of byId.get(norm(ticket)) ?? []) {
        if (other === index) continue;
        referred.add(other);
        parent[root(index)] = root(other);
      }
    }
  });
  const groups = new Map<number, number[]>();
  records.forEach((_, index) => groups.set(root(index), [...(groups.get(root(index)) ?? []), index]));
  return [...groups.values()].map((members) => {
    // The record others refer to (the ticket of record) leads; then as collected.
    const ordered = [...members].sort((a, b) => Number(referred.has(b)) - Number(referred.has(a)) || a - b).map((index) => records[index]!);
    const lead = ordered[0]!;
    const resolvedAll = ordered.map((record) => record.data.resolvedAt);
    const systems = new Set(ordered.map((record) => record.system));
    return {
      ids: ordered.map((record) => record.data.id),
      title: lead.data.title,
      system: systems.size === 1 ? lead.system : null,
      systems: [...systems].sort(),
      severity: ordered.find((record) => record.data.severity)?.data.severity ?? null,
      openedAt: earliest(ordered.map((record) => record.data.openedAt)),
      // Resolved when any source records the resolution, at the earliest it records.
      resolvedAt: earliest(resolvedAll),
      postMortem: ordered.find((record) => record.data.postMortem)?.data.postMortem ?? null,
      observedAt: ordered.map((record) => record.observedAt).sort((a, b) => (timeOf(b) ?? 0) - (timeOf(a) ?? 0))[0]!,
      records: ordered.map((record) => record.hash),
    };
  });
}
