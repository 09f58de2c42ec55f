/**
 * Every incident opened in the period has a severity, was resolved within
 * the configured time, and has a post-mortem reference within the configured
 * time after its resolution. "Now" is when the incident record was last
 * known current (current-as-of.ts: its collection, or the later complete
 * runs of a stream that would have brought a change), so a re-run gives the
 * same answer; an incident still inside a
 * deadline at that time is not assessable yet rather than an exception.
 * An incident told by several sources (a ticket and the channel naming it)
 * is merged first and judged once.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { currentAsOf } from '../current-as-of.js';
import { defineCheck } from '../define.js';
import { type IncidentEvidence, mergeIncidents } from '../incident-merge.js';
import { DAY_MS, timeOf } from '../period.js';

type Incident = RecordData<'incident.record'>;

const Settings = z
  .object({
    resolveWithinDays: z.number().positive().default(30).describe('days from opening to resolution'),
    postMortemWithinDays: z.number().positive().default(14).describe('days from resolution to a post-mortem reference'),
    postMortemSeverities: z.array(z.string()).nullable().default(null).describe('severities that need a post-mortem (null: all)'),
  })
  .strict();

export default defineCheck({
  id: 'incident-handled',
  title: 'Incidents classified, resolved and reviewed',
  description:
    'Each incident opened in the period needs a severity, a resolution within the configured number of days, and a post-mortem reference within the configured number of days after resolution (for the configured severities). Deadlines are judged at the time the incident was last collected. Sources of one incident (a Slack channel or any record that names a ticket among its linked tickets, and that ticket) are merged and judged once: what any of them holds counts.',
  criteria: ['CC7.3', 'CC7.4', 'CC7.5'],
  reads: ['incident.record'],
  settings: Settings,
  async *evaluate({ evidence, settings }) {
    // One incident in two tools (a Jira ticket and the Slack channel naming it) is judged once, on what any source holds.
    const collected: IncidentEvidence[] = [];
    const current = await currentAsOf(evidence, 'incident.record');
    for await (const record of evidence.events('incident.record')) {
      const data = record.data as Incident;
      collected.push({ hash: record.hash, system: record.system, observedAt: current(record), data: { ...data, openedAt: data.openedAt ?? record.occurredAt ?? null } });
    }
    for (const incident of mergeIncidents(collected)) {
      const asOf = timeOf(incident.observedAt) ?? 0;
      const opened = timeOf(incident.openedAt) ?? asOf;
      const resolved = timeOf(incident.resolvedAt);
      const problems: string[] = [];
      const pending: string[] = [];
      if (!incident.severity) problems.push('no severity');
      if (resolved === null) {
        const overdue = asOf - opened > settings.resolveWithinDays * DAY_MS;
        (overdue ? problems : pending).push(`not resolved ${Math.floor((asOf - opened) / DAY_MS)} days after opening`);
      } else if (resolved - opened > settings.resolveWithinDays * DAY_MS) {
        problems.push(`resolved ${Math.floor((resolved - opened) / DAY_MS)} days after opening, beyond ${settings.resolveWithinDays}`);
      }
      const needsPostMortem = settings.postMortemSeverities === null || settings.postMortemSeverities.includes(incident.severity ?? '');
      if (needsPostMortem && !incident.postMortem) {
        if (resolved !== null && asOf - resolved > settings.postMortemWithinDays * DAY_MS) problems.push(`no post-mortem ${Math.floor((asOf - resolved) / DAY_MS)} days after resolution`);
        else pending.push('no post-mortem yet');
      }
      // An incident told in two tools is judged once, for both: neither system is left "nothing to judge".
      const base = { item: `${incident.ids.join(' + ')} ${incident.title}`.trim(), system: incident.system, spans: incident.systems, records: incident.records };
      const sources = incident.ids.length > 1 ? `, judged on ${incident.ids.length} sources of one incident` : '';
      const observed = ` (as collected at ${incident.observedAt}${sources})`;
      if (problems.length > 0) yield { ...base, status: 'exception', reason: `${[...problems, ...pending].join('; ')}${observed}` };
      else if (pending.length > 0) yield { ...base, status: 'not-assessable', reason: `${pending.join('; ')}, still within the deadline${observed}` };
      else yield { ...base, status: 'pass', reason: `severity ${incident.severity}, resolved at ${incident.resolvedAt}, post-mortem ${incident.postMortem ?? 'not required'}${sources}` };
    }
  },
});
