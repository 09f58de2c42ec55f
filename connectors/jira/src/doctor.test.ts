/**
 * `evidentia doctor` for Jira against the replay server: it lists the site's
 * custom fields with id, name and type, resolves every mapped field, flags one
 * the site lacks (a renamed field), and reports Jira's answer to each JQL.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runDoctor, type DoctorCheck } from '@evidentia/sdk';
import { startReplayServer, type CassetteInput, type ReplayServer } from '@evidentia/testing';
import { jiraConnector } from './index.js';
import { demoConfig, loadFixture } from './test-support.js';

const count = (jql: string, status: number, body: unknown) => ({
  request: { method: 'POST', path: '/rest/api/3/search/approximate-count', body: { jql } },
  response: { status, body: body as CassetteInput['interactions'][number]['response']['body'] },
});

function doctorCassette(fieldsFrom: string): CassetteInput {
  const [myself, fields] = loadFixture(fieldsFrom).interactions;
  return {
    format: 'evidentia.cassette/1',
    description: `doctor with the field list of ${fieldsFrom}`,
    interactions: [
      myself!,
      { request: { method: 'GET', path: '/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS' }, response: { status: 200, body: { permissions: { BROWSE_PROJECTS: { id: '10', key: 'BROWSE_PROJECTS', havePermission: true } } } } },
      fields!,
      count('project = CHG AND issuetype = Change', 200, { count: 42 }),
      count('project = INC AND issuetype = Incident', 200, { count: 17 }),
      count('project = HR AND issuetype in (Onboarding, Offboarding)', 400, { errorMessages: ["The value 'HR' does not exist for the field 'project'."], errors: {} }),
    ],
  };
}

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function doctor(fieldsFrom: string): Promise<Map<string, DoctorCheck>> {
  server = await startReplayServer([doctorCassette(fieldsFrom)]);
  const checks = await runDoctor({ connector: jiraConnector, instance: 'jira', config: demoConfig()(server.baseUrl) });
  server.assertDone();
  return new Map(checks.map((check) => [check.name, check]));
}

describe('jira doctor', () => {
  it('signs in, checks Browse projects, resolves the mapping and tries each JQL', async () => {
    const checks = await doctor('changes.json');
    expect(checks.get('authentication')).toMatchObject({ ok: true, detail: expect.stringContaining('time zone UTC') });
    expect(checks.get('permission BROWSE_PROJECTS')?.ok).toBe(true);
    expect(checks.get('field streams.changes.approverField')).toEqual({ name: 'field streams.changes.approverField', ok: true, detail: "'Approvers' is customfield_10050 'Approvers' (array<user>)" });
    expect(checks.get('field streams.personnel.effectiveDateField')).toMatchObject({ ok: true, detail: "'Effective date' is customfield_10072 'Effective date' (date)" });
    expect(checks.get('jql streams.changes.jql')).toMatchObject({ ok: true, detail: 'project = CHG AND issuetype = Change matches about 42 issues' });
    expect(checks.get('jql streams.personnel.jql')).toMatchObject({ ok: false, detail: expect.stringContaining("The value 'HR' does not exist for the field 'project'.") });
  });

  it('lists every custom field with id, name and type', async () => {
    const checks = await doctor('changes.json');
    const listed = [...checks.values()].filter((check) => check.name.startsWith('site field '));
    expect(listed.map((check) => `${check.name.slice('site field '.length)} ${check.detail}`)).toEqual([
      'customfield_10050 Approvers (array<user>)',
      'customfield_10072 Effective date (date)',
      'customfield_10051 Emergency change (option)',
      'customfield_10070 Employee email (string)',
      'customfield_10071 Employee name (string)',
      'customfield_10061 Post-mortem (string)',
      'customfield_10060 Severity (option)',
      'customfield_10016 Story point estimate (number)',
    ]);
  });

  it('flags a mapped field the site lacks', async () => {
    const checks = await doctor('changes-renamed-field.json');
    expect(checks.get('field streams.changes.approverField')).toMatchObject({
      ok: false,
      detail: "field 'Approvers' named in streams.changes.approverField does not exist on https://acme.atlassian.net; doctor lists the fields",
    });
    expect(checks.get('site field customfield_10050')?.detail).toBe('Change approvers (array<user>)');
  });
});
