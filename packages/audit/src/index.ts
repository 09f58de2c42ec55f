/**
 * The judging half: the check contract (what custom checks import), the
 * library and runner, people matching, populations and their IPE, sampling,
 * the coverage ledger and framework scope. It reads the locker and never
 * imports the SDK runtime, a connector or the CLI.
 */
export { type AuditConfig, type AuditInstance, type AuditStream } from './audit-config.js';
export { auditTimezone, readMoment, readPeriod, readRange } from './audit-time.js';
export { type AcceptanceMark, type AcceptanceStatus, type AcceptanceSummary, AcceptanceJudge, acceptancesFor, acceptanceStatus, type JudgedAcceptance } from './checks/acceptances.js';
export { type CheckContext, type CheckDefinition, type CheckEvidence, defineCheck, type Finding, type FindingStatus, type InventoryItem, type Window, type YieldedFinding } from './checks/define.js';
export { groupItems } from './checks/evidence.js';
export { builtInChecks } from './checks/library/index.js';
export { exceptionNotices, notifyExceptions } from './checks/notify.js';
export { PeopleDirectory } from './checks/people.js';
export { describePeriod, type Period } from './checks/period.js';
export { type ConfiguredCheck, configuredChecks } from './checks/registry.js';
export { acceptanceText, renderCheckRun } from './checks/render.js';
export { checkResultsWriter } from './checks/results-json.js';
export { checkMet, type CheckOutcome, type CheckRun, failed, notAssessed, runChecks, undecided } from './checks/runner.js';
export { sourcePlans } from './checks/source-plans.js';
export { type CoverageNote, coverageNoteLines, coverageNotes, renderCoverageNote } from './checks/coverage-notes.js';
export { type Source, type SourcePlan, sourcesOf } from './checks/sources.js';
export { ledgerFromLocker, openGaps, operationalGaps } from './coverage/gather.js';
export { computeLedger, type LedgerInput, unreadItem } from './coverage/ledger.js';
export { notifyNewGaps } from './coverage/notified.js';
export { streamPlans } from './coverage/plans.js';
export { recentDays } from './coverage/recent-days.js';
export { causeText, duration, renderLedger, renderLedgerCsv } from './coverage/render.js';
export { type Gap, type GapCause, type Ledger, type StreamCoverage } from './coverage/types.js';
export { ConfigError, EXIT_FAILURE, EXIT_USAGE, UsageError } from './errors.js';
export { type OfficialTextFileOptions, readOfficialTextFile } from './frameworks/official-text-file.js';
export { type ResolvedRequirement, resolveRequirement, type Support, viaText } from './frameworks/resolve.js';
export { checksInScope, type FrameworkScope, frameworkScope, ledgerInScope, scopeOf } from './frameworks/scope.js';
export { coveredCriteria, type FrameworkTable, frameworkTables, REQUIREMENT_STATUS_TEXT, type RequirementStatus } from './frameworks/status.js';
export { type AuditNotifier, type ExceptionExample, type ExceptionNotice, type GapNotice } from './notices.js';
export { csvLine } from './population/csv.js';
export { type CoverageGapSource, coverageGaps, coverageGapWarnings, emptyReason, kindsOf, type MissingSource, missingSources } from './population/empty-reason.js';
export { closeStream, csvHeader, exportPopulation, ipeSidecarOf, POPULATION_FORMATS, type PopulationFormat, writeText } from './population/export-population.js';
export { buildIpe } from './population/ipe.js';
export { summarize } from './population/population.js';
export { ACCESS_REVIEW_KIND } from './population/access-review-rows.js';
export { population, type PopulationItem, type PopulationQuery, rowOf } from './population/population.js';
export { populationItemOf, populationPage, type PopulationPage, type PopulationPageQuery } from './population/population-page.js';
export { renderSample, sampleCsv } from './population/sample-output.js';
export { drawSample, type Sample, seedProblem } from './population/sample.js';
export { sampleOfQuery, type QuerySampleOptions } from './population/sample-query.js';
export { checkPopulationSelector } from './population/selector.js';
export { computeReadiness, NO_EVIDENCE_PATH, type ReadinessInput } from './readiness/compute.js';
export { unmetRequests } from './readiness/criterion-evidence.js';
export { type ReadinessOptions, readinessFromLocker, readinessInScope, type ScopeReadinessOptions } from './readiness/gather.js';
export { READINESS_CSV_HEADER, READINESS_STATUS_TEXT, readinessCsv, renderReadiness, statusCounts } from './readiness/render.js';
export { type EvidencePath, READINESS_STATUSES, type Readiness, type ReadinessProblem, type ReadinessStatus, type ReadinessTodo, type RequirementReadiness, type ReviewEvidence } from './readiness/types.js';
export { configuredRequestLedger, requestLedgerFromLocker } from './requests/gather.js';
export { computeRequestLedger, type RequestDocument, type RequestEventItem, type RequestLedgerInput } from './requests/ledger.js';
export { renderRequestLedger } from './requests/render.js';
export { type RequestProblem, RequestSettings, resolveRequests } from './requests/settings.js';
export { STARTER_REQUESTS } from './requests/starter.js';
export { type EvidenceRequest, FREQUENCIES, type Frequency, type Occurrence, type OccurrenceStatus, type RequestLedger, type RequestLine } from './requests/types.js';
export { renderTable, terminalSafe } from './table.js';
export { causesFirst, renderRootCauses, type ReportedProblem, type RootCause } from './causes.js';
export { buildReview } from './access-reviews/build.js';
export { decisionsToRecord, reviewIdOf } from './access-reviews/decisions.js';
export { readDecidedRows } from './access-reviews/read-decisions.js';
export { AccessReviewSettings } from './access-reviews/settings.js';
export { reviewStates } from './access-reviews/state.js';
export { type ReviewBody, type ReviewState } from './access-reviews/types.js';
export { writeReviewCsv, writeReviewXlsx } from './access-reviews/workbook.js';
