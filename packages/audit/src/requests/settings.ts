/**
 * `requests:` in the config: the starter set when asked for, each request
 * overridable field by field or switched off, and requests of the
 * organization's own. The collector's config schema embeds `RequestSettings`;
 * `resolveRequests` turns it into the list the ledger reads, naming the
 * config path of every problem.
 */
import { z } from 'zod';
import { CatalogError, expandCriteriaRange, isCriterionId } from '@evidentia/catalog';
import { STARTER_REQUESTS } from './starter.js';
import { FREQUENCIES, REQUEST_EVENTS, type EvidenceRequest } from './types.js';

const RequestEntry = z
  .object({
    enabled: z.boolean().default(true).describe('false drops a starter request'),
    title: z.string().trim().min(1).optional().describe('what is asked for, in your words'),
    criteria: z.array(z.string().min(1)).min(1).optional().describe('criteria IDs such as CC3.2, or a range such as CC3.1-CC3.4'),
    owner: z.string().trim().min(1).optional().describe('who provides it (a person or a role)'),
    frequency: z.enum(FREQUENCIES).optional(),
    // A day the calendar has: 2026-02-30 would roll over to March in the ledger, 2026-13-45 fail it.
    due: z.iso.date('expected a day such as 2026-03-31').optional().describe('once: the due day (default the period\'s last day)'),
    dueDays: z.number().int().nonnegative().optional().describe('per-event: days after the event it is due'),
    graceDays: z.number().int().nonnegative().optional().describe('days after the due day before it is overdue'),
    event: z.enum(REQUEST_EVENTS).optional().describe('per-event: the personnel event each occurrence follows'),
  })
  .strict();

export const RequestSettings = z
  .object({
    starter: z.boolean().default(false).describe('include the built-in starter set (every Security criterion no connector covers)'),
    items: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'request ids are lower-case letters, digits and dashes'), RequestEntry).default({}),
  })
  .strict()
  .describe('evidence requests answered by documents (`evidentia evidence add`)');
export type RequestSettings = z.infer<typeof RequestSettings>;

export interface RequestProblem {
  path: string;
  message: string;
}

function criteriaOf(list: string[], path: string, problems: RequestProblem[]): string[] {
  const unknown = list.filter((item) => !item.includes('-') && !isCriterionId(item));
  if (unknown.length > 0) {
    problems.push({ path, message: `${unknown.join(', ')}: not a SOC 2 criterion ID (such as CC3.2)` });
    return [];
  }
  try {
    return list.flatMap((item) => (item.includes('-') ? expandCriteriaRange(item, path) : [item]));
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    problems.push({ path, message: error.message });
    return [];
  }
}

/** One request from its starter (if any) and its entry; null with problems when incomplete. */
function resolveOne(id: string, entry: Partial<z.infer<typeof RequestEntry>> | undefined, problems: RequestProblem[]): EvidenceRequest | null {
  const base = STARTER_REQUESTS.find((request) => request.id === id);
  const at = `requests.items.${id}`;
  const { enabled: _enabled, criteria, ...fields }: Partial<z.infer<typeof RequestEntry>> = entry ?? {};
  const merged = { ...base, ...fields };
  const given = { ...merged, criteria: criteria ?? base?.criteria };
  const missing = (['title', 'criteria', 'owner', 'frequency'] as const).filter((field) => given[field] === undefined);
  if (missing.length > 0) {
    problems.push({ path: at, message: `request ${id} is not in the starter set, so it needs ${missing.join(', ')}` });
    return null;
  }
  const frequency = merged.frequency!;
  if (frequency === 'per-event' && !merged.event) problems.push({ path: `${at}.event`, message: 'a per-event request names its event (joiner, mover or leaver)' });
  if (frequency !== 'per-event' && fields.event) problems.push({ path: `${at}.event`, message: `only a per-event request follows an event; this one is ${frequency}` });
  if (frequency !== 'once' && fields.due) problems.push({ path: `${at}.due`, message: `only a once request has a due day; a ${frequency} one is due at the end of each window` });
  if (frequency !== 'per-event' && fields.dueDays !== undefined) {
    problems.push({ path: `${at}.dueDays`, message: `only a per-event request is due days after its event; a ${frequency} one is due ${frequency === 'once' ? 'on its due day' : 'at the end of each window'} (graceDays gives it more time)` });
  }
  return {
    id,
    title: merged.title!,
    criteria: criteria ? criteriaOf(criteria, `${at}.criteria`, problems) : [...base!.criteria],
    owner: merged.owner!,
    frequency,
    ...(merged.due ? { due: merged.due } : {}),
    dueDays: merged.dueDays ?? 0,
    graceDays: merged.graceDays ?? 0,
    ...(merged.event ? { event: merged.event } : {}),
    starter: base !== undefined,
  };
}

/** The requests in effect: the starter set (when on) with its overrides, then the organization's own. */
export function resolveRequests(settings: RequestSettings, problems: RequestProblem[]): EvidenceRequest[] {
  const ids = [...(settings.starter ? STARTER_REQUESTS.map((request) => request.id) : []), ...Object.keys(settings.items)];
  const requests: EvidenceRequest[] = [];
  for (const id of new Set(ids)) {
    const entry = settings.items[id];
    if (entry?.enabled === false) continue;
    const request = resolveOne(id, entry, problems);
    if (request) requests.push(request);
  }
  return requests;
}
