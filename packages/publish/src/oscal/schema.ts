/**
 * evidentia's OSCAL conformance schema (JSON Schema draft-07, the dialect of
 * NIST's OSCAL schemas) for the two documents it exports: a catalog and
 * assessment-results, OSCAL 1.1.2. It transcribes the model's constraints
 * that apply to what evidentia emits (required fields, datatype patterns,
 * allowed values, non-empty arrays, closed objects). NIST's published schema
 * files could not be obtained where this was written; users who have them
 * validate against them too with `--validate-with`.
 */
import { annotations, closed, datatypes, list, ref, shared, type JsonSchema } from './schema-parts.js';

const part: JsonSchema = closed(
  {
    id: ref('token'),
    name: ref('token'),
    ns: ref('uri'),
    class: ref('token'),
    title: ref('markupLine'),
    props: list(ref('property')),
    prose: ref('markupMultiline'),
    parts: list(ref('part')),
    links: list(ref('link')),
  },
  ['name'],
);

const control: JsonSchema = closed(
  { id: ref('token'), class: ref('token'), title: ref('markupLine'), ...annotations, parts: list(ref('part')), controls: list(ref('control')) },
  ['id', 'title'],
);

const group: JsonSchema = closed(
  {
    id: ref('token'),
    class: ref('token'),
    title: ref('markupLine'),
    ...annotations,
    parts: list(ref('part')),
    groups: list(ref('group')),
    controls: list(ref('control')),
  },
  ['title'],
);

const relevantEvidence: JsonSchema = closed(
  { href: ref('uriReference'), description: ref('markupMultiline'), ...annotations, remarks: ref('markupMultiline') },
  ['description'],
);

const observation: JsonSchema = closed(
  {
    uuid: ref('uuid'),
    title: ref('markupLine'),
    description: ref('markupMultiline'),
    ...annotations,
    methods: list({ enum: ['EXAMINE', 'INTERVIEW', 'TEST', 'UNKNOWN'] }),
    types: list({ enum: ['ssp-statement-issue', 'control-objective', 'mitigation', 'finding', 'historic'] }),
    'relevant-evidence': list(relevantEvidence),
    collected: ref('dateTimeWithZone'),
    expires: ref('dateTimeWithZone'),
    remarks: ref('markupMultiline'),
  },
  ['uuid', 'description', 'methods', 'collected'],
);

const findingTarget: JsonSchema = closed(
  {
    type: { enum: ['statement-id', 'objective-id'] },
    'target-id': ref('token'),
    title: ref('markupLine'),
    description: ref('markupMultiline'),
    ...annotations,
    status: closed({ state: { enum: ['satisfied', 'not-satisfied'] }, reason: ref('token'), remarks: ref('markupMultiline') }, ['state']),
    remarks: ref('markupMultiline'),
  },
  ['type', 'target-id', 'status'],
);

const finding: JsonSchema = closed(
  {
    uuid: ref('uuid'),
    title: ref('markupLine'),
    description: ref('markupMultiline'),
    ...annotations,
    target: findingTarget,
    'related-observations': list(closed({ 'observation-uuid': ref('uuid') }, ['observation-uuid'])),
    remarks: ref('markupMultiline'),
  },
  ['uuid', 'title', 'description', 'target'],
);

/** The model's choice: either every control of the catalog, or the listed ones. */
const controlSelection: JsonSchema = {
  ...closed({
    description: ref('markupMultiline'),
    ...annotations,
    'include-all': closed({}),
    'include-controls': list(closed({ 'control-id': ref('token'), 'statement-ids': list(ref('token')) }, ['control-id'])),
    remarks: ref('markupMultiline'),
  }),
  oneOf: [{ required: ['include-all'] }, { required: ['include-controls'] }],
};

const result: JsonSchema = closed(
  {
    uuid: ref('uuid'),
    title: ref('markupLine'),
    description: ref('markupMultiline'),
    start: ref('dateTimeWithZone'),
    end: ref('dateTimeWithZone'),
    ...annotations,
    'reviewed-controls': closed({ description: ref('markupMultiline'), ...annotations, 'control-selections': list(controlSelection), remarks: ref('markupMultiline') }, ['control-selections']),
    observations: list(observation),
    findings: list(finding),
    remarks: ref('markupMultiline'),
  },
  ['uuid', 'title', 'description', 'start', 'reviewed-controls'],
);

function document(root: string, title: string, body: JsonSchema): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://evidentia.dev/ns/oscal/schema/${root}.json`,
    title,
    ...closed({ [root]: body }, [root]),
    definitions: { ...datatypes, ...shared, part, control, group },
  };
}

export const CATALOG_SCHEMA: JsonSchema = document(
  'catalog',
  'evidentia OSCAL 1.1.2 catalog (conformance subset)',
  closed({ uuid: ref('uuid'), metadata: ref('metadata'), groups: list(ref('group')), controls: list(ref('control')), 'back-matter': ref('backMatter') }, ['uuid', 'metadata']),
);

export const ASSESSMENT_RESULTS_SCHEMA: JsonSchema = document(
  'assessment-results',
  'evidentia OSCAL 1.1.2 assessment-results (conformance subset)',
  closed(
    {
      uuid: ref('uuid'),
      metadata: ref('metadata'),
      'import-ap': closed({ href: ref('uriReference'), remarks: ref('markupMultiline') }, ['href']),
      results: list(result),
      'back-matter': ref('backMatter'),
    },
    ['uuid', 'metadata', 'import-ap', 'results'],
  ),
);
