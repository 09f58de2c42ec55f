/**
 * Which criteria a record kind is evidence for. The defaults below carry a
 * stream that declares no controls of its own and give reports a mapping to
 * fall back on; an organization whose auditor maps things differently
 * replaces them in config rather than editing connectors.
 */
import { isKindName, isRecordKind, RECORD_KINDS, type RecordKind } from '@evidentia/evidence';
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
  z.string().refine((key) => isKindName(key) || STREAM_REF_PATTERN.test(key), {
    message: 'key must be <instance>/<stream> or a record kind (built in, or a connector\'s own such as acme.device)',
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
  // Managed, encrypted, locked and protected endpoints are the malware and unauthorized-software control
  // (CC6.8) and the configuration monitoring one (CC7.1).
  'endpoint.device': ['CC6.8', 'CC7.1'],
  // Finding vulnerabilities and tracking them to a fix is CC7.1's detection of weaknesses; malware (CC6.8) is the
  // devices' evidence, not the scanner's.
  'vulnerability.finding': ['CC7.1'],
  // Training keeps people competent (CC1.4) and tells them their security responsibilities (CC2.2).
  'training.record': ['CC1.4', 'CC2.2'],
  'background.check': ['CC1.4'],
};

/** Checked against the catalog at load, so a bad default fails at start-up, not in a report. */
export const defaultLinks: Readonly<Record<RecordKind, readonly CriterionId[]>> = Object.freeze(
  Object.fromEntries(
    RECORD_KINDS.map((kind) => [kind, Object.freeze(resolveList(links[kind], `default links for ${kind}`))]),
  ) as Record<RecordKind, readonly CriterionId[]>,
);

/** The default criteria of a kind; none for a connector's own kind (its stream names them). */
export function defaultControlsForKind(kind: string): readonly CriterionId[] {
  return isRecordKind(kind) ? defaultLinks[kind] : [];
}

/**
 * The criteria a stream's records serve, first match wins: an override for
 * the stream (`<instance>/<stream>`), an override for its record kind, the
 * stream's own declaration, the default links for the kind. Every ID is
 * checked against the catalog; the result is de-duplicated, in catalog order.
 */
export function resolveControls(
  kind: string,
  streamDefaults: readonly string[],
  overrides: ControlOverrides = {},
  stream?: string,
): CriterionId[] {
  if (stream !== undefined && Object.hasOwn(overrides, stream)) {
    return resolveList(overrides[stream] ?? [], `controls override for ${stream}`);
  }
  if (Object.hasOwn(overrides, kind)) return resolveList(overrides[kind] ?? [], `controls override for ${kind}`);
  if (streamDefaults.length > 0) return resolveList(streamDefaults, `controls declared by stream ${stream ?? `of kind ${kind}`}`);
  return [...defaultControlsForKind(kind)];
}

function resolveList(entries: readonly string[], origin: string): CriterionId[] {
  return sortCriteria(
    entries.flatMap((entry) => (entry.includes('-') ? expandCriteriaRange(entry, origin) : [requireCriterionId(entry, origin)])),
  );
}
