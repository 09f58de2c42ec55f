/**
 * The part of the OSCAL 1.1 model evidentia emits (catalog and
 * assessment-results, JSON format), as TypeScript types. Field names are
 * OSCAL's own; only what the exports fill in is declared, and
 * schema.ts holds the same shapes as the JSON Schema they are checked against.
 */
import { EVIDENTIA_NS, plainText } from './datatypes.js';

export interface Property {
  name: string;
  ns?: string;
  value: string;
  class?: string;
  remarks?: string;
}

export interface Link {
  href: string;
  rel?: string;
  'resource-fragment'?: string;
  text?: string;
}

export interface Metadata {
  title: string;
  'last-modified': string;
  version: string;
  'oscal-version': string;
  props?: Property[];
  remarks?: string;
}

export interface Part {
  id?: string;
  name: string;
  prose?: string;
  links?: Link[];
}

export interface Control {
  id: string;
  class?: string;
  title: string;
  props?: Property[];
  links?: Link[];
  parts?: Part[];
}

export interface Group {
  id?: string;
  class?: string;
  title: string;
  props?: Property[];
  controls?: Control[];
}

export interface Resource {
  uuid: string;
  title?: string;
  description?: string;
  props?: Property[];
  citation?: { text: string };
  remarks?: string;
}

export interface BackMatter {
  resources?: Resource[];
}

export interface CatalogDocument {
  catalog: {
    uuid: string;
    metadata: Metadata;
    groups?: Group[];
    'back-matter'?: BackMatter;
  };
}

export type ObservationMethod = 'EXAMINE' | 'INTERVIEW' | 'TEST' | 'UNKNOWN';
export type ObservationType = 'ssp-statement-issue' | 'control-objective' | 'mitigation' | 'finding' | 'historic';

export interface RelevantEvidence {
  href?: string;
  description: string;
  props?: Property[];
}

export interface Observation {
  uuid: string;
  title?: string;
  description: string;
  props?: Property[];
  methods: ObservationMethod[];
  types?: ObservationType[];
  'relevant-evidence'?: RelevantEvidence[];
  collected: string;
}

export interface Finding {
  uuid: string;
  title: string;
  description: string;
  props?: Property[];
  target: {
    type: 'statement-id' | 'objective-id';
    'target-id': string;
    status: { state: 'satisfied' | 'not-satisfied'; reason?: string };
  };
  'related-observations'?: { 'observation-uuid': string }[];
}

export interface ControlSelection {
  'include-all'?: Record<string, never>;
  'include-controls'?: { 'control-id': string }[];
}

export interface Result {
  uuid: string;
  title: string;
  description: string;
  start: string;
  end?: string;
  props?: Property[];
  'reviewed-controls': { 'control-selections': ControlSelection[] };
  observations?: Observation[];
  findings?: Finding[];
  remarks?: string;
}

export interface AssessmentResultsDocument {
  'assessment-results': {
    uuid: string;
    metadata: Metadata;
    'import-ap': { href: string; remarks?: string };
    results: Result[];
    'back-matter'?: BackMatter;
  };
}

/** One of evidentia's own props, in its namespace (OSCAL wants `ns` on every prop it does not define). */
export function prop(name: string, value: string): Property {
  return { name, ns: EVIDENTIA_NS, value: plainText(value) };
}
