import { describe, expect, it } from '@jest/globals';
import type { CheckOutcome } from '../checks/runner.js';
import { syntheticOutcome } from '../checks/test-support.js';
import type { Gap, StreamCoverage } from '../coverage/types.js';
import { frameworkScope } from '../frameworks/scope.js';
import type { Occurrence, RequestLine } from '../requests/types.js';
import { computeReadiness, NO_EVIDENCE_PATH, type ReadinessInput } from './compute.js';
import { readinessCsv, renderReadiness } from './render.js';
import type { Readiness, ReviewEvidence } from './types.js';

const SECURITY = frameworkScope(['soc2'], []);
const PERIOD = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-04-01T00:00:00Z') };
const NOW = new Date('2026-05-01T00:00:00Z');

function check(id: string, criteria: string[], counts: Partial<CheckOutcome['counts']>, error: string | null = null): CheckOutcome {
  const findings: CheckOutcome['findings'] = counts['not-assessed'] ? [{ item: 'github:acme', system: 'github:acme', status: 'not-assessed', reason: 'no inventory of the period', records: [] }] : [];
  return syntheticOutcome(id, criteria, counts, error, findings);
}

function gap(stream: string, since: string, until: string): Gap {
  return { key: `${stream}@${since}`, stream, since, until, status: 'open', ongoing: false, closable: true, closedAt: null, closedBy: null, causes: [{ kind: 'stream-failed', since, until, detail: 'HTTP 500' }] };
}

function stream(id: string, controls: string[], options: { successful?: number; gaps?: Gap[]; expected?: number } = {}): StreamCoverage {
  const gaps = options.gaps ?? [];
  return { stream: id, type: 'state', schedule: '0 2 * * *', timezone: 'UTC', controls, expected: options.expected ?? 90, successful: options.successful ?? 90, failed: 0, lastSuccessAt: null, covered: gaps.length === 0, gaps, itemGaps: [] };
}

function occurrence(label: string, status: Occurrence['status'], deadline: string): Occurrence {
  return { label, from: '2026-01-01', to: '2026-03-31', due: deadline, deadline, status, documents: status === 'fulfilled' || status === 'late' ? [1] : [], cause: status === 'late' ? `document 1 was added 2026-04-20, after the deadline ${deadline}` : status === 'fulfilled' ? null : 'none yet' };
}

function request(id: string, criteria: string[], occurrences: Occurrence[]): RequestLine {
  const count = (status: Occurrence['status']) => occurrences.filter((o) => o.status === status).length;
  return { id, title: id, criteria, owner: 'security lead', frequency: 'quarterly', expected: occurrences.length, fulfilled: count('fulfilled'), late: count('late'), open: count('open'), overdue: count('overdue'), occurrences };
}

function readiness(parts: Partial<ReadinessInput>): Readiness {
  return computeReadiness({ framework: 'soc2', scope: SECURITY, period: PERIOD, now: NOW, ledger: { streams: [] }, checks: [], requests: null, ...parts });
}

const row = (result: Readiness, id: string) => result.requirements.find((requirement) => requirement.requirement === id)!;

