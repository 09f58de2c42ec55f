/**
 * A period's check results and coverage as one OSCAL assessment-results
 * document: one result for the period, the requirements reviewed, an
 * observation per check run and per open coverage gap, a finding per
 * requirement, and in back-matter the locker the evidence sits in. OSCAL
 * requires an assessment plan to import; evidentia has none (it collects
 * continuously), so import-ap points at a back-matter resource that says so
 * and names what stands in for the plan.
 */
import { type FrameworkId, getFramework } from '@evidentia/catalog';
import type { FrameworkScope, Ledger, Period } from '@evidentia/audit';
import type { ReportModel } from '../report/model.js';
import { COLLECTOR_VERSION } from '@evidentia/evidence';
import { contentUuid, markupText, OSCAL_VERSION, stableUuid } from './datatypes.js';
import type { StreamRead } from './evidence-reads.js';
import { findingsOf, type FindingContext } from './findings.js';
import { prop, type AssessmentResultsDocument, type Resource } from './model.js';
import { checkObservation, gapObservation, gapObservationUuid } from './observations.js';

export interface ResultsInput {
  framework: FrameworkId;
  period: Period;
  /** Must include `framework`. */
  scope: FrameworkScope;
  /** The report's model of the period: check run, SOC 2 criteria rows, manifest chain. */
  model: ReportModel;
  readsOf(checkId: string): StreamRead[];
  ledger: Ledger | null;
  /** When the last manifest's run finished: when observations without reads were collected. */
  asOf: string;
  /** When what the document judges last changed (asOf, or a later document or other entry): its last-modified; asOf when absent. */
  lastModified?: string;
}

function lockerResource(uuid: string, model: ReportModel): Resource {
  const last = model.lastManifest!;
  return {
    uuid,
    title: 'evidentia evidence locker',
    description:
      `The evidence sits in an evidentia locker whose manifest chain holds ${model.manifests} signed manifest(s), the last number ${last.sequence} with SHA-256 ${last.hash}, signed with the Ed25519 key ${model.keyId}. ` +
      "A record-set hash names the sorted list of record hashes one stream run observed. `evidentia verify` re-hashes records and record sets and checks the chain and every signature; `evidentia export bundle` hands an auditor the same evidence with the public key.",
    props: [prop('key-id', model.keyId), prop('manifest-count', String(model.manifests)), prop('last-manifest', String(last.sequence)), prop('last-manifest-sha256', last.hash)],
  };
}

export function assessmentResults(input: ResultsInput): AssessmentResultsDocument {
  const { framework, period, model, ledger } = input;
  const catalog = getFramework(framework);
  const name = `${catalog.name} ${catalog.version}`;
  const since = period.since.toISOString();
  const until = period.until.toISOString();
  const lockerUuid = model.lastManifest ? stableUuid('locker', model.keyId) : null;
  const openGaps = (ledger?.streams ?? []).flatMap((stream) => stream.gaps.filter((gap) => gap.status === 'open'));
  const key = `assessment-results/${framework}/${since}/${until}`;
  const gapObservations = new Map<string, string[]>();
  for (const gap of openGaps) gapObservations.set(gap.stream, [...(gapObservations.get(gap.stream) ?? []), gapObservationUuid({ key }, gap)]);
  const context: FindingContext = { key, lockerResource: lockerUuid, asOf: input.asOf, framework, coverageKnown: ledger !== null, gapObservations };

  const observations = [...model.run.checks.map((check) => checkObservation(context, check, input.readsOf(check.id))), ...openGaps.map((gap) => gapObservation(context, gap, ledger!.evaluatedUntil))];
  const { findings, reviewed, unmapped } = findingsOf(context, model.criteria, input.scope);
  const noPlan: Resource = {
    uuid: stableUuid(context.key, 'no-assessment-plan'),
    title: 'No OSCAL assessment plan',
    description:
      `evidentia collects evidence continuously and judges it with checks, without an OSCAL assessment plan. Standing in for one: the period ${since} to ${until} (end exclusive), ` +
      `the checks ${model.run.checks.map((check) => markupText(check.id)).join(', ') || '(none)'}, and the ${markupText(name)} requirements listed in reviewed-controls.`,
  };
  const rule =
    'A requirement is satisfied only when every check serving it passed with nothing left undecided and the coverage ledger shows no open gap and no in-scope item left unread in its streams (those linked to it and those its checks judged, which must all still be configured). ' +
    (framework === 'soc2' ? '' : `${markupText(name)} requirements are judged through the SOC 2 mapping sets: only a satisfied SOC 2 criterion equal to or wider than the requirement satisfies it; partial support never does. `);
  const remarks = [
    ...(ledger ? [] : ["No configuration gave the streams' schedules, so coverage could not be judged and no requirement is reported satisfied."]),
    ...(unmapped > 0 ? [`${unmapped} ${markupText(name)} requirement(s) have no SOC 2 mapping and were not reviewed.`] : []),
  ];
  const body = {
    metadata: {
      title: markupText(`evidentia assessment results: ${name}, ${since} to ${until}`),
      'last-modified': input.lastModified ?? input.asOf,
      version: `${model.lastManifest ? `manifest ${model.lastManifest.sequence}, ` : ''}evidentia ${COLLECTOR_VERSION}`,
      'oscal-version': OSCAL_VERSION,
      props: [prop('framework', framework), prop('period-since', since), prop('period-until', until)],
    },
    'import-ap': { href: `#${noPlan.uuid}`, remarks: 'evidentia has no assessment plan; the referenced resource says what stands in for it.' },
    results: [
      {
        uuid: stableUuid(context.key, 'result'),
        title: markupText(`${name}: ${since} to ${until}`),
        description: `Checks run by evidentia over the evidence in its locker for the period (end exclusive). ${rule}`.trim(),
        start: since,
        end: until,
        props: [prop('framework', framework)],
        'reviewed-controls': { 'control-selections': [{ 'include-controls': reviewed.map((id) => ({ 'control-id': id })) }] },
        ...(observations.length > 0 ? { observations } : {}),
        ...(findings.length > 0 ? { findings } : {}),
        ...(remarks.length > 0 ? { remarks: remarks.join('\n\n') } : {}),
      },
    ],
    'back-matter': { resources: [noPlan, ...(lockerUuid ? [lockerResource(lockerUuid, model)] : [])] },
  };
  return { 'assessment-results': { uuid: contentUuid('assessment-results', body), ...body } };
}
