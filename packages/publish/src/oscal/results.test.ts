import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { criteria } from '@evidentia/catalog';
import type { Manifest } from '@evidentia/locker';
import { builtInChecks } from '@evidentia/audit';
import { parsePeriod } from '@evidentia/time';
import { accountRecord, createSyntheticLocker, pullRequestRecord, type SyntheticLocker } from '@evidentia/audit/testing';
import { exportResults } from './export-results.js';
import type { AssessmentResultsDocument } from './model.js';
import { nistProblems } from './nist-schemas.test-support.js';
import { conformanceProblems } from './validate.js';

const GH = 'github:acme';
const HOSTILE = '[click me](https://evil.example/x) <img src=x onerror=alert(1)> **urgent**';
const PERIOD = parsePeriod('2026-02-01..2026-02-28');
const checks = builtInChecks.map((definition) => ({ definition, settings: definition.settings.parse({}) }));

let synthetic: SyntheticLocker;
let manifest: Manifest;
let document: AssessmentResultsDocument;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-01-20T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'alice')] }]);
  manifest = await synthetic.run('2026-02-10T02:00:00Z', [
    { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord(GH, 'acme/api#7', { title: HOSTILE, mergedAt: '2026-02-05T12:00:00Z' })] },
  ]);
  document = await exportResults({ locker: synthetic.locker, config: null, period: PERIOD, framework: 'soc2', checks });
}, 60_000);

afterAll(async () => synthetic.cleanup());

const result = () => document['assessment-results'].results[0]!;
const observation = (checkId: string) => result().observations!.find((o) => o.props?.some((p) => p.name === 'check-id' && p.value === checkId))!;

describe('OSCAL assessment-results from a locker', () => {
  it('conforms, with a finding per SOC 2 criterion in scope', async () => {
    expect(conformanceProblems('assessment-results', document)).toEqual([]);
    const nist = await nistProblems('assessment-results', document);
    if (nist) expect(nist).toEqual([]);
    const security = criteria.filter((criterion) => criterion.category === 'security').map((criterion) => criterion.id);
    expect(result()['reviewed-controls']['control-selections'][0]!['include-controls']!.map((c) => c['control-id'])).toEqual(security);
    expect(result().findings!.map((finding) => finding.target['target-id'])).toEqual(security.map((id) => `${id}_smt`));
    const plan = document['assessment-results']['import-ap'].href.slice(1);
    expect(document['assessment-results']['back-matter']?.resources?.map((resource) => resource.uuid)).toContain(plan);
  });

  it('reports a failing check as not satisfied, linked to the check run', () => {
    const cc81 = result().findings!.find((finding) => finding.target['target-id'] === 'CC8.1_smt')!;
    expect(cc81.target.status).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(cc81['related-observations']).toContainEqual({ 'observation-uuid': observation('pull-request-approved').uuid });
  });

  it('escapes a hostile pull request title so it cannot become a link or HTML', () => {
    const { description } = observation('pull-request-approved');
    expect(description).toContain('acme/api\\#7 \\[click me\\](https\\://evil.example/x) \\<img src=x onerror=alert(1)\\> \\*\\*urgent\\*\\*');
    // Every bracket, angle bracket and asterisk is escaped: no link, image, HTML or emphasis can form.
    expect(description).not.toMatch(/(^|[^\\])[[\]<>*]/);
  });

  it('names the record sets each check read, from the locker manifests', () => {
    const read = observation('pull-request-approved')['relevant-evidence']!;
    const pulls = manifest.streams.find((stream) => stream.stream === 'pull_requests')!;
    expect(read).toHaveLength(1);
    expect(read[0]!.description).toContain('github/pull\\_requests');
    expect(read[0]!.props).toEqual([expect.objectContaining({ name: 'record-set', value: pulls.recordSet })]);
    expect(observation('pull-request-approved').collected).toBe('2026-02-10T02:00:00.000Z');
    expect(observation('mfa-enabled')['relevant-evidence']![0]!.description).toContain('github/members');
  });

  it('exports the same document from the same locker', async () => {
    const again = await exportResults({ locker: synthetic.locker, config: null, period: PERIOD, framework: 'soc2', checks });
    expect(JSON.stringify(again)).toBe(JSON.stringify(document));
  });
});
