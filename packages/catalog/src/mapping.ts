/**
 * The shape of a mapping set: how each SOC 2 criterion relates to a
 * requirement of another framework, in OSCAL's relationship vocabulary. A
 * relationship reads from the SOC 2 criterion to the target: `subset-of`
 * means everything the criterion asks is within the target, so meeting the
 * criterion meets only part of the target.
 */
import { z } from 'zod';
import { CRITERION_ID_PATTERN } from './schema.js';
import { FrameworkId } from './requirement.js';

export const RELATIONSHIPS = ['equal-to', 'subset-of', 'superset-of', 'intersects-with', 'no-relationship'] as const;
export const Relationship = z.enum(RELATIONSHIPS);
export type Relationship = z.infer<typeof Relationship>;

/** Rationales are a sentence of our own, not an excerpt. */
export const MAX_RATIONALE_LENGTH = 120;

export const Mapping = z.object({
  source: z.string().regex(CRITERION_ID_PATTERN),
  target: z.string().min(1),
  relationship: Relationship,
  rationale: z.string().trim().min(1).max(MAX_RATIONALE_LENGTH),
});
export type Mapping = z.infer<typeof Mapping>;

export const MappingProvenance = z.object({
  author: z.string().min(1),
  method: z.string().min(1),
  date: z.iso.date(),
});
export type MappingProvenance = z.infer<typeof MappingProvenance>;

export const MappingSet = z
  .object({
    id: z.string().min(1),
    source: z.literal('soc2'),
    target: FrameworkId.exclude(['soc2']),
    provenance: MappingProvenance,
    mappings: z.array(Mapping).min(1),
  })
  .superRefine((set, ctx) => {
    const seen = new Set<string>();
    for (const mapping of set.mappings) {
      const key = `${mapping.source}→${mapping.target}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['mappings', key], message: 'duplicate mapping' });
      seen.add(key);
    }
  });
export type MappingSet = z.infer<typeof MappingSet>;

/** The same relationship read from the target back to the SOC 2 criterion. */
export function inverse(relationship: Relationship): Relationship {
  if (relationship === 'subset-of') return 'superset-of';
  if (relationship === 'superset-of') return 'subset-of';
  return relationship;
}
