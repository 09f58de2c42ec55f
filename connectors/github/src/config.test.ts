/**
 * The config schema and the helpers that interpret it: authentication is
 * required, typos are errors, GitHub Enterprise Server URLs are derived
 * correctly, repository patterns match as documented, and the PR search
 * range is computed exactly.
 */
import { describe, expect, it } from '@jest/globals';
import { Secret } from '@evidentia/sdk';
import { graphqlUrl, GitHubConfig, repositoryFilter, restBaseUrl } from './config.js';
import { mergedSearchQuery } from './collect-pull-requests.js';

const token = new Secret('test-token-not-real', '${env:GITHUB_TOKEN}');

describe('GitHubConfig', () => {
  it('accepts a token or an app, and refuses neither or both', () => {
    expect(GitHubConfig.safeParse({ org: 'acme-corp', token }).success).toBe(true);
    const app = { appId: 1234, installationId: '4242', privateKey: new Secret('pem', '${file:/k.pem}') };
    expect(GitHubConfig.safeParse({ org: 'acme-corp', app }).success).toBe(true);
    expect(GitHubConfig.safeParse({ org: 'acme-corp' }).error?.issues[0]).toMatchObject({ path: ['token'], message: 'one of token or app is required' });
    expect(GitHubConfig.safeParse({ org: 'acme-corp', token, app }).success).toBe(false);
  });

  it('refuses a literal token, unknown keys and typos in nested objects', () => {
    expect(GitHubConfig.safeParse({ org: 'acme-corp', token: 'ghp_literal' }).success).toBe(false);
    expect(GitHubConfig.safeParse({ org: 'acme-corp', token, organisation: 'x' }).success).toBe(false);
    expect(GitHubConfig.safeParse({ org: 'acme-corp', token, repositories: { exclude: ['a'], include: ['b'], excludes: [] } }).success).toBe(false);
  });
});

describe('API URLs', () => {
  it('reads branch protection 100 repositories per GraphQL query unless told fewer, and refuses a size GitHub does not allow', () => {
    expect(GitHubConfig.parse({ org: 'acme-corp', token }).branchProtectionBatchSize).toBe(100);
    expect(GitHubConfig.parse({ org: 'acme-corp', token, branchProtectionBatchSize: 25 }).branchProtectionBatchSize).toBe(25);
    for (const size of [0, 101, 2.5, '50']) {
      expect(GitHubConfig.safeParse({ org: 'acme-corp', token, branchProtectionBatchSize: size }).error?.issues[0]?.path).toEqual(['branchProtectionBatchSize']);
    }
  });

  it('derives the GraphQL endpoint for github.com and GitHub Enterprise Server', () => {
    expect(restBaseUrl({})).toBe('https://api.github.com');
    expect(graphqlUrl({})).toBe('https://api.github.com/graphql');
    expect(restBaseUrl({ baseUrl: 'https://github.acme.example/api/v3/' })).toBe('https://github.acme.example/api/v3');
    expect(graphqlUrl({ baseUrl: 'https://github.acme.example/api/v3' })).toBe('https://github.acme.example/api/graphql');
  });
});

describe('repositoryFilter', () => {
  it('includes everything by default, and exclude wins over include', () => {
    expect(repositoryFilter({})('anything')).toBe(true);
    const wanted = repositoryFilter({ repositories: { include: ['svc-*', 'web'], exclude: ['svc-legacy*'] } });
    expect(['svc-auth', 'SVC-Billing', 'web', 'svc-legacy-pay', 'webapp', 'docs'].filter(wanted)).toEqual(['svc-auth', 'SVC-Billing', 'web']);
  });

  it('treats dots in patterns literally', () => {
    expect(repositoryFilter({ repositories: { include: ['acme.github.io'] } })('acmeXgithubXio')).toBe(false);
  });
});

describe('the merged-PR search range', () => {
  it('turns the half-open range into inclusive whole seconds', () => {
    expect(mergedSearchQuery('acme-corp', new Date('2026-04-02T00:00:00Z'), new Date('2026-07-01T00:00:00Z'))).toBe(
      'org:acme-corp is:pr is:merged merged:2026-04-02T00:00:00Z..2026-06-30T23:59:59Z',
    );
    expect(mergedSearchQuery('acme-corp', new Date('2026-04-02T00:00:00.250Z'), new Date('2026-07-01T00:00:00.500Z'))).toBe(
      'org:acme-corp is:pr is:merged merged:2026-04-02T00:00:01Z..2026-07-01T00:00:00Z',
    );
  });
});
