/**
 * The Slack connector: workspace members with roles, guest status and 2FA
 * (CC6.1–CC6.3), and incident channels as incident records (CC7.3–CC7.5).
 * This file is only the declaration; each stream's collection lives in its
 * collect-*.ts module.
 */
import { defineConnector } from '@evidentia/sdk';
import { demo } from './demo.js';
import { collectIncidentChannels } from './collect-incident-channels.js';
import { collectUsers } from './collect-users.js';
import { apiUrl, SlackConfig } from './config.js';
import { doctor } from './doctor.js';

export { SlackConfig } from './config.js';

export const slackConnector = defineConnector<SlackConfig>({
  id: 'slack',
  version: '0.1.0',
  title: 'Slack',
  configSchema: SlackConfig,
  credentials: [
    {
      field: 'token',
      description: 'A bot token (xoxb-) of a Slack app installed in the workspace; a workspace admin user token (xoxp-) also shows 2FA state',
      permissions: ['users:read', 'users:read.email', 'channels:read', 'groups:read', 'channels:history', 'groups:history'],
    },
  ],
  system: (config) => `slack:${config.workspace}`,
  // Record mode and the demo point the connector at a local server.
  apiBase: { read: (config) => apiUrl(config), override: (config, baseUrl) => ({ ...config, slackApiUrl: baseUrl }) },
  doctor,
  streams: {
    users: {
      type: 'state',
      kind: 'access.account',
      description: 'Workspace members: active, deleted, invited, guests and bots, with admin/owner roles, 2FA and email',
      controls: ['CC6.1', 'CC6.2', 'CC6.3'],
      collect: collectUsers,
    },
    incident_channels: {
      type: 'event',
      kind: 'incident.record',
      description: 'Incident channels (name pattern): opened, first and last message, resolved marker, post-mortem link, tickets, members',
      controls: ['CC7.3', 'CC7.4', 'CC7.5'],
      initialLookbackDays: 90,
      // Every run reads each incident channel that had a message in its range, whole: what changes an incident
      // (resolution, post-mortem link, topic, archival, joins) arrives as a message, so an incident a later
      // complete run did not bring again was unchanged until then, and deadlines are judged as of that run.
      recollectsChanges: true,
      // Paid plans keep history for the life of the workspace: no retentionDays (see README for free plans).
      collect: collectIncidentChannels,
    },
  },
  demo,
});

export default slackConnector;
