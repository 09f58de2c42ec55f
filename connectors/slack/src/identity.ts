/**
 * Who the connector acts as and in which workspace, from `auth.test`, pure.
 * The configured workspace is checked against the token's, so evidence from
 * one workspace is never filed under another's system name.
 */
import type { AuthTest } from './schema.js';

/** The identity kept in every snapshot's provenance: the token's user (the bot user for bot tokens) and workspace. */
export function identityOf(auth: AuthTest): string {
  return `${auth.user} (${auth.user_id}) @ ${auth.team} (${auth.team_id})`;
}

/** The workspace subdomain from auth.test's URL (`acme` for https://acme.slack.com/). */
function subdomain(url: string): string | null {
  try {
    return new URL(url).hostname.split('.')[0] ?? null;
  } catch {
    return null;
  }
}

/** Null when the token belongs to the configured workspace (team id, enterprise id or subdomain), else why not. */
export function workspaceMismatch(configured: string, auth: AuthTest): string | null {
  const wanted = configured.toLowerCase();
  const names = [auth.team_id, auth.enterprise_id ?? null, subdomain(auth.url)].filter((name): name is string => name !== null).map((name) => name.toLowerCase());
  if (names.includes(wanted)) return null;
  return `the token belongs to workspace ${auth.team} (${auth.team_id}, ${auth.url}), not to the configured workspace "${configured}"`;
}
