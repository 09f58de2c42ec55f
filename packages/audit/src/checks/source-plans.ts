/** The configured streams as checks see them: which record kind each collects, its type and staleness. */
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
      controls: stream.controls,
    })),
  );
}
