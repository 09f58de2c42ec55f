/**
 * Gathering a period's assessment results from the locker, by the same path
 * as `evidentia check` and `evidentia report`: the checks in scope run over
 * the period (through an observed locker, to know what each one read), the
 * coverage ledger when a configuration gives schedules, and the report's
 * model for the per-criterion status. Nothing is judged here that those do
 * not judge; results.ts only turns it into OSCAL.
 */
import type { FrameworkId } from '@evidentia/catalog';
import type { Locker } from '@evidentia/locker';
import { type AuditConfig, checksInScope, type ConfiguredCheck, frameworkScope, PeopleDirectory, type Period, runChecks, scopeOf, sourcePlans } from '@evidentia/audit';
import { coverageOf } from '../report/coverage-view.js';
import { buildReportModel } from '../report/model.js';
import { observeReads } from './evidence-reads.js';
import type { AssessmentResultsDocument } from './model.js';
import { LISTED_FINDINGS } from './observations.js';
import { assessmentResults } from './results.js';

export interface ResultsExport {
  locker: Locker;
  config: AuditConfig | null;
  period: Period;
  framework: FrameworkId;
  checks: ConfiguredCheck[];
}

/** When the newest manifest's run finished: the evidence's as-of time, so the same locker exports the same document (null for an empty locker). */
async function lastCollection(locker: Locker, sequence: number | undefined): Promise<string | null> {
  if (sequence === undefined) return null;
  return (await locker.runs()).find((run) => run.sequence === sequence)?.finishedAt ?? null;
}

/**
 * When what the document judges last changed: the last collection, or a later document, acceptance
 * (or its revocation) or access-review entry, each of which can change a finding. The document's
 * last-modified, so a re-export after `evidence add` is never dated as the revision it replaces.
 */
async function lastChange(locker: Locker, collected: string): Promise<string> {
  const [documents, acceptances, reviews] = await Promise.all([locker.documents(), locker.acceptances(), locker.accessReviews()]);
  const times = [
    collected,
    ...documents.map((entry) => entry.addedAt),
    ...acceptances.flatMap((acceptance) => [acceptance.recordedAt, ...(acceptance.revoked ? [acceptance.revoked.at] : [])]),
    ...reviews.map((entry) => entry.addedAt),
  ];
  return times.reduce((latest, time) => (Date.parse(time) > Date.parse(latest) ? time : latest));
}

export async function exportResults({ locker, config, period, framework, checks }: ResultsExport): Promise<AssessmentResultsDocument> {
  const configured = scopeOf(config);
  // The framework asked for is in scope even when the configuration does not list it.
  const scope = frameworkScope([...configured.frameworks, framework], configured.categories);
  const observed = observeReads(locker, await locker.periodStreamRuns(period));
  const run = await runChecks({
    locker: observed.locker,
    period,
    checks: checksInScope(checks, scope),
    people: new PeopleDirectory(config?.people.aliases ?? {}),
    sources: sourcePlans(config),
    keep: LISTED_FINDINGS,
    onCheckStart: (definition) => observed.start(definition.id),
  });
  const coverage = await coverageOf(locker, config, period);
  const model = await buildReportModel({ locker, period, run, coverage: coverage?.view ?? null, requests: coverage?.requests ?? null, scope });
  // An empty locker has no collection time; the period's start keeps the export reproducible.
  const asOf = (await lastCollection(locker, model.lastManifest?.sequence)) ?? period.since.toISOString();
  const lastModified = await lastChange(locker, asOf);
  return assessmentResults({ framework, period, scope, model, readsOf: observed.readsOf, ledger: coverage?.ledger ?? null, asOf, lastModified });
}
