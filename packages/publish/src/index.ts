/**
 * The outputs for people and tools: the self-contained HTML report, the
 * audit bundle and its verifier, and OSCAL (catalog and assessment results
 * with their validation). Built on what @evidentia/audit judges; never
 * imports the SDK runtime, a connector or the CLI.
 */
export { exportBundle } from './bundle/export.js';
export { bundleReportJson, renderBundleReport } from './bundle/render.js';
export { verifyBundle } from './bundle/verify.js';
export { catalogDocument, type OfficialText } from './oscal/catalog.js';
export { OSCAL_DATE_RANGE, OSCAL_VERSION } from './oscal/datatypes.js';
export { exportResults } from './oscal/export-results.js';
export { conformanceProblems, loadSchema, type OscalKind, problemsOf, renderProblems, type UserSchema } from './oscal/validate.js';
export { coverageOf } from './report/coverage-view.js';
export { escapeHtml, html, SafeHtml, trustedMarkup } from './report/html.js';
export { frameworkReadiness } from './report/readiness-section.js';
export { buildReportModel, countEvidence } from './report/model.js';
export { judgePeriod, type PeriodJudgement, readinessOfJudgement } from './report/period-judgement.js';
export { renderReport } from './report/render.js';