describe('computeReadiness', () => {
  it('lists every problem of a requirement, most urgent first: an exception never hides a gap', () => {
    const result = readiness({
      ledger: { streams: [stream('github/pull_requests', ['CC8.1'], { gaps: [gap('github/pull_requests', '2026-02-03T00:00:00.000Z', '2026-02-05T12:00:00.000Z')] })] },
      checks: [check('pull-request-approved', ['CC8.1'], { pass: 7, exception: 3 })],
    });
    expect(row(result, 'CC8.1')).toMatchObject({
      status: 'exceptions',
      statuses: ['exceptions', 'gaps'],
      missing: [
        { status: 'exceptions', source: { kind: 'check', id: 'pull-request-approved' }, text: 'check pull-request-approved: 3 exceptions' },
        { status: 'gaps', source: { kind: 'stream', id: 'github/pull_requests' }, text: 'stream github/pull_requests gap 2026-02-03T00:00Z..2026-02-05T12:00Z (stream-failed: HTTP 500)' },
      ],
    });
  });

  it('says ready only with evidence of the period and nothing open', () => {
    const covered = stream('aws/account_config', ['CC7.2']);
    const passing = check('cloudtrail-logging', ['CC7.2'], { pass: 2 });
    expect(row(readiness({ ledger: { streams: [covered] }, checks: [passing] }), 'CC7.2')).toMatchObject({ status: 'ready', statuses: ['ready'], missing: [] });
    // A request occurrence not yet due keeps it from ready, without calling it overdue.
    const open = request('logging-review', ['CC7.2'], [occurrence('2026-01-01..2026-03-31', 'open', '2026-05-15')]);
    expect(row(readiness({ ledger: { streams: [covered] }, checks: [passing], requests: { requests: [open] } }), 'CC7.2')).toMatchObject({
      status: 'open',
      missing: [{ status: 'open', text: 'request logging-review due 2026-05-15: no document for 2026-01-01..2026-03-31 yet (owner: security lead)' }],
    });
    // A check whose items were all not assessed is no evidence, however covered its stream.
    const unassessed = row(readiness({ ledger: { streams: [covered] }, checks: [check('cloudtrail-logging', ['CC7.2'], { 'not-assessed': 1 })] }), 'CC7.2');
    expect(unassessed).toMatchObject({ status: 'not-assessed', missing: [{ text: 'check cloudtrail-logging: 1 item not assessed (github:acme: no inventory of the period)' }] });
  });

  it('is never ready on records no check, request or review judged, for SOC 2 or through a covering mapping', () => {
    const incidents = stream('jira/incidents', ['CC7.3', 'CC7.4', 'CC7.5']);
    const collected = readiness({ ledger: { streams: [incidents] } });
    expect(row(collected, 'CC7.3')).toMatchObject({
      status: 'not-assessed',
      statuses: ['not-assessed'],
      missing: [{ status: 'not-assessed', source: null, text: 'jira/incidents collected evidence of the period, but no check, request or review judged it' }],
    });
    // A.5.25 is equal to CC7.3: the records alone do not make it ready either.
    expect(row(readiness({ framework: 'iso27001', ledger: { streams: [incidents] } }), 'A.5.25').statuses).toEqual(['not-assessed']);
    // A.5.26: CC7.4 (superset-of) has only records, CC7.5 (intersects-with) a passing check: that is partial support, not ready.
    const narrow = readiness({ framework: 'iso27001', ledger: { streams: [incidents] }, checks: [check('recovery-reviewed', ['CC7.5'], { pass: 2 })] });
    expect(row(narrow, 'A.5.26')).toMatchObject({ status: 'partial', missing: [{ status: 'partial', text: 'SOC 2 evidence serves only part of it (through CC7.5 intersects-with): judge the rest' }] });
    // A fulfilled request judges its criterion: with it the records are ready.
    const fulfilled = request('incident-review', ['CC7.3'], [occurrence('2026-01-01..2026-03-31', 'fulfilled', '2026-04-15')]);
    expect(row(readiness({ ledger: { streams: [incidents] }, requests: { requests: [fulfilled] } }), 'CC7.3')).toMatchObject({ status: 'ready', missing: [] });
  });

  it('names the documents an overdue occurrence did not count, so "no document" is not read against a listed one', () => {
    const overdue = { ...occurrence('2026-01-01..2026-03-31', 'overdue', '2026-04-14'), uncounted: 'not counted, its file in the locker is missing or altered (run `evidentia verify`): document 3 (policy.pdf: object 1f is missing)' };
    const result = readiness({ requests: { requests: [request('access-policy', ['CC5.3'], [overdue])] } });
    expect(row(result, 'CC5.3').missing.map((problem) => problem.text)).toEqual([
      'request access-policy overdue since 2026-04-15: no document for 2026-01-01..2026-03-31 (owner: security lead); not counted, its file in the locker is missing or altered (run `evidentia verify`): document 3 (policy.pdf: object 1f is missing)',
    ]);
  });

  it('is never ready on a per-event request that no configured stream can give events to, whatever else passes', () => {
    const unwatched: RequestLine = { ...request('background-checks', ['CC1.4'], []), frequency: 'per-event', unwatched: 'no configured stream collects personnel.event records, so no joiner of the period can be told' };
    const result = readiness({ checks: [check('handbook-signed', ['CC1.4'], { pass: 3 })], requests: { requests: [unwatched] } });
    expect(row(result, 'CC1.4')).toMatchObject({
      status: 'not-assessed',
      missing: [{ status: 'not-assessed', source: { kind: 'request', id: 'background-checks' }, text: 'request background-checks not judged: no configured stream collects personnel.event records, so no joiner of the period can be told' }],
    });
  });

  it('is never ready on an item the evidence could not decide; an item exempt by configuration neither blocks nor passes', () => {
    const covered = stream('github/members', ['CC6.1']);
    const unknown: CheckOutcome['findings'][number] = { item: 'bob', system: 'github:acme', status: 'not-assessable', reason: 'the system did not report MFA', records: [] };
    const bot: CheckOutcome['findings'][number] = { item: 'ci-bot', system: 'github:acme', status: 'not-assessable', exempt: 'exemptAccountTypes', reason: 'bot account: MFA does not apply (setting exemptAccountTypes)', records: [] };
    const undecided = syntheticOutcome('mfa-enabled', ['CC6.1'], { pass: 3, 'not-assessable': 2 }, null, [bot, unknown]);
    expect(row(readiness({ ledger: { streams: [covered] }, checks: [{ ...undecided, exempt: 1 }] }), 'CC6.1')).toMatchObject({
      statuses: ['not-assessed'],
      missing: [{ status: 'not-assessed', source: { kind: 'check', id: 'mfa-enabled' }, text: 'check mfa-enabled: 1 item not assessable (bob: the system did not report MFA)' }],
    });
    const exempt = syntheticOutcome('mfa-enabled', ['CC6.1'], { pass: 3, 'not-assessable': 1 }, null, [bot]);
    expect(row(readiness({ ledger: { streams: [covered] }, checks: [{ ...exempt, exempt: 1 }] }), 'CC6.1')).toMatchObject({ status: 'ready', missing: [] });
    const onlyExempt = syntheticOutcome('mfa-enabled', ['CC6.1'], { 'not-assessable': 1 }, null, [bot]);
    expect(row(readiness({ ledger: { streams: [covered] }, checks: [{ ...onlyExempt, exempt: 1 }] }), 'CC6.1')).toMatchObject({
      statuses: ['not-assessed'],
      missing: [{ status: 'not-assessed', text: 'check mfa-enabled: only 1 item exempt by configuration, none passed' }],
    });
  });

  it('holds the gaps of the streams a check judged against its criteria, even when those streams name other criteria', () => {
    // The configuration links the members stream to CC6.2 only; mfa-enabled (CC6.1) still judged its inventories.
    const members = stream('github/members', ['CC6.2'], { successful: 60, gaps: [gap('github/members', '2026-02-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z')] });
    const mfa = { ...check('mfa-enabled', ['CC6.1'], { pass: 12 }), streams: ['github/members'] };
    expect(row(readiness({ ledger: { streams: [members] }, checks: [mfa] }), 'CC6.1')).toMatchObject({
      status: 'gaps',
      evidence: [{ kind: 'check', id: 'mfa-enabled', evidenced: true }, { kind: 'stream', id: 'github/members', evidenced: true }],
      missing: [{ status: 'gaps', source: { kind: 'stream', id: 'github/members' }, text: 'stream github/members gap 2026-02-01T00:00Z..2026-03-01T00:00Z (stream-failed: HTTP 500)' }],
    });
    // The stream's own criterion lists the gap once.
    expect(row(readiness({ ledger: { streams: [members] }, checks: [{ ...mfa, criteria: ['CC6.1', 'CC6.2'] }] }), 'CC6.2').missing).toHaveLength(1);
  });

  it('never says ready on a stream a check judged that the configuration no longer names', () => {
    // github/pull_requests was disabled: the ledger knows only branch protection, the check still judged the stored pull requests.
    const protection = stream('github/branch_protection', ['CC8.1']);
    const approved = { ...check('pull-request-approved', ['CC8.1'], { pass: 9 }), streams: ['github/pull_requests'] };
    expect(row(readiness({ ledger: { streams: [protection] }, checks: [approved] }), 'CC8.1')).toMatchObject({
      status: 'gaps',
      missing: [{ status: 'gaps', source: { kind: 'stream', id: 'github/pull_requests' }, text: 'stream github/pull_requests is no longer configured (disabled or removed): a check judged its records, but its coverage of the period cannot be judged' }],
    });
  });

  it('names overdue and late requests with their dates, and a check that could not run', () => {
    const line = request('boundary-review', ['CC6.6'], [occurrence('2026-01-01..2026-03-31', 'late', '2026-04-14'), occurrence('2026-04-01..2026-06-30', 'overdue', '2026-04-14')]);
    const result = readiness({ requests: { requests: [line] }, checks: [check('firewall', ['CC6.6'], {}, 'boom')] });
    expect(row(result, 'CC6.6')).toMatchObject({
      statuses: ['exceptions', 'overdue', 'not-assessed'],
      evidence: [{ kind: 'check', id: 'firewall', evidenced: false, summary: 'could not run' }, { kind: 'request', id: 'boundary-review', evidenced: true, summary: '1 of 2 fulfilled (1 late)' }],
    });
    expect(row(result, 'CC6.6').missing.map((problem) => problem.text)).toEqual([
      'request boundary-review fulfilled late for 2026-01-01..2026-03-31: document 1 was added 2026-04-20, after the deadline 2026-04-14',
      'request boundary-review overdue since 2026-04-15: no document for 2026-04-01..2026-06-30 (owner: security lead)',
      'check firewall could not run: boom',
    ]);
  });

  it('says no evidence path for a requirement nothing serves', () => {
    const result = readiness({ checks: [check('pull-request-approved', ['CC8.1'], { pass: 1 })] });
    expect(row(result, 'CC9.2')).toEqual(expect.objectContaining({ status: 'no-evidence-path', statuses: ['no-evidence-path'], evidence: [], missing: [{ status: 'no-evidence-path', source: null, text: NO_EVIDENCE_PATH }] }));
    expect(result.requirements).toHaveLength(SECURITY.criteria.size);
    // Records linked to it by their connector are named, but watched by no stream they make no path.
    const records = new Map([['CC6.6', new Map([['audit.event', 2], ['access.config', 1]])]]);
    expect(row(readiness({ records }), 'CC6.6')).toMatchObject({
      status: 'no-evidence-path',
      missing: [{ text: `${NO_EVIDENCE_PATH}: 1 access.config, 2 audit.event record(s) of the period carry it, but no configured stream names it, so its gaps cannot show (name it in a stream's controls, or add a request)` }],
    });
  });

  it('judges an empty period as not assessed, never ready', () => {
    const result = readiness({
      ledger: { streams: [stream('github/members', ['CC6.1'], { expected: 0, successful: 0 })] },
      checks: [check('mfa-enabled', ['CC6.1'], {})],
      requests: { requests: [request('access-policy', ['CC6.1'], [])] },
    });
    expect(row(result, 'CC6.1')).toMatchObject({ status: 'not-assessed', missing: [{ status: 'not-assessed', source: null, text: 'no evidence in the period from its 3 source(s)' }] });
    expect(result.summary.byStatus).toMatchObject({ ready: 0, 'not-assessed': 1, 'no-evidence-path': SECURITY.criteria.size - 1 });
  });

  it('reaches other frameworks through the mappings: partial support is never ready', () => {
    const ready = {
      ledger: { streams: [stream('github/pull_requests', ['CC8.1']), stream('github/members', ['CC6.2'])] },
      checks: [check('pull-request-approved', ['CC8.1'], { pass: 4 }), check('accounts-have-owner', ['CC6.2'], { pass: 3 })],
    };
    const iso = readiness({ ...ready, framework: 'iso27001' });
    expect(iso.name).toMatch(/27001/);
    expect(row(iso, 'A.8.32')).toMatchObject({ status: 'ready', via: [{ criterion: 'CC8.1', relationship: 'superset-of', support: 'covering' }] });
    expect(row(iso, 'A.5.16')).toMatchObject({ status: 'partial', missing: [{ status: 'partial', text: 'SOC 2 evidence serves only part of it (through CC6.2 subset-of): judge the rest' }] });
    const unmapped = iso.requirements.find((requirement) => requirement.via.length === 0)!;
    expect(unmapped.missing).toEqual([{ status: 'no-evidence-path', source: null, text: 'no SOC 2 mapping: nothing evidentia collects reaches it; judge it separately' }]);
    // Partial stays listed beside a problem, so fixing the problem never reads as ready.
    const withException = readiness({ ...ready, framework: 'iso27001', checks: [check('accounts-have-owner', ['CC6.2'], { pass: 1, exception: 2 })] });
    expect(row(withException, 'A.5.16').statuses).toEqual(['exceptions', 'partial']);
    // A criterion outside the categories in scope carries nothing across.
    const narrow = readiness({ ...ready, framework: 'iso27001', scope: { criteria: new Set(['CC8.1']) } });
    expect(row(narrow, 'A.5.16').missing).toEqual([{ status: 'no-evidence-path', source: null, text: 'maps only to CC6.2, outside the SOC 2 categories in scope' }]);
  });

  it('places access reviews through the extension point under their criteria', () => {
    const review: ReviewEvidence = { id: 'access-review github:acme', criteria: ['CC6.2', 'CC6.3'], evidenced: true, summary: '1 review, 40 decisions', problems: [{ status: 'overdue', text: 'access-review github:acme: 2 revokes not carried out within 7 days' }] };
    const result = readiness({ reviews: [review] });
    for (const id of ['CC6.2', 'CC6.3']) {
      expect(row(result, id)).toMatchObject({ statuses: ['overdue'], evidence: [{ kind: 'review', id: 'access-review github:acme', evidenced: true }], missing: [{ source: { kind: 'review', id: 'access-review github:acme' } }] });
    }
  });

  it('sums the summary to the requirements and keeps every status among the things to do', () => {
    const checks = ['CC6.1', 'CC6.2', 'CC6.3', 'CC7.2', 'CC7.3', 'CC7.4', 'CC7.5', 'CC8.1'].map((criterion, index) => check(`check-${index}`, [criterion], { exception: index + 1 }));
    const overdue = request('vendor-reviews', ['CC9.2'], [occurrence('2026-01-01..2026-03-31', 'overdue', '2026-03-31')]);
    const result = readiness({ checks: [...checks, ...checks.map((c) => ({ ...c, id: `${c.id}-again` }))], requests: { requests: [overdue] } });
    const { byStatus, withStatus, todo, requirements } = result.summary;
    expect(Object.values(byStatus).reduce((sum, n) => sum + n, 0)).toBe(requirements);
    expect(withStatus.exceptions).toBe(8);
    expect(todo).toHaveLength(10);
    expect(todo.map((item) => item.status)).toEqual([...Array(8).fill('exceptions'), 'overdue', 'no-evidence-path']);
    expect(todo.at(-1)).toMatchObject({ text: NO_EVIDENCE_PATH, requirements: expect.arrayContaining(['CC1.1', 'CC9.1']) });
  });
});

