/**
 * The GitHub connector: org accounts (CC6.1–CC6.3), default-branch protection
 * and merged pull requests with their reviews (CC8.1). This file is only the
 * declaration; each stream's collection lives in its collect-*.ts module.
 */
import { defineConnector } from '@evidentia/sdk';
import { demo } from './demo.js';
import { collectBranchProtection } from './collect-branch-protection.js';
import { collectMembers } from './collect-members.js';
import { collectPullRequests } from './collect-pull-requests.js';
import { doctor } from './doctor.js';
import { GitHubConfig, restBaseUrl } from './config.js';

export { GitHubConfig } from './config.js';

export const githubConnector = defineConnector<GitHubConfig>({
  id: 'github',
  version: '0.1.0',
  title: 'GitHub',
  configSchema: GitHubConfig,
  credentials: [
    {
      field: 'token',
      description: 'A personal access token of an organization owner (classic or fine-grained)',
      permissions: [
        'classic: read:org, repo (or public_repo when every repository is public)',
        'fine-grained: organization Members (read); repository Administration (read), Pull requests (read), Metadata (read)',
      ],
    },
    {
      field: 'app.privateKey',
      description: 'The private key of a GitHub App installed on the organization (instead of a token)',
      permissions: ['organization Members (read)', 'repository Administration (read), Pull requests (read), Metadata (read)'],
    },
  ],
  system: (config) => `github:${config.org}`,
  // Record mode and the demo point the connector at a local server; GraphQL follows the REST root.
  apiBase: { read: (config) => restBaseUrl(config), override: (config, baseUrl) => ({ ...config, baseUrl }) },
  streams: {
    members: {
      type: 'state',
      kind: 'access.account',
      description: 'Organization members, admins, outside collaborators, with 2FA state and SAML SSO identity',
      controls: ['CC6.1', 'CC6.2', 'CC6.3'],
      collect: collectMembers,
    },
    branch_protection: {
      type: 'state',
      kind: 'change.config',
      description: 'Protection of the default branch of every active repository (classic protection and rulesets)',
      controls: ['CC8.1'],
      collect: collectBranchProtection,
    },
    pull_requests: {
      type: 'event',
      kind: 'change.request',
      description: 'Merged pull requests with every review: reviewer, state, time and commit',
      controls: ['CC8.1'],
      initialLookbackDays: 90,
      // GitHub keeps pull requests for the life of the repository: no retentionDays.
      // The SDK's default one-hour overlap re-reads merges that search indexed late.
      collect: collectPullRequests,
    },
  },
  doctor,
  demo,
});

export default githubConnector;
