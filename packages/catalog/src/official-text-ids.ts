/**
 * A requirement ID as a licence holder's spreadsheet writes it. The catalog's
 * own spelling always works; a few spellings auditors use are accepted too,
 * each only when it names exactly one requirement of the framework:
 *
 * - any framework: another letter case (`cc6.1`), or qualified (`iso27001:A.5.15`);
 * - ISO/IEC 27001: an Annex A control without `A.` (`5.15` for `A.5.15`) when
 *   no clause has that number (`5.1` stays clause 5.1; see `alsoAnnex`) nor is
 *   a heading of clauses (`6.1`, over 6.1.1 to 6.1.3, is refused, not A.6.1);
 * - NIS2: article notation (`21(2)(b)`, `Art. 21(2)(b)`, `21.2.b` for `NIS2.21.2.b`);
 * - C5: `OIS-1`, `OIS 01` or `OIS01` for `OIS-01`.
 *
 * An ID that is none of these gets a near-miss suggestion when one exists.
 */
import { findRequirement, requirementsOf } from './frameworks.js';
import type { FrameworkId } from './requirement.js';

export interface ResolvedId {
  /** The ID as the catalog writes it. */
  id: string;
  /** ISO/IEC 27001: written as an Annex A control without `A.`. */
  bareAnnex: boolean;
  /** ISO/IEC 27001: written as a clause number that, without `A.`, would also be this Annex A control. */
  alsoAnnex: string | null;
}

const byLowerCase = new Map<FrameworkId, Map<string, string>>();

/** The framework's IDs by their lower-case spelling (IDs differ in more than case, so this is one-to-one). */
function lowerCaseIndex(framework: FrameworkId): Map<string, string> {
  let index = byLowerCase.get(framework);
  if (!index) {
    index = new Map(requirementsOf(framework).map(({ id }) => [id.toLowerCase(), id]));
    byLowerCase.set(framework, index);
  }
  return index;
}

const NIS2_ARTICLE = /^(?:nis\s*2[\s.:-]*)?(?:art(?:icle|\.)?\s*)?(\d+)(?:\((\d+)\)|\.(\d+))(?:\(([a-z])\)|\.([a-z]))?$/i;
const C5_ID = /^([a-z]{2,3})[\s-]?(\d{1,2})$/i;

/** The catalog spelling a framework-specific notation stands for, before it is looked up. */
function notation(framework: FrameworkId, written: string): string | undefined {
  if (framework === 'nis2') {
    const match = NIS2_ARTICLE.exec(written);
    if (!match) return undefined;
    const [, article, paragraph, dottedParagraph, point, dottedPoint] = match;
    const letter = point ?? dottedPoint;
    return `NIS2.${article}.${paragraph ?? dottedParagraph}${letter ? `.${letter}` : ''}`;
  }
  if (framework === 'c5') {
    const match = C5_ID.exec(written);
    return match ? `${match[1]}-${match[2]!.padStart(2, '0')}` : undefined;
  }
  return undefined;
}

/** The requirement `written` names in `framework`, or null when it names none. */
export function resolveRequirementId(framework: FrameworkId, written: string): ResolvedId | null {
  const text = written.trim();
  const index = lowerCaseIndex(framework);
  const qualified = text.includes(':') ? findRequirement(text) : undefined;
  const id = (qualified?.framework === framework ? qualified.id : undefined) ?? index.get(text.toLowerCase()) ?? index.get(notation(framework, text)?.toLowerCase() ?? '');
  if (framework === 'iso27001' && /^[5-8]\.\d{1,2}$/.test(text)) {
    const annex = index.get(`a.${text}`);
    if (id) return { id, bareAnnex: false, alsoAnnex: annex ?? null };
    // A clause heading (6.1, 7.5) whose clauses the catalog lists one by one is that heading, never read as the Annex A control.
    if (annex && clausesUnder(text).length === 0) return { id: annex, bareAnnex: true, alsoAnnex: null };
  }
  return id ? { id, bareAnnex: false, alsoAnnex: null } : null;
}

/** ISO/IEC 27001 clauses the catalog lists under a heading it does not (6.1 → 6.1.1 to 6.1.3). */
function clausesUnder(heading: string): string[] {
  if (!/^\d+(?:\.\d+)*$/.test(heading)) return [];
  return requirementsOf('iso27001').map(({ id }) => id).filter((id) => id.startsWith(`${heading}.`));
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Why an unknown ID may have been written, for the error message: another
 * framework's ID, up to three near misses, or, when many IDs of one group are
 * equally near (`CC6.9`), the range the group has.
 */
export function unknownIdHint(framework: FrameworkId, written: string): string | null {
  const text = written.trim();
  const elsewhere = findRequirement(text);
  if (elsewhere) return `${elsewhere.id} is a ${elsewhere.framework} requirement, not ${framework}`;
  const clauses = framework === 'iso27001' ? clausesUnder(text) : [];
  if (clauses.length > 0) {
    const annex = resolveRequirementId(framework, `A.${text}`);
    return `${text} is the heading of clauses ${clauses[0]} to ${clauses.at(-1)}: give the text under those IDs${annex ? `, or write ${annex.id} for the Annex A control` : ''}`;
  }
  const lower = text.toLowerCase();
  const requirements = requirementsOf(framework);
  const distances = requirements.map(({ id }) => editDistance(lower, id.toLowerCase()));
  const best = Math.min(...distances);
  if (best > 2 || best * 2 > text.length) return null;
  const near = requirements.filter((_, index) => distances[index] === best);
  if (near.length <= 3) return `did you mean ${near.length === 1 ? near[0]!.id : `${near.slice(0, -1).map((r) => r.id).join(', ')} or ${near.at(-1)!.id}`}?`;
  const groups = new Set(near.map((requirement) => requirement.group));
  if (groups.size > 1) return null;
  const [group] = groups;
  const members = requirements.filter((requirement) => requirement.group === group);
  return `${group} has ${members[0]!.id} to ${members.at(-1)!.id}`;
}
