/**
 * The AWS connector's part in `evidentia demo`: its recorded cassettes in
 * fixtures/ and the config entry that points it at the replay server.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDemo } from '@evidentia/sdk';

export const demo: ConnectorDemo = {
  cassettes: ['demo.json'].map((name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))),
  // The replay server answers from a recording with no rate limit: the demo need not wait 16 s at LookupEvents' 2 per second.
  config: (baseUrl, secret) => ({ regions: ['us-east-1'], accounts: [{ alias: 'acme-prod' }], endpoint: baseUrl, credentials: { accessKeyId: secret, secretAccessKey: secret }, lookupEventsPerSecond: 1000 }),
};
