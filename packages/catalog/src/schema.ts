/**
 * The shape of a criteria catalog. The data is hand-written, so it is parsed
 * at load: a typo in an ID, a label that grew into pasted standard text or a
 * criterion filed under the wrong group stops the process at start-up instead
 * of producing a report that links evidence to a criterion that does not exist.
 */
import { z } from 'zod';

export const CRITERION_ID_PATTERN = /^(CC[1-9]|A1|PI1|C1|P[1-8])\.[1-9]$/;
const GROUP_ID_PATTERN = /^(CC[1-9]|A1|PI1|C1|P[1-8])$/;

/** Labels are short on purpose: a long one is a sign that standard text was pasted in. */
export const MAX_LABEL_LENGTH = 80;

export const Category = z.enum(['security', 'availability', 'processing_integrity', 'confidentiality', 'privacy']);
export type Category = z.infer<typeof Category>;

export const CriterionId = z.string().regex(CRITERION_ID_PATTERN).brand<'CriterionId'>();
export type CriterionId = z.infer<typeof CriterionId>;

export const GroupId = z.string().regex(GROUP_ID_PATTERN);
export type GroupId = z.infer<typeof GroupId>;

const Label = z.string().trim().min(1).max(MAX_LABEL_LENGTH);

export const Group = z.object({ id: GroupId, category: Category, title: Label });
export type Group = z.infer<typeof Group>;

export const Criterion = z.object({ id: CriterionId, category: Category, group: GroupId, label: Label });
export type Criterion = z.infer<typeof Criterion>;

export const Framework = z
  .object({
    id: z.literal('soc2'),
    name: z.string().min(1),
    version: z.string().min(1),
    source: z.string().min(1),
    licence: z.string().min(1),
    groups: z.array(Group).min(1),
    criteria: z.array(Criterion).min(1),
  })
  .superRefine((framework, ctx) => {
    const groups = new Map(framework.groups.map((group) => [group.id, group]));
    if (groups.size !== framework.groups.length) ctx.addIssue({ code: 'custom', message: 'group IDs must be unique' });
    const seen = new Set<string>();
    for (const criterion of framework.criteria) {
      const problem = criterionProblem(criterion, groups.get(criterion.group), seen);
      if (problem) ctx.addIssue({ code: 'custom', path: ['criteria', criterion.id], message: problem });
      seen.add(criterion.id);
    }
  });
export type Framework = z.infer<typeof Framework>;

function criterionProblem(criterion: Criterion, group: Group | undefined, seen: ReadonlySet<string>): string | undefined {
  if (seen.has(criterion.id)) return 'duplicate criterion ID';
  if (!group) return `unknown group ${criterion.group}`;
  if (!criterion.id.startsWith(`${group.id}.`)) return `ID does not belong to group ${group.id}`;
  if (criterion.category !== group.category) return `category ${criterion.category} differs from group ${group.id} (${group.category})`;
  return undefined;
}
