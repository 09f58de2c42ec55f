/**
 * `evidentia doctor` for Google Workspace against the replay server: one check
 * per read-only scope, naming the scope a token lacks (Google's 403 error
 * shape), the scope a service account's domain-wide delegation lacks (the
 * token endpoint's refusal), and an admin without the privilege.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runDoctor, type DoctorCheck } from '@evidentia/sdk';
import { startReplayServer, type CassetteInput, type JsonValue, type ReplayServer } from '@evidentia/testing';
import type { GoogleWorkspaceConfig } from './config.js';
import { googleWorkspaceConnector } from './index.js';
import { googleError, loadFixture, serviceAccountConfig, serviceAccountKeyFile, tokenConfig } from './test-support.js';

const USERS = '/admin/directory/v1/users?customer=my_customer&maxResults=1&orderBy=email&projection=full';
const ROLES = '/admin/directory/v1/customer/my_customer/roles?maxResults=1';
const AUDIT = '/admin/reports/v1/activity/users/all/applications/admin?eventName=CREATE_USER&maxResults=1';
const ok = (path: string, body: JsonValue) => ({ request: { method: 'GET', path }, response: { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body } });
const token = loadFixture('service-account-token.json').interactions[0]!;
const refused = { ...token, response: { status: 401, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { error: 'unauthorized_client', error_description: 'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.' } } };

let server: ReplayServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function doctor(interactions: CassetteInput['interactions'], config: (baseUrl: string) => GoogleWorkspaceConfig): Promise<Map<string, DoctorCheck>> {
  server = await startReplayServer([{ format: 'evidentia.cassette/1', description: 'doctor', interactions }]);
  const checks = await runDoctor({ connector: googleWorkspaceConnector, instance: 'google-workspace', config: config(server.baseUrl) });
  server.assertDone();
  return new Map(checks.map((check) => [check.name, check]));
}

describe('google-workspace doctor', () => {
  it('names the scope an access token lacks', async () => {
    const checks = await doctor(
      [
        ok(USERS, { kind: 'admin#directory#users', users: [{ id: '1', primaryEmail: 'erin@example.com' }] }),
        ok(ROLES, { kind: 'admin#directory#roles', items: [] }),
        googleError(AUDIT, 403, 'Request had insufficient authentication scopes.', { reason: 'insufficientPermissions', detail: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }),
      ],
      tokenConfig(),
    );
    expect([...checks.keys()]).toEqual(['scope admin.directory.user.readonly', 'scope admin.directory.rolemanagement.readonly', 'scope admin.reports.audit.readonly']);
    expect(checks.get('scope admin.directory.user.readonly')).toMatchObject({ ok: true, detail: expect.stringContaining('users.list answered as erin@example.com (with data)') });
    expect(checks.get('scope admin.directory.rolemanagement.readonly')?.ok).toBe(true);
    expect(checks.get('scope admin.reports.audit.readonly')).toEqual({
      name: 'scope admin.reports.audit.readonly',
      ok: false,
      detail:
        'activities.list: Request had insufficient authentication scopes. [insufficientPermissions, ACCESS_TOKEN_SCOPE_INSUFFICIENT]: the access token lacks admin.reports.audit.readonly (needed by user_lifecycle); issue a token with that scope',
    });
  });

  it('names the scope missing from a service account’s domain-wide delegation, and an admin without the privilege', async () => {
    const { json } = serviceAccountKeyFile();
    const checks = await doctor(
      [token, ok(USERS, { kind: 'admin#directory#users' }), refused, token, googleError(AUDIT, 403, 'Not Authorized to access this resource/api', { reason: 'forbidden' })],
      serviceAccountConfig(json),
    );
    expect(checks.get('scope admin.directory.user.readonly')).toMatchObject({ ok: true, detail: expect.stringContaining('(empty)') });
    expect(checks.get('scope admin.directory.rolemanagement.readonly')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/unauthorized_client.*allow client id 100000000000000000001 the scopes admin\.directory\.rolemanagement\.readonly \(needed by admin_roles\)$/),
    });
    expect(checks.get('scope admin.reports.audit.readonly')).toMatchObject({
      ok: false,
      detail: 'activities.list: Not Authorized to access this resource/api [forbidden]: erin@example.com may not read this (needed by user_lifecycle); act as an administrator whose role includes it',
    });
  });
});
