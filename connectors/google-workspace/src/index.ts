/**
 * The Google Workspace connector: directory accounts and admin role holders
 * (CC6.1–CC6.3) and the admin audit trail of joiners, leavers and privilege
 * changes (CC1.4, CC6.2, CC6.3). This file is only the declaration; each
 * stream's collection lives in its collect-*.ts module, the checks in doctor.ts.
 */
import { defineConnector } from '@evidentia/sdk';
import { demo } from './demo.js';
import { collectAdminRoles } from './collect-admin-roles.js';
import { collectUserLifecycle } from './collect-user-lifecycle.js';
import { collectUsers } from './collect-users.js';
import { AUDIT_SCOPE, GoogleWorkspaceConfig, ROLE_SCOPE, USER_SCOPE } from './config.js';
import { googleWorkspaceDoctor } from './doctor.js';

export { GoogleWorkspaceConfig } from './config.js';

const SCOPES = [USER_SCOPE, ROLE_SCOPE, AUDIT_SCOPE];

export const googleWorkspaceConnector = defineConnector<GoogleWorkspaceConfig>({
  id: 'google-workspace',
  version: '0.1.0',
  title: 'Google Workspace',
  configSchema: GoogleWorkspaceConfig,
  credentials: [
    {
      field: 'serviceAccount.key',
      description: 'The JSON key of a service account with domain-wide delegation, acting as serviceAccount.subject (an administrator)',
      permissions: SCOPES,
    },
    { field: 'accessToken', description: 'An OAuth access token of an administrator (instead of a service account)', permissions: SCOPES },
  ],
  system: (config) => `google-workspace:${config.domain}`,
  // Record mode and the demo point the connector at a local server; the token endpoint stays where it is.
  apiBase: { read: (config) => config.rootUrl ?? 'https://admin.googleapis.com/', override: (config, rootUrl) => ({ ...config, rootUrl }) },
  doctor: googleWorkspaceDoctor,
  streams: {
    users: {
      type: 'state',
      kind: 'access.account',
      description: 'Every directory user (active, suspended, archived, recently deleted) with admin flags and 2-step verification',
      controls: ['CC6.1', 'CC6.2', 'CC6.3'],
      collect: collectUsers,
    },
    admin_roles: {
      type: 'state',
      kind: 'access.account',
      description: 'Who holds which admin role (users and groups), from the role assignments',
      controls: ['CC6.1', 'CC6.3'],
      collect: collectAdminRoles,
    },
    user_lifecycle: {
      type: 'event',
      kind: 'personnel.event',
      description: 'Admin audit events: users created, suspended, deleted, un-suspended; admin privileges and roles granted or revoked',
      controls: ['CC1.4', 'CC6.2', 'CC6.3'],
      // The Reports API keeps 180 days; the SDK declares older parts of a range as gaps.
      retentionDays: 180,
      collect: collectUserLifecycle,
    },
  },
  demo,
});

export default googleWorkspaceConnector;
