/**
 * The Slack connector's part in `evidentia demo`: its recorded cassettes in
 * fixtures/ and the config entry that points it at the replay server.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDemo } from '@evidentia/sdk';

export const demo: ConnectorDemo = {
  cassettes: ['demo.json'].map((name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))),
  config: (baseUrl, secret) => ({ workspace: 'acme-example', token: secret, slackApiUrl: baseUrl }),
};
