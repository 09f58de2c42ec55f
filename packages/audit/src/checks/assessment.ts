/**
 * What a check could not assess, said as findings: never a silent pass. For
 * one check over one period it knows the sources of every kind the check
 * reads (sources.ts) and the systems the check's findings named, and adds a
 * `not-assessed` finding for each kind no stream collects, each source
 * without evidence of the period, each system of the judged kind that got no
 * finding, and the check as a whole when nothing at all was judged (no
 * finding, or only not-assessable ones: a check with nothing it could judge
 * must not say pass). A pass
 * resting on a system whose every source lacks evidence of the period (an
 * inventory older than its staleness) is not a pass: it becomes not-assessed
 * (so does a not-assessable finding there; an exception stays one).
 */
import type { KindName } from '@evidentia/evidence';
import type { CheckDefinition, Finding } from './define.js';
import { notConfigured, type Source } from './sources.js';

export class Assessment {
  private readonly judged = new Set<string>();
  private findings = 0;
  /** Findings that were not assessable: when every finding was, the check judged nothing. */
  private unjudgeable = 0;
  /** Systems of the judged kind whose every source lacks evidence of the period, with why. */
  private readonly stale = new Map<string, string>();

  private constructor(
    private readonly perSystem: KindName,
    private readonly sources: ReadonlyMap<KindName, Source[]>,
  ) {
    const bySystem = new Map<string, Source[]>();
    for (const source of sources.get(perSystem) ?? []) for (const system of source.systems) bySystem.set(system, [...(bySystem.get(system) ?? []), source]);
    for (const [system, of] of bySystem) if (of.every((source) => !source.usable)) this.stale.set(system, of.map((source) => source.reason).join('; '));
  }

  /** The sources of each kind the check reads, filtered by what the check applies to. */
  static async of(definition: CheckDefinition<unknown>, sourcesOf: (kind: KindName) => Promise<Source[]>): Promise<Assessment> {
    const sources = new Map<KindName, Source[]>();
    for (const kind of definition.reads) if (!definition.supplementary?.includes(kind)) sources.set(kind, await sourcesOf(kind));
    return new Assessment(definition.perSystem ?? definition.reads[0]!, sources);
  }

  /** Whether a source concerns the check. */
  static applies(definition: CheckDefinition<unknown>, settings: unknown): (source: Source) => boolean {
    return (source) => definition.appliesTo?.({ stream: source.stream, connector: source.connector, systems: source.systems }, settings) ?? true;
  }

  /** The finding as it counts: a pass on a system without evidence of the period is not assessed. `spans`: the systems an item spanning several rests on, each judged by it. */
  judge(finding: Finding, spans: readonly string[] = []): Finding {
    this.findings++;
    if (finding.system !== null) this.judged.add(finding.system);
    for (const system of spans) this.judged.add(system);
    const stale = finding.system !== null ? this.stale.get(finding.system) : undefined;
    // An exception seen in old evidence stays one (it happened); anything else there was not judged on evidence of the period.
    const counted = finding.status === 'exception' || finding.status === 'not-assessed' || stale === undefined ? finding : { ...finding, status: 'not-assessed' as const, reason: `${stale}; older evidence showed: ${finding.reason}` };
    if (counted.status === 'not-assessable') this.unjudgeable++;
    return counted;
  }

  /** The not-assessed findings to add once the check has yielded all of its own. */
  *remaining(): Iterable<Finding> {
    const added: Finding[] = [];
    for (const [kind, sources] of this.sources) {
      if (sources.length === 0) added.push({ item: `(all ${kind} records)`, system: null, status: 'not-assessed', reason: notConfigured(kind), records: [] });
      for (const source of sources) {
        if (!source.usable) {
          added.push({ item: `(all ${kind} records from ${source.stream})`, system: source.systems.join(', ') || null, status: 'not-assessed', reason: source.reason ?? 'no evidence of the period', records: [] });
        } else if (kind === this.perSystem) {
          for (const system of source.systems.filter((candidate) => !this.judged.has(candidate))) {
            this.judged.add(system);
            added.push({ item: `(all ${kind} records of ${system})`, system, status: 'not-assessed', reason: `nothing to judge in the period: ${source.stream} holds no ${kind} record of ${system} that this check applies to`, records: [] });
          }
        }
      }
    }
    if (this.findings === this.unjudgeable && added.length === 0) {
      const streams = [...new Set([...this.sources.values()].flat().map((source) => source.stream))].join(', ');
      const reason =
        this.findings === 0
          ? `nothing to judge in the period: ${streams} hold no record this check applies to`
          : `nothing judged in the period: all ${this.findings} item(s) from ${streams} are not assessable (see each)`;
      added.push({ item: '(nothing assessed)', system: null, status: 'not-assessed', reason, records: [] });
    }
    yield* added;
  }
}
