/**
 * The conformance schema bites: a valid document passes, and each kind of
 * damage an exporter could do (a missing required field, a date-time without
 * its zone, an ID that is not a token, a field outside the model, a value
 * outside an enumeration, an empty list) fails with a path to the damage.
 */
import { describe, expect, it } from '@jest/globals';
import type { AssessmentResultsDocument } from './model.js';
import { catalogDocument } from './catalog.js';
import { stableUuid } from './datatypes.js';
import { conformanceProblems, type OscalKind } from './validate.js';

type Json = Record<string, unknown>;

const observationUuid = stableUuid('test', 'observation');
const RESULTS: AssessmentResultsDocument = {
  'assessment-results': {
    uuid: stableUuid('test', 'document'),
    metadata: { title: 'Results', 'last-modified': '2026-07-01T00:00:00Z', version: '1', 'oscal-version': '1.1.2' },
    'import-ap': { href: `#${stableUuid('test', 'plan')}` },
    results: [
      {
        uuid: stableUuid('test', 'result'),
        title: 'Period',
        description: 'The period.',
        start: '2026-01-01T00:00:00Z',
        end: '2026-07-01T00:00:00+02:00',
        'reviewed-controls': { 'control-selections': [{ 'include-controls': [{ 'control-id': 'CC8.1' }] }] },
        observations: [{ uuid: observationUuid, description: 'A check ran.', methods: ['TEST'], types: ['control-objective'], 'relevant-evidence': [{ description: 'records' }], collected: '2026-06-30T12:00:00.123Z' }],
        findings: [
          {
            uuid: stableUuid('test', 'finding'),
            title: 'CC8.1',
            description: 'Not satisfied.',
            target: { type: 'statement-id', 'target-id': 'CC8.1_smt', status: { state: 'not-satisfied', reason: 'fail' } },
            'related-observations': [{ 'observation-uuid': observationUuid }],
          },
        ],
      },
    ],
  },
};

/** A deep copy of `document` with `change` applied. */
function damaged(document: unknown, change: (copy: Json) => void): Json {
  const copy = structuredClone(document) as Json;
  change(copy);
  return copy;
}

const at = (value: unknown, ...path: (string | number)[]): Json => path.reduce<unknown>((node, key) => (node as Json)[key], value) as Json;

function expectProblem(kind: OscalKind, document: Json, path: string) {
  const problems = conformanceProblems(kind, document);
  expect(problems.length).toBeGreaterThan(0);
  expect(problems.map((problem) => problem.path)).toContain(path);
}

describe('evidentia OSCAL conformance schema: catalog', () => {
  const catalog = catalogDocument('iso27001');

  it('accepts the exported catalog', () => {
    expect(conformanceProblems('catalog', catalog)).toEqual([]);
  });

  it.each([
    ['a missing uuid', (d: Json) => delete at(d, 'catalog').uuid, '/catalog'],
    ['a date-time without its zone', (d: Json) => (at(d, 'catalog', 'metadata')['last-modified'] = '2026-11-26T00:00:00'), '/catalog/metadata/last-modified'],
    ['an impossible date', (d: Json) => (at(d, 'catalog', 'metadata')['last-modified'] = '2026-13-01T00:00:00Z'), '/catalog/metadata/last-modified'],
    // NIST's date-time-with-timezone takes years 1900 to 2999 only, and a February 29 of a leap year only.
    ['a year before 1900', (d: Json) => (at(d, 'catalog', 'metadata')['last-modified'] = '1899-12-31T23:00:00Z'), '/catalog/metadata/last-modified'],
    ['a year past 2999', (d: Json) => (at(d, 'catalog', 'metadata')['last-modified'] = '3000-01-01T00:00:00Z'), '/catalog/metadata/last-modified'],
    ['February 29 of a year that has none', (d: Json) => (at(d, 'catalog', 'metadata')['last-modified'] = '2026-02-29T00:00:00Z'), '/catalog/metadata/last-modified'],
    ['a control ID that is not a token', (d: Json) => (at(d, 'catalog', 'groups', 0, 'controls', 0).id = '4.1'), '/catalog/groups/0/controls/0/id'],
    ['a field outside the model', (d: Json) => (at(d, 'catalog', 'groups', 0, 'controls', 0).statement = 'text'), '/catalog/groups/0/controls/0'],
    ['a prop name with a space', (d: Json) => (at(d, 'catalog', 'metadata', 'props', 0).name = 'my prop'), '/catalog/metadata/props/0/name'],
    ['a uuid that is not v4 or v5', (d: Json) => (at(d, 'catalog').uuid = '00000000-0000-1000-8000-000000000000'), '/catalog/uuid'],
    ['an empty list', (d: Json) => (at(d, 'catalog', 'groups', 0).controls = []), '/catalog/groups/0/controls'],
    ['a title on two lines', (d: Json) => (at(d, 'catalog', 'groups', 0).title = 'one\ntwo'), '/catalog/groups/0/title'],
    ['another OSCAL version', (d: Json) => (at(d, 'catalog', 'metadata')['oscal-version'] = '1.0.0'), '/catalog/metadata/oscal-version'],
  ])('rejects %s', (_name, change, path) => {
    expectProblem('catalog', damaged(catalog, change), path);
  });
});

describe('evidentia OSCAL conformance schema: assessment-results', () => {
  it('accepts a valid document', () => {
    expect(conformanceProblems('assessment-results', RESULTS)).toEqual([]);
  });

  const result = ['assessment-results', 'results', 0] as const;
  it.each([
    ['a missing import-ap', (d: Json) => delete at(d, 'assessment-results')['import-ap'], '/assessment-results'],
    ['a method OSCAL does not list', (d: Json) => (at(d, ...result, 'observations', 0).methods = ['SCAN']), '/assessment-results/results/0/observations/0/methods/0'],
    ['a state between satisfied and not', (d: Json) => (at(d, ...result, 'findings', 0, 'target', 'status').state = 'partially-satisfied'), '/assessment-results/results/0/findings/0/target/status/state'],
    ['an observation without its collection time', (d: Json) => delete at(d, ...result, 'observations', 0).collected, '/assessment-results/results/0/observations/0'],
    ['evidence without a description', (d: Json) => delete at(d, ...result, 'observations', 0, 'relevant-evidence', 0).description, '/assessment-results/results/0/observations/0/relevant-evidence/0'],
    ['both include-all and include-controls', (d: Json) => (at(d, ...result, 'reviewed-controls', 'control-selections', 0)['include-all'] = {}), '/assessment-results/results/0/reviewed-controls/control-selections/0'],
    ['a target ID that is not a token', (d: Json) => (at(d, ...result, 'findings', 0, 'target')['target-id'] = '4.1_smt'), '/assessment-results/results/0/findings/0/target/target-id'],
    ['no results', (d: Json) => (at(d, 'assessment-results').results = []), '/assessment-results/results'],
  ])('rejects %s', (_name, change, path) => {
    expectProblem('assessment-results', damaged(RESULTS, change), path);
  });
});
