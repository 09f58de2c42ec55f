/**
 * `evidentia doctor` for Slack: one auth.test call (nothing stored) says
 * whether the token works, which workspace it belongs to, and which scopes
 * it holds (Slack reports them in the x-oauth-scopes header); one check per
 * scope the streams need, naming what it is for.
 */
import type { DoctorCheck, DoctorContext } from '@evidentia/sdk';
import { SlackClient } from './client.js';
import { apiUrl, type SlackConfig } from './config.js';
import { identityOf, workspaceMismatch } from './identity.js';
import { AuthTest } from './schema.js';

/** The scopes the streams read with, and what each is for. */
export const REQUIRED_SCOPES: ReadonlyArray<{ scope: string; purpose: string }> = [
  { scope: 'users:read', purpose: 'users: list the members' },
  { scope: 'users:read.email', purpose: 'users: their email addresses' },
  { scope: 'channels:read', purpose: 'incident_channels: list public channels' },
  { scope: 'groups:read', purpose: 'incident_channels: list private channels the app is in' },
  { scope: 'channels:history', purpose: 'incident_channels: read public channel messages' },
  { scope: 'groups:history', purpose: 'incident_channels: read private channel messages' },
];

export async function doctor(ctx: DoctorContext<SlackConfig>): Promise<DoctorCheck[]> {
  const client = new SlackClient({ token: ctx.config.token.reveal(), apiUrl: apiUrl(ctx.config), fetch: ctx.fetch, log: ctx.log, sourcesOf: null });
  let auth: AuthTest;
  try {
    auth = (await client.call('auth.test', {}, AuthTest)).value;
  } catch (error) {
    return [{ name: 'token', ok: false, detail: error instanceof Error ? error.message : String(error) }];
  }
  const mismatch = workspaceMismatch(ctx.config.workspace, auth);
  const checks: DoctorCheck[] = [
    { name: 'token', ok: true, detail: `valid; acts as ${identityOf(auth)}` },
    { name: 'workspace', ok: mismatch === null, detail: mismatch ?? `the token belongs to the configured workspace "${ctx.config.workspace}"` },
  ];
  const granted = auth.response_metadata?.scopes;
  for (const { scope, purpose } of REQUIRED_SCOPES) {
    if (granted === undefined) {
      checks.push({ name: scope, ok: false, detail: `Slack did not report the token's scopes; check ${scope} on the app's OAuth & Permissions page (${purpose})` });
    } else {
      const ok = granted.includes(scope);
      checks.push({ name: scope, ok, detail: ok ? `granted (${purpose})` : `missing: add ${scope} to the app's scopes and reinstall it (${purpose})` });
    }
  }
  return checks;
}
