/**
 * Which criteria a record kind is evidence for. The defaults below carry a
 * stream that declares no controls of its own and give reports a mapping to
 * fall back on; an organization whose auditor maps things differently
 * replaces them in config rather than editing connectors.
 */
import { isRecordKind, RECORD_KINDS, type RecordKind } from '@evidentia/evidence';
import { z } from 'zod';
import { expandCriteriaRange, requireCriterionId, sortCriteria } from './criteria.js';
import type { CriterionId } from './schema.js';

const STREAM_REF_PATTERN = /^[^/\s]+\/[^/\s]+$/;

/**
 * Configured replacements for default links, keyed by `<instance>/<stream>`
 * or by record kind. Each entry is a criterion ID or a same-group range such
 * as `CC6.1-CC6.3`. A list replaces the defaults; it does not add to them.
 */
export const ControlOverrides = z.record(
  z.string().refine((key) => isRecordKind(key) || STREAM_REF_PATTERN.test(key), {
    message: 'key must be <instance>/<stream> or a record kind',
  }),
  z.array(z.string().min(1)),
);
export type ControlOverrides = Readonly<Record<string, readonly string[]>>;

const links: Record<RecordKind, readonly string[]> = {
  'access.account': ['CC6.1', 'CC6.2', 'CC6.3'],
  'access.config': ['CC6.1'],
  'change.config': ['CC8.1'],
  'change.request': ['CC8.1'],
  'personnel.event': ['CC1.4', 'CC6.2', 'CC6.3'],
  'incident.record': ['CC7.3', 'CC7.4', 'CC7.5'],
  'audit.event': ['CC7.2'],
};

/** Checked against the catalog at load, so a bad default fails at start-up, not in a report. */
export const defaultLinks: Readonly<Record<RecordKind, readonly CriterionId[]>> = Object.freeze(
  Object.fromEntries(
    RECORD_KINDS.map((kind) => [kind, Object.freeze(resolveList(links[kind], `default links for ${kind}`))]),
  ) as Record<RecordKind, readonly CriterionId[]>,
);

export function defaultControlsForKind(kind: RecordKind): readonly CriterionId[] {
  return defaultLinks[kind];
}

/**
 * The criteria a stream's records serve, first match wins: an override for
 * the stream (`<instance>/<stream>`), an override for its record kind, the
 * stream's own declaration, the default links for the kind. Every ID is
 * checked against the catalog; the result is de-duplicated, in catalog order.
 */
export function resolveControls(
  kind: RecordKind,
  streamDefaults: readonly string[],
  overrides: ControlOverrides = {},
  stream?: string,
): CriterionId[] {
  if (stream !== undefined && Object.hasOwn(overrides, stream)) {
    return resolveList(overrides[stream] ?? [], `controls override for ${stream}`);
  }
  if (Object.hasOwn(overrides, kind)) return resolveList(overrides[kind] ?? [], `controls override for ${kind}`);
  if (streamDefaults.length > 0) return resolveList(streamDefaults, `controls declared by stream ${stream ?? `of kind ${kind}`}`);
  return [...defaultLinks[kind]];
}

function resolveList(entries: readonly string[], origin: string): CriterionId[] {
  return sortCriteria(
    entries.flatMap((entry) => (entry.includes('-') ? expandCriteriaRange(entry, origin) : [requireCriterionId(entry, origin)])),
  );
}
