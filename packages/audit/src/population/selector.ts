/**
 * What `export population` and `sample` may be asked for: `--control` a SOC 2
 * criterion of the catalog (populations are per criterion; another
 * framework's requirement reaches them through the mappings, which the
 * refusal names), `--kind` a built-in record kind, the access-review rows or
 * a connector's own kind name. Anything else was an empty population written
 * and exit 0: a typo an auditor could be handed as "no items".
 */
import { isCriterionId } from '@evidentia/catalog';
import { isKindName, RECORD_KINDS } from '@evidentia/evidence';
import { UsageError } from '../errors.js';
import { resolveRequirement } from '../frameworks/resolve.js';
import { ACCESS_REVIEW_KIND } from './access-review-rows.js';

/** Why `--control` names no criterion, with what was probably meant. */
function controlProblem(control: string): string {
  if (isCriterionId(control.toUpperCase())) return `${control} is not a SOC 2 criterion: criteria are written in capitals, --control ${control.toUpperCase()}`;
  const resolved = resolveRequirement(control);
  if (!resolved) return `${control} is not a SOC 2 criterion (such as CC8.1; \`evidentia catalog list\` lists them)`;
  if (resolved.requirement.framework === 'soc2') return `${control}: name the criterion without its framework, --control ${resolved.requirement.id}`;
  const links = resolved.criteria.map((link) => `${link.criterion} (${link.relationship})`);
  const maps = links.length > 0 ? `it maps to ${links.join(', ')}` : 'no SOC 2 criterion maps to it';
  return `${control} is a requirement of ${resolved.requirement.framework}, not a SOC 2 criterion: populations are per SOC 2 criterion; ${maps}`;
}

/** Throws a UsageError when `--control` or `--kind` names nothing a population can be of. */
export function checkPopulationSelector(selector: { control?: string; kind?: string }): void {
  const { control, kind } = selector;
  if (control !== undefined && !isCriterionId(control)) throw new UsageError(`--control ${controlProblem(control)}`);
  if (kind !== undefined && kind !== ACCESS_REVIEW_KIND && !isKindName(kind)) {
    throw new UsageError(
      `--kind ${kind} is not a record kind: the built-in ones are ${RECORD_KINDS.join(', ')}, ${ACCESS_REVIEW_KIND} holds the access-review decisions, and a connector's own kind is named <namespace>.<name> (acme.device)`,
    );
  }
}
