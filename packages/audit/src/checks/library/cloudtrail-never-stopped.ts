/**
 * CloudTrail logging was never off during the period, judged from the
 * account's own management events (audit.event records of the trail
 * actions), not from the trail's status at each inventory, which cannot see
 * a trail stopped and restarted between two of them. Per trail, a successful
 * StopLogging or DeleteTrail opens a gap and StartLogging closes it (a
 * re-created trail logs only once started). Events before the period (the
 * look-back) say whether a trail was already off when it began. A system with
 * no event in the period has nothing to judge: not assessed, never a pass.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { isCodeHost, sourceFrom } from '../approvals.js';
import { defineCheck } from '../define.js';
import { DAY_MS, timeOf } from '../period.js';
import { trailGaps, type TrailEvent } from './trail-gaps.js';

type AuditEvent = RecordData<'audit.event'>;

const Settings = z
  .object({
    cloudSystems: z.array(z.string()).default(['aws']).describe('system prefixes whose trail events are judged'),
    lookbackDays: z.number().int().nonnegative().default(90).describe('how far before the period events are read to know whether a trail was already off'),
    toleratedGapMinutes: z.number().nonnegative().default(0).describe('a gap no longer than this is listed but not an exception'),
  })
  .strict();

interface SystemEvents {
  inPeriod: number;
  trail: TrailEvent[];
}

export default defineCheck({
  id: 'cloudtrail-never-stopped',
  title: 'CloudTrail logging never stopped during the period',
  description:
    'From the CloudTrail management events of each AWS account: no trail was stopped (StopLogging) or deleted (DeleteTrail) without logging again at once (StartLogging) during the period. An account with no collected event in the period is not assessed.',
  criteria: ['CC7.2'],
  reads: ['audit.event'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.cloudSystems),
  async *evaluate({ evidence, period, settings }) {
    const since = period.since.getTime();
    const window = { since: new Date(since - settings.lookbackDays * DAY_MS), until: period.until };
    const systems = new Map<string, SystemEvents>();
    for await (const record of evidence.events('audit.event', window)) {
      if (!isCodeHost(record.system, settings.cloudSystems)) continue;
      const event = record.data as AuditEvent;
      const state = systems.get(record.system) ?? { inPeriod: 0, trail: [] };
      const at = timeOf(event.at) ?? 0;
      if (at >= since) state.inPeriod++;
      if (event.outcome === 'success' && event.target !== null) state.trail.push({ action: event.action, trail: event.target, at, hash: record.hash });
      systems.set(record.system, state);
    }
    for (const [system, state] of systems) {
      // Only events before the period: nothing to judge, and the runner says the system was not assessed.
      if (state.inPeriod === 0) continue;
      const gaps = trailGaps(state.trail, since, period.until.getTime());
      const tolerated = settings.toleratedGapMinutes * 60_000;
      const records = [...new Set(gaps.flatMap((gap) => gap.records))];
      const serious = gaps.filter((gap) => gap.end === null || gap.end - gap.start > tolerated);
      if (serious.length > 0) yield { item: system, system, status: 'exception', reason: serious.map((gap) => gap.describe()).join('; '), records };
      else if (gaps.length > 0) yield { item: system, system, status: 'pass', reason: `only gaps within ${settings.toleratedGapMinutes} min: ${gaps.map((gap) => gap.describe()).join('; ')}`, records };
      else yield { item: system, system, status: 'pass', reason: `no trail stopped or deleted in the period (${state.inPeriod} CloudTrail event(s) of the period collected)`, records: [] };
    }
  },
});
