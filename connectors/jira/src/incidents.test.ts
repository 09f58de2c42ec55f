/**
 * The incidents stream against the demo cassette (CC7.3–CC7.5): severity,
 * time to resolve, post-mortem from a field or a linked issue, an incident
 * without one, a reopened incident; and a rate-limited search that waits out
 * Retry-After (in the SDK) and completes.
 */
import { describe, expect, it } from '@jest/globals';
import type { EvidenceRecord } from '@evidentia/evidence';
import { runConnectorFixture } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, fixturePath } from './test-support.js';

type Incident = { severity: string | null; status: string; openedAt: string; resolvedAt: string | null; postMortem: string | null; timeline: Array<{ at: string; event: string; actor: { login: string | null; bot?: boolean } | null }> };

const incident = (records: EvidenceRecord[], key: string) => records.find((r) => r.key === key)?.data as Incident;
const run = () => runConnectorFixture({ connector: jiraConnector, stream: 'incidents', cassettes: [fixturePath('incidents.json')], config: demoConfig() });

describe('incidents stream', () => {
  it('collects every incident with severity, opening and resolution', async () => {
    const { outcome, records } = await run();
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 4, records: 4, requests: 4 });
    expect(records.map((r) => [r.key, (r.data as Incident).severity, (r.data as Incident).status])).toEqual([
      ['INC-7', 'SEV1', 'Resolved'],
      ['INC-8', 'SEV2', 'Resolved'],
      ['INC-9', 'SEV3', 'Resolved'],
      ['INC-10', 'SEV2', 'Investigating'],
    ]);
    expect(records.every((r) => ['CC7.3', 'CC7.4', 'CC7.5'].every((c) => r.controls.includes(c)))).toBe(true);
  });

  it('keeps a timeline from which the time to resolve follows', async () => {
    const inc7 = incident((await run()).records, 'INC-7');
    expect(inc7).toMatchObject({ openedAt: '2026-04-20T08:00:00.000Z', resolvedAt: '2026-04-20T11:30:00.000Z', postMortem: 'https://wiki.example.com/postmortems/INC-7' });
    expect((Date.parse(inc7.resolvedAt!) - Date.parse(inc7.openedAt)) / 60_000).toBe(210);
    expect(inc7.timeline.map((e) => `${e.at} ${e.event}`)).toEqual([
      '2026-04-20T08:00:00.000Z opened',
      '2026-04-20T08:05:00.000Z status Open → Investigating',
      '2026-04-20T09:10:00.000Z severity SEV2 → SEV1',
      '2026-04-20T10:30:00.000Z status Investigating → Mitigated',
      '2026-04-20T11:30:00.000Z resolved (Resolved)',
      '2026-04-20T11:30:00.000Z resolution Fixed',
    ]);
  });

  it('leaves the post-mortem empty when there is none', async () => {
    expect(incident((await run()).records, 'INC-8')).toMatchObject({ resolvedAt: '2026-05-21T01:00:00.000Z', postMortem: null });
  });

  it('names the reopening and takes the last resolution; the post-mortem is a linked issue', async () => {
    const inc9 = incident((await run()).records, 'INC-9');
    expect(inc9).toMatchObject({ resolvedAt: '2026-06-05T16:00:00.000Z', postMortem: 'https://acme.atlassian.net/browse/PM-3' });
    expect(inc9.timeline.map((e) => e.event)).toEqual(['opened', 'resolved (Resolved)', 'resolution Fixed', 'reopened (Resolved → Investigating)', 'resolution cleared', 'resolved (Resolved)', 'resolution Fixed']);
    expect(inc9.timeline[0]?.actor).toMatchObject({ name: 'Automation for Jira', bot: true });
  });

  it('leaves an open incident unresolved', async () => {
    expect(incident((await run()).records, 'INC-10')).toMatchObject({ resolvedAt: null, postMortem: null });
  });

  it('waits out a 429 as Retry-After asks, then completes', async () => {
    const { outcome, records, sleeps } = await runConnectorFixture({ connector: jiraConnector, stream: 'incidents', cassettes: [fixturePath('incidents-429.json')], config: demoConfig() });
    expect(outcome).toMatchObject({ status: 'complete', requests: 5, records: 1 });
    expect(sleeps).toEqual([30_000]);
    expect(records.map((r) => r.key)).toEqual(['INC-10']);
  });
});
