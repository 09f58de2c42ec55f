/**
 * Every incident opened in the period has a severity, was resolved within
 * the configured time, and has a post-mortem reference within the configured
 * time after its resolution. "Now" is when the incident record was last
 * collected, so a re-run gives the same answer; an incident still inside a
 * deadline at that time is not assessable yet rather than an exception.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { defineCheck } from '../define.js';
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
    'Each incident opened in the period needs a severity, a resolution within the configured number of days, and a post-mortem reference within the configured number of days after resolution (for the configured severities). Deadlines are judged at the time the incident was last collected.',
  criteria: ['CC7.3', 'CC7.4', 'CC7.5'],
  reads: ['incident.record'],
  settings: Settings,
  async *evaluate({ evidence, settings }) {
    for await (const record of evidence.events('incident.record')) {
      const incident = record.data as Incident;
      const asOf = timeOf(record.observedAt) ?? 0;
      const opened = timeOf(incident.openedAt) ?? timeOf(record.occurredAt) ?? asOf;
      const resolved = timeOf(incident.resolvedAt);
      const problems: string[] = [];
      const pending: string[] = [];
      if (!incident.severity) problems.push('no severity');
      if (resolved === null) {
        const overdue = asOf - opened > settings.resolveWithinDays * DAY_MS;
        (overdue ? problems : pending).push(`not resolved ${Math.floor((asOf - opened) / DAY_MS)} days after opening`);
      }
      const needsPostMortem = settings.postMortemSeverities === null || settings.postMortemSeverities.includes(incident.severity ?? '');
      if (needsPostMortem && !incident.postMortem) {
        if (resolved !== null && asOf - resolved > settings.postMortemWithinDays * DAY_MS) problems.push(`no post-mortem ${Math.floor((asOf - resolved) / DAY_MS)} days after resolution`);
        else pending.push('no post-mortem yet');
      }
      const base = { item: `${incident.id} ${incident.title}`.trim(), system: record.system, records: [record.hash] };
      const observed = ` (as collected at ${record.observedAt})`;
      if (problems.length > 0) yield { ...base, status: 'exception', reason: `${[...problems, ...pending].join('; ')}${observed}` };
      else if (pending.length > 0) yield { ...base, status: 'not-assessable', reason: `${pending.join('; ')}, still within the deadline${observed}` };
      else yield { ...base, status: 'pass', reason: `severity ${incident.severity}, resolved at ${incident.resolvedAt}, post-mortem ${incident.postMortem ?? 'not required'}` };
    }
  },
});
