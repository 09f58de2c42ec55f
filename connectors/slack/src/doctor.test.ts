/**
 * `evidentia doctor` for Slack: one auth.test, nothing stored, one check per
 * scope the streams need, and a clear answer for a rejected token.
 */
import { describe, expect, it } from '@jest/globals';
import { runDoctor } from '@evidentia/sdk';
import { startReplayServer, type CassetteInput } from '@evidentia/testing';
import { slackConnector } from './index.js';
import { loadFixture, testConfig } from './test-support.js';

async function doctorAgainst(authTest: CassetteInput['interactions'][number]) {
  const server = await startReplayServer([{ format: 'evidentia.cassette/1', description: 'auth.test', interactions: [authTest] }]);
  try {
    const checks = await runDoctor({ connector: slackConnector, instance: 'slack', config: testConfig()(server.baseUrl) });
    server.assertDone();
    return checks;
  } finally {
    await server.close();
  }
}

const authTest = () => loadFixture('users.json').interactions[0]!;

describe('slack doctor', () => {
  it('passes every scope the token holds', async () => {
    const checks = await doctorAgainst(authTest());
    expect(checks.map((c) => `${c.name}:${c.ok}`)).toEqual([
      'token:true',
      'workspace:true',
      'users:read:true',
      'users:read.email:true',
      'channels:read:true',
      'groups:read:true',
      'channels:history:true',
      'groups:history:true',
    ]);
    expect(checks[0]!.detail).toBe('valid; acts as evidentia (U0EVIDBOT1) @ Acme Example (T0ACME0001)');
  });

  it('names the missing scope and what it is for', async () => {
    const interaction = authTest();
    interaction.response.headers = { ...interaction.response.headers, 'x-oauth-scopes': 'users:read,channels:read,channels:history' };
    const checks = await doctorAgainst(interaction);
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['users:read.email', 'groups:read', 'groups:history']);
    expect(checks.find((c) => c.name === 'groups:history')?.detail).toBe("missing: add groups:history to the app's scopes and reinstall it (incident_channels: read private channel messages)");
  });

  it('reports a rejected token as one failed check', async () => {
    const interaction = authTest();
    interaction.response.body = { ok: false, error: 'invalid_auth' };
    expect(await doctorAgainst(interaction)).toEqual([{ name: 'token', ok: false, detail: 'Slack API auth.test: invalid_auth' }]);
  });
});
