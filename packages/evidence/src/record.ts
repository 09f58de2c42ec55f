/**
 * The evidence record envelope and its hash.
 *
 * A record's hash covers what it says (kind, key, system, stream, occurredAt,
 * data, source snapshot hashes, control links) but not when it was observed:
 * the observation time belongs to the run that saw it. That is what lets an
 * unchanged account, seen again every day, be stored once.
 */
import { z } from 'zod';
import { hashCanonical, HASH_PATTERN } from './hash.js';
import { isKindName, recordKindRegistry, type KindName, type KindRegistry } from './kind-registry.js';

export const EvidenceRecord = z.object({
  /** A built-in kind, or a custom kind a connector declared (`acme.device`). */
  kind: z.custom<KindName>(isKindName, { message: 'not a record kind: a built-in kind or a namespaced custom kind such as acme.device' }),
  /** Stable identity of the item within its system and kind (account id, PR number, ticket key). */
  key: z.string().min(1),
  /** The source system instance, e.g. `github:acme`. */
  system: z.string().min(1),
  /** `<connector instance>/<stream>` that produced the record. */
  stream: z.string().min(1),
  /** When the event happened (event kinds); null for state observations. */
  occurredAt: z.iso.datetime({ offset: true }).nullable(),
  data: z.record(z.string(), z.unknown()),
  /** Hashes of the snapshot bodies the record was derived from. */
  sources: z.array(z.string().regex(HASH_PATTERN)),
  /** Criteria the record is evidence for, e.g. `CC6.1`. */
  controls: z.array(z.string()),
});
export type EvidenceRecord = z.infer<typeof EvidenceRecord>;

export class RecordValidationError extends Error {
  constructor(
    readonly kind: string,
    readonly key: string,
    readonly issues: string[],
  ) {
    super(`record ${kind} ${JSON.stringify(key)} is invalid: ${issues.join('; ')}`);
    this.name = 'RecordValidationError';
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Validate a record envelope and its data against the kind's schema (built
 * in, or declared by a connector in `registry`). Returns the record with
 * sorted, de-duplicated sources and controls so that equal evidence always
 * hashes equal.
 */
export function validateRecord(input: unknown, registry: KindRegistry = recordKindRegistry): EvidenceRecord {
  const envelope = EvidenceRecord.safeParse(input);
  if (!envelope.success) {
    const raw = (input ?? {}) as { kind?: unknown; key?: unknown };
    throw new RecordValidationError(String(raw.kind), String(raw.key), describeIssues(envelope.error));
  }
  const record = envelope.data;
  const schema = registry.schemaOf(record.kind);
  if (!schema) throw new RecordValidationError(record.kind, record.key, [`kind: ${record.kind} is declared by no loaded connector`]);
  const data = schema.safeParse(record.data);
  if (!data.success) {
    throw new RecordValidationError(record.kind, record.key, describeIssues(data.error).map((m) => `data.${m}`));
  }
  return {
    ...record,
    data: data.data as Record<string, unknown>,
    sources: [...new Set(record.sources)].sort(),
    controls: [...new Set(record.controls)].sort(),
  };
}

/** SHA-256 of the record's canonical JSON. */
export function hashRecord(record: EvidenceRecord): string {
  return hashCanonical(record).hash;
}
