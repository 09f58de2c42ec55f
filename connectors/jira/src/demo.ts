/**
 * The Jira connector's part in `evidentia demo`: its recorded cassettes in
 * fixtures/ and the config entry that points it at the replay server.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDemo } from '@evidentia/sdk';

export const demo: ConnectorDemo = {
  cassettes: ['demo.json'].map((name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))),
  config: (baseUrl, secret) => ({
    host: 'https://acme.atlassian.net',
    baseUrl,
    email: 'evidence-bot@example.com',
    apiToken: secret,
    streams: {
      changes: { jql: 'project = CHG AND issuetype = Change', approverField: 'Approvers', emergencyField: 'Emergency change' },
      incidents: { jql: 'project = INC AND issuetype = Incident', severityField: 'Severity', postMortemField: 'Post-mortem' },
      personnel: { personField: 'Employee email', personNameField: 'Employee name', effectiveDateField: 'Effective date' },
    },
  }),
};
