/**
 * The AWS connector: IAM users and the root account (CC6.1–CC6.3), the
 * password policy and CloudTrail trails (CC6.1, CC7.2) and IAM / console
 * sign-in events (CC6.2, CC7.2), for one or more accounts, with the official
 * AWS SDK v3 clients. This file is only the declaration; each stream's
 * collection lives in its collect-*.ts module, the permission checks in doctor.ts.
 */
import { defineConnector } from '@evidentia/sdk';
import { demo } from './demo.js';
import { collectAccountConfig } from './collect-account-config.js';
import { collectCloudTrailEvents } from './collect-cloudtrail-events.js';
import { collectIamUsers } from './collect-iam-users.js';
import { AwsConfig, systemId } from './config.js';
import { doctor, REQUIRED_ACTIONS } from './doctor.js';

export { AwsConfig } from './config.js';

export const awsConnector = defineConnector<AwsConfig>({
  id: 'aws',
  version: '0.1.0',
  title: 'Amazon Web Services',
  configSchema: AwsConfig,
  credentials: [
    {
      field: 'credentials',
      description: 'Base credentials: static keys as secret references, or (when left out) the SDK default chain — environment, profile, instance or task role. Per account, an optional role to assume.',
      permissions: [...REQUIRED_ACTIONS],
    },
  ],
  system: systemId,
  // No apiBase: SigV4 signs the Host header, so a recording proxy in front of AWS cannot work.
  streams: {
    iam_users: {
      type: 'state',
      kind: 'access.account',
      description: 'IAM users and the root account: console password, MFA, access keys (age, last use), groups, policies, privilege',
      controls: ['CC6.1', 'CC6.2', 'CC6.3'],
      collect: collectIamUsers,
    },
    account_config: {
      type: 'state',
      kind: 'access.config',
      description: 'Account password policy (access.config) and CloudTrail trails with their logging status (change.config)',
      controls: ['CC6.1', 'CC7.2'],
      collect: collectAccountConfig,
    },
    cloudtrail_events: {
      type: 'event',
      kind: 'audit.event',
      description: 'IAM management events and console sign-ins from CloudTrail LookupEvents',
      controls: ['CC6.2', 'CC7.2'],
      // LookupEvents answers for the last 90 days only; the SDK clamps older ranges and declares the gap.
      retentionDays: 90,
      initialLookbackDays: 90,
      collect: collectCloudTrailEvents,
    },
  },
  doctor,
  demo,
});

export default awsConnector;
