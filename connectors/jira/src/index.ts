/**
 * The Jira connector: change tickets with their approvals (CC8.1), incidents
 * (CC7.3–CC7.5) and HR onboarding/offboarding tickets (CC1.4, CC6.2, CC6.3),
 * each selected by its own JQL and read with its changelog. This file is only
 * the declaration; the streams live in collect-*.ts, the checks in doctor.ts.
 */
import { defineConnector } from '@evidentia/sdk';
import { demo } from './demo.js';
import { collectChanges } from './collect-changes.js';
import { collectIncidents } from './collect-incidents.js';
import { collectPersonnel } from './collect-personnel.js';
import { apiBaseUrl, JiraConfig } from './config.js';
import { jiraDoctor } from './doctor.js';

export { JiraConfig } from './config.js';

const permissions = [
  'Browse projects in every project the streams’ JQL selects',
  'classic API token: the account’s own permissions; scoped API token or OAuth 2.0: read:jira-work, read:jira-user',
];

export const jiraConnector = defineConnector<JiraConfig>({
  id: 'jira',
  version: '0.1.0',
  title: 'Jira Cloud',
  configSchema: JiraConfig,
  credentials: [
    { field: 'apiToken', description: 'An API token of the account named in `email` (basic authentication)', permissions },
    { field: 'bearerToken', description: 'An OAuth 2.0 access token or scoped API token (instead of email and apiToken)', permissions },
  ],
  system: (config) => `jira:${new URL(config.host).host}`,
  // Record mode and the demo point the API at a local server; links in records keep naming the site.
  apiBase: { read: (config) => apiBaseUrl(config), override: (config, baseUrl) => ({ ...config, baseUrl }) },
  doctor: jiraDoctor,
  streams: {
    changes: {
      type: 'event',
      kind: 'change.request',
      description: 'Change tickets with who approved them and when, when they were deployed, and the emergency flag',
      controls: ['CC8.1'],
      // The search is over `updated`: an edited ticket is read again.
      recollectsChanges: true,
      collect: collectChanges,
    },
    incidents: {
      type: 'event',
      kind: 'incident.record',
      description: 'Incident tickets with severity, opening and resolution times, timeline and post-mortem reference',
      controls: ['CC7.3', 'CC7.4', 'CC7.5'],
      // The search is over `updated`: an edited ticket is read again.
      recollectsChanges: true,
      collect: collectIncidents,
    },
    personnel: {
      type: 'event',
      kind: 'personnel.event',
      description: 'Onboarding and offboarding tickets: the person, the effective date and when the ticket was done',
      controls: ['CC1.4', 'CC6.2', 'CC6.3'],
      // The search is over `updated`: an edited ticket is read again.
      recollectsChanges: true,
      collect: collectPersonnel,
    },
  },
  demo,
});

export default jiraConnector;
