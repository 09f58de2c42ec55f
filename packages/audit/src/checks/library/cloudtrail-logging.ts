/**
 * CloudTrail was logging, with a multi-region trail, throughout the period:
 * in every inventory of trails in effect during it, each AWS account (system)
 * had at least one trail that was present, logging and multi-region (and, if
 * required, validating its log files). Judged per system, from change.config
 * records with setting `trail` and settings {isLogging, isMultiRegionTrail,
 * logFileValidationEnabled}.
 */
import { z } from 'zod';
import type { RecordData } from '@evidentia/evidence';
import { sourceFrom } from '../approvals.js';
import { defineCheck } from '../define.js';
import { observedSpan, when } from './inventory-text.js';

type Setting = RecordData<'change.config'>;

const Settings = z
  .object({
    requireLogFileValidation: z.boolean().default(false).describe('the trail must also validate its log files'),
    cloudSystems: z.array(z.string()).default(['aws']).describe('system prefixes whose trails are judged'),
  })
  .strict();

interface SystemState {
  times: readonly string[];
  good: Map<string, string[]>;
  records: Set<string>;
}

export default defineCheck({
  id: 'cloudtrail-logging',
  title: 'CloudTrail logging in every region throughout the period',
  description:
    'In every inventory of CloudTrail trails in effect during the period, each AWS account must have at least one trail that is logging and covers all regions (and validates log files when so configured).',
  criteria: ['CC7.2'],
  reads: ['change.config'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.cloudSystems),
  async *evaluate({ evidence, settings }) {
    const systems = new Map<string, SystemState>();
    for await (const item of evidence.items('change.config')) {
      const trails = item.seen.filter(({ record }) => (record.data as Setting).setting === 'trail');
      if (trails.length === 0) continue;
      const state = systems.get(item.system) ?? { times: item.inventoryTimes, good: new Map(), records: new Set() };
      for (const { at, record } of trails) {
        state.records.add(record.hash);
        const trail = record.data as Setting;
        const ok = trail.present && trail.settings.isLogging === true && trail.settings.isMultiRegionTrail === true && (!settings.requireLogFileValidation || trail.settings.logFileValidationEnabled === true);
        if (ok) state.good.set(at, [...(state.good.get(at) ?? []), String(trail.settings.name ?? trail.target)]);
      }
      systems.set(item.system, state);
    }
    for (const [system, state] of systems) {
      const failing = state.times.filter((at) => !state.good.has(at));
      const base = { item: system, system, records: [...state.records] };
      const need = `logging multi-region trail${settings.requireLogFileValidation ? ' with log file validation' : ''}`;
      if (failing.length === 0) yield { ...base, status: 'pass', reason: `a ${need} (${[...new Set([...state.good.values()].flat())].join(', ')}) ${observedSpan(state.times)}` };
      else yield { ...base, status: 'exception', reason: `no ${need} ${when(failing, state.times.length)}` };
    }
  },
});
