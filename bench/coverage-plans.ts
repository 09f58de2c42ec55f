/** The 20 streams and the year the coverage benchmark generates and judges: 10 state and 10 event streams, all hourly. */
import { CronSchedule } from '@evidentia/time';
import type { Period, StreamPlan } from '../packages/audit/src/coverage/types.js';

export const BENCH_PERIOD: Period = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2027-01-01T00:00:00Z') };
export const BENCH_NOW = new Date('2027-01-01T00:00:00Z');
/** The daemon is down for three days; one stream fails for a week. */
export const BENCH_DOWN = { since: Date.parse('2026-03-10T10:00:00Z'), until: Date.parse('2026-03-13T10:00:00Z') };
export const BENCH_FAILING = { stream: 'bench/state-3', since: Date.parse('2026-05-04T00:00:00Z'), until: Date.parse('2026-05-11T00:00:00Z') };

export function benchPlans(): StreamPlan[] {
  return Array.from({ length: 20 }, (_, index) => ({
    id: index < 10 ? `bench/state-${index}` : `bench/event-${index - 10}`,
    type: index < 10 ? ('state' as const) : ('event' as const),
    schedule: CronSchedule.parse('0 * * * *'),
    maxStalenessHours: 36,
    controls: [index < 10 ? 'CC6.1' : 'CC8.1', `CC7.${(index % 5) + 1}`],
  }));
}
