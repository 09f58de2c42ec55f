/**
 * A criterion whose only evidence is documents answering its evidence requests: the report shows it in the
 * per-criterion section with each document (file, effective day, the window it answers, hash), its tile and
 * the summary count it as evidenced, as readiness does, and a superseded document is not listed.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { type EvidenceRequest, PeopleDirectory, requestLedgerFromLocker, runChecks } from '@evidentia/audit';
import { createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { sha256Hex } from '@evidentia/evidence';
import { parsePeriod } from '@evidentia/time';
import { buildReportModel } from './model.js';
import { renderReport } from './render.js';

const policy: EvidenceRequest = { id: 'security-policy', title: 'Information security policy', criteria: ['CC5.3'], owner: 'ciso', frequency: 'once', dueDays: 0, graceDays: 0, starter: false };
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const document = (fileName: string, text: string, supersedes: number | null = null) => ({ request: policy.id, fileName, bytes: Buffer.from(text), addedBy: 'grc@acme.example', effective: '2026-02-03', subject: null, note: null, supersedes });

describe('documents in the report', () => {
  it('shows a criterion evidenced only by documents, with each current document, and counts it as evidenced', async () => {
    await synthetic.run('2026-02-03T12:00:00Z', []);
    await synthetic.locker.addDocuments([document('policy-draft.txt', 'Security policy, draft\n')]);
    await synthetic.locker.addDocuments([document('policy <b>v2</b>.txt', 'Security policy, approved\n', 1)]);
    const period = parsePeriod(PERIOD);
    const requests = await requestLedgerFromLocker(synthetic.locker, [policy], period, new Date('2026-03-02T00:00:00Z'), { timezone: 'UTC', aliases: {}, personnelStreams: [] });
    const run = await runChecks({ locker: synthetic.locker, period, checks: [], people: new PeopleDirectory(), sources: null });
    const model = await buildReportModel({ locker: synthetic.locker, period, run, requests });
    const row = model.criteria.find((candidate) => candidate.id === 'CC5.3')!;
    expect(row.status).toBe('evidence');
    const html = renderReport(model);
    const section = html.slice(html.indexOf('<section class="criterion evidence" id="criterion-CC5.3">'));
    expect(section).not.toBe(html);
    expect(section.slice(0, section.indexOf('</section>'))).toContain(
      `<li>document 2 <code>policy &lt;b&gt;v2&lt;/b&gt;.txt</code> for request security-policy (Information security policy), effective 2026-02-03, answering 2026-02-01..2026-02-28, SHA-256 <span class="hash">${sha256Hex(Buffer.from('Security policy, approved\n'))}</span></li>`,
    );
    expect(html).not.toContain('policy-draft.txt');
    expect(html).toMatch(/<li class="tile evidence" title="CC5\.3 [^"]*"><a href="#criterion-CC5\.3">/);
    expect(html).toMatch(/<strong>1 \/ \d+<\/strong>criteria with evidence in the period/);
  });
});
