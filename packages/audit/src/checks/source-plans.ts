/** The configured streams as checks see them: which record kind each collects, its type and staleness, and whether it collects a changed item again. */
import type { AuditConfig } from '../audit-config.js';
import type { SourcePlan } from './sources.js';

export function sourcePlans(config: AuditConfig | null | undefined): SourcePlan[] | null {
  if (!config) return null;
  return config.instances.flatMap((instance) =>
    instance.streams.map((stream) => ({
      stream: `${instance.id}/${stream.name}`,
      connector: instance.definition.id,
      kind: stream.definition.kind,
      type: stream.definition.type,
      maxStalenessHours: stream.maxStalenessHours,
      ...(stream.definition.recollectsChanges ? { recollectsChanges: true } : {}),
      controls: stream.controls,
    })),
  );
}
