/**
 * The personnel stream against the demo cassette (CC1.4, CC6.2, CC6.3):
 * joiners and leavers with the person, the effective date and when the ticket
 * was done, including an offboarding ticket closed a week after the last day.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, fixturePath, loadFixture } from './test-support.js';

const run = (streams?: Record<string, Record<string, unknown>>) =>
  runConnectorFixture({ connector: jiraConnector, stream: 'personnel', cassettes: [fixturePath('personnel.json')], config: demoConfig(streams) });

describe('personnel stream', () => {
  it('records joiners and leavers with person, effective date and completion', async () => {
    const { outcome, records } = await run();
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 4, records: 4 });
    expect(records.map((r) => [r.key, r.data.type, (r.data.person as { email: string }).email, r.data.effectiveAt, r.data.completedAt])).toEqual([
      ['HR-21', 'joiner', 'nina.park@example.com', '2026-04-15T00:00:00.000Z', '2026-04-14T16:00:00.000Z'],
      ['HR-22', 'leaver', 'oscar.lind@example.com', '2026-05-29T00:00:00.000Z', '2026-06-05T10:00:00.000Z'],
      ['HR-23', 'leaver', 'priya.shah@example.com', '2026-06-12T00:00:00.000Z', '2026-06-12T17:00:00.000Z'],
      ['HR-24', 'joiner', 'quinn.reyes@example.com', '2026-07-06T00:00:00.000Z', null],
    ]);
    expect(records[1]).toMatchObject({ occurredAt: '2026-05-29T00:00:00.000Z', data: { person: { name: 'Oscar Lind', id: null }, source: 'Jira Offboarding ticket', ticket: 'HR-22' } });
  });

  it('shows the offboarding ticket closed late: done a week after the last working day', async () => {
    const { records } = await run();
    const late = records.find((r) => r.key === 'HR-22')!.data as { effectiveAt: string; completedAt: string };
    expect((Date.parse(late.completedAt) - Date.parse(late.effectiveAt)) / 86_400_000).toBeGreaterThan(7);
  });

  it('leaves out a ticket whose type matches no mapped value; it still counts as received against Jira\'s count', async () => {
    const { outcome, records } = await run({ personnel: { joinerValues: ['New starter'] } });
    expect(records.map((r) => r.key)).toEqual(['HR-22', 'HR-23']);
    expect(outcome).toMatchObject({ status: 'complete', apiTotal: 4, records: 2 });
  });

  const withCount = (count: number) => {
    const cassette = loadFixture('personnel.json');
    const interaction = cassette.interactions.find((i) => i.request.path === '/rest/api/3/search/approximate-count')!;
    interaction.response = { ...interaction.response, body: { count } };
    return cassette;
  };

  it('is partial when Jira counts more issues than the search returned, whatever was left out', async () => {
    const { outcome } = await runConnectorFixture({ connector: jiraConnector, stream: 'personnel', cassettes: [withCount(5)], config: demoConfig({ personnel: { joinerValues: ['New starter'] } }) });
    expect(outcome).toMatchObject({
      status: 'partial',
      apiTotal: 5,
      records: 2,
      error: 'received 4 of 5 issues matching the personnel JQL the source reports (2 of them received but not kept as records)',
    });
  });

  it('is partial too when Jira\'s estimate is below what the search returned: a count that disagrees proves nothing', async () => {
    const { outcome, records } = await runConnectorFixture({ connector: jiraConnector, stream: 'personnel', cassettes: [withCount(3)], config: demoConfig() });
    expect(records).toHaveLength(4);
    expect(outcome).toMatchObject({ status: 'partial', apiTotal: 3, cursorAfter: null, error: 'received 4 of 3 issues matching the personnel JQL the source reports' });
  });
});