describe('readiness output', () => {
  const result = readiness({
    ledger: { streams: [stream('github/pull_requests', ['CC8.1'], { gaps: [gap('github/pull_requests', '2026-02-03T00:00:00.000Z', '2026-02-05T00:00:00.000Z')] })] },
    checks: [check('pull-request-approved', ['CC8.1'], { pass: 1, exception: 1 })],
    reviews: [{ id: 'review', criteria: ['CC6.2'], evidenced: false, summary: 'none', problems: [{ status: 'overdue', text: '=HYPERLINK("x")\u001b[31m' }] }],
  });

  it('prints the summary first, then one row per requirement with all its statuses', () => {
    const text = renderReadiness(result);
    expect(text.split('\n')[1]).toBe(`33 requirements: 1 exceptions, 1 overdue, ${SECURITY.criteria.size - 2} no evidence path`);
    expect(text).toContain('top things to do:\n  1. [exceptions] check pull-request-approved: 1 exception — CC8.1');
    expect(text).toMatch(/\nCC8\.1 +exceptions \+ gaps +1\/1 stream, 1\/1 check +check pull-request-approved: 1 exception \(\+1 more\)/);
    expect(text).toContain('\\x1b[31m');
    expect(text).not.toContain('\u001b');
  });

  it('writes CSV rows with the formula-injection guard', () => {
    const csv = readinessCsv(result).split('\r\n');
    expect(csv[0]).toBe('framework,requirement,label,status,statuses,evidenced_by,missing_status,missing');
    const review = csv.find((line) => line.startsWith('soc2,CC6.2,'))!;
    expect(review).toContain(`,overdue,"'=HYPERLINK(""x"")`);
  });
});
