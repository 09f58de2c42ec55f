/**
 * Validation of exported OSCAL documents with Ajv: always against
 * evidentia's conformance schema (schema.ts), and, on request, against a
 * schema file the user supplies, typically NIST's published
 * `oscal_catalog_schema.json` or `oscal_assessment-results_schema.json`.
 * Both are draft-07; NIST's patterns use Unicode property escapes (`\p{L}`),
 * so regular expressions are compiled in Unicode mode (Ajv's default).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { UsageError } from '@evidentia/audit';
import { ASSESSMENT_RESULTS_SCHEMA, CATALOG_SCHEMA } from './schema.js';

export type OscalKind = 'catalog' | 'assessment-results';

export interface SchemaProblem {
  /** JSON Pointer into the document (`/catalog/groups/0/id`), `/` for the root. */
  path: string;
  message: string;
}

/** NIST's file name for each model's JSON Schema, looked up when --validate-with names a folder. */
export const NIST_SCHEMA_FILES: Readonly<Record<OscalKind, string>> = {
  catalog: 'oscal_catalog_schema.json',
  'assessment-results': 'oscal_assessment-results_schema.json',
};

// ajv-formats is CommonJS: Node's default import is its module.exports, which carries the plugin as `.default` too.
const addFormats = ajvFormats.default;

function newAjv(): Ajv {
  // strict: false because NIST's schemas use keywords and formats Ajv's strict mode rejects; logger off for the same warnings.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true, logger: false });
  addFormats(ajv);
  return ajv;
}

function describe(error: ErrorObject): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  const detail = typeof params.additionalProperty === 'string' ? ` (${params.additionalProperty})` : Array.isArray(params.allowedValues) ? ` (${params.allowedValues.join(', ')})` : '';
  return { path: error.instancePath || '/', message: `${error.message ?? 'is invalid'}${detail}` };
}

export function problemsOf(validate: ValidateFunction, document: unknown): SchemaProblem[] {
  return validate(document) ? [] : (validate.errors ?? []).map(describe);
}

const own = new Map<OscalKind, ValidateFunction>();

/** Problems of `document` against evidentia's own schema for `kind` (empty when it conforms). */
export function conformanceProblems(kind: OscalKind, document: unknown): SchemaProblem[] {
  let validate = own.get(kind);
  if (!validate) {
    validate = newAjv().compile(kind === 'catalog' ? CATALOG_SCHEMA : ASSESSMENT_RESULTS_SCHEMA);
    own.set(kind, validate);
  }
  return problemsOf(validate, document);
}

/** A schema the user supplied, compiled. */
export interface UserSchema {
  file: string;
  validate: ValidateFunction;
}

/** Compile the user's schema: a file, or a folder holding NIST's file for `kind`. */
export async function loadSchema(path: string, kind: OscalKind): Promise<UserSchema> {
  let file = path;
  let schema: unknown;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, NIST_SCHEMA_FILES[kind]);
    schema = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--validate-with ${path}: cannot read a JSON Schema from ${file}: ${(error as Error).message}`);
  }
  try {
    return { file, validate: newAjv().compile(schema as object) };
  } catch (error) {
    throw new UsageError(`--validate-with ${file}: not a usable JSON Schema: ${(error as Error).message}`);
  }
}

export function renderProblems(problems: readonly SchemaProblem[]): string {
  return problems.map((problem) => `  ${problem.path}: ${problem.message}\n`).join('');
}
