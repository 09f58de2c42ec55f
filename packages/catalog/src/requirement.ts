/**
 * The shape shared by every framework catalog (SOC 2, ISO/IEC 27001, NIS2,
 * C5). Each catalog is hand-written data parsed at load, so a malformed ID,
 * a duplicate, a requirement filed under a missing group or a label long
 * enough to be pasted standard text stops the process at start-up.
 */
import { z } from 'zod';
import { CRITERION_ID_PATTERN, MAX_LABEL_LENGTH } from './schema.js';

export const FRAMEWORK_IDS = ['soc2', 'iso27001', 'nis2', 'c5'] as const;
export const FrameworkId = z.enum(FRAMEWORK_IDS);
export type FrameworkId = z.infer<typeof FrameworkId>;

/** What a well-formed ID looks like in each framework; IDs are unique across all of them. */
export const REQUIREMENT_ID_PATTERNS: Readonly<Record<FrameworkId, RegExp>> = {
  soc2: CRITERION_ID_PATTERN,
  iso27001: /^(?:(?:[4-9]|10)\.[1-9](?:\.[1-9])?|A\.5\.(?:[1-9]|[12][0-9]|3[0-7])|A\.6\.[1-8]|A\.7\.(?:[1-9]|1[0-4])|A\.8\.(?:[1-9]|[12][0-9]|3[0-4]))$/,
  nis2: /^NIS2\.(?:20\.[12]|21\.2\.[a-j]|23\.4\.[a-e])$/,
  c5: /^(?:OIS|SP|HR|AM|PS|OPS|IDM|CRY|COS|PI|DEV|SSO|SIM|BCM|COM|INQ|PSS)-\d{2}$/,
};

/** ISO/IEC 27001:2022 Annex A sorts its controls into four themes. */
export const Theme = z.enum(['organizational', 'people', 'physical', 'technological']);
export type Theme = z.infer<typeof Theme>;

const Label = z.string().trim().min(1).max(MAX_LABEL_LENGTH);

export const RequirementGroup = z.object({ id: z.string().min(1), title: Label, theme: Theme.optional() });
export type RequirementGroup = z.infer<typeof RequirementGroup>;

export const Requirement = z.object({
  id: z.string().min(1),
  framework: FrameworkId,
  group: z.string().min(1),
  label: Label,
  theme: Theme.optional(),
});
export type Requirement = z.infer<typeof Requirement>;

export const Catalog = z
  .object({
    id: FrameworkId,
    name: z.string().min(1),
    version: z.string().min(1),
    source: z.string().min(1),
    licence: z.string().min(1),
    groups: z.array(RequirementGroup).min(1),
    requirements: z.array(Requirement).min(1),
  })
  .superRefine((catalog, ctx) => {
    const groups = new Map(catalog.groups.map((group) => [group.id, group]));
    if (groups.size !== catalog.groups.length) ctx.addIssue({ code: 'custom', message: 'group IDs must be unique' });
    const seen = new Set<string>();
    for (const requirement of catalog.requirements) {
      const problem = requirementProblem(catalog.id, requirement, groups.get(requirement.group), seen);
      if (problem) ctx.addIssue({ code: 'custom', path: ['requirements', requirement.id], message: problem });
      seen.add(requirement.id);
    }
  });
export type Catalog = z.infer<typeof Catalog>;

function requirementProblem(
  framework: FrameworkId,
  requirement: Requirement,
  group: RequirementGroup | undefined,
  seen: ReadonlySet<string>,
): string | undefined {
  if (requirement.framework !== framework) return `filed under ${framework} but marked ${requirement.framework}`;
  if (!REQUIREMENT_ID_PATTERNS[framework].test(requirement.id)) return `not a ${framework} ID`;
  if (seen.has(requirement.id)) return 'duplicate requirement ID';
  if (!group) return `unknown group ${requirement.group}`;
  const separator = requirement.id.charAt(group.id.length);
  if (!requirement.id.startsWith(group.id) || (separator !== '.' && separator !== '-')) return `ID does not belong to group ${group.id}`;
  if (requirement.theme !== group.theme) return `theme differs from group ${group.id}`;
  return undefined;
}
