/**
 * NIST's published OSCAL JSON Schemas for tests, when the environment has
 * them: EVIDENTIA_OSCAL_SCHEMA_DIR names a folder holding
 * oscal_catalog_schema.json and oscal_assessment-results_schema.json. They
 * could not be obtained where these tests were written (no package carries
 * them), so without the variable that check is not run and only evidentia's
 * conformance schema is applied.
 */
import { loadSchema, problemsOf, type OscalKind, type SchemaProblem } from './validate.js';

/** Problems against NIST's schema for `kind`, or null when no schema folder is configured. */
export async function nistProblems(kind: OscalKind, document: unknown): Promise<SchemaProblem[] | null> {
  const dir = process.env.EVIDENTIA_OSCAL_SCHEMA_DIR;
  if (!dir) return null;
  const { validate } = await loadSchema(dir, kind);
  return problemsOf(validate, document);
}
