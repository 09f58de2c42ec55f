/**
 * `evidentia doctor` for Google Workspace: for each read-only scope, obtain a
 * token for that scope alone (a service account whose domain-wide delegation
 * lacks it is refused here, by name) and make the cheapest call that needs
 * it. A 403 then says whether the token lacks the scope or the admin lacks the
 * privilege. Nothing fetched here is stored.
 */
import type { DoctorCheck, DoctorContext } from '@evidentia/sdk';
import { GoogleApiError, TokenExchangeError, WorkspaceClient, type Sourced } from './client.js';
import { AUDIT_SCOPE, ROLE_SCOPE, scopeName, USER_SCOPE, type GoogleWorkspaceConfig } from './config.js';

interface Probe {
  scope: string;
  streams: string;
  call: string;
  first(client: WorkspaceClient): AsyncGenerator<Sourced<unknown>>;
}

const PROBES: Probe[] = [
  { scope: USER_SCOPE, streams: 'users, admin_roles', call: 'users.list', first: (client) => client.users({ maxResults: 1 }) },
  { scope: ROLE_SCOPE, streams: 'admin_roles', call: 'roles.list', first: (client) => client.roles(1) },
  { scope: AUDIT_SCOPE, streams: 'user_lifecycle', call: 'activities.list', first: (client) => client.activities('CREATE_USER', null, 1) },
];

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why a probe failed, in terms of what to change. */
function advice(config: GoogleWorkspaceConfig, probe: Probe, error: unknown): string {
  const needed = `needed by ${probe.streams}`;
  if (error instanceof TokenExchangeError) return `${message(error)} (${needed})`;
  if (error instanceof GoogleApiError && error.scopeMissing) {
    return `${probe.call}: ${error.message}: the access token lacks ${scopeName(probe.scope)} (${needed}); issue a token with that scope`;
  }
  if (error instanceof GoogleApiError && error.status === 403) {
    const who = config.serviceAccount?.subject ?? config.tokenOwner ?? 'the token owner';
    return `${probe.call}: ${error.message}: ${who} may not read this (${needed}); act as an administrator whose role includes it`;
  }
  return `${probe.call}: ${message(error)}`;
}

export async function googleWorkspaceDoctor(ctx: DoctorContext<GoogleWorkspaceConfig>): Promise<DoctorCheck[]> {
  const clientContext = { config: ctx.config, fetch: ctx.fetch, credentialFetch: ctx.fetch, now: () => new Date(), recorded: false };
  const checks: DoctorCheck[] = [];
  for (const probe of PROBES) {
    const name = `scope ${scopeName(probe.scope)}`;
    try {
      const client = await WorkspaceClient.connect(clientContext, [probe.scope]);
      const listing = probe.first(client);
      const first = await listing.next();
      await listing.return(undefined);
      checks.push({ name, ok: true, detail: `${probe.call} answered as ${client.identity} (${first.done ? 'empty' : 'with data'}); ${probe.streams} can collect` });
    } catch (error) {
      checks.push({ name, ok: false, detail: advice(ctx.config, probe, error) });
    }
  }
  return checks;
}
