/**
 * The GitHub connector's part in `evidentia demo`: its recorded cassettes in
 * fixtures/ and the config entry that points it at the replay server.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDemo } from '@evidentia/sdk';

export const demo: ConnectorDemo = {
  cassettes: ['members.json', 'branch-protection.json', 'pull-requests.json'].map((name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))),
  config: (baseUrl, secret) => ({ org: 'acme-corp', token: secret, baseUrl }),
};
