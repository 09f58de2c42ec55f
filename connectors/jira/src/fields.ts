/**
 * Field mapping: the config names fields by id (`customfield_10050`,
 * `priority`) or by their name on the site (`Approvers`); this module resolves
 * each against the site's field list (GET /rest/api/3/field). A mapped field
 * the site lacks, or a name two fields share, is a configuration error that
 * names the setting, so `collect` fails the stream and `doctor` can say what
 * to change. Pure: the field list is passed in.
 */
import type { SiteField } from './schema.js';

/** One mapped field: the config setting that names it and what it says. */
export interface FieldReference {
  /** Where in the connector config, e.g. `streams.changes.approverField`. */
  setting: string;
  ref: string;
}

/** The site's answer for one mapped field. */
export type FieldResolution = { ok: true; setting: string; ref: string; field: SiteField } | { ok: false; setting: string; ref: string; problem: string };

export class FieldMappingError extends Error {
  override name = 'FieldMappingError';
}

/** A field's type in one word or two, as doctor lists it: `string`, `option`, `array<user>`, `date`. */
export function fieldType(field: SiteField): string {
  const schema = field.schema;
  if (!schema) return 'unknown';
  return schema.type === 'array' && schema.items ? `array<${schema.items}>` : schema.type;
}

const quoted = (ref: string) => (/^customfield_\d+$/.test(ref) ? ref : `'${ref}'`);

/** Resolve one reference: an exact id first, then a name (without case). */
export function resolveField(fields: SiteField[], reference: FieldReference, site: string): FieldResolution {
  const { ref, setting } = reference;
  const byId = fields.find((field) => field.id === ref) ?? fields.find((field) => field.id.toLowerCase() === ref.toLowerCase());
  if (byId) return { ok: true, setting, ref, field: byId };
  const byName = fields.filter((field) => field.name.trim().toLowerCase() === ref.toLowerCase());
  if (byName.length === 1) return { ok: true, setting, ref, field: byName[0]! };
  if (byName.length > 1) {
    const ids = byName.map((field) => field.id).join(', ');
    return { ok: false, setting, ref, problem: `field name '${ref}' named in ${setting} is shared by ${ids} on ${site}; name the field by its id` };
  }
  return { ok: false, setting, ref, problem: `field ${quoted(ref)} named in ${setting} does not exist on ${site}; doctor lists the fields` };
}

/**
 * Every reference resolved to its field id, by setting; throws a
 * FieldMappingError naming every reference that does not resolve.
 */
export function resolveMapping(fields: SiteField[], references: FieldReference[], site: string): Map<string, SiteField> {
  const resolutions = references.map((reference) => resolveField(fields, reference, site));
  const problems = resolutions.flatMap((resolution) => (resolution.ok ? [] : [resolution.problem]));
  if (problems.length > 0) throw new FieldMappingError(problems.join('; '));
  return new Map(resolutions.flatMap((resolution) => (resolution.ok ? [[resolution.setting, resolution.field] as const] : [])));
}
