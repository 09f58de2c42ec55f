/**
 * A custom field renamed on the site: a mapping that names it by its old name
 * fails the stream with a configuration error naming the setting (and no
 * search is sent); the same mapping by id keeps working.
 */
import { describe, expect, it } from '@jest/globals';
import { runConnectorFixture } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, fixturePath, loadFixture } from './test-support.js';

describe('field mapping against the site', () => {
  it('fails the stream, naming the setting, when the mapped field name no longer exists', async () => {
    const cassette = loadFixture('changes-renamed-field.json');
    cassette.interactions = cassette.interactions.slice(0, 2);
    const { outcome, requests } = await runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [cassette], config: demoConfig() });
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toBe("field 'Approvers' named in streams.changes.approverField does not exist on https://acme.atlassian.net; doctor lists the fields");
    expect(requests.map((r) => r.path)).toEqual(['/rest/api/3/myself', '/rest/api/3/field']);
    expect(outcome.cursorAfter).toBeNull();
  });

  it('names every missing field at once', async () => {
    const cassette = loadFixture('changes-renamed-field.json');
    cassette.interactions = cassette.interactions.slice(0, 2);
    const config = demoConfig({ changes: { emergencyField: 'customfield_19999' } });
    const { outcome } = await runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [cassette], config });
    expect(outcome.error).toContain("field 'Approvers' named in streams.changes.approverField does not exist");
    expect(outcome.error).toContain('field customfield_19999 named in streams.changes.emergencyField does not exist');
  });

  it('keeps working when the mapping names the field by id', async () => {
    const config = demoConfig({ changes: { approverField: 'customfield_10050' } });
    const { outcome, records } = await runConnectorFixture({ connector: jiraConnector, stream: 'changes', cassettes: [fixturePath('changes-renamed-field.json')], config });
    expect(outcome).toMatchObject({ status: 'complete', records: 1 });
    expect(records[0]?.data).toMatchObject({ id: 'CHG-102', approvals: [expect.objectContaining({ state: 'approved' })] });
  });
});
