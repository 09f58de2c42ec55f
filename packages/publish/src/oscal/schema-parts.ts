/**
 * The building blocks of evidentia's OSCAL conformance schema (schema.ts):
 * OSCAL's datatypes and the assemblies both documents share (prop, link,
 * metadata, back-matter). Written from the OSCAL 1.1 model reference in
 * evidentia's own structure, not taken from NIST's schema files, and
 * narrower than them: it admits what evidentia emits, closed objects
 * (additionalProperties false) wherever the model is closed, so a field that
 * drifts out of the model fails our own tests before any GRC tool sees it.
 */
import { OSCAL_VERSION, TOKEN_PATTERN } from './datatypes.js';

export type JsonSchema = Record<string, unknown>;

export const ref = (definition: string): JsonSchema => ({ $ref: `#/definitions/${definition}` });

/** OSCAL's JSON arrays are never empty: a missing list is left out. */
export const list = (items: JsonSchema): JsonSchema => ({ type: 'array', minItems: 1, items });

export const closed = (properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
});

/** The props and links most OSCAL assemblies may carry. */
export const annotations: Record<string, JsonSchema> = { props: list(ref('property')), links: list(ref('link')) };

/** RFC 4122 version 4 (random) or 5 (name-based) UUIDs, the two OSCAL accepts. */
const UUID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$';
/**
 * A date and time that must carry its offset (Z or ±hh:mm): OSCAL's date-time-with-timezone, whose
 * years run from 1900 to 2999 (OSCAL_DATE_RANGE) and whose seconds stop at 59; the date-time format
 * checks the calendar (no February 29 outside a leap year).
 */
const DATE_TIME_WITH_ZONE = '^(19|2\\d)\\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d+)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d)$';

export const datatypes: Record<string, JsonSchema> = {
  token: { type: 'string', pattern: TOKEN_PATTERN },
  uuid: { type: 'string', pattern: UUID_PATTERN },
  /** OSCAL `string`: non-empty, no surrounding whitespace, one line. */
  string: { type: 'string', pattern: '^\\S(.*\\S)?$' },
  markupLine: { type: 'string', pattern: '^[^\\n]+$' },
  markupMultiline: { type: 'string', minLength: 1 },
  dateTimeWithZone: { type: 'string', format: 'date-time', pattern: DATE_TIME_WITH_ZONE },
  uri: { type: 'string', format: 'uri' },
  uriReference: { type: 'string', format: 'uri-reference' },
};

export const shared: Record<string, JsonSchema> = {
  property: closed(
    { name: ref('token'), uuid: ref('uuid'), ns: ref('uri'), value: ref('string'), class: ref('token'), group: ref('token'), remarks: ref('markupMultiline') },
    ['name', 'value'],
  ),
  link: closed({ href: ref('uriReference'), rel: ref('token'), 'media-type': ref('string'), 'resource-fragment': ref('string'), text: ref('markupLine') }, ['href']),
  metadata: closed(
    {
      title: ref('markupLine'),
      published: ref('dateTimeWithZone'),
      'last-modified': ref('dateTimeWithZone'),
      version: ref('string'),
      // Stricter than the model, which accepts any OSCAL version: this schema describes the documents evidentia emits.
      'oscal-version': { const: OSCAL_VERSION },
      ...annotations,
      remarks: ref('markupMultiline'),
    },
    ['title', 'last-modified', 'version', 'oscal-version'],
  ),
  resource: closed(
    {
      uuid: ref('uuid'),
      title: ref('markupLine'),
      description: ref('markupMultiline'),
      props: list(ref('property')),
      citation: closed({ text: ref('markupLine'), ...annotations }, ['text']),
      remarks: ref('markupMultiline'),
    },
    ['uuid'],
  ),
  backMatter: closed({ resources: list(ref('resource')) }),
};
