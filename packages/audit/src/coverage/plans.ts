/**
 * The configured streams as the daemon schedules them and coverage judges
 * them: `<instance>/<stream>`, cron schedule in the audit time zone,
 * staleness, criteria and source retention. A schedule the cron parser
 * cannot read is a usage error naming the config path, before any work.
 */
import { CronSchedule, TimeZone } from '@evidentia/time';
import { auditTimezone } from '../audit-time.js';
import type { AuditConfig } from '../audit-config.js';
import { UsageError } from '../errors.js';
import type { StreamPlan } from './types.js';

export function streamPlans(config: AuditConfig): StreamPlan[] {
  const timezone = auditTimezone(config);
  try {
    TimeZone.of(timezone);
  } catch (error) {
    throw new UsageError(`invalid configuration in ${config.file}: timezone: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const plans: StreamPlan[] = [];
  for (const instance of config.instances) {
    for (const stream of instance.streams) {
      try {
        plans.push({
          id: `${instance.id}/${stream.name}`,
          type: stream.definition.type,
          schedule: CronSchedule.parse(stream.schedule, timezone),
          maxStalenessHours: stream.maxStalenessHours,
          controls: stream.controls,
          retentionDays: stream.definition.retentionDays,
        });
      } catch (error) {
        problems.push(`  connectors.${instance.id}.streams.${stream.name}.schedule ("${stream.schedule}", time zone ${timezone}): ${(error as Error).message}`);
      }
    }
  }
  if (problems.length > 0) throw new UsageError(`cannot schedule the streams in ${config.file}:\n${[...new Set(problems)].join('\n')}`);
  return plans;
}
